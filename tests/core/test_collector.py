"""Pausing the garbage collector: held by several parties on several threads at once, it runs
again only when the last one is done, and only if it ran before (``explorer.core.collector``)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from explorer.core import collector


@pytest.fixture(autouse=True)
def _collector_on_afterwards() -> Iterator[None]:
    assert not collector.paused_now()
    yield
    assert not collector.paused_now()  # no test leaves a holder behind
    gc.enable()


def test_a_read_ending_during_start_up_leaves_the_collector_off_until_start_up_ends() -> None:
    """Start-up pauses on the UI thread; the history's rows are read on another thread, which
    pauses too and finishes first: the collector must stay off for start-up."""
    collector.pause(collector.START_UP)
    finished_read: list[bool] = []

    def read() -> None:
        with collector.paused():
            finished_read.append(gc.isenabled())
        finished_read.append(gc.isenabled())

    reading = threading.Thread(target=read)
    reading.start()
    reading.join()
    assert finished_read == [False, False]  # off inside the read and after it: start-up holds
    collector.resume(collector.START_UP)
    assert gc.isenabled()


def test_start_up_ending_during_a_read_leaves_the_collector_off_until_the_read_ends() -> None:
    collector.pause(collector.START_UP)
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    def read() -> None:
        with collector.paused():
            inside.set()
            release.wait(10)
            seen.append(gc.isenabled())

    reading = threading.Thread(target=read)
    reading.start()
    assert inside.wait(10)
    collector.resume(collector.START_UP)  # the window painted while the rows are read
    assert not gc.isenabled()
    release.set()
    reading.join()
    assert seen == [False]
    assert gc.isenabled()


def test_a_pause_is_resumed_when_the_work_inside_fails() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("the read failed")
    assert gc.isenabled()


def test_pausing_twice_for_one_holder_needs_one_resume_and_an_unknown_resume_is_ignored() -> None:
    collector.pause(collector.START_UP)
    collector.pause(collector.START_UP)  # ``explorer.__main__`` and then ``run``
    collector.resume("someone who never paused")
    assert not gc.isenabled()
    collector.resume(collector.START_UP)
    assert gc.isenabled()
    collector.resume(collector.START_UP)  # again (``run``'s ``finally``): nothing changes
    assert gc.isenabled()


def test_a_collector_turned_off_before_the_first_pause_stays_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_nothing_is_frozen_in_a_process_that_did_not_allow_it() -> None:
    """Tests and the command line never freeze: their garbage must stay collectable."""
    before = gc.get_freeze_count()
    assert collector.freeze_long_lived() is False
    assert gc.get_freeze_count() == before
