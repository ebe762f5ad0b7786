"""Work off the UI thread (formatting, reading a file or the OS keyring, long sends with
progress), the result back by signal."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDeadlineTimer, QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

# A thread's report emitted as Python ends kills the process: a daemon thread nobody waits for
# (a keyring read, which a locked keyring's prompt can block for ever) re-takes the GIL after
# ``emit``'s C++, and Python 3.11 then ends the thread by unwinding through PySide's frames
# ("FATAL: exception not rethrown", abort) or Qt's objects are already half gone (SIGSEGV).
# ``atexit`` runs before Python stops its threads: from then on no report starts, and one
# already under way ends first.
_ending_lock = threading.Lock()
_ending = False


def emit_unless_ending(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)`` from a worker thread, unless Python is ending (then no one is
    left to receive it)."""
    with _ending_lock:
        if not _ending:
            signal.emit(*args)


@atexit.register
def _stop_reports() -> None:
    global _ending
    with _ending_lock:
        _ending = True


def wait_for_pools(owner: QObject, timeout_ms: int) -> bool:
    """Wait, at most ``timeout_ms`` in all, for the work on every thread pool ``owner`` has
    (its children's too); False if some still runs.

    For closing: a pool's destructor waits for its jobs anyway, and a job still running Python
    when the interpreter ends is killed mid-work. ``waitForDone`` lets go of the GIL while it
    waits, so the jobs can finish.
    """
    deadline = QDeadlineTimer(timeout_ms)
    pools = owner.findChildren(QThreadPool)
    return all([pool.waitForDone(max(0, deadline.remainingTime())) for pool in pools])


# Signals objects a job's thread is done with, let go here on the UI thread: one deleted on a
# pool thread as the UI thread destroys its receiver (a dialog closing) crashes PySide, which
# looks the sender's Python object up while it disconnects the two.
_done_with: list[QObject] = []


def hand_back(job: object, name: str = "signals") -> None:
    """Last on a job's thread: its signals object (attribute ``name``) is let go on the UI
    thread, by ``let_go``, never on this one."""
    _done_with.append(vars(job).pop(name))  # one statement: no reference stays here


def let_go() -> None:
    """On the UI thread: let go of the signals objects jobs handed back."""
    while _done_with:
        _done_with.pop()


class _RenderSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the render job emits through it.

    Signals:
        done(int, object): the job's generation and what its function returned, or the
            exception it raised.
    """

    done = Signal(int, object)


class RenderJob(QRunnable):
    """Runs a pure function (pretty-printing, highlighting) on a pool thread.

    ``generation`` lets the receiver drop results for a response it no longer shows. The
    receiver keeps ``signals`` until ``done`` arrives: the pool deletes the job itself.
    """

    def __init__(self, generation: int, func: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        let_go()  # jobs are made on the UI thread
        self.signals = _RenderSignals()
        self._generation = generation
        self._func = func

    def run(self) -> None:
        try:
            result = self._func()
        except Exception as exc:  # show *something* rather than a spinner forever
            result = exc
        emit_unless_ending(self.signals.done, self._generation, result)
        hand_back(self)


class BlockingCall(QObject):
    """A call that may block for long (the OS keyring: a locked one asks for its password)
    made on a thread of its own, its result handed to a function on the UI thread.

    One call at a time. ``cancel`` forgets the call in progress: its result, when it comes,
    is dropped (a keyring read cannot be interrupted, and it has no effect to undo). Each call
    has a daemon thread of its own, not a pool's: a blocked call never holds up the window's
    other jobs, nor its closing (a pool waits for its threads when it is destroyed).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pending: _RenderSignals | None = None
        self._done_with: Callable[[Any], None] | None = None

    @property
    def busy(self) -> bool:
        """A call was started and neither came back nor was cancelled."""
        return self._pending is not None

    def start(self, func: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Call ``func`` off the UI thread; ``done`` gets what it returned (or the exception
        it raised) on the UI thread, unless ``cancel`` came first."""
        self._generation += 1
        job = RenderJob(self._generation, func)
        self._pending = job.signals  # kept until done: the pool deletes the job itself
        self._done_with = done
        job.signals.done.connect(self._done)  # a method of this object: queued to its thread
        threading.Thread(target=job.run, name="keyring-read", daemon=True).start()

    def cancel(self) -> bool:
        """Forget the call in progress; False if there was none."""
        if self._pending is None:
            return False
        self._generation += 1
        self._pending = self._done_with = None
        return True

    def _done(self, generation: int, result: Any) -> None:
        done = self._done_with
        if generation != self._generation or done is None:
            return
        self._pending = self._done_with = None
        done(result)


class _ProgressSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the progress job emits through it.

    Signals:
        progress(int, object): a step of the work and what it produced (e.g. an account's
            row, a page's exchange).
        done(object): what the function returned, or the exception it raised.
    """

    progress = Signal(int, object)
    done = Signal(object)


Report = Callable[[int, Any], None]


class ProgressJob(QRunnable):
    """Runs a long, cancellable piece of work (many sends) on a pool thread, reporting as it
    goes: ``func(report)`` calls ``report(step, item)`` from the worker, which arrives on the
    UI thread as ``progress``; ``done`` always follows, with the result or the exception.

    The receiver keeps ``signals`` until ``done`` arrives: the pool deletes the job itself.
    Cancelling is ``func``'s business (a ``CancelToken`` it closes over).
    """

    def __init__(self, func: Callable[[Report], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        let_go()  # jobs are made on the UI thread
        self.signals = _ProgressSignals()
        self._func = func

    def run(self) -> None:
        try:
            result = self._func(self.signals.progress.emit)
        except Exception as exc:  # a bug must still end the work visibly
            result = exc
        self.signals.done.emit(result)
        hand_back(self)
