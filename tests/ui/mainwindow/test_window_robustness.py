"""The window against hostile servers, files and pastes (issue 9; issue 11 item 7).

Real widgets driven with keys and clicks, real loopback servers: a damaged settings file
still opens the window; a cancel while connecting leaves "in flight" at once; a body over
the limit is viewed from disk, saved whole and said to be over the limit; gzip shows wire
and decoded sizes; a bomb is a typed error on screen; a curl body file is read off the UI
thread; a home that cannot be written starts read-only if the user agrees.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from explorer.core.limits import MB
from explorer.core.request import RpcRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.app import ask_read_only
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.preferences.values import Preferences
from tests.fault_server import HostileServer
from tests.strategies import deep
from tests.ui.production import answer_if_asked

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def send(qtbot: QtBot, window: MainWindow, action: str, **query: object) -> None:
    window.editor.load_request(
        RpcRequest(action=action, account_id="acct", query=dict(query) or None)
    )
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(
            window.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        # A server with no account list: the production guard asks once (fail closed).
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)
    window.history_pane.flush()


HOSTILE_SETTINGS = {
    "theme": [],
    "history_limit": 10**400,
    "default_timeout": 10**400,
    "body_limit": -1,
    "history_budget": "lots",
    "splitters": {"outer": [10**12, 2], "inner": "x", "below": []},
    "window_geometry": "!!not base64!!",
    "window_state": 5,
    "last_request": {"action": "a", "timeout": 1e308, "body": {"x": "\ud800"}},
    "last_request_drafts": {"body": 7, "query": "{"},
    "auto_retry": "yes",
    "active_environment": ["x"],
    "last_profile": {"name": "Demo"},
    "collection_folders": ["\x00", 5, "/nonexistent"],
    "open_tabs": {
        "tabs": [
            5,
            {"request": {"action": 7}},
            {"request": {"action": "a"}, "drafts": {"body": 3}, "saved": "/none.json"},
        ]
        * 40,
        "current": 10**9,
    },
    "open_in_new_tab": "no",
}


@pytest.mark.parametrize(
    "content",
    [
        json.dumps(HOSTILE_SETTINGS, ensure_ascii=True),
        deep(100_000),
        '{"theme": []}',
        "\x00\xff garbage",
    ],
)
def test_any_settings_file_opens_the_window(
    qtbot: QtBot, home: AppPaths, make_window: WindowFactory, content: str
) -> None:
    home.settings_file.write_text(content)
    window = make_window()
    assert window.isVisible()
    prefs = window.preferences()
    assert prefs.theme == "system" and 1 * MB <= prefs.body_limit <= 1024 * MB
    assert 0 < window.editor.draft_request().timeout <= 600
    assert 1 <= len(window.tabs.tabs) <= 50  # the usable tabs of a damaged session, at most
    window.save_state()  # and it can be written back over, the damaged file kept aside
    json.loads(home.settings_file.read_text())


@pytest.fixture
def late_acceptor() -> Iterator[str]:
    """A loopback listener whose full accept queue leaves new connections hanging."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=2)
    host, port = listener.getsockname()
    yield f"http://{host}:{port}"
    filler.close()
    listener.close()


def test_esc_while_connecting_ends_the_request_at_once(
    qtbot: QtBot, make_window: WindowFactory, late_acceptor: str
) -> None:
    window = make_window(base_url=late_acceptor)
    window.editor.load_request(
        RpcRequest(action="hris_list", account_id="acct", base_url=late_acceptor, timeout=60)
    )
    window.send_control.send()
    answer_if_asked(qtbot, window, sent=window.response_view.is_in_flight)
    qtbot.waitUntil(lambda: window.response_view.is_in_flight(), timeout=WAIT_MS)
    qtbot.wait(300)  # connecting, in vain
    assert window.send_control.in_flight
    started = time.monotonic()
    with qtbot.waitSignal(window.send_control.finished, timeout=5_000) as blocker:
        qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Escape)
    assert time.monotonic() - started < 1.0
    assert blocker.args[0].failure.kind == "Cancelled"
    assert not window.response_view.is_in_flight()
    assert window.send_control.send_action.isEnabled()


def test_a_body_over_the_limit_is_viewed_from_disk_and_saved_whole(
    qtbot: QtBot,
    make_window: WindowFactory,
    hostile: HostileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(base_url=hostile.url)
    prefs = window.preferences()
    prefs.body_limit = 1 * MB
    window.apply_preferences(prefs)
    send(qtbot, window, "big", mb=3, gzip=True)
    view = window.response_view
    response = view.exchange.response  # type: ignore[union-attr]
    assert response is not None and response.over_limit
    assert "over the 1.0 MB body size limit" in view.body.pretty_text()
    assert "on the wire, gzip" in view.size_label.text()
    view.tabs.setCurrentIndex(1)  # Raw: read from disk as rows are painted
    qtbot.waitUntil(
        lambda: view.body.raw_stack.currentWidget() is view.body.raw_lines, timeout=WAIT_MS
    )
    assert view.body.raw_lines.model().rowCount() > 1
    assert '"data":[{"id":"emp_0000000"' in view.body.raw_lines.model().lines.row(0)

    messages: list[str] = []
    view.message.connect(messages.append)
    qtbot.keyClick(view.body.raw_lines, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert any("Find is off for this body" in m for m in messages)
    assert view.find_bar.isHidden()

    target = tmp_path / "saved.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(view.save_body_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.is_saving(), timeout=WAIT_MS)
    assert target.stat().st_size == response.size > 2 * MB
    assert json.loads(target.read_bytes())["data"][0]["id"] == "emp_0000000"

    # The history keeps it like any entry, and shows it from disk when reopened.
    entry = window.history.entries()[0]
    assert entry.size == response.size
    again = window.history.load(entry.id).response
    assert again is not None and again.over_limit


def test_gzip_shows_wire_and_decoded_sizes_and_a_bomb_is_explained(
    qtbot: QtBot, make_window: WindowFactory, hostile: HostileServer
) -> None:
    window = make_window(base_url=hostile.url)
    send(qtbot, window, "gzipped")
    view = window.response_view
    assert view.status_label.text().startswith("200")
    assert "on the wire, gzip" in view.size_label.text()
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=WAIT_MS)
    assert "emp_0000000" in view.body.pretty_text()

    send(qtbot, window, "bomb")
    assert view.status_label.text().startswith("No response")
    assert view.error_panel.title_label.text() == "Response too large"
    assert "decompression bomb" in view.error_panel.message_label.text()


def test_json_nested_100000_deep_is_shown_as_text(
    qtbot: QtBot, make_window: WindowFactory, hostile: HostileServer
) -> None:
    window = make_window(base_url=hostile.url)
    send(qtbot, window, "deep")
    view = window.response_view
    assert view.status_label.text().startswith("200")
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=WAIT_MS)
    assert view.body.raw_text().startswith("[[[[")


def test_a_curl_body_file_is_read_off_the_ui_thread(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    body = tmp_path / "body.json"
    body.write_text('{"action": "from_a_file", "query": {"page_size": 5}}')
    command = f"curl https://api.stackone.com/actions/rpc -H 'x-account-id: a' -d @{body}"
    assert window.curl_importer.import_text(command)
    qtbot.waitUntil(lambda: window.editor.action_edit.text() == "from_a_file", timeout=WAIT_MS)

    assert window.curl_importer.import_text(
        "curl https://api.stackone.com/actions/rpc -d @/dev/zero"
    )  # started; the answer is a message, not a frozen window
    qtbot.waitUntil(lambda: "not a regular file" in window.banner.text(), timeout=WAIT_MS)


def test_a_home_that_cannot_be_written_starts_read_only_if_the_user_agrees(
    qtbot: QtBot, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    paths = AppPaths(blocker / "home")
    problem = paths.write_problem()
    assert problem is not None and str(blocker) in problem

    seen: list[str] = []

    def answer(button: str) -> Callable[[], None]:
        """Click ``button`` once the question is on screen (looked for every 50 ms)."""

        def click() -> None:
            boxes = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
            ]
            if not boxes:
                QTimer.singleShot(50, click)
                return
            seen.append(boxes[0].informativeText())
            target = next(b for b in boxes[0].findChildren(QPushButton) if b.text() == button)
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

        return click

    QTimer.singleShot(0, answer("Quit"))
    assert ask_read_only(problem) is False
    QTimer.singleShot(0, answer("Start read-only"))
    assert ask_read_only(problem) is True
    assert all(str(blocker) in text for text in seen) and len(seen) == 2


def test_a_read_only_session_sends_but_keeps_nothing(
    qtbot: QtBot, tmp_path: Path, hostile: HostileServer
) -> None:
    home = AppPaths(tmp_path / "home").ensure()
    profiles = ProfileStore(home.profiles_file)
    profiles.upsert(Profile("Demo", base_url=hostile.url, account_id="acct"))
    profiles.save()
    history = HistoryStore(home.history_dir, read_only=True)
    session = MemoryCredentials()
    session.set("Demo", "key")
    window = MainWindow(
        settings=Settings(home.settings_file, read_only=True),
        profiles=profiles,
        credentials=MemoryCredentials(),
        session_keys=session,
        history=history,
        collections_dir=home.collections_dir,
        startup_problems=["Read-only session: nothing is saved."],
    )
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    assert "Read-only session" in window.banner.text()
    send(qtbot, window, "big", mb=0.1)
    assert window.response_view.status_label.text().startswith("200")
    assert list(home.history_dir.iterdir()) == []
    window.save_state()
    assert not home.settings_file.exists()
    window.send_control.shutdown()
    window.close()


def test_preferences_set_one_body_limit_for_every_feature(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    prefs = Preferences.from_settings(window.settings)
    prefs.body_limit = 7 * MB
    prefs.history_budget = 300 * MB
    window.apply_preferences(prefs)
    window.history_pane.flush()  # trimming to the budget runs on the history's thread
    assert window.client.body_limit == 7 * MB
    assert window.history.body_limit == 7 * MB and window.history.budget == 300 * MB
    assert Settings(window.settings.path).get("body_limit") == 7 * MB


def test_smoke_on_a_home_that_cannot_be_written_starts_read_only(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "--smoke", "--home", str(blocker / "home")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"cannot write the data folder ({blocker}" in done.stderr
    assert "read-only session" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_window_opens_when_every_store_file_is_damaged(
    qtbot: QtBot, home: AppPaths, make_window: WindowFactory
) -> None:
    """Settings, profiles, a collection and the history all damaged at once: it still opens,
    says what it skipped, and loads what it can."""
    make_window().close()  # a first window writes the profile the factory needs
    home.settings_file.write_text('{"theme": [], "history_limit": ' + "9" * 400 + "}")
    profiles = json.loads(home.profiles_file.read_text())
    profiles["profiles"].append({"name": ["not", "a", "name"]})
    home.profiles_file.write_text(json.dumps(profiles))
    collection = home.collections_dir / "broken"
    collection.mkdir(parents=True)
    (collection / "collection.json").write_text('{"folders": true, "order": 5}')
    (collection / "deep.request.json").write_text(deep(100_000))
    (collection / "huge.request.json").write_text(
        '{"request": {"action": "a", "timeout": ' + "9" * 400 + "}}"
    )
    (collection / "fine.request.json").write_text('{"name": "Fine", "request": {"action": "a"}}')
    home.history_dir.mkdir(parents=True, exist_ok=True)
    (home.history_dir / "index.jsonl").write_bytes(
        deep(100_000).encode() + b"\n" + b'{"id": "x", "started_at": "t", "total_ms": 1e999}\n'
    )
    window = make_window()
    assert window.isVisible()
    assert "profiles" in window.banner.text().lower() or window.profiles.load_error
    pane = window.collections_pane
    assert pane is not None
    names = [r.name for store in pane.stores for r in store.collection.requests()]
    assert names == ["Fine"]
    assert window.history.entries() == []


def test_a_collection_curl_import_reads_its_body_file_off_the_ui_thread(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    store = pane.library.new_collection("Imported")
    assert store is not None
    body = tmp_path / "body.json"
    body.write_text('{"action": "from_a_body_file"}')
    command = f"curl https://api.stackone.com/actions/rpc -H 'x-account-id: a' -d @{body}"
    assert pane.transfer.import_curl(command) is None  # started on the pool
    qtbot.waitUntil(
        lambda: [r.request.action for r in store.collection.requests()] == ["from_a_body_file"],
        timeout=WAIT_MS,
    )
