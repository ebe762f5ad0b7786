"""Work the window's first paint does not show, done once the window is on screen.

A returning user wants the window, the request they were editing and their history; the
trace, account-run and pages tools, the demo's action names for the completer and the
profile's account listing can come a moment later. Each part is queued here and run after
the first paint, with a short pause first (a key pressed as the window appears is handled
before any of it) and then one part per event-loop turn, so a key press waits for one part
at most. Nothing queued here changes what is on screen.

A part may be prepared on a pool thread first (``add(part, prepare=...)``): importing a
feature's modules is Python code, so the UI thread keeps getting the GIL every few
milliseconds instead of waiting 20-70 ms for the import to finish. A ``prepare`` never touches
PySide (not even a module importing a Qt class: PySide makes its types on first use, which
two threads at once crash on); ``add_imports`` splits a feature's import that way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer

from explorer.ui.jobs import RenderJob

if TYPE_CHECKING:
    from explorer.ui.delivery import Delivery

# Long enough for the first key presses after the window appears, short enough that a tool
# opened by its shortcut right away finds its part built (it is built on demand otherwise).
PAUSE_MS = 250


class _Part:
    # A plain class, not a dataclass: made at import, before the first paint (~0.3 ms less).
    __slots__ = ("prepare", "run")

    def __init__(self, run: Callable[[Any], object], prepare: Callable[[], Any] | None) -> None:
        self.run = run
        self.prepare = prepare


class AfterFirstPaint(QObject):
    """A queue of callables run after ``start()`` (the window's first paint), in order.

    A child of the window: if the window goes, so does the queue, and nothing else runs.
    """

    def __init__(self, parent: QObject, pause_ms: int = PAUSE_MS) -> None:
        super().__init__(parent)
        self._parts: list[_Part] = []
        self._pause_ms = pause_ms
        self._started = False
        self._scheduled = False
        self._preparing: Delivery | None = None  # the running job's reports, until done
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # ``start()`` runs in the first paint: see ``single_shot``.
        self._timer = single_shot(self, self._next)

    def add(
        self, part: Callable[[], object], *, prepare: Callable[[], object] | None = None
    ) -> None:
        """Run ``part`` after the first paint (soon, if the window has painted already);
        ``prepare`` first, on a pool thread (it must not touch widgets)."""
        self._parts.append(_Part(lambda _prepared: part(), prepare))
        self._kick()

    def add_prepared(self, prepare: Callable[[], Any], then: Callable[[Any], object]) -> None:
        """``prepare()`` on a pool thread after the first paint, then ``then(its result)`` on
        the UI thread (an exception from ``prepare`` is passed as the result)."""
        self._parts.append(_Part(then, prepare))
        self._kick()

    def add_imports(self, *modules: str) -> None:
        """Import the window's ``modules`` after the first paint: what they import that does
        not touch PySide on the pool thread, then the modules themselves on the UI thread
        (``explorer.ui.import_plan``), one per event-loop turn."""
        self.add_prepared(partial(_import_plain, modules), self._import_ui)

    def start(self) -> None:
        """The window has painted: the queue runs after the pause."""
        if not self._started:
            self._started = True
            self._schedule(self._pause_ms)

    def cancel(self) -> None:
        """Run nothing more, and let a part being prepared on its thread finish (the window
        is closing)."""
        self._parts.clear()
        self._preparing = None
        self._pool.waitForDone(3000)

    def _import_ui(self, prepared: object) -> None:
        # ``prepared``: the modules left for the UI thread, in order, or what the pool thread
        # raised (then each feature imports its modules where it first uses them). Each is a
        # part of its own, ahead of those queued after: one module's body (and the Qt classes
        # it makes, ~1-25 ms) per turn, not a feature's 40-60 ms at once.
        if isinstance(prepared, list):
            parts = [_Part(partial(_import_one, str(name)), None) for name in prepared]
            self._parts[0:0] = parts

    def _kick(self) -> None:
        if self._started and self._preparing is None:
            self._schedule(0)

    def _schedule(self, ms: int) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._timer.start(ms)

    def _next(self) -> None:
        self._scheduled = False
        if not self._parts or self._preparing is not None:
            return
        part = self._parts.pop(0)
        if part.prepare is None:
            part.run(None)
            self._continue()
            return
        from explorer.ui.delivery import Delivery  # after the first paint: not on its path

        job = RenderJob(0, part.prepare)
        self._preparing = Delivery(job.signals, self)  # kept until it reports
        self._preparing.on(job.signals.done, lambda _gen, result: self._prepared(part, result))
        self._pool.start(job)

    def _prepared(self, part: _Part, result: object) -> None:
        if self._preparing is None:  # cancelled meanwhile
            return
        self._preparing.release()
        self._preparing = None
        part.run(result)
        self._continue()

    def _continue(self) -> None:
        if self._parts:
            self._schedule(0)


def _import_plain(modules: tuple[str, ...]) -> list[str]:
    from explorer.ui.import_plan import import_plain  # pure Python: safe on the pool thread

    return import_plain(modules)


def _import_one(name: str, _prepared: object) -> None:
    import_module(name)


def single_shot(owner: QObject, then: Callable[[], object]) -> QTimer:
    """A single-shot timer of ``owner`` (it goes with it) that calls ``then``: for the window's
    show and first paint, where ``QTimer.singleShot(ms, receiver, callable)`` would make PySide
    create QMetaMethod's type and enum classes on its first call (~0.3 ms)."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(then)
    return timer
