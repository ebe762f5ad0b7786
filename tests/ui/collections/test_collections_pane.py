"""The collections pane: save, organise, undo, environments, disk changes, import/export."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QTableWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.postman import SCHEMA_URL
from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.settings import Settings
from explorer.ui.collections.dialogs import SaveRequestDialog
from explorer.ui.collections.environments import NO_ENVIRONMENT
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from explorer.ui.collections.model import DIRTY_MARK, CollectionsModel, Target
from explorer.ui.collections.pane import CollectionsPane
from tests.ui.driving import apply_environments

pytestmark = pytest.mark.gui

CANARY = "sk_PANE_CANARY_91b7"


@pytest.fixture
def collections_dir(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "data" / "collections"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def keyring() -> MemoryCredentials:
    return MemoryCredentials()


def _seed(collections_dir: Path, keyring: MemoryCredentials) -> CollectionStore:
    store = CollectionStore.create(collections_dir / "smoke", "Smoke", credentials=keyring)
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(action="bamboohr_list_employees", account_id="{{account_id}}"),
        )
    )
    store.create_folder("Employees")
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(action="bamboohr_get_employee", account_id="acct", path={"id": "40001"}),
            folder="Employees",
            expected_status=200,
        )
    )
    store.set_environment(Environment("staging", {"account_id": "acct_bamboohr_demo"}))
    store.set_variable("staging", "token", CANARY, secret=True)
    return store


@pytest.fixture
def pane(
    qtbot: QtBot, collections_dir: Path, keyring: MemoryCredentials, tmp_path: Path
) -> CollectionsPane:
    _seed(collections_dir, keyring)
    widget = CollectionsPane(
        collections_dir,
        credentials=keyring,
        settings=Settings(tmp_path / "home" / "config" / "settings.json"),
        poll_ms=0,
    )
    qtbot.addWidget(widget)
    widget.resize(360, 500)
    widget.show()
    return widget


def _texts(model: CollectionsModel) -> list[str]:
    """The tree as indented lines, for readable assertions."""
    out: list[str] = []

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            out.append("  " * depth + str(index.data()))
            walk(index, depth + 1)

    walk(QModelIndex(), 0)
    return out


def _modal_dialog() -> QDialog:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog), dialog
    return dialog


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def _select(pane: CollectionsPane, name: str) -> None:
    for store in pane.stores:
        if store.collection.name == name:
            pane.view.setCurrentIndex(pane.model.index_of_folder(store, ""))
            return
        for saved in store.collection.requests():
            if saved.name == name:
                assert saved.path is not None
                pane.view.setCurrentIndex(pane.model.index_of_path(saved.path))
                return
        for folder in store.collection.folder_names():
            if folder == name:
                pane.view.setCurrentIndex(pane.model.index_of_folder(store, folder))
                return
    raise AssertionError(f"{name} not in the tree")


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester, pane: CollectionsPane) -> None:
    qtmodeltester.check(pane.model, force_py=True)


def test_tree_shows_collection_folders_and_requests(pane: CollectionsPane) -> None:
    assert _texts(pane.model) == [
        "Smoke",
        "  List employees",
        "  Employees",
        "    Get employee",
    ]
    assert not pane.empty_label.isVisible()


def test_empty_state_says_how_to_start(qtbot: QtBot, tmp_path: Path) -> None:
    widget = CollectionsPane(tmp_path / "none", credentials=MemoryCredentials(), poll_ms=0)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_label.isVisible()
    assert "Ctrl+S" in widget.empty_label.text()


def test_activating_a_request_opens_it_in_the_editor(qtbot: QtBot, pane: CollectionsPane) -> None:
    _select(pane, "Get employee")
    with qtbot.waitSignal(pane.open_request) as blocker:
        pane.open_action.trigger()
    saved = blocker.args[0]
    assert isinstance(saved, SavedRequest)
    assert saved.request.path == {"id": "40001"}
    assert pane.open_saved is saved


def test_save_as_through_the_dialog_then_save_overwrites(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path
) -> None:
    _select(pane, "Employees")
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acct_bamboohr_demo",
        query={"page_size": 5},
        base_url="http://127.0.0.1:9999",
    )

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SaveRequestDialog)
        assert dialog.name_edit.text() == "bamboohr_list_employees"
        assert dialog.folder() == "Employees"
        assert dialog.pin_check.isVisible()  # a non-default base URL may be pinned
        dialog.name_edit.setText("First five")
        dialog.description_edit.setPlainText("Page size 5")
        dialog.status_spin.setValue(200)
        dialog.accept()

    QTimer.singleShot(0, fill)
    saved = pane.save_current(request, save_as=True)
    assert saved is not None
    path = collections_dir / "smoke" / "Employees" / "first-five.request.json"
    data = json.loads(path.read_text())
    assert data["name"] == "First five"
    assert data["description"] == "Page size 5"
    assert data["expected_status"] == 200
    assert "base_url" not in data["request"]  # not pinned: the profile decides
    assert pane.open_saved is saved

    pane.mark_dirty(True)
    assert f"First five{DIRTY_MARK}" in _texts(pane.model)[-1]
    pane.save_current(request.copy(query={"page_size": 6}), save_as=False)
    assert json.loads(path.read_text())["request"]["query"] == {"page_size": 6}
    assert all(DIRTY_MARK not in line for line in _texts(pane.model))


def test_cancelling_the_dialog_saves_nothing(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path
) -> None:
    before = _files(collections_dir)
    QTimer.singleShot(0, lambda: _modal_dialog().reject())
    assert pane.save_current(RpcRequest(action="x", account_id="a"), save_as=True) is None
    assert _files(collections_dir) == before


def test_first_save_without_any_collection_creates_my_requests(
    qtbot: QtBot, tmp_path: Path
) -> None:
    directory = tmp_path / "collections"
    widget = CollectionsPane(directory, credentials=MemoryCredentials(), poll_ms=0)
    qtbot.addWidget(widget)
    saved = widget.save_new(RpcRequest(action="a", account_id="b"), name="Ping")
    assert saved is not None
    assert saved.path == directory / "my-requests" / "ping.request.json"
    assert _texts(widget.model) == ["My requests", "  Ping"]


def test_a_literal_secret_header_is_refused_with_a_notice(
    pane: CollectionsPane, collections_dir: Path
) -> None:
    request = RpcRequest(action="a", account_id="b", headers={"Authorization": CANARY})
    assert pane.save_new(request, name="Leaky", store=pane.stores[0]) is None
    assert "secret variable" in pane.notice.text()
    assert CANARY.encode() not in b"".join(_files(collections_dir).values())


def test_delete_and_undo_restore_the_file(pane: CollectionsPane, collections_dir: Path) -> None:
    before = _files(collections_dir)
    _select(pane, "Get employee")
    assert pane.edits.delete_current()
    assert "    Get employee" not in _texts(pane.model)
    assert "Employees/get-employee.request.json" not in _files(collections_dir)
    pane.edits.undo_action.trigger()
    assert _files(collections_dir) == before
    assert "    Get employee" in _texts(pane.model)
    pane.edits.redo_action.trigger()
    assert "    Get employee" not in _texts(pane.model)


def test_delete_folder_and_undo(pane: CollectionsPane, collections_dir: Path) -> None:
    before = _files(collections_dir)
    _select(pane, "Employees")
    assert pane.edits.delete_current()
    assert _texts(pane.model) == ["Smoke", "  List employees"]
    pane.edits.undo_stack.undo()
    assert _files(collections_dir) == before
    assert _texts(pane.model)[-1] == "    Get employee"


def test_rename_in_place_duplicate_and_undo(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path
) -> None:
    _select(pane, "List employees")
    index = pane.view.currentIndex()
    pane.model.setData(index, "All employees")  # what the view's inline editor does
    qtbot.waitUntil(lambda: "  All employees" in _texts(pane.model))
    assert (collections_dir / "smoke" / "all-employees.request.json").exists()
    copy = pane.edits.duplicate_current()
    assert copy is not None and copy.name == "All employees copy"
    assert _texts(pane.model)[1:3] == ["  All employees", "  All employees copy"]
    pane.edits.undo_stack.undo()  # the duplicate
    pane.edits.undo_stack.undo()  # the rename
    assert _texts(pane.model)[1] == "  List employees"
    assert (collections_dir / "smoke" / "list-employees.request.json").exists()
    assert not (collections_dir / "smoke" / "all-employees.request.json").exists()


def test_drag_and_drop_moves_a_request_into_a_folder(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path
) -> None:
    _select(pane, "List employees")
    dragged = pane.model.mimeData([pane.view.currentIndex()])
    folder = pane.model.index_of_folder(pane.stores[0], "Employees")
    assert pane.model.canDropMimeData(dragged, pane.view.defaultDropAction(), -1, 0, folder)
    pane.model.dropMimeData(dragged, pane.view.defaultDropAction(), 0, 0, folder)
    qtbot.waitUntil(lambda: _texts(pane.model)[2] == "    List employees")
    assert _texts(pane.model) == ["Smoke", "  Employees", "    List employees", "    Get employee"]
    assert (collections_dir / "smoke" / "Employees" / "list-employees.request.json").exists()
    pane.edits.undo_stack.undo()
    assert _texts(pane.model)[1] == "  List employees"


def test_environment_values_come_with_secrets_from_the_keyring(pane: CollectionsPane) -> None:
    _select(pane, "List employees")
    request = pane.stores[0].collection.requests()[0].request
    assert pane.environment.combo.currentText() == NO_ENVIRONMENT
    with pytest.raises(UnresolvedVariables, match="account_id"):
        pane.environment.reader(request)  # nothing defines it: said at once
    assert pane.environment.set_active("staging")
    read, keyring = pane.environment.reader(request)
    assert not keyring  # the request uses no secret: the keyring is not asked
    assert read().values == {"account_id": "acct_bamboohr_demo"}

    with_token = request.copy(headers={"x-tenant-token": "{{token}}"})
    read, keyring = pane.environment.reader(with_token)
    assert keyring
    values = read()
    assert values.values == {"account_id": "acct_bamboohr_demo", "token": CANARY}
    assert values.secrets == [CANARY]


def test_environments_dialog_keeps_secret_values_out_of_files(
    qtbot: QtBot, pane: CollectionsPane, keyring: MemoryCredentials, collections_dir: Path
) -> None:
    store = pane.stores[0]
    dialog = EnvironmentsDialog(store, pane)
    qtbot.addWidget(dialog)
    assert dialog.current() == "staging"
    rows = {_cell(dialog.table, r, 0): r for r in range(dialog.table.rowCount())}
    assert _cell(dialog.table, rows["token"], 1) == ""  # a secret is never shown
    row = dialog.add_row("tenant_secret", CANARY + "-2", secret=True)
    assert row == 2
    dialog.add_row("region", "eu", secret=False)
    apply_environments(qtbot, dialog)
    env = store.collection.environments["staging"]
    assert env.variables == {"account_id": "acct_bamboohr_demo", "region": "eu"}
    assert sorted(env.secrets) == ["tenant_secret", "token"]
    assert keyring.get(store.secret_key("staging", "token")) == CANARY  # untouched
    assert keyring.get(store.secret_key("staging", "tenant_secret")) == CANARY + "-2"
    assert CANARY.encode() not in b"".join(_files(collections_dir).values())


def test_broken_files_are_listed_and_the_rest_is_shown(
    qtbot: QtBot, collections_dir: Path, keyring: MemoryCredentials
) -> None:
    _seed(collections_dir, keyring)
    broken = collections_dir / "smoke" / "Employees" / "get-employee.request.json"
    broken.write_text('{\n  "name": "Get employee",\n  oops\n}\n')
    widget = CollectionsPane(collections_dir, credentials=keyring, poll_ms=0)
    qtbot.addWidget(widget)
    widget.show()
    assert _texts(widget.model) == ["Smoke", "  List employees", "  Employees"]
    assert widget.problems_label.isVisible()
    assert f"{broken}, line 3, column 3" in widget.problems_label.text()


def test_changes_on_disk_are_picked_up(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path, keyring: MemoryCredentials
) -> None:
    assert not pane.check_disk()
    other = CollectionStore(collections_dir / "smoke", credentials=keyring)
    other.load()
    other.save_request(SavedRequest("From git", RpcRequest(action="a", account_id="b")))
    CollectionStore.create(collections_dir / "second", "Second")
    pane.poll_timer.setInterval(50)
    pane.poll_timer.start()
    qtbot.waitUntil(lambda: "  From git" in _texts(pane.model))
    assert "Second" in _texts(pane.model)


def test_open_folder_elsewhere_is_remembered(
    qtbot: QtBot, pane: CollectionsPane, tmp_path: Path, keyring: MemoryCredentials
) -> None:
    elsewhere = tmp_path / "repo" / "qa-collection"
    elsewhere.mkdir(parents=True)
    store = pane.library.open_folder(elsewhere)
    assert store is not None and store.collection.name == "qa-collection"
    settings = Settings(tmp_path / "home" / "config" / "settings.json")
    assert settings.get("collection_folders") == [str(elsewhere)]
    again = CollectionsPane(pane.collections_dir, credentials=keyring, settings=settings, poll_ms=0)
    qtbot.addWidget(again)
    assert "qa-collection" in _texts(again.model)


def test_postman_export_then_import_round_trips(
    qtbot: QtBot, pane: CollectionsPane, tmp_path: Path
) -> None:
    _select(pane, "List employees")
    pane.environment.set_active("staging")
    exported = tmp_path / "smoke.postman_collection.json"
    assert pane.transfer.export_postman(pane.stores[0], exported)
    data = json.loads(exported.read_text())
    assert data["info"]["schema"] == SCHEMA_URL
    assert CANARY not in exported.read_text()
    assert {v["key"]: v["value"] for v in data["variable"]}["token"] == ""

    data["item"].append({"name": "Docs page", "request": {"method": "GET", "url": "https://x"}})
    exported.write_text(json.dumps(data))
    store = pane.transfer.import_postman(exported)
    assert store is not None
    assert store.root.name == "smoke-2"
    assert [r.label for r in store.collection.requests()] == [
        "List employees",
        "Employees/Get employee",
    ]
    assert store.collection.environments["Postman"].variables["account_id"] == (
        "acct_bamboohr_demo"
    )
    assert "Not imported (1)" in pane.notice.text()
    assert "Docs page: GET https://x is not POST .../actions/rpc" in pane.notice.text()


def test_export_as_curl_uses_plain_variables_and_the_profile_url(
    pane: CollectionsPane, tmp_path: Path
) -> None:
    _select(pane, "Smoke")
    pane.environment.set_active("staging")
    pane.set_profile_base_url("http://127.0.0.1:8123")
    target = tmp_path / "smoke.sh"
    assert pane.transfer.export_curl(pane.transfer.selected_requests(), target)
    script = target.read_text()
    assert script.count("curl -X POST http://127.0.0.1:8123/actions/rpc") == 2
    assert "x-account-id: acct_bamboohr_demo" in script
    assert CANARY not in script


def test_save_dialog_requires_a_name(qtbot: QtBot, pane: CollectionsPane) -> None:
    dialog = SaveRequestDialog(pane.stores, name="")
    qtbot.addWidget(dialog)
    save = dialog.buttons.buttons()[0]
    assert not save.isEnabled()
    dialog.name_edit.setText("x")
    assert save.isEnabled()
    assert dialog.expected_status() is None
    dialog.status_spin.setValue(404)
    assert dialog.expected_status() == 404


def test_pasted_curl_becomes_a_saved_request_without_the_key(
    pane: CollectionsPane, collections_dir: Path
) -> None:
    _select(pane, "Employees")
    command = (
        "curl https://api.stackone.com/actions/rpc \\\n"
        f"  -u {CANARY}: \\\n"
        "  -H 'x-account-id: acct_bamboohr_demo' \\\n"
        '  --data-raw \'{"action":"bamboohr_get_employee","path":{"id":"40002"}}\''
    )
    saved = pane.transfer.import_curl(command, name="Second employee")
    assert saved is not None
    assert saved.folder == "Employees" and saved.path is not None
    assert _texts(pane.model)[-1] == "    Second employee"
    data = json.loads(saved.path.read_text())
    assert data["request"]["path"] == {"id": "40002"}
    assert "base_url" not in data["request"]
    assert "API key; it was not saved" in pane.notice.text()
    assert CANARY.encode() not in b"".join(_files(collections_dir).values())


def test_a_pasted_curl_is_not_overwritten_by_the_next_ctrl_s(
    pane: CollectionsPane, collections_dir: Path
) -> None:
    """Saving "New request from curl…" makes a request, but the editor still holds
    the request opened before: Ctrl+S saves that one, never over the pasted command."""
    store = next(s for s in pane.stores if s.collection.name == "Smoke")
    opened = next(r for r in store.collection.requests() if r.name == "List employees")
    pane.open(store, opened)
    pasted = pane.transfer.import_curl(
        "curl https://api.stackone.com/actions/rpc -H 'x-account-id: acct_greenhouse_demo' "
        '--data-raw \'{"action": "greenhouse_list_jobs"}\'',
        name="Jobs",
    )
    assert pasted is not None and pasted.path is not None and opened.path is not None
    before = pasted.path.read_text()

    edited = opened.request.copy(query={"page_size": 7})  # what the editor holds
    saved = pane.save_current(edited)

    assert saved is opened
    assert pasted.path.read_text() == before
    assert json.loads(opened.path.read_text())["request"]["query"] == {"page_size": 7}


def test_history_requests_can_be_saved_into_a_collection(
    pane: CollectionsPane, collections_dir: Path
) -> None:
    sent = [
        RpcRequest(action="hibob_search_employees", account_id="acct_hibob_demo",
                   base_url="http://127.0.0.1:1"),
        RpcRequest(action="hibob_search_employees", account_id="acct_hibob_demo"),
    ]  # fmt: skip
    saved = pane.transfer.save_requests(sent, store=pane.stores[0], folder="From history")
    assert [s.path.name if s.path else None for s in saved] == [
        "hibob-search-employees.request.json",
        "hibob-search-employees-2.request.json",
    ]
    assert _texts(pane.model)[-3:] == [
        "  From history",
        "    hibob_search_employees",
        "    hibob_search_employees",
    ]


def test_environments_can_be_added_and_renamed_from_the_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, pane: CollectionsPane, collections_dir: Path
) -> None:
    answers = iter([("  customer X prod ", True), ("customer-x", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    store = pane.stores[0]
    dialog = EnvironmentsDialog(store, pane)
    qtbot.addWidget(dialog)
    dialog.add_env.click()
    assert dialog.current() == "customer X prod"
    dialog.rename_env.click()
    assert sorted(store.collection.environments) == ["customer-x", "staging"]
    meta = json.loads((collections_dir / "smoke" / "collection.json").read_text())
    assert sorted(meta["environments"]) == ["customer-x", "staging"]


def test_moving_to_another_collection_keeps_unknown_request_keys(
    qtbot: QtBot, pane: CollectionsPane, collections_dir: Path, keyring: MemoryCredentials
) -> None:
    """A newer app's keys inside ``"request"`` survive a move, as they survive a save."""
    path = collections_dir / "smoke" / "list-employees.request.json"
    data = json.loads(path.read_text())
    data["request"]["future_field"] = {"kept": True}
    path.write_text(json.dumps(data))
    CollectionStore.create(collections_dir / "other", "Other", credentials=keyring)
    pane.reload()
    source = next(s for s in pane.stores if s.collection.name == "Smoke")
    other = next(s for s in pane.stores if s.collection.name == "Other")
    saved = next(r for r in source.collection.requests() if r.name == "List employees")
    assert saved.request_extra == {"future_field": {"kept": True}}

    assert pane.edits.move_request(Target("request", source, saved.folder, saved), other, "")
    moved = json.loads((collections_dir / "other" / "list-employees.request.json").read_text())
    assert moved["request"]["future_field"] == {"kept": True}
    assert not path.exists()


def test_building_the_window_leaves_dialogs_postman_and_runs_for_first_use() -> None:
    """The pane is built before the window's first paint; its dialogs, Postman conversion
    and the run dialog cost start-up time and are needed only when the user asks."""
    lazy = ("explorer.ui.collections.dialogs", "explorer.core.postman", "explorer.ui.run.dialog")
    # A module renamed away would never be "in sys.modules": each must exist to be left out.
    assert all(importlib.util.find_spec(name) is not None for name in lazy)
    code = (
        "import sys, explorer.ui.mainwindow.window\n"
        f"print(sorted(m for m in {lazy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
