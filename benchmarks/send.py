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


def window_send(
    window: MainWindow, heartbeat: Heartbeat, stamps: PaintStamps
) -> tuple[float, float, float]:
    """``(send -> back on the UI thread, send -> Pretty painted, longest stall)`` of one
    Send, in ms."""
    from PySide6.QtCore import QTimer

    arrived: list[float] = []
    control = window.send_control
    slot = control.current
    assert slot is not None

    # The tab's sender hands the exchange to the UI thread; the window shows it and paints,
    # and only then tells ``control.finished``'s listeners (the history's write among them).
    def on_finished(_exchange: object, _prepared: object) -> None:
        arrived.append(now_ms())

    slot.sender.finished.connect(on_finished)
    started: list[float] = []

    def go() -> None:
        started.append(now_ms())
        if not control.send():
            raise SystemExit("the window refused to send (see its status bar)")

    QTimer.singleShot(0, go)

    def painted() -> float | None:
        return stamps.first_after(arrived[0]) if arrived else None

    if not run_loop_until(heartbeat, lambda: painted() is not None, timeout_ms=30_000):
        raise SystemExit(f"the response never showed: {window.statusBar().currentMessage()}")
    shown = painted()
    assert shown is not None
    settle(heartbeat, 150)
    slot.sender.finished.disconnect(on_finished)
    return arrived[0] - started[0], shown - started[0], heartbeat.longest(started[0], now_ms())


def measure(runs: int) -> list[Metric]:
    import httpx

    plain = Metric("plain httpx: post -> JSON read")
    handled = Metric("window: Send -> exchange back on the UI thread")
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
            for _ in range(runs):
                p = plain_call(client, url, key)
                h, s, gap = window_send(window, heartbeat, stamps)
                plain.add(p)
                handled.add(h)
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
    return [plain, handled, shown, overhead, stall]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.send", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="measured rounds (default 15)")
    args = parser.parse_args(argv)
    metrics = measure(args.runs)
    print(table(f"send ({ACTION} against the demo; offscreen)", metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
