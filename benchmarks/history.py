"""10,000 and 100,000 history entries: open the store, build the pane, filter, sort, add one,
write a note and find it by tag.

The entries are written once into a temporary folder (``history_data.write_history``, the
store's own database; one in 50 has a note and tags). Each run then opens a ``HistoryStore``
over it as the app does (lazily: the rows are read on a thread while the pane shows the
newest; the limit is the size, so adding one also trims the oldest, as it would for a user at
the limit) and a ``HistoryPane`` in a window, offscreen, with a 5 ms heartbeat measuring the
UI thread's longest stall. Every step is a user action triggered from the event loop and timed
until the list has repainted. ``--memory`` measures, in a fresh process, what the open store
and pane cost in RSS; ``--migration`` times moving an old home (``index.jsonl``) in, once.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer

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
from explorer.core import collector

if TYPE_CHECKING:
    from explorer.store.history import HistoryStore
    from explorer.ui.history.pane import HistoryPane

SIZES = (10_000, 100_000)
# Opening the store at start-up: "instant" (the classic 0.1 s limit under which people feel
# no wait) for 10,000 entries; issue 15 asks 300 ms for 100,000. Stalls while the window is in
# use have the 50 ms target, at every size.
INSTANT_MS = 100.0
OPEN_100K_MS = 300.0


class CollectorPasses:
    """When each pass of the garbage collector began and how long it took, on any thread
    (``gc.callbacks``): a pass holds the interpreter, so another thread's stalls the window."""

    def __init__(self) -> None:
        self.passes: list[tuple[float, float]] = []
        self._began: dict[int, float] = {}

    def install(self) -> None:
        if self._on_pass not in gc.callbacks:
            gc.callbacks.append(self._on_pass)

    def _on_pass(self, phase: str, _info: dict[str, int]) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self._began[thread] = now_ms()
        elif thread in self._began:
            began = self._began.pop(thread)
            self.passes.append((began, now_ms() - began))


_PASSES = CollectorPasses()


def open_target(entries: int) -> float:
    return INSTANT_MS if entries <= 10_000 else OPEN_100K_MS


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
    from explorer.store.history import HistoryStore

    app = application()
    heartbeat = Heartbeat()
    heartbeat.start()

    # As the app opens it: lazily, the rows read on a thread while the window shows.
    started = now_ms()
    store = HistoryStore(directory, limit=entries, lazy=True)
    opened = now_ms() - started
    metrics["open"].add(opened)
    if len(store) != entries:
        raise RuntimeError(f"expected {entries} entries, found {len(store)}")

    pane, stamps = _show_pane(store, heartbeat, metrics, started)
    _filter_steps(pane, heartbeat, stamps, metrics)
    _change_steps(pane, heartbeat, stamps, metrics, entries + number)
    bar = pane.view.verticalScrollBar()
    record(metrics, "scroll", _step(heartbeat, stamps, lambda: bar.setValue(bar.maximum())))
    passes = [took for began, took in _PASSES.passes if began >= started]
    metrics["run_gc"].add(max(passes, default=0.0))

    heartbeat.stop()
    pane.close()
    pane.deleteLater()
    store.close()
    app.processEvents()
    # Deleted and collected now, not in the next run: the pane (in reference cycles with its
    # Qt wrappers) and its 100,000 rows were otherwise freed by a full collection in the
    # middle of the next run's read, 90-250 ms - a cost of the benchmark, which opens the
    # history six times, not of the app, which opens it once.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _show_pane(
    store: HistoryStore, heartbeat: Heartbeat, metrics: dict[str, Metric], started: float
) -> tuple[HistoryPane, PaintStamps]:
    """Build the pane and show it (one stretch of UI-thread work at start-up), then wait for
    every row to be listed (read on a thread meanwhile)."""
    from explorer.ui.history.pane import HistoryPane

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
    pane, stamps = built["pane"], built["stamps"]
    assert isinstance(pane, HistoryPane) and isinstance(stamps, PaintStamps)
    # Counted once: ``len`` of a store still reading is a query, which in the loop's check
    # ran on the UI thread every 5 ms and was measured as the window's stall.
    expected = len(store)
    if not run_loop_until(heartbeat, lambda: pane.model.total() == expected):
        raise RuntimeError("the history pane never listed every entry")
    listed = now_ms()
    metrics["pane"].add(painted - start)
    metrics["open_painted"].add(painted - started)
    metrics["all_rows"].add(listed - started)
    # The pane's construction is start-up work before the window shows; what counts here is
    # the window's responsiveness once it has painted, while the rows arrive.
    after = [gap for end, gap in heartbeat.gaps(painted, listed) if end - gap >= painted]
    metrics["pane_stall"].add(max(after, default=0.0))
    passes = [took for began, took in _PASSES.passes if painted <= began <= listed]
    metrics["pane_gc"].add(max(passes, default=0.0))
    settle(heartbeat, 200)
    return pane, stamps


def _filter_steps(
    pane: HistoryPane, heartbeat: Heartbeat, stamps: PaintStamps, metrics: dict[str, Metric]
) -> None:
    """Filter by words, key by key, by a tag; sort by a column and back."""
    filtered = _step(heartbeat, stamps, lambda: pane.filters.edit.setText("greenhouse 400"))
    if pane.model.rowCount() == 0:
        raise RuntimeError("the filter matched nothing")
    record(metrics, "filter", filtered)
    record(metrics, "unfilter", _step(heartbeat, stamps, pane.filters.edit.clear))

    # One keystroke at a time, as a user types: each one refilters the list.
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

    tagged = _step(heartbeat, stamps, lambda: pane.filters.edit.setText("#customer-3"))
    if pane.model.rowCount() == 0:
        raise RuntimeError("the tag matched nothing")
    record(metrics, "tag", tagged)
    _step(heartbeat, stamps, pane.filters.edit.clear)

    header = pane.view.horizontalHeader()
    sorted_ = _step(
        heartbeat, stamps, lambda: header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    )
    record(metrics, "sort", sorted_)
    _step(heartbeat, stamps, lambda: header.setSortIndicator(0, Qt.SortOrder.DescendingOrder))


def _change_steps(
    pane: HistoryPane,
    heartbeat: Heartbeat,
    stamps: PaintStamps,
    metrics: dict[str, Metric],
    number: int,
) -> None:
    """Add one entry (which trims the oldest), write a note on it, find it by its tag."""
    from benchmarks.history_data import example_exchange

    exchange = example_exchange(number, datetime.now(UTC))
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

    # A note and tags on it: written on the history's thread, the row repainted.
    noted: list[float] = []
    pane.model.dataChanged.connect(lambda *_args: noted.append(now_ms()) if not noted else None)
    save = partial(pane.notes.save, exchange.id, f"ticket {number}", (f"case-{number}",))
    record(
        metrics, "note", _step(heartbeat, stamps, save, ready=lambda: noted[0] if noted else None)
    )
    found = _step(heartbeat, stamps, lambda: pane.filters.edit.setText(f"#case-{number}"))
    if [row.id for row in pane.shown_entries()] != [exchange.id]:
        raise RuntimeError("the note's tag did not find its entry")
    record(metrics, "find_note", found)
    _step(heartbeat, stamps, pane.filters.edit.clear)


def new_metrics(entries: int) -> dict[str, Metric]:
    t = STALL_TARGET_MS
    return {
        "open": Metric(f"open HistoryStore, lazily ({entries} entries)"),
        "pane": Metric("build HistoryPane -> first paint"),
        "open_painted": Metric(
            "open store + pane -> first rows painted", target=open_target(entries)
        ),
        "all_rows": Metric("open -> every row listed (read on a thread)"),
        "pane_stall": Metric("  longest UI stall while they are read", target=t),
        "pane_gc": Metric("  longest collector pass meanwhile (any thread)"),
        "filter": Metric("filter 'greenhouse 400' -> painted"),
        "filter_stall": Metric("  longest UI stall", target=t),
        "unfilter": Metric("clear the filter -> painted"),
        "unfilter_stall": Metric("  longest UI stall", target=t),
        "typing_stall": Metric("type 'hibob' key by key: worst stall", target=t),
        "tag": Metric("filter '#customer-3' -> painted"),
        "tag_stall": Metric("  longest UI stall", target=t),
        "sort": Metric("sort by Action -> painted"),
        "sort_stall": Metric("  longest UI stall", target=t),
        "add": Metric("add one entry (store + list) -> painted"),
        "add_stall": Metric("  longest UI stall", target=t),
        "note": Metric("note and tags on it (store + row) -> painted"),
        "note_stall": Metric("  longest UI stall", target=t),
        "find_note": Metric("filter by its new tag -> painted"),
        "find_note_stall": Metric("  longest UI stall", target=t),
        "scroll": Metric("scroll to the end -> painted"),
        "scroll_stall": Metric("  longest UI stall", target=t),
        "run_gc": Metric("longest collector pass in the run (any thread)"),
    }


def measure(runs: int, entries: int, *, memory: bool = False) -> list[Metric]:
    from benchmarks.history_data import write_history

    metrics = new_metrics(entries)
    _PASSES.install()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        directory = Path(tmp) / "history"
        write_history(directory, entries)
        if memory:
            metrics.update(memory_metrics(directory, entries))
        one_run(directory, 0, new_metrics(entries), entries)  # warm-up: imports, fonts, cache
        # As the app does once its window has painted (``explorer.ui.app.run``): what start-up
        # made (modules, classes, the window) is left out of the collector's passes, and the
        # history's rows are too once read.
        gc.freeze()
        collector.allow_freezing()
        for number in range(1, runs + 1):
            one_run(directory, number, metrics, entries)
    return list(metrics.values())


def memory_metrics(directory: Path, entries: int) -> dict[str, Metric]:
    """RSS of a fresh process before and after opening the store and showing the pane."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.history", "--memory-probe", str(directory)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    store = Metric(f"memory: store open ({entries} entries)", unit="MB")
    store.add(found["store"])
    both = Metric("memory: store + pane shown", unit="MB")
    both.add(found["pane"])
    return {"memory_store": store, "memory_pane": both}


def _rss_mb() -> float:
    """This process's resident memory (Linux ``/proc``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory_probe(directory: Path) -> None:
    from explorer.store.history import HistoryStore
    from explorer.ui.history.pane import HistoryPane

    app = application()
    before = _rss_mb()
    store = HistoryStore(directory, limit=1_000_000)
    after_store = _rss_mb()
    pane = HistoryPane(store)
    pane.resize(420, 860)
    pane.show()
    for _ in range(20):
        app.processEvents()
    after_pane = _rss_mb()
    print(json.dumps({"store": after_store - before, "pane": after_pane - before}))


def migration(entries: int) -> Metric:
    """Moving an old home of ``entries`` entries into the database (a one-off at start)."""
    from benchmarks.history_data import write_legacy_history
    from explorer.store.history import HistoryStore

    metric = Metric(f"move an old home in ({entries} entries, once)")
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        directory = Path(tmp) / "history"
        write_legacy_history(directory, entries)
        started = now_ms()
        store = HistoryStore(directory, limit=entries)
        metric.add(now_ms() - started)
        if len(store) != entries or store.load_error:
            raise RuntimeError(f"the move lost entries: {len(store)} ({store.load_error})")
    return metric


def profile(entries: int) -> None:
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
        "--entries",
        type=int,
        nargs="+",
        default=list(SIZES),
        help=f"history sizes (default {' '.join(map(str, SIZES))})",
    )
    parser.add_argument("--memory", action="store_true", help="also measure RSS (Linux)")
    parser.add_argument(
        "--migration", action="store_true", help="also time moving an old home in (slow)"
    )
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return 0
    application()
    if args.profile:
        profile(args.entries[-1])
        return 0
    for number, entries in enumerate(args.entries):
        metrics = measure(args.runs, entries, memory=args.memory)
        if args.migration:
            metrics.append(migration(entries))
        print(("\n" if number else "") + table(f"history ({entries} entries; offscreen)", metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
