"""10,000 history entries: open the store, build the pane, filter, sort, add one.

The entries are written once into a temporary folder (``history_data.write_history``, the
store's own format). Each run then opens a ``HistoryStore`` over it (limit 10,000, so adding
one also trims the oldest, as it would for a user at the limit) and a ``HistoryPane`` in a
window, offscreen, with a 5 ms heartbeat measuring the UI thread's longest stall. Every step
is a user action triggered from the event loop and timed until the list has repainted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from benchmarks.measure import (
    STALL_TARGET_MS,
    Heartbeat,
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

ENTRIES = 10_000
# "Instant" for a one-off step such as opening the store at start-up: the classic 0.1 s limit
# under which people feel no wait. Stalls while the window is in use have the 50 ms target.
INSTANT_MS = 100.0


def _step(
    heartbeat: Heartbeat,
    stamps: PaintStamps,
    action: Callable[[], object],
    *,
    repaints: bool = True,
    ready: Callable[[], float | None] | None = None,
) -> Timing:
    """``(ms until the list painted, longest UI gap)`` for one action run from the loop.

    ``ready`` gives the moment the result existed, or None yet (for work finished later, e.g.
    on a thread); the paint that counts is the first one after that moment. With
    ``repaints=False`` (a change Qt may not repaint for, such as a filter keeping the same top
    rows) the first number is the time until the action returned.
    """

    def painted(started: float, returned: float) -> float | None:
        if not repaints:
            return returned
        moment = started if ready is None else ready()
        return None if moment is None else stamps.first_after(moment)

    return time_action(heartbeat, action, painted, settle_ms=200)


def one_run(directory: Path, number: int, metrics: dict[str, Metric], entries: int) -> None:
    from benchmarks.history_data import example_exchange
    from explorer.store.history import HistoryStore
    from explorer.ui.history.pane import HistoryPane

    app = application()
    heartbeat = Heartbeat()
    heartbeat.start()

    started = now_ms()
    store = HistoryStore(directory, limit=entries)
    metrics["open"].add(now_ms() - started)
    if len(store.entries()) != entries:
        raise RuntimeError(f"expected {entries} entries, found {len(store.entries())}")
    settle(heartbeat, 100)  # so the open's own gap is not counted as the pane's

    # Building the pane and showing it is one stretch of UI-thread work at start-up.
    built: dict[str, object] = {}

    def build() -> None:
        pane = HistoryPane(store)
        pane.resize(420, 860)
        built["pane"] = pane
        built["stamps"] = PaintStamps(pane.view.viewport())
        pane.show()

    start = now_ms()
    QTimer.singleShot(0, build)

    def first_paint() -> float | None:
        stamps = built.get("stamps")
        return stamps.first_after(start) if isinstance(stamps, PaintStamps) else None

    if not run_loop_until(heartbeat, lambda: first_paint() is not None):
        raise RuntimeError("the history pane never painted")
    painted = first_paint()
    assert painted is not None
    settle(heartbeat, 200)
    metrics["pane"].add(painted - start)
    metrics["pane_stall"].add(heartbeat.longest(start, now_ms()))
    pane = built["pane"]
    stamps = built["stamps"]
    assert isinstance(pane, HistoryPane) and isinstance(stamps, PaintStamps)

    filtered = _step(heartbeat, stamps, lambda: pane.filters.edit.setText("greenhouse 400"))
    if pane.model.rowCount() == 0:
        raise RuntimeError("the filter matched nothing")
    record(metrics, "filter", filtered)
    record(metrics, "unfilter", _step(heartbeat, stamps, pane.filters.edit.clear))

    # One keystroke at a time, as a user types: each one refilters the whole list.
    worst_key = 0.0
    for length in range(1, len("hibob") + 1):
        _took, stall = _step(
            heartbeat,
            stamps,
            partial(pane.filters.edit.setText, "hibob"[:length]),
            repaints=False,
        )
        worst_key = max(worst_key, stall)
    metrics["typing_stall"].add(worst_key)
    _step(heartbeat, stamps, pane.filters.edit.clear)

    header = pane.view.horizontalHeader()
    sorted_ = _step(
        heartbeat, stamps, lambda: header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    )
    record(metrics, "sort", sorted_)
    _step(heartbeat, stamps, lambda: header.setSortIndicator(0, Qt.SortOrder.DescendingOrder))

    exchange = example_exchange(entries + number, datetime.now(UTC))
    exchange.id = f"added{number:08d}"
    # The row counts once it is in the list, whether ``add`` wrote it at once or on a thread.
    listed: list[float] = []

    def check_listed(*_args: object) -> None:
        if not listed and pane.model.row_of(exchange.id) is not None:
            listed.append(now_ms())

    pane.model.modelReset.connect(check_listed)
    pane.model.rowsInserted.connect(check_listed)
    pane.model.layoutChanged.connect(check_listed)
    added = _step(
        heartbeat,
        stamps,
        lambda: pane.add(exchange),
        ready=lambda: listed[0] if listed else None,
    )
    current = pane.current_entry()
    if current is None or current.id != exchange.id:
        raise RuntimeError("the added entry is not the selected one")
    record(metrics, "add", added)

    bar = pane.view.verticalScrollBar()
    record(metrics, "scroll", _step(heartbeat, stamps, lambda: bar.setValue(bar.maximum())))

    heartbeat.stop()
    pane.close()
    pane.deleteLater()
    app.processEvents()


def new_metrics(entries: int = ENTRIES) -> dict[str, Metric]:
    t = STALL_TARGET_MS
    return {
        "open": Metric(f"open HistoryStore ({entries} entries)", target=INSTANT_MS),
        "pane": Metric("build HistoryPane -> first paint"),
        "pane_stall": Metric("  longest UI stall", target=t),
        "filter": Metric("filter 'greenhouse 400' -> painted"),
        "filter_stall": Metric("  longest UI stall", target=t),
        "unfilter": Metric("clear the filter -> painted"),
        "unfilter_stall": Metric("  longest UI stall", target=t),
        "typing_stall": Metric("type 'hibob' key by key: worst stall", target=t),
        "sort": Metric("sort by Action -> painted"),
        "sort_stall": Metric("  longest UI stall", target=t),
        "add": Metric("add one entry (store + list) -> painted"),
        "add_stall": Metric("  longest UI stall", target=t),
        "scroll": Metric("scroll to the end -> painted"),
        "scroll_stall": Metric("  longest UI stall", target=t),
    }


def measure(runs: int, entries: int = ENTRIES) -> list[Metric]:
    from benchmarks.history_data import write_history

    metrics = new_metrics(entries)
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        directory = Path(tmp) / "history"
        write_history(directory, entries)
        one_run(directory, 0, new_metrics(entries), entries)  # warm-up: imports, fonts, cache
        for number in range(1, runs + 1):
            one_run(directory, number, metrics, entries)
    return list(metrics.values())


def profile(entries: int = ENTRIES) -> None:
    """One run under pyinstrument (UI thread): where the time goes."""
    from benchmarks.history_data import write_history

    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        directory = Path(tmp) / "history"
        write_history(directory, entries)
        print(
            profile_second_run(
                lambda number: one_run(directory, number, new_metrics(entries), entries)
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.history", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured runs (default 5)")
    parser.add_argument("--profile", action="store_true", help="profile one run instead")
    parser.add_argument(
        "--entries", type=int, default=ENTRIES, help=f"history size (default {ENTRIES})"
    )
    args = parser.parse_args(argv)
    application()
    if args.profile:
        profile(args.entries)
        return 0
    print(table(f"history ({args.entries} entries; offscreen)", measure(args.runs, args.entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
