"""What every benchmark shares: statistics, a UI-thread heartbeat, paint stamps, the table.

The heartbeat is how "no UI-thread stall over 50 ms" is measured: a 5 ms ``QTimer`` on the UI
thread records when it actually fired. Any gap much longer than 5 ms is time the event loop
could not run - it was inside a slot, a layout, a paint, or waiting for the GIL - which is
exactly what a user feels as a frozen window. The timer callback is Python, so GIL contention
from worker threads counts too, as it does for every Python slot of the app.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

HEARTBEAT_MS = 5
STALL_TARGET_MS = 50.0

Timing = tuple[float, float]
"""One user action's ``(ms until its result showed, longest UI-thread gap meanwhile)``."""


def now_ms() -> float:
    """Milliseconds on the monotonic clock shared by every process on the machine."""
    return time.monotonic() * 1000.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: with few runs, p95 is simply the slowest run, honestly."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Metric:
    """One measured quantity over several runs (milliseconds unless ``unit`` says otherwise)."""

    name: str
    values: list[float] = field(default_factory=list)
    unit: str = "ms"
    target: float | None = None  # an upper bound to compare the median and p95 with

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def p95(self) -> float:
        return percentile(self.values, 0.95)

    def verdict(self) -> str:
        if self.target is None or not self.values:
            return ""
        return "ok" if self.p95 <= self.target else f"MISSED (target {self.target:g} {self.unit})"


def table(title: str, metrics: Sequence[Metric]) -> str:
    """A plain-text table: one row per metric with median, p95, runs and the verdict."""
    width = max([len(m.name) for m in metrics] + [6])
    lines = [
        title,
        f"  {'metric':<{width}}  {'median':>10}  {'p95':>10}  {'runs':>4}  verdict",
    ]
    for m in metrics:
        lines.append(
            f"  {m.name:<{width}}  {_fmt(m.median, m.unit):>10}  {_fmt(m.p95, m.unit):>10}"
            f"  {len(m.values):>4}  {m.verdict()}"
        )
    return "\n".join(lines)


def _fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.0f} {unit}" if unit == "ms" else f"{value:.3g} {unit}"


class Heartbeat(QObject):
    """Records when a 5 ms timer on the UI thread really fires; the gaps are the stalls."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)
        self.ticks: list[float] = []
        self.on_tick: Callable[[], None] | None = None

    def start(self) -> None:
        self.ticks = [now_ms()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.ticks.append(now_ms())  # a stall still running when we stop counts too

    def _tick(self) -> None:
        self.ticks.append(now_ms())
        if self.on_tick is not None:
            self.on_tick()

    def gaps(self, start: float = -math.inf, end: float = math.inf) -> list[tuple[float, float]]:
        """``(when, length)`` of every gap that ends inside ``[start, end]``."""
        return [
            (b, b - a)
            for a, b in zip(self.ticks, self.ticks[1:], strict=False)
            if start <= b <= end
        ]

    def longest(self, start: float = -math.inf, end: float = math.inf) -> float:
        return max((length for _when, length in self.gaps(start, end)), default=0.0)

    def stalls(self, over: float = STALL_TARGET_MS) -> list[tuple[float, float]]:
        return [(when, length) for when, length in self.gaps() if length > over]


class PaintStamps(QObject):
    """Remembers when a widget painted, and (optionally) whether it showed what we wait for.

    ``shows`` is called at paint time; the first paint where it returns True is the moment
    the user could see the content.
    """

    def __init__(self, widget: QWidget, shows: Callable[[], bool] | None = None) -> None:
        super().__init__(widget)
        self._shows = shows
        self.paints: list[float] = []
        self.first_showing: float | None = None
        widget.installEventFilter(self)

    def reset(self) -> None:
        self.paints = []
        self.first_showing = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            stamp = now_ms()
            self.paints.append(stamp)
            if self.first_showing is None and (self._shows is None or self._shows()):
                self.first_showing = stamp
        return False

    def first_after(self, moment: float) -> float | None:
        return next((p for p in self.paints if p >= moment), None)


def run_loop_until(
    heartbeat: Heartbeat, done: Callable[[], bool], timeout_ms: float = 60_000
) -> bool:
    """Run the event loop (heartbeat ticking) until ``done()`` or the timeout; True if done."""
    loop = QEventLoop()
    deadline = now_ms() + timeout_ms
    finished = False

    def check() -> None:
        nonlocal finished
        if done():
            finished = True
            loop.quit()
        elif now_ms() > deadline:
            loop.quit()

    heartbeat.on_tick = check
    QTimer.singleShot(0, check)
    loop.exec()
    heartbeat.on_tick = None
    return finished


def settle(heartbeat: Heartbeat, ms: float) -> None:
    """Keep the loop (and heartbeat) running for ``ms`` so late work shows up as gaps."""
    end = now_ms() + ms
    run_loop_until(heartbeat, lambda: now_ms() >= end, timeout_ms=ms + 60_000)


def application() -> QApplication:
    """The benchmark's application, made with the app's environment (serial fills)."""
    from explorer.ui.app import SERIAL_FILLS

    os.environ.setdefault(*SERIAL_FILLS)
    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication(["benchmark"])


def time_action(
    heartbeat: Heartbeat,
    action: Callable[[], object],
    finished: Callable[[float, float], float | None],
    *,
    settle_ms: float,
) -> Timing:
    """``(ms until finished, longest UI gap)`` for one user action run from the event loop.

    The action is queued rather than called so that it runs as a user's click would: from the
    loop, with the heartbeat able to see the stall it causes. ``finished(started, returned)``
    is asked after the action returned and gives the moment the result counts as seen (a
    paint, usually), or None while it is not yet; the loop then settles for ``settle_ms`` so
    late work still shows up in the longest gap.
    """
    started: list[float] = []
    returned: list[float] = []

    def go() -> None:
        started.append(now_ms())
        action()
        returned.append(now_ms())

    def moment() -> float | None:
        return finished(started[0], returned[0]) if returned else None

    QTimer.singleShot(0, go)
    if not run_loop_until(heartbeat, lambda: moment() is not None):
        raise RuntimeError("the action never finished (no paint showed its result)")
    done = moment()
    assert done is not None
    settle(heartbeat, settle_ms)
    return done - started[0], heartbeat.longest(started[0], now_ms())


def record(metrics: dict[str, Metric], key: str, timing: Timing) -> None:
    """File one ``time_action`` result under ``key`` and its stall under ``key_stall``."""
    took, stall = timing
    metrics[key].add(took)
    metrics[f"{key}_stall"].add(stall)


def profile_second_run(run: Callable[[int], object]) -> str:
    """Where the UI thread spends run 1, after run 0 has warmed imports, fonts and caches.

    Needs pyinstrument (not a project dependency: install it to profile).
    """
    from pyinstrument import Profiler

    run(0)
    profiler = Profiler(interval=0.001)
    profiler.start()
    run(1)
    profiler.stop()
    text: str = profiler.output_text(unicode=True, color=False)
    return text


def answer_account_list(handler: BaseHTTPRequestHandler, account_id: str = "acct_bench") -> None:
    """``GET /accounts`` (any other GET: an empty list) from a benchmark's server: the one
    account sent to, as an active test account, so the production guard lets the send go
    without a question, as it would at StackOne."""
    account = {"id": account_id, "type": "test", "status": "active"}
    listing = json.dumps([account] if handler.path.startswith("/accounts") else []).encode()
    handler.send_response(200)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(listing)))
    handler.end_headers()
    handler.wfile.write(listing)


class BenchHandler(BaseHTTPRequestHandler):
    """A benchmark server's handler: keep-alive, the account list on GET, no log lines (the
    benchmark's output is a table). Subclasses answer ``POST /actions/rpc``."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        answer_account_list(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackServer:
    """``handler`` on a free loopback port, served by a thread of this process while in a
    ``with`` block (stdlib only)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
