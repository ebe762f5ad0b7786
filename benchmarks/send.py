"""Send to rendered for a small response, against a plain httpx call to the same server.

The demo server runs in a process of its own (``benchmarks.demo_process``). Each round, in
this process, one after the other:

* ``plain httpx``: ``Client.post`` of the same RPC body with the same headers to the same
  server, and the JSON read - a new connection for each call, as the window makes one per
  request (so that Cancel can always shut its socket); the client itself is built once, as
  the window's is.
* ``window``: ``SendControl.send()`` in the real ``MainWindow`` (stores in a temporary home,
  the key in ``MemoryCredentials``, as the UI tests build it), run from the event loop as a
  click would be, until the response view's Pretty tab has painted the answer.

The action is the demo's ``bamboohr_list_employees`` (a few hundred bytes of JSON) with
Defender off on both sides, so that the server's screening (~10 ms of ONNX) adds no noise to
either. The target: the window within 20 ms of the plain call measured in the same round; a
5 ms heartbeat on the UI thread gives the longest stall from the click to a settled window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import big_response
from benchmarks.demo_process import start_demo
from benchmarks.measure import (
    STALL_TARGET_MS,
    Heartbeat,
    Metric,
    PaintStamps,
    application,
    now_ms,
    run_loop_until,
    settle,
    table,
)

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow

ACTION = "bamboohr_list_employees"
ACCOUNT = "acct_bamboohr_demo"
OVERHEAD_TARGET_MS = 20.0
_BODY: dict[str, Any] = {
    "action": ACTION,
    "path": None,
    "query": {"page_size": "5"},
    "headers": None,
    "body": None,
    "defender_config": {"enabled": False},
}


def build_window(home: Path, base_url: str, key: str) -> MainWindow:
    """A real ``MainWindow`` over ``home`` with the demo's profile, key and request."""
    from explorer.core.request import RpcRequest

    request = RpcRequest.from_dict({"account_id": ACCOUNT, **_BODY, "base_url": base_url})
    return big_response.build_window(home, base_url, key=key, account=ACCOUNT, request=request)


def plain_call(client: Any, url: str, key: str) -> float:
    """One plain httpx round trip (the JSON read included), in ms."""
    start = now_ms()
    response = client.post(
        url + "/actions/rpc", json=_BODY, auth=(key, ""), headers={"x-account-id": ACCOUNT}
    )
    response.json()
    took = now_ms() - start
    if response.status_code != 200:
        raise SystemExit(f"the plain call got {response.status_code}: {response.text[:300]}")
    return took


class Steps:
    """Timestamps of each step of one Send, for ``--steps``: the send path's functions are
    wrapped (in this process only) to note when they are entered or return, and httpcore's
    trace events are noted as they happen. Each step is noted once per Send, the first time."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}
        self.order: list[str] = []

    def mark(self, name: str, when: float | None = None) -> None:
        if name not in self.marks:
            self.marks[name] = now_ms() if when is None else when
            if name not in self.order:
                self.order.append(name)

    def reset(self) -> None:
        self.marks = {}

    def install(self) -> None:
        """Wrap what exists of the send path (it differs between commits)."""
        import httpx

        from explorer.core import client
        from explorer.ui.request import sender

        self._wrap(sender.SendJob, "run", "pool thread: job starts", None)
        self._wrap(
            client.RpcClient, "exchange", "exchange() entered", "exchange() returns (redacted)"
        )
        self._wrap(client.RpcClient, "send_http", "send_http() entered", "send_http() returns")
        self._wrap(
            getattr(client, "_Transfer", None), "run", "second thread: transfer starts", None
        )
        self._wrap(httpx.Client, "send", "httpx send()", "httpx: headers in")
        self._wrap(httpx.Response, "close", None, "httpx: body read, closed")
        self._trace_httpcore(client)
        self._time_prepare()

    def _wrap(self, owner: Any, name: str, enter: str | None, leave: str | None) -> None:
        import functools

        original = getattr(owner, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if enter:
                self.mark(enter)
            try:
                return original(*args, **kwargs)
            finally:
                if leave:
                    self.mark(leave)

        setattr(owner, name, wrapper)

    def _trace_httpcore(self, client: Any) -> None:
        original_tracer = client._tracer

        def tracer(*args: Any, **kwargs: Any) -> Any:
            inner = original_tracer(*args, **kwargs)

            def trace(event: str, info: dict[str, Any]) -> None:
                self.mark("httpcore " + event.removeprefix("http11."))
                inner(event, info)

            return trace

        client._tracer = tracer

    def _time_prepare(self) -> None:
        from explorer.ui.response import view

        original_preparer = view.ResponseView.preparer

        def preparer(view_self: Any) -> Any:
            prepare = original_preparer(view_self)

            def timed(exchange: Any) -> Any:
                self.mark("prepare starts")
                try:
                    return prepare(exchange)
                finally:
                    self.mark("prepare ends")

            return timed

        setattr(view.ResponseView, "preparer", preparer)  # noqa: B010 (mypy: a wrapper)


def window_send(
    window: MainWindow, heartbeat: Heartbeat, stamps: PaintStamps, steps: Steps | None = None
) -> tuple[float, float, float, float]:
    """``(send -> exchange arrives on the UI thread, send -> its response view filled,
    send -> Pretty painted, longest stall)`` of one Send, in ms."""
    from PySide6.QtCore import QTimer

    from explorer.ui.request.sender import RequestSender

    steps = steps or Steps()  # not installed: marks nothing but its own
    arrived: list[float] = []
    filled: list[float] = []
    control = window.send_control
    slot = control.current
    assert slot is not None

    # The exchange arrives on the UI thread in ``RequestSender._on_finished`` (connected to
    # each job as it starts, so wrapping the class's method reaches it); the window's own slot
    # on the sender's ``finished`` then fills the response view, and only after that does a
    # listener connected here run.
    original = RequestSender._on_finished

    def on_arrival(sender: RequestSender, exchange: Any, prepared: object) -> None:
        arrived.append(now_ms())
        steps.mark("UI thread: exchange arrives")
        original(sender, exchange, prepared)

    def on_filled(_exchange: object, _prepared: object) -> None:
        filled.append(now_ms())
        steps.mark("UI thread: response view filled")

    setattr(RequestSender, "_on_finished", on_arrival)  # noqa: B010 (as above)
    slot.sender.finished.connect(on_filled)
    started: list[float] = []

    def go() -> None:
        steps.reset()
        steps.mark("Send")
        started.append(now_ms())
        if not control.send():
            raise SystemExit("the window refused to send (see its status bar)")
        steps.mark("UI thread: send() returns")
        # The next event-loop turn: when the UI thread is free again after the click.
        QTimer.singleShot(0, lambda: steps.mark("UI thread: event loop free again"))

    QTimer.singleShot(0, go)

    def painted() -> float | None:
        return stamps.first_after(filled[0]) if filled else None

    try:
        if not run_loop_until(heartbeat, lambda: painted() is not None, timeout_ms=30_000):
            message = window.statusBar().currentMessage()
            raise SystemExit(f"the response never showed: {message}")
    finally:
        setattr(RequestSender, "_on_finished", original)  # noqa: B010
    shown = painted()
    assert shown is not None
    steps.mark("Pretty painted", shown)
    settle(heartbeat, 150)
    slot.sender.finished.disconnect(on_filled)
    begin = started[0]
    stall = heartbeat.longest(begin, now_ms())
    return arrived[0] - begin, filled[0] - begin, shown - begin, stall


def measure(runs: int, steps: Steps | None = None) -> list[Metric]:
    import httpx

    plain = Metric("plain httpx: post -> JSON read")
    handled = Metric("window: Send -> exchange arrives on the UI thread")
    filled = Metric("window: Send -> its slot done (response view filled)")
    shown = Metric("window: Send -> Pretty painted")
    overhead = Metric(
        "window minus plain httpx (same round)", target=OVERHEAD_TARGET_MS
    )  # the target
    stall = Metric("  longest UI stall, Send..settled", target=STALL_TARGET_MS)
    app = application()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    demo, url, key = start_demo(env)
    client = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), timeout=30)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-send-") as tmp:
            window = build_window(Path(tmp), url, key)
            body = window.response_view.body
            stamps = PaintStamps(
                body.pretty_rich.viewport(),
                lambda: body.pretty_stack.currentWidget() is body.pretty_rich,
            )
            heartbeat = Heartbeat()
            window.show()
            heartbeat.start()
            handle = window.windowHandle()
            run_loop_until(heartbeat, lambda: handle is not None and handle.isExposed())
            # The account list first, so the send is timed without the guard waiting for it.
            run_loop_until(heartbeat, lambda: window.discovery.accounts() is not None)
            settle(heartbeat, 300)
            plain_call(client, url, key)  # warm-up: both sides' first call pays imports
            window_send(window, heartbeat, stamps)
            if steps is not None:
                steps.install()
            step_rows: dict[str, Metric] = {}
            for _ in range(runs):
                p = plain_call(client, url, key)
                h, f, s, gap = window_send(window, heartbeat, stamps, steps)
                if steps is not None:
                    send = steps.marks["Send"]
                    for name in steps.order:
                        if name in steps.marks:
                            row = step_rows.setdefault(name, Metric(f"  step: {name}"))
                            row.add(steps.marks[name] - send)
                plain.add(p)
                handled.add(h)
                filled.add(f)
                shown.add(s)
                overhead.add(s - p)
                stall.add(gap)
            heartbeat.stop()
            window.send_control.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        client.close()
        demo.terminate()
        demo.wait(10)
    return [plain, handled, filled, shown, overhead, stall, *sorted(step_rows.values(), key=_when)]


def _when(metric: Metric) -> float:
    return metric.median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.send", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="measured rounds (default 15)")
    parser.add_argument(
        "--steps",
        action="store_true",
        help="also time each step of the send path from Send (ms after it, median and p95)",
    )
    args = parser.parse_args(argv)
    metrics = measure(args.runs, Steps() if args.steps else None)
    main_rows = [m for m in metrics if not m.name.startswith("  step: ")]
    print(table(f"send ({ACTION} against the demo; offscreen)", main_rows))
    steps = [m for m in metrics if m.name.startswith("  step: ")]
    if steps:
        print("steps of one Send, ms after it (median, p95)")
        for m in steps:
            print(f"  {m.name.removeprefix('  step: '):<52} {m.median:6.1f} {m.p95:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
