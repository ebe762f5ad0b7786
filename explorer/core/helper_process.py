"""A helper process that runs one call at a time, reports progress, and can be stopped.

``process_pool.run_in_process`` formats bodies: short calls nobody needs to stop. The analysis
features are different. A jq filter can loop forever (``until(false; .)``), a tier-2 Defender
check of 10 MB runs for minutes inside the library's own code, and a 10 MB comparison wants a
progress bar. Nothing inside those calls looks at a flag, so the only way to stop one is to end
its process; a ``ProcessPoolExecutor`` cannot end one worker. So each feature gets a
``HelperProcess`` of its own (a long Defender check never queues a filter behind it): a spawned
child that serves calls over a pipe, sends ``(fraction, stage)`` progress while it works, and
is terminated when the caller stops the call. The next call starts a fresh child.

No Qt here: the window calls ``run`` from a pool thread (``ui.helper_jobs``), never the UI
thread. The child exits by itself after ``idle_seconds`` without work, so a 10 MB comparison's
memory is not held for the rest of the session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from explorer.core.errors import ExplorerError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

_T = TypeVar("_T")
Progress = Callable[[float, str], None]
POLL_SECONDS = 0.05  # how often a waiting caller looks at its stop flag
IDLE_SECONDS = 300.0
_IDLE_EXIT = object()  # the child had exited, idle, as our call reached it


class HelperStopped(ExplorerError):
    """The call was stopped before it finished (its process was ended); nothing came back."""


class HelperFailed(ExplorerError):
    """The helper process ended in the middle of a call (killed, or out of memory)."""


class HelperProcess:
    """One child process, one call at a time; other callers wait their turn.

    Args:
        name: what it does, for messages ("filter", "Defender check").
        idle_seconds: the child exits after this long without a call.
    """

    def __init__(self, name: str, *, idle_seconds: float = IDLE_SECONDS) -> None:
        self.name = name
        self.idle_seconds = idle_seconds
        self._turn = threading.Lock()  # held by the call being served
        self._state = threading.Lock()  # guards the process and its pipe
        self._process: Any = None
        self._conn: Connection | None = None
        self._closed = False
        self.starts = 0  # how many children were started (for tests)

    def run(
        self,
        call: Callable[..., _T],
        *,
        progress: Progress | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> _T:
        """``call()`` in the child (``call(progress=...)`` when ``progress`` is given); blocks
        the calling thread until it returns.

        ``call`` must be picklable (a module-level function, or a ``functools.partial`` of one
        with plain values). ``stop`` is polled every 50 ms, also while waiting for the turn:
        once it returns True the child is ended and ``HelperStopped`` raised.

        Raises:
            HelperStopped: ``stop()`` said so, or ``close`` was called.
            HelperFailed: the child died in the middle of the call, or could not start.
            Exception: whatever ``call`` raised, as it raised it.
        """
        while not self._turn.acquire(timeout=POLL_SECONDS):
            if (stop is not None and stop()) or self._closed:
                raise HelperStopped(f"The {self.name} was stopped.")
        try:
            for _attempt in (1, 2):  # a second time when the child had just exited, idle
                conn = self._connection()
                try:
                    conn.send((call, progress is not None))
                except (OSError, ValueError):
                    self._end()
                    continue
                answer = self._wait(conn, progress, stop)
                if answer is not _IDLE_EXIT:
                    return answer  # type: ignore[no-any-return]
            raise HelperFailed(f"The {self.name} helper process did not answer; try again.")
        finally:
            self._turn.release()

    def close(self) -> None:
        """End the child; a call in progress raises ``HelperStopped`` (when the app quits)."""
        self._closed = True
        self._end()

    def is_alive(self) -> bool:
        with self._state:
            return self._process is not None and self._process.is_alive()

    # -- internals -------------------------------------------------------------------------
    def _connection(self) -> Connection:
        with self._state:
            if self._closed:
                raise HelperStopped(f"The {self.name} was stopped.")
            if self._process is not None and self._process.is_alive() and self._conn is not None:
                return self._conn
            self._end_locked()
            # Imported here: ~20-30 ms that the window's start-up does not need.
            import multiprocessing

            context = multiprocessing.get_context("spawn")  # no forked Qt state
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=_serve,
                args=(child_end, self.idle_seconds),
                name=f"stackone-explorer {self.name}",
                daemon=True,  # ends with the app, whatever happens
            )
            try:
                process.start()
            except (OSError, RuntimeError) as exc:
                parent_end.close()
                child_end.close()
                raise HelperFailed(
                    f"The {self.name} helper process could not start: {exc}"
                ) from None
            child_end.close()
            self._process, self._conn = process, parent_end
            self.starts += 1
            return parent_end

    def _wait(
        self, conn: Connection, progress: Progress | None, stop: Callable[[], bool] | None
    ) -> Any:
        heard = False
        while True:
            if (stop is not None and stop()) or self._closed:
                self._end()
                raise HelperStopped(f"The {self.name} was stopped.")
            try:
                if not conn.poll(POLL_SECONDS):
                    continue
                message = conn.recv()
            except (EOFError, OSError):
                return self._lost(heard)
            heard = True
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    progress(message[1], message[2])
            elif kind == "done":
                return message[1]
            else:
                raise message[1]

    def _lost(self, heard: bool) -> object:
        """The pipe closed mid-call: stopped, an idle exit that crossed our call, or a crash."""
        with self._state:
            process = self._process
            if process is not None:
                process.join(2)
            idle_exit = process is not None and process.exitcode == 0 and not heard
            self._end_locked()
        if self._closed:
            raise HelperStopped(f"The {self.name} was stopped.")
        if idle_exit:
            return _IDLE_EXIT
        raise HelperFailed(
            f"The {self.name} helper process ended unexpectedly (out of memory?). "
            "Try again, or with a smaller body."
        )

    def _end(self) -> None:
        with self._state:
            self._end_locked()

    def _end_locked(self) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join(2)
            if process.is_alive():  # pragma: no cover - terminate is refused only by a hung OS
                process.kill()
                process.join(2)
            process.close()


def _serve(conn: Connection, idle_seconds: float) -> None:
    """The child: answer calls until the pipe closes or nothing comes for ``idle_seconds``."""
    try:
        while conn.poll(idle_seconds):
            try:
                call, wants_progress = conn.recv()
            except EOFError:
                return
            _answer(conn, call, wants_progress)
    except (EOFError, OSError, KeyboardInterrupt):
        return
    finally:
        conn.close()


def _answer(conn: Connection, call: Callable[..., Any], wants_progress: bool) -> None:
    def report(fraction: float, stage: str) -> None:
        conn.send(("progress", fraction, stage))

    try:
        result = call(progress=report) if wants_progress else call()
    except Exception as exc:  # every error goes back to the caller
        _send_error(conn, exc)
        return
    try:
        conn.send(("done", result))
    except Exception as exc:  # pickling the result failed
        _send_error(conn, HelperFailed(f"The result could not be sent back: {exc}"))


def _send_error(conn: Connection, exc: Exception) -> None:
    try:
        conn.send(("error", exc))
    except Exception:  # an exception that does not pickle
        conn.send(("error", HelperFailed(f"{type(exc).__name__}: {exc}")))
