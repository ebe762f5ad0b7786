"""One helper process for heavy pure-Python work, so the window's threads keep the GIL.

No Qt here: the window calls ``run_in_process`` from its pool threads.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

_T = TypeVar("_T")

_process_lock = threading.Lock()
_process_turn = threading.Lock()  # held by the call the process is working on
_process_pool: ProcessPoolExecutor | None = None


class Abandoned(Exception):
    """A ``run_in_process`` call given up before it started: its result was no longer wanted."""


def run_in_process(call: Callable[[], _T], *, abandoned: Callable[[], bool] | None = None) -> _T:
    """``call()`` in the app's helper process; blocks the calling thread until it is done.

    Threads share the GIL: pure-Python work on a pool thread (formatting a 10 MB body) makes
    every Python call of the UI thread wait its turn, and the window stutters. A process
    shares nothing. Call this from a pool thread (the window's ``RenderJob``), never the UI
    thread; ``call`` must be picklable (``functools.partial`` of a module-level function and
    plain values).

    The one process runs one call at a time; the others wait here, polling ``abandoned()``:
    once it returns True the call is dropped and ``Abandoned`` raised, so that clicking
    through ten big responses does not format all ten.

    The process is started on first use (spawn: no forked Qt state; the bundle's entry point
    calls ``multiprocessing.freeze_support()`` for it) and ends with the app. If no process
    can be started, ``call`` runs on the calling thread: slower for the window, but it works.
    """
    while not _process_turn.acquire(timeout=0.05):
        if abandoned is not None and abandoned():
            raise Abandoned()
    try:
        if abandoned is not None and abandoned():
            raise Abandoned()
        return _run_in_pool(call)
    finally:
        _process_turn.release()


def _run_in_pool(call: Callable[[], _T]) -> _T:
    global _process_pool
    with _process_lock:
        if _process_pool is None:
            _process_pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        pool = _process_pool
    try:
        future = pool.submit(call)
    except (BrokenProcessPool, OSError, RuntimeError):  # cannot start, or the app is quitting
        return _without_process(pool, call)
    try:
        return future.result()
    except BrokenProcessPool:  # the process died (call's own errors are re-raised as they are)
        return _without_process(pool, call)


def _without_process(pool: ProcessPoolExecutor, call: Callable[[], _T]) -> _T:
    global _process_pool
    with _process_lock:
        if _process_pool is pool:
            _process_pool = None  # the next call tries a new process
    return call()
