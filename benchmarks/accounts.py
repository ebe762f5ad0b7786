"""Run across accounts: 100 accounts at StackOne's rate limit, with the window responsive.

The demo server runs in a process of its own (``benchmarks.demo_process``) with StackOne's
real limit of 1000 requests a minute per key and 100 extra active test accounts. The real
``MainWindow`` (stores in a temporary home, the key in ``MemoryCredentials``) lists them, opens
"Run across accounts…" for the editor's ``bamboohr_list_employees`` (Defender off, so the
server's screening adds no noise) and runs it on all 100 at the fastest pace the window
allows (1000 a minute). Measured from the run's start to its ``finished`` signal:

* the time, and how far it is from the pace's floor (the last send can start no earlier
  than 99 intervals of 60 ms after the first, plus one round trip);
* the longest UI-thread stall (5 ms heartbeat) while the rows, the history and the progress
  update, until 500 ms after the end;
* how many sends a 429 made the run wait and repeat (none expected at this pace).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.demo_process import start_demo
from benchmarks.measure import (
    STALL_TARGET_MS,
    Heartbeat,
    Metric,
    application,
    now_ms,
    run_loop_until,
    settle,
    table,
)
from benchmarks.send import build_window

PER_MINUTE = 1000  # StackOne's limit per key, the most the window lets a run use


def one_run(
    window: object,
    heartbeat: Heartbeat,
    ids: list[str],
    metrics: dict[str, Metric],
    notes: list[str],
) -> None:
    from explorer.ui.mainwindow.window import MainWindow

    assert isinstance(window, MainWindow)
    runs = window.support.account_runs
    done: list[float] = []
    rows_seen: list[object] = []

    def on_finished(rows: object) -> None:
        done.append(now_ms())
        rows_seen.append(rows)

    runs.finished.connect(on_finished)
    if runs.open_from(window.editor) is None:
        raise SystemExit(f"the run window did not open: {window.statusBar().currentMessage()}")
    settle(heartbeat, 300)
    start = now_ms()
    if not runs.run(ids, PER_MINUTE):
        raise SystemExit("the run did not start")
    if not run_loop_until(heartbeat, lambda: bool(done), timeout_ms=120_000):
        raise SystemExit("the run never finished")
    settle(heartbeat, 500)
    runs.finished.disconnect(on_finished)
    rows = list(rows_seen[0])  # type: ignore[call-overload]
    ok = sum(row.outcome == "ok" for row in rows)
    if ok != len(ids):
        raise SystemExit(f"only {ok} of {len(ids)} accounts answered 2xx")
    took = done[0] - start
    floor = (len(ids) - 1) * 60_000 / PER_MINUTE
    metrics["took"].add(took)
    metrics["over"].add(took - floor)
    metrics["stall"].add(heartbeat.longest(start, now_ms()))
    over = [
        f"{length:.0f} ms ending at {when - start:.0f} ms"
        for when, length in heartbeat.gaps(start, now_ms())
        if length > STALL_TARGET_MS * 0.6
    ]
    notes.append(
        "stalls over 30 ms (finished at {:.0f} ms): {}".format(took, "; ".join(over) or "none")
    )
    metrics["retried"].add(sum(max(0, row.attempts - 1) for row in rows))
    if runs.dialog is not None:
        runs.dialog.close()
    settle(heartbeat, 200)


def measure(runs: int, count: int) -> tuple[list[Metric], list[str]]:
    floor = (count - 1) * 60 / PER_MINUTE
    metrics = {
        "took": Metric(f"{count} accounts at {PER_MINUTE}/min: start -> finished"),
        "over": Metric(f"  beyond the pace's floor ({floor:.2f} s)"),
        "stall": Metric("  longest UI stall, start..settled", target=STALL_TARGET_MS),
        "retried": Metric("  sends repeated after a 429", unit="sends"),
    }
    app = application()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    demo, url, key = start_demo(env, per_minute=PER_MINUTE, accounts=count)
    ids = [f"acct_bench_{number:03d}" for number in range(count)]
    notes: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-accounts-") as tmp:
            window = build_window(Path(tmp), url, key)
            heartbeat = Heartbeat()
            window.show()
            heartbeat.start()
            handle = window.windowHandle()
            run_loop_until(heartbeat, lambda: handle is not None and handle.isExposed())
            # Every account listed first: the guard then lets the run go without asking.
            run_loop_until(heartbeat, lambda: window.discovery.accounts() is not None)
            settle(heartbeat, 300)
            for _ in range(runs):
                one_run(window, heartbeat, ids, metrics, notes)
            heartbeat.stop()
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        demo.terminate()
        demo.wait(10)
    return list(metrics.values()), notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accounts", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="measured runs (default 3)")
    parser.add_argument("--accounts", type=int, default=100, help="accounts (default 100)")
    args = parser.parse_args(argv)
    metrics, notes = measure(args.runs, args.accounts)
    print(table("run across accounts (bamboohr_list_employees against the demo)", metrics))
    for line in notes:
        print(f"  note: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
