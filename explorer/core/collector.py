"""Pausing Python's cyclic garbage collector around bulk work, correctly across threads.

Why: the collector is process-wide and holds the interpreter (the GIL) for a whole pass, so a
pass over many new objects on a worker thread freezes the window as surely as one on the UI
thread. Start-up pauses it until the first paint; reading 100,000 history rows pauses it while
they are made. ``gc.disable()``/``gc.enable()`` called by each would undo one another: a read
that ends during start-up would turn the collector on, and start-up's end would turn it on in
the middle of a read. Here each pause has a holder; the collector runs again when the last
holder resumes, and only if it ran before the first one paused it.

A namedtuple (``HistoryRow``) is never untracked by the collector, unlike a plain tuple of
text and numbers: 100,000 rows stay in every full pass (tens of ms each) for as long as they
live. A process that keeps such objects for its lifetime (the app, after ``allow_freezing``)
moves them out of the passes with ``gc.freeze`` once they are made (``freeze_long_lived``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

START_UP = "start-up"
"""The holder of the pause from the app's first line to its window's first paint."""

_lock = threading.Lock()
_holders: set[Hashable] = set()
_resume_to = True  # whether the collector ran when the first holder paused it
_freezing = False


def pause(holder: Hashable) -> None:
    """Stop automatic collections until ``holder`` resumes (again for the same holder: no-op)."""
    global _resume_to
    with _lock:
        if not _holders:
            _resume_to = gc.isenabled()
            gc.disable()
        _holders.add(holder)


def resume(holder: Hashable) -> None:
    """End ``holder``'s pause (no-op if it holds none); the collector runs again once no holder
    is left, if it ran before the first pause."""
    with _lock:
        if holder not in _holders:
            return
        _holders.discard(holder)
        if not _holders and _resume_to:
            gc.enable()


def paused_now() -> bool:
    """Whether any holder pauses the collector."""
    with _lock:
        return bool(_holders)


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collections inside the block (on any thread); resumed even on error."""
    holder = object()
    pause(holder)
    try:
        yield
    finally:
        resume(holder)


def allow_freezing() -> None:
    """This process keeps what ``freeze_long_lived`` is called after for its lifetime (the app
    window's history rows): freezing them is worth the few objects it freezes with them.
    Tests and the command line never call this, so they never freeze."""
    global _freezing
    _freezing = True


def freeze_long_lived() -> bool:
    """Move every object alive now out of the collector's passes, if this process allows it;
    ``True`` if it did.

    Everything the collector tracks is frozen, not only the caller's objects: cyclic garbage
    that any thread made and the collector has not yet collected (while it was paused, all of
    it since the pause) is then never collected, as with start-up's freeze: bounded by what
    was made until that moment. Objects a reference count frees (the rows, when the history
    drops them) are freed as ever.
    """
    if not _freezing:
        return False
    gc.freeze()
    return True
