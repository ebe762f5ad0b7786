"""A 10 MB JSON response through the real window: time to see it, and the longest UI stall.

A stdlib HTTP server on a loopback port (in this process, on its own thread) answers
``POST /actions/rpc`` with ~10 MB of employee records, compact as real APIs send them. The
real ``MainWindow`` (stores in a temporary home, the key in ``MemoryCredentials``, as the UI
tests build it) sends through its real path: ``send()`` -> worker thread -> ``_on_finished``
-> response view + history. A 5 ms heartbeat on the UI thread measures every stall.

Phases, each measured on a fresh window per run:

* ``send -> Pretty visible``: from ``send()`` to the first paint of the Pretty tab showing
  the formatted body; stalls counted until 500 ms after that (things settled).
* ``scroll Pretty to end``, ``switch to Raw``, ``find (last record)``, ``find (no match)``:
  one user action each, measured until its paint plus a short settle.
* ``reopen from history``: selecting the entry in the history list (read back from disk).

``--profile`` instead runs one send under pyinstrument (UI thread only) and prints where the
UI thread spent its time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractScrollArea, QPlainTextEdit, QStackedWidget, QTextEdit

from benchmarks.measure import (
    STALL_TARGET_MS,
    BenchHandler,
    Heartbeat,
    LoopbackServer,
    Metric,
    PaintStamps,
    Timing,
    application,
    now_ms,
    profile_second_run,
    record,
    run_loop_until,
    settle,
    table,
    time_action,
)

if TYPE_CHECKING:
    from explorer.core.request import RpcRequest
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.response.lines_view import LinesView

TARGET_BYTES = 10 * 1024 * 1024
NEEDLE = "Needle Lastperson"  # only in the last record: the worst case for Find
PROFILE = "Bench"
ACTION = "bamboohr_list_employees"


def build_payload(size: int = TARGET_BYTES) -> bytes:
    """About ``size`` bytes of a StackOne-style list response (``{"data": [...]}``)."""
    departments = ["Engineering", "Sales", "Support", "Finance", "People", "Légal"]
    records: list[dict[str, object]] = []
    total = 20
    number = 0
    while total < size:
        record: dict[str, object] = {
            "id": f"emp_{number:07d}",
            "remote_id": str(100000 + number),
            "first_name": f"First{number}",
            "last_name": f"Last{number}",
            "display_name": f"First{number} Last{number}",
            "work_email": f"first{number}.last{number}@example.com",
            "job_title": "Senior Software Engineer" if number % 3 else "Account Executive",
            "department": departments[number % len(departments)],
            "employment_status": {"value": "active", "source_value": "Active"},
            "start_date": f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10}T00:00:00Z",
            "salary": {"amount": 50000 + number % 70000, "currency": "EUR", "period": "year"},
            "manager": {"id": f"emp_{number // 10:07d}", "name": f"Manager {number // 10}"},
            "work_location": {"name": "HQ", "city": "Berlin", "country": "DE"},
            "custom_fields": [
                {"name": "shirt_size", "value": "M"},
                {"name": "team", "value": f"team-{number % 40}"},
            ],
            "tags": ["full-time", "remote" if number % 2 else "office"],
        }
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        records.append(record)
        total += len(text.encode()) + 1
        number += 1
    records[-1]["display_name"] = NEEDLE
    document = {"data": records, "next": None}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class PayloadServer(LoopbackServer):
    """``POST /actions/rpc`` -> the payload, on a free loopback port (stdlib only).

    ``GET /accounts`` lists the one account sent to, as a test account: the production guard
    then lets the send go without a question, as it would at StackOne.
    """

    def __init__(self, payload: bytes) -> None:
        body = payload

        class Handler(BenchHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.send_header("x-request-id", "req_bench")
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)


def build_window(
    home: Path,
    base_url: str,
    *,
    key: str = "bench-key",
    account: str = "acct_bench",
    request: RpcRequest | None = None,
) -> MainWindow:
    """A real ``MainWindow`` over ``home``, as ``tests/ui/conftest.py`` builds one: a profile
    for ``base_url`` with ``key`` kept for this run, ``request`` (by default a 10,000-record
    list) in the editor."""
    from explorer.core.request import RpcRequest
    from explorer.store.credentials import MemoryCredentials
    from explorer.store.history import HistoryStore
    from explorer.store.paths import AppPaths
    from explorer.store.profiles import Profile, ProfileStore
    from explorer.store.settings import Settings
    from explorer.ui.mainwindow.window import MainWindow

    paths = AppPaths(home).ensure()
    profiles = ProfileStore(paths.profiles_file)
    profiles.upsert(Profile(PROFILE, base_url=base_url, account_id=account))
    profiles.save()
    session = MemoryCredentials()
    session.set(PROFILE, key)
    window = MainWindow(
        settings=Settings(paths.settings_file),
        profiles=profiles,
        credentials=MemoryCredentials(),
        session_keys=session,
        history=HistoryStore(paths.history_dir),
        collections_dir=paths.collections_dir,
    )
    window.profile_selector.select(PROFILE)
    if request is None:
        request = RpcRequest(action=ACTION, account_id=account, query={"page_size": 10000})
    window.editor.load_request(request)
    window.editor.set_base_url(base_url)
    return window


def _showing_big(
    widget: QPlainTextEdit | QTextEdit | LinesView, stack: QStackedWidget
) -> Callable[[], bool]:
    """At paint time: is ``widget`` the visible page and does it hold the formatted body?"""
    from explorer.ui.response.lines_view import LinesView

    if isinstance(widget, LinesView):
        return lambda: stack.currentWidget() is widget and len(widget.text()) > 100_000
    return lambda: stack.currentWidget() is widget and widget.document().characterCount() > 100_000


def one_run(base_url: str, home: Path, metrics: dict[str, Metric], stalls: list[str]) -> None:
    app = application()
    heartbeat = Heartbeat()
    window = build_window(home, base_url)
    view = window.response_view
    pretty_plain = PaintStamps(
        view.body.pretty_plain.viewport(),
        _showing_big(view.body.pretty_plain, view.body.pretty_stack),
    )
    pretty_rich = PaintStamps(
        view.body.pretty_rich.viewport(),
        _showing_big(view.body.pretty_rich, view.body.pretty_stack),
    )
    pretty_lines = PaintStamps(
        view.body.pretty_lines.viewport(),
        _showing_big(view.body.pretty_lines, view.body.pretty_stack),
    )
    pretty_all = (pretty_plain, pretty_rich, pretty_lines)
    raw = PaintStamps(view.body.raw_lines.viewport())  # a big body's Raw is a LinesView
    window.show()
    heartbeat.start()
    handle = window.windowHandle()
    run_loop_until(heartbeat, lambda: handle is not None and handle.isExposed())
    # The account list first, so the send is timed without the guard waiting for it.
    run_loop_until(heartbeat, lambda: window.discovery.accounts() is not None)
    settle(heartbeat, 200)

    # -- send until the Pretty tab shows the formatted body ----------------------------------
    arrived: list[float] = []
    window.send_control.finished.connect(lambda _exchange: arrived.append(now_ms()))
    send_at = now_ms()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window.send_control.send)

    def visible() -> float | None:
        stamps = [s.first_showing for s in pretty_all if s.first_showing]
        return min(stamps) if stamps else None

    if not run_loop_until(
        heartbeat, lambda: visible() is not None and not view.body.is_rendering()
    ):
        raise RuntimeError("the response never showed")
    shown = visible()
    assert shown is not None
    settle(heartbeat, 500)
    metrics["visible"].add(shown - send_at)
    metrics["arrived"].add(arrived[0] - send_at)
    metrics["send_stall"].add(heartbeat.longest(send_at, now_ms()))
    over = [
        f"{length:.0f} ms ending at {when - send_at:.0f} ms"
        for when, length in heartbeat.gaps(send_at, now_ms())
        if length > STALL_TARGET_MS
    ]
    stalls.append("stalls after send: " + ("; ".join(over) or "none"))

    def phase(action: Callable[[], object], painted: Callable[[float], float | None]) -> Timing:
        return time_action(heartbeat, action, lambda started, _: painted(started), settle_ms=300)

    # -- scroll the Pretty tab to its end ----------------------------------------------------
    target = view.body.pretty_stack.currentWidget()
    assert isinstance(target, QAbstractScrollArea)
    bar = target.verticalScrollBar()
    stamps = next(s for s in pretty_all if s.parent() is target.viewport())
    record(metrics, "scroll", phase(lambda: bar.setValue(bar.maximum()), stamps.first_after))

    # -- switch to the Raw tab ---------------------------------------------------------------
    record(metrics, "raw", phase(lambda: view.tabs.setCurrentIndex(1), raw.first_after))
    view.tabs.setCurrentIndex(0)
    settle(heartbeat, 200)

    # -- Find in Pretty: a match in the last record, then a word that is nowhere --------------
    bar.setValue(0)
    settle(heartbeat, 100)
    view.open_find()
    settle(heartbeat, 100)
    record(metrics, "find", phase(lambda: view.find_bar.edit.setText(NEEDLE), stamps.first_after))
    if view.find_bar.result_label.text():
        stalls.append(f"find: did not find the needle ({view.find_bar.result_label.text()})")
    nowhere = phase(lambda: view.find_bar.edit.setText("zz-not-in-the-body"), stamps.first_after)
    record(metrics, "find_none", nowhere)
    view.find_bar.close_bar()
    settle(heartbeat, 100)

    # -- reopen the exchange from the history list -------------------------------------------
    pane = window.history_pane
    # The entry may be written on a thread: wait until it is in the list.
    if not run_loop_until(heartbeat, lambda: bool(pane.model.rows())):
        raise RuntimeError("the exchange never reached the history")
    entry_id = pane.model.rows()[0].id
    pane.view.selectionModel().clear()
    settle(heartbeat, 100)
    for paints in pretty_all:
        paints.reset()
    reopened = time_action(
        heartbeat,
        lambda: pane.select_entry(entry_id),
        lambda *_: None if view.body.is_rendering() else visible(),
        settle_ms=500,
    )
    record(metrics, "reopen", reopened)

    heartbeat.stop()
    window.send_control.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()


def new_metrics() -> dict[str, Metric]:
    t = STALL_TARGET_MS
    return {
        "arrived": Metric("send -> response handled (_on_finished done)"),
        "visible": Metric("send -> Pretty visible"),
        "send_stall": Metric("  longest UI stall, send..settled", target=t),
        "scroll": Metric("scroll Pretty to end -> painted"),
        "scroll_stall": Metric("  longest UI stall", target=t),
        "raw": Metric("switch to Raw -> painted"),
        "raw_stall": Metric("  longest UI stall", target=t),
        "find": Metric("find (match in last record) -> painted"),
        "find_stall": Metric("  longest UI stall", target=t),
        "find_none": Metric("find (no match) -> painted"),
        "find_none_stall": Metric("  longest UI stall", target=t),
        "reopen": Metric("reopen from history -> Pretty visible"),
        "reopen_stall": Metric("  longest UI stall", target=t),
    }


def measure(runs: int, size: int) -> tuple[list[Metric], list[str], int]:
    payload = build_payload(size)
    metrics = new_metrics()
    stalls: list[str] = []
    with PayloadServer(payload) as server, tempfile.TemporaryDirectory(prefix="bench-big-") as tmp:
        for number in range(runs):
            one_run(server.url, Path(tmp) / f"home{number}", metrics, stalls)
    return list(metrics.values()), stalls, len(payload)


def profile(size: int) -> None:
    """One send under pyinstrument, UI thread only: where the stalls come from."""
    payload = build_payload(size)
    with PayloadServer(payload) as server, tempfile.TemporaryDirectory(prefix="bench-big-") as tmp:
        print(
            profile_second_run(
                lambda number: one_run(server.url, Path(tmp) / f"run{number}", new_metrics(), [])
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.big_response", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured runs (default 5)")
    parser.add_argument("--mb", type=float, default=10.0, help="response size in MB (default 10)")
    parser.add_argument("--profile", action="store_true", help="profile one run instead")
    args = parser.parse_args(argv)
    size = int(args.mb * 1024 * 1024)
    application()
    if args.profile:
        profile(size)
        return 0
    metrics, stalls, length = measure(args.runs, size)
    print(table(f"big_response ({length / 1024 / 1024:.1f} MB JSON; offscreen)", metrics))
    for line in stalls:
        print(f"  note: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
