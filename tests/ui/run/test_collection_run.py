"""Running a collection from the window: live results, expectations judged, cancel, history.

Against the real demo server; the window's results are compared with the command-line
runner's on the same collection, which is what "same results" means to a colleague.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.run import cli
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.run.dialog import (
    CANCELLED,
    NOT_RUN,
    RUNNING,
    RunColumn,
    RunDialog,
    RunResultsModel,
)
from tests.smoke_collection import create_smoke_collection
from tests.ui.driving import select_collection, send_and_wait
from tests.ui.production import answer

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
# A test account: the production guard lets "generate" (a writing verb) go there unasked.
SANDBOX = "acct_bamboohr_sandbox"
SECRET = "canary-run-secret-4711"
WindowFactory = Callable[..., MainWindow]


def smoke_collection(home: AppPaths, credentials: MemoryCredentials) -> CollectionStore:
    """Four requests: three meet their expectation, one (an unknown employee) does not."""
    store = create_smoke_collection(
        home.collections_dir / "smoke",
        credentials=credentials,
        list_headers={"x-provider-token": "{{token}}"},
    )
    store.set_variable("demo", "token", SECRET, secret=True)
    store.save_request(
        SavedRequest(
            "Missing employee",
            RpcRequest(action="bamboohr_get_employee", path={"id": "99999"}),
            folder="Employees",
            expected_status=200,
        )
    )
    return store


def cell(dialog: RunDialog, row: int, column: RunColumn) -> str:
    return str(dialog.model.data(dialog.model.index(row, column)))


def column(dialog: RunDialog, which: RunColumn) -> list[str]:
    return [cell(dialog, row, which) for row in range(dialog.model.rowCount())]


def select_folder(window: MainWindow, collection: str, folder: str) -> None:
    pane = window.collections_pane
    assert pane is not None
    select_collection(window, collection)
    top = pane.view.currentIndex()
    for row in range(pane.model.rowCount(top)):
        child = pane.model.index(row, 0, top)
        if child.data(Qt.ItemDataRole.DisplayRole) == folder:
            pane.view.setCurrentIndex(child)
            return
    raise AssertionError(f"no folder {folder!r}")


def run_from_menu(
    qtbot: QtBot, window: MainWindow, action_name: str, *, production: bool = False
) -> RunDialog:
    """Start a run from the pane's menu; ``production``: it writes to a production account,
    so answer the production guard's one question for the run with "Run on production"."""
    pane = window.collections_pane
    assert pane is not None
    # With the account list known, the guard decides at once (no wait for the list).
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    before = window.run_control.dialog
    action = getattr(pane, action_name)
    assert action.isEnabled()
    action.trigger()
    if production:
        answer(qtbot, window, yes=True)
    dialog = window.run_control.dialog
    assert dialog is not before
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_running_the_collection_shows_statuses_and_judges_expectations(
    qtbot: QtBot,
    make_window: WindowFactory,
    home: AppPaths,
    demo: DemoServer,
    tmp_path: Path,
    credentials: MemoryCredentials,
) -> None:
    store = smoke_collection(home, credentials)
    window = make_window()
    select_collection(window, "Smoke")
    pane = window.collections_pane
    assert pane is not None and pane.environment.set_active("demo")
    # The ⋯ menu offers the run, like the context menu.
    menu = pane.menu_button.menu()
    assert pane.run_collection_action in menu.actions()

    # "Reject bad candidate" writes to the demo's production Greenhouse account.
    dialog = run_from_menu(qtbot, window, "run_collection_action", production=True)
    if dialog.running:  # answering the question let the event loop run: it may be done
        assert dialog.cancel_button.isVisible() and not dialog.close_button.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    window.history_pane.flush()

    # In collection order, as the command line runs them.
    assert column(dialog, RunColumn.NAME) == [r.label for r in store.collection.requests()]
    by_name = {cell(dialog, row, RunColumn.NAME): row for row in range(dialog.model.rowCount())}
    missing = by_name["Employees/Missing employee"]
    assert cell(dialog, missing, RunColumn.STATUS) == "404"
    assert cell(dialog, missing, RunColumn.RESULT) == "FAILED: expected 200"
    assert cell(dialog, by_name["Employees/Get employee"], RunColumn.STATUS) == "200"
    assert cell(dialog, by_name["Candidates/Reject bad candidate"], RunColumn.STATUS) == "422"
    assert cell(dialog, by_name["Candidates/Reject bad candidate"], RunColumn.RESULT).startswith(
        "passed"
    )
    assert all(cell(dialog, row, RunColumn.REQUEST_ID) for row in range(4))
    assert dialog.summary_label.text().startswith("3 passed, 1 failed, 0 errors")
    assert dialog.header_label.text().startswith("Ran 4 request(s) of <b>Smoke</b>")
    assert dialog.close_button.isVisible() and not dialog.cancel_button.isVisible()
    assert "3 passed, 1 failed" in window.statusBar().currentMessage()

    # Every exchange went into the history, the secret variable scrubbed from every file.
    actions = sorted(e.action for e in window.history.entries())
    assert actions == sorted(r.request.action for r in store.collection.requests())
    for path in home.home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path

    # The command-line runner gives the same results on the same collection.
    report = tmp_path / "report.json"
    code = cli.main(
        [
            str(store.root),
            *("--env", "demo", "--profile", "Demo", "--home", str(home.home)),
            *("--json", str(report)),
            "--allow-production-writes",  # as "yes" in the window: it writes to production
        ],
        environ={"STACKONE_API_KEY": demo.api_key},
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        credentials=credentials,
    )
    assert code == cli.EXIT_FAILED
    results = json.loads(report.read_text())["results"]
    from_cli = [(r["name"], r["outcome"], r["status"]) for r in results]
    ui = [(r.name, r.outcome, r.status) for r in dialog.results]
    assert ui == from_cli


def test_running_a_folder_runs_only_its_requests(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    smoke_collection(home, credentials)
    window = make_window()
    select_folder(window, "Smoke", "Employees")
    dialog = run_from_menu(qtbot, window, "run_folder_action")
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS):
        pass
    assert column(dialog, RunColumn.NAME) == [
        "Employees/Get employee",
        "Employees/Missing employee",
    ]
    # Without the environment, {{employee}} is unresolved: an error, not a send.
    assert cell(dialog, 0, RunColumn.RESULT).startswith("error:")
    assert "employee" in cell(dialog, 0, RunColumn.RESULT)
    assert cell(dialog, 1, RunColumn.RESULT) == "FAILED: expected 200"
    assert dialog.summary_label.text().startswith("0 passed, 1 failed, 1 errors")


def test_cancel_stops_the_request_in_flight_and_runs_no_more(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "slow", "Slow")
    store.save_request(SavedRequest("First", RpcRequest(action="bamboohr_list_employees")))
    store.save_request(
        SavedRequest("Report", RpcRequest(action="bamboohr_generate_report", account_id=SANDBOX))
    )
    store.save_request(SavedRequest("Never", RpcRequest(action="bamboohr_list_employees")))
    window = make_window()
    select_collection(window, "Slow")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    # The slow report (30 s in the test demo) is running: the table says so, live.
    qtbot.waitUntil(lambda: cell(dialog, 1, RunColumn.RESULT) == RUNNING, timeout=WAIT_MS)
    assert cell(dialog, 0, RunColumn.STATUS) == "200"
    assert dialog.progress_bar.value() == 1

    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert cell(dialog, 1, RunColumn.STATUS) == "no response"
    assert cell(dialog, 1, RunColumn.RESULT) == CANCELLED
    assert cell(dialog, 2, RunColumn.RESULT) == NOT_RUN
    assert dialog.summary_label.text().startswith("Cancelled, 1 not run.")
    assert dialog.header_label.text().startswith("Cancelled the run of 3 request(s)")
    window.history_pane.flush()
    assert [e.failure for e in window.history.entries()] == ["Cancelled", None]

    # A new run can start once this one has ended.
    again = run_from_menu(qtbot, window, "run_collection_action")
    assert again is not dialog
    again.cancel()
    with qtbot.waitSignal(again.run_finished, timeout=WAIT_MS):
        pass


def test_run_keeps_the_users_history_selection(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "two", "Two")
    store.save_request(SavedRequest("One", RpcRequest(action="bamboohr_list_employees")))
    store.save_request(SavedRequest("Two", RpcRequest(action="bamboohr_list_employees")))
    window = make_window()
    window.editor.load_request(
        RpcRequest(
            action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40002"}
        )
    )
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]
    send_and_wait(qtbot, window)
    chosen = window.history_pane.current_entry()
    assert chosen is not None and chosen.action == "bamboohr_get_employee"

    select_collection(window, "Two")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS):
        pass
    window.history_pane.flush()
    assert len(window.history.entries()) == 3
    current = window.history_pane.current_entry()
    assert current is not None and current.id == chosen.id
    assert [e.id for e in window.history_pane.selected_entries()] == [chosen.id]
    assert window.response_view.exchange is not None
    assert window.response_view.exchange.request.action == "bamboohr_get_employee"


def test_run_needs_a_key(qtbot: QtBot, make_window: WindowFactory, home: AppPaths) -> None:
    store = CollectionStore.create(home.collections_dir / "one", "One")
    store.save_request(SavedRequest("One", RpcRequest(action="bamboohr_list_employees")))
    window = make_window(key="")
    select_collection(window, "One")
    pane = window.collections_pane
    assert pane is not None
    with qtbot.assertNotEmitted(window.send_control.started):
        pane.run_collection_action.trigger()
        # The key is read off the UI thread; the banner says what came back.
        qtbot.waitUntil(lambda: "no API key" in window.banner.text())
    assert window.run_control.dialog is None


def test_the_results_model_passes_qt_checks(qtmodeltester: ModelTester) -> None:
    model = RunResultsModel()
    model.set_requests(
        [SavedRequest("A", RpcRequest(action="a")), SavedRequest("B", RpcRequest(action="b"))]
    )
    qtmodeltester.check(model)
    assert model.index(0, 0, QModelIndex()).data() == "A"


def test_escape_cancels_first_and_closes_second(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "esc", "Esc")
    store.save_request(
        SavedRequest("Report", RpcRequest(action="bamboohr_generate_report", account_id=SANDBOX))
    )
    window = make_window()
    select_collection(window, "Esc")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    qtbot.waitUntil(lambda: cell(dialog, 0, RunColumn.RESULT) == RUNNING, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # the first Esc only stopped the run
    assert cell(dialog, 0, RunColumn.RESULT) == CANCELLED
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
