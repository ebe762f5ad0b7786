"""Python calls per painted list: how often one repaint of a list enters Python.

Each call from Qt's C++ into a model written in Python (``data``, ``multiData``, ``flags``,
``rowCount``...) needs the interpreter: under load, while a run's sending threads or the
history's reader hold it, every one of them may wait. This paints, offscreen, the lists a
user watches while work runs on threads (the history, 1,000 entries; a run's results, 100
accounts; the compare window's changes, 1,000) and counts the Python functions Qt calls
during one repaint of the visible rows (``sys.setprofile``; calls made from Python inside
them are not counted: they need no new entry), then times the repaint without the profiler,
alone and while another thread runs plain Python (as a batch's threads do).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from benchmarks.measure import Metric, application, table


def entries_during(paint: Callable[[], None]) -> collections.Counter[str]:
    """The Python functions C++ called into while ``paint`` ran, by name."""
    counts: collections.Counter[str] = collections.Counter()
    caller = sys._getframe()

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_back is caller:
            counts[frame.f_code.co_name] += 1

    sys.setprofile(profile)
    try:
        paint()
    finally:
        sys.setprofile(None)
    return counts


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


@contextlib.contextmanager
def python_on_a_thread() -> Iterator[None]:
    """A thread running plain Python meanwhile (as a batch's sending threads or the history's
    reader do): each entry of the UI thread into Python waits its turn for the interpreter
    (up to the 5 ms switch interval when the other thread holds it)."""
    stop = threading.Event()

    def spin() -> None:
        total = 0
        while not stop.is_set():
            for number in range(1000):
                total += number

    worker = threading.Thread(target=spin, daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()


def _history() -> Any:
    from PySide6.QtWidgets import QWidget

    from benchmarks.history_data import example_exchange
    from explorer.store.history_entry import HistoryEntry
    from explorer.ui.history.model import HistoryModel
    from explorer.ui.history.table import history_table

    started = datetime.now(UTC)
    rows = [
        HistoryEntry.from_exchange(example_exchange(n, started - timedelta(seconds=n))).row()
        for n in range(1000)
    ]
    parent = QWidget()
    model = HistoryModel(parent)
    model.set_rows(rows)
    # A production account among them, marked as the window marks it.
    model.set_account_marks({rows[1].account_id: "PRODUCTION account"})
    view = history_table(model, (), parent)
    return parent, view


def _results() -> Any:
    from explorer.core.discovery import Account
    from explorer.core.request import RpcRequest
    from explorer.run.accounts import OK, AccountRow
    from explorer.ui.accounts.dialog import AccountRunDialog

    dialog = AccountRunDialog(None)
    dialog.set_request(RpcRequest(action="bamboohr_list_employees"), "http://127.0.0.1")
    accounts = [
        Account(id=f"acct_bench_{n:03d}", provider="bamboohr", origin_owner_name=f"Customer {n}")
        for n in range(100)
    ]
    rows = []
    for n, account in enumerate(accounts):
        row = AccountRow.for_account(account)
        row.outcome, row.status, row.time_ms = OK, 200, 40.0 + n
        row.request_id, row.records = f"req_{n:06d}", 10
        rows.append(row)
    dialog.start(rows, accounts)
    dialog.finish(rows)
    return dialog, dialog.table


def _changes() -> Any:
    from explorer.core.compare import Change
    from explorer.ui.compare.model import ChangesModel
    from explorer.ui.widgets.row_table import row_table

    model = ChangesModel()
    model.set_rows(
        [Change("changed", ("data", n, "salary"), n * 10, n * 11) for n in range(1000)],
        ("acct_a · 200", "acct_b · 200"),
    )
    view = row_table(model, name="Changes", widths=((0, "data[id=e1].salary"),))
    view.setProperty("model_keeper", None)
    return (view, model), view


LISTS: dict[str, Callable[[], Any]] = {
    "the history (1,000 entries)": _history,
    "a run's results (100 accounts)": _results,
    "the compare window's changes (1,000)": _changes,
}


def measure(runs: int) -> tuple[list[Metric], list[str]]:
    app = application()
    metrics: list[Metric] = []
    notes: list[str] = []
    for name, build in LISTS.items():
        keep, view = build()
        top = view.window()
        top.resize(900, 700)
        if top is not view and view.parentWidget().layout() is None:
            view.resize(900, 700)
        top.show()
        for _ in range(5):
            app.processEvents()
        viewport = view.viewport()
        calls = Metric(f"{name}: Python calls a repaint", unit="calls")
        took = Metric(f"{name}: a repaint")
        busy = Metric(f"{name}: a repaint while a thread runs Python")
        counts = entries_during(viewport.repaint)
        for _ in range(runs):
            calls.add(sum(entries_during(viewport.repaint).values()))
            took.add(timed(viewport.repaint))
        with python_on_a_thread():
            for _ in range(runs):
                busy.add(timed(viewport.repaint))
        metrics += [calls, took, busy]
        notes.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
        top.close()
        del keep
    return metrics, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cells", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="repaints timed (default 20)")
    args = parser.parse_args(argv)
    metrics, notes = measure(args.runs)
    print(table("Python calls per painted list (offscreen, 900 x 700)", metrics))
    for line in notes:
        print(f"  note: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
