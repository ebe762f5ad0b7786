"""Windows closed just as their helper job's result comes back, over and over.

Run by ``test_helper_job_closing.py`` in a process of its own: a crash ends the process, not
the test run. Each round is what a user does with a Compare or Defender window, or the Share
a case dialog: the window's ``HelperJob`` runs a call in the real helper process, and the
window is closed (deleted, as those windows are) at the moment the job's thread delivers the
result. The thread is held just before it delivers (``after``) and let go as the window is
closed, so every round lands on that moment; which of the two threads is first by a few
microseconds is left to the machine, hence the many rounds.

Prints one JSON line: the rounds survived and how many results reached a closed window (none
may: the window asked for them and is gone).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.helper_jobs import FILTER, HelperJob, finish_helpers

WAIT_S = 30  # a hang guard for one round, not a speed limit
PARTS = 40
# Once let go, the thread delivers after up to this long (a different offset each round), so
# the rounds sweep the whole destruction of the window: it takes about this long.
SWEEP_S = 0.0003


class _Part(QObject):
    """One of the window's Python parts (a model, a timer, a job of another kind): each is
    let go, with the GIL, as the window is destroyed."""


def a_window(parts_before: int) -> tuple[QWidget, HelperJob]:
    """A window with its job among its parts, as the analysis windows make theirs."""
    window = QWidget()
    for _ in range(parts_before):
        _Part(window)
    job = HelperJob(FILTER, window)
    for _ in range(parts_before, PARTS):
        _Part(window)
    return window, job


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, required=True)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    sys.setswitchinterval(1e-5)  # the threads take turns often, as on a busy machine
    late: list[object] = []
    for round_ in range(args.rounds):
        window, job = a_window(round_ % PARTS)  # the job destroyed early, late, in between
        job.finished.connect(late.append)  # only once the window is gone: a late delivery
        job.failed.connect(late.append)
        ready, deliver = threading.Event(), threading.Event()

        def hold(
            result: object,
            ready: threading.Event = ready,
            deliver: threading.Event = deliver,
            offset: float = SWEEP_S * (round_ % 31) / 30,
        ) -> object:
            ready.set()
            deliver.wait(WAIT_S)
            until = time.perf_counter() + offset
            while time.perf_counter() < until:  # holding the GIL, as a thread at work does
                pass
            return result

        job.start(partial(len, "a result"), after=hold)
        while not ready.wait(0.001):  # the helper answered; its thread waits to deliver
            app.processEvents()
        deliver.set()  # the result goes to the window...
        window.deleteLater()  # ...as the user closes it (Share a case: Esc; a Compare window)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del window, job
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finished = finish_helpers(WAIT_S * 1000)
    app.processEvents()  # anything a thread still delivered
    print(json.dumps({"rounds": args.rounds, "late": len(late), "threads_done": finished}))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
