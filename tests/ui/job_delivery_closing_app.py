"""Dialogs closed just as their pool job reports, over and over.

Run by ``test_job_delivery_closing.py`` in a process of its own: a crash ends the process, not
the test run. ``--scenario save`` is "Save..." in the All pages window or Export in the Run
across accounts window (``save_text_as``): the file is written on the pool, and the window is
closed (deleted, as a new walk or run deletes the one before) as the write reports back.
``--scenario progress`` is a batch tool's job (All pages, Run across accounts, a collection
run: a ``ProgressJob`` whose reports a ``Delivery`` hands to the dialog) reporting as its
dialog is deleted. The thread is held just before it reports and let go as the dialog is
deleted, so every round lands on that moment (as ``helper_job_closing_app.py`` does).

Prints one JSON line: the rounds survived and how many reports reached a closed dialog (none
may).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

import explorer.ui.widgets.save_text as save_text_module
from explorer.ui.jobs import ProgressJob, Report
from explorer.ui.widgets.save_text import save_text_as

WAIT_S = 30  # a hang guard for one round, not a speed limit
PARTS = 40
SWEEP_S = 0.0003  # the deletion of the dialog takes about this long: the offsets sweep it


class _Part(QObject):
    """One of the dialog's Python parts, let go (with the GIL) as the dialog is destroyed."""


def a_dialog(parts_before: int) -> QWidget:
    dialog = QWidget()
    for _ in range(parts_before):
        _Part(dialog)
    return dialog


def more_parts(dialog: QWidget, parts_before: int) -> None:
    for _ in range(parts_before, PARTS):
        _Part(dialog)


class Hold:
    """Holds the job's thread just before it reports, until the dialog is being deleted."""

    def __init__(self, offset: float) -> None:
        self.ready, self.go = threading.Event(), threading.Event()
        self._offset = offset

    def __call__(self) -> None:
        self.ready.set()
        self.go.wait(WAIT_S)
        until = time.perf_counter() + self._offset
        while time.perf_counter() < until:  # holding the GIL, as a thread at work does
            pass


def start_save(dialog: QWidget, parts: int, hold: Hold, late: list[object], folder: Path) -> None:
    def write(path: Path, data: bytes) -> None:
        path.write_bytes(data)
        hold()

    setattr(save_text_module, "write_atomic", write)  # noqa: B010 (held, to land on the moment)
    target = folder / "pages.json"
    save_text_as(dialog, "Save", target, "JSON (*.json)", "{}", lambda path, _e: late.append(path))
    more_parts(dialog, parts)


def start_progress(dialog: QWidget, parts: int, hold: Hold, late: list[object], _f: Path) -> None:
    from explorer.ui.delivery import Delivery

    def work(report: Report) -> str:
        report(0, "a page")
        hold()
        report(1, "another page")
        return "done"

    job = ProgressJob(work)
    delivery = Delivery(job.signals, dialog)
    more_parts(dialog, parts)
    delivery.on(job.signals.progress, lambda _n, item: late.append(item))
    delivery.on(job.signals.done, late.append)
    QThreadPool.globalInstance().start(job)


SCENARIOS: dict[str, Callable[[QWidget, int, Hold, list[Any], Path], None]] = {
    "save": start_save,
    "progress": start_progress,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, required=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    sys.setswitchinterval(1e-5)  # the threads take turns often, as on a busy machine
    folder = Path(tempfile.mkdtemp(prefix="delivery-closing-"))
    chosen = str(folder / "pages.json")
    QFileDialog.getSaveFileName = staticmethod(lambda *_a, **_k: (chosen, ""))  # type: ignore[method-assign]
    start = SCENARIOS[args.scenario]
    late: list[object] = []
    for round_ in range(args.rounds):
        parts = round_ % PARTS  # the receiver destroyed early, late, in between
        dialog = a_dialog(parts)
        hold = Hold(SWEEP_S * (round_ % 31) / 30)
        start(dialog, parts, hold, late, folder)
        while not hold.ready.wait(0.001):  # the work is done; its thread waits to report
            app.processEvents()
        del late[:]  # reports before the hold reached a living dialog: fine
        hold.go.set()  # the report goes to the dialog...
        dialog.deleteLater()  # ...as the user's next walk or run deletes it
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del dialog
        if late:
            break
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finished = QThreadPool.globalInstance().waitForDone(WAIT_S * 1000)
    app.processEvents()  # anything a thread still reported
    print(json.dumps({"rounds": round_ + 1, "late": len(late), "threads_done": finished}))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
