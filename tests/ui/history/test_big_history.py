"""A 10 MB response: shown, and written into the history off the UI thread, in order.

No demo action answers 10 MB, so a tiny loopback server in this module does (StackOne's
envelope is not needed: the window shows any JSON a server returns).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.store.history import BODY_INLINE_LIMIT, HistoryEntry, HistoryStore
from explorer.store.paths import AppPaths
from explorer.ui.history.export import HAR_FILTER
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.production import answer

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 30_000
ROW = {"id": "0", "first_name": "Ada", "last_name": "Lovelace", "note": "x" * 200}
BIG_BODY = json.dumps(
    {"data": [{**ROW, "id": str(n)} for n in range(10 * 1024 * 1024 // 260)]}
).encode()


class _BigHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(BIG_BODY)))
        self.send_header("x-request-id", "req_big_body")
        self.end_headers()
        self.wfile.write(BIG_BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def big_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BigHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


class ThreadRecordingHistory(HistoryStore):
    """The real store; it also notes which thread each ``add`` ran on."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.add_threads: list[int] = []
        self.load_threads: list[int] = []
        self.change_threads: list[int] = []  # deletions, clearing, trimming
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.change_threads.clear()  # opening trims on the caller's thread, before the window

    def add(self, exchange: Exchange) -> HistoryEntry:
        self.add_threads.append(threading.get_ident())
        return super().add(exchange)

    def load(self, entry_id: str) -> Exchange:
        self.load_threads.append(threading.get_ident())
        return super().load(entry_id)

    def delete(self, entry_ids: Iterable[str]) -> None:
        self.change_threads.append(threading.get_ident())
        super().delete(entry_ids)

    def clear(self) -> None:
        self.change_threads.append(threading.get_ident())
        super().clear()

    def _trim(self) -> None:
        self.change_threads.append(threading.get_ident())
        super()._trim()


def test_a_10_mb_response_is_shown_and_kept_without_blocking_the_ui_thread(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, big_server: str
) -> None:
    assert len(BIG_BODY) > 10_000_000
    history = ThreadRecordingHistory(home.history_dir)
    window = make_window(base_url=big_server, history=history)
    window.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    window.editor.set_base_url(big_server)

    with qtbot.waitSignal(window.history_pane.added, timeout=WAIT_MS) as added:
        assert window.send_control.send()
        # This server lists no accounts: the production guard asks about an unknown one.
        answer(qtbot, window, yes=True)
    entry = added.args[0]
    assert isinstance(entry, HistoryEntry)

    # The write ran on the history writer's thread, never the UI thread.
    assert history.add_threads and threading.main_thread().ident not in history.add_threads
    view = window.response_view
    assert view.status_label.text().startswith("200")
    assert "req_big_body" in view.request_id_label.text()
    # The row is on top, selected, and the body is on disk beside the entry.
    assert window.history_pane.current_entry() == entry.row()
    assert entry.size == len(BIG_BODY) > BODY_INLINE_LIMIT
    assert (home.history_dir / f"{entry.id}.body").stat().st_size == len(BIG_BODY)

    window.close()
    reopened = HistoryStore(home.history_dir)
    assert [e.id for e in reopened.entries()] == [entry.id]
    body = reopened.load(entry.id).response.body  # type: ignore[union-attr]
    assert body == BIG_BODY


def test_writes_keep_the_order_the_exchanges_finished_in(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    big = Exchange(
        request=RpcRequest(action="big_first"),
        response=read_response(200, [], BIG_BODY, timing=Timing(total_ms=1.0, ttfb_ms=1.0)),
    )
    small = Exchange(request=RpcRequest(action="small_second"))
    seen: list[str] = []
    window.history_pane.added.connect(lambda e: seen.append(e.action))
    window.history_pane.add(big)
    window.history_pane.add(small)
    # add() returned at once; the rows arrive when the UI thread gets the writer's reports.
    assert window.history_pane.writer.pending == 2
    window.history_pane.flush()
    assert seen == ["big_first", "small_second"]
    assert [e.action for e in HistoryStore(home.history_dir).entries()] == [
        "small_second",
        "big_first",
    ]


def test_saving_a_big_history_as_har_happens_off_the_ui_thread(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: WindowFactory,
    home: AppPaths,
    tmp_path: Path,
) -> None:
    history = ThreadRecordingHistory(home.history_dir)
    window = make_window(history=history)
    pane = window.history_pane
    pane.add(
        Exchange(
            request=RpcRequest(action="big_one"),
            response=read_response(
                200,
                [("content-type", "application/json")],
                BIG_BODY,
                timing=Timing(total_ms=1.0, ttfb_ms=1.0),
            ),
        )
    )
    pane.flush()
    target = tmp_path / "big.har"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), HAR_FILTER))
    history.load_threads.clear()
    with qtbot.waitSignal(
        pane.message, timeout=WAIT_MS, check_params_cb=lambda text: text.startswith("Saved")
    ):
        pane.save_action.trigger()
        # Until the file is written, a second export cannot start.
        assert not pane.save_action.isEnabled()
    assert pane.save_action.isEnabled()
    assert history.load_threads
    assert threading.main_thread().ident not in history.load_threads
    entries = json.loads(target.read_text(encoding="utf-8"))["log"]["entries"]
    assert [e["response"]["content"]["size"] for e in entries] == [len(BIG_BODY)]


def test_deleting_clearing_and_trimming_run_off_the_ui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, make_window: WindowFactory, home: AppPaths
) -> None:
    """With 100,000 entries each is seconds of disk work: the list changes at once, the store
    on the history's thread."""
    history = ThreadRecordingHistory(home.history_dir)
    window = make_window(history=history)
    pane = window.history_pane
    for n in range(6):
        pane.add(Exchange(request=RpcRequest(action=f"action_{n}")))
    pane.flush()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    assert pane.select_entry(pane.shown_entries()[0].id)  # the newest, whatever keys are down
    pane.delete_action.trigger()
    assert pane.shown_entries()[0].action == "action_4"  # gone from the list at once
    pane.set_limit(3)
    pane.flush()
    assert [e.action for e in pane.shown_entries()] == ["action_4", "action_3", "action_2"]
    pane.clear_action.trigger()
    assert pane.shown_entries() == []
    pane.flush()
    assert history.entries() == []
    assert len(history.change_threads) >= 3
    assert threading.main_thread().ident not in history.change_threads
