"""The helper process of the analysis features: another process, progress while it works, and a
call that never ends (an endless jq filter, a minutes-long Defender check) is stopped by ending
the process, after which the next call gets a fresh one."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from functools import partial

import pytest

from explorer.core.filters import JQ, FilterSyntaxError, run_filter
from explorer.core.helper_process import HelperFailed, HelperProcess, HelperStopped


def steps(count: int, *, progress: object) -> int:
    """Reports ``count`` steps (runs in the child)."""
    assert callable(progress)
    for step in range(count):
        progress(step / count, f"step {step}")
    return count


def die() -> None:
    os._exit(3)


@pytest.fixture
def helper() -> Iterator[HelperProcess]:
    made = HelperProcess("test helper")
    yield made
    made.close()


def test_calls_run_in_another_process_and_errors_come_back_as_raised(
    helper: HelperProcess,
) -> None:
    assert helper.run(os.getpid) != os.getpid()
    with pytest.raises(FilterSyntaxError) as caught:
        helper.run(partial(run_filter, JQ, ".data[", b"{}"))
    assert caught.value.position is not None
    assert helper.starts == 1  # the same child served both


def test_progress_arrives_while_the_call_works(helper: HelperProcess) -> None:
    seen: list[tuple[float, str]] = []
    assert helper.run(partial(steps, 3), progress=lambda f, s: seen.append((f, s))) == 3
    assert seen == [(0.0, "step 0"), (1 / 3, "step 1"), (2 / 3, "step 2")]


def test_an_endless_jq_filter_is_stopped_and_the_next_call_gets_a_new_process(
    helper: HelperProcess,
) -> None:
    stop = threading.Event()
    outcome: list[BaseException] = []

    def endless() -> None:
        try:
            helper.run(partial(run_filter, JQ, "until(false; .)", b"1"), stop=stop.is_set)
        except BaseException as exc:  # the test looks at what came back
            outcome.append(exc)

    worker = threading.Thread(target=endless)
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive()  # still looping
    stop.set()
    worker.join(5)
    assert not worker.is_alive()
    assert isinstance(outcome[0], HelperStopped)
    assert not helper.is_alive()
    assert (
        run_filter(JQ, ".a", b'{"a": 1}').values
        == helper.run(partial(run_filter, JQ, ".a", b'{"a": 1}')).values
    )
    assert helper.starts == 2


def test_a_waiting_call_can_be_stopped_before_its_turn(helper: HelperProcess) -> None:
    busy = threading.Thread(target=helper.run, args=(partial(time.sleep, 0.6),))
    busy.start()
    time.sleep(0.2)
    try:
        with pytest.raises(HelperStopped):
            helper.run(os.getpid, stop=lambda: True)
    finally:
        busy.join()
    assert helper.starts == 1  # the sleeping call was not disturbed


def test_a_child_that_dies_is_reported_and_replaced(helper: HelperProcess) -> None:
    with pytest.raises(HelperFailed, match="ended unexpectedly"):
        helper.run(die)
    assert helper.run(os.getpid) != os.getpid()


def test_an_idle_child_exits_and_the_next_call_starts_another() -> None:
    helper = HelperProcess("idle", idle_seconds=0.2)
    try:
        first = helper.run(os.getpid)
        deadline = time.monotonic() + 5
        while helper.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not helper.is_alive()
        assert helper.run(os.getpid) != first
    finally:
        helper.close()


def test_closing_stops_a_call_in_progress(helper: HelperProcess) -> None:
    outcome: list[BaseException] = []

    def long_call() -> None:
        try:
            helper.run(partial(time.sleep, 30))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=long_call)
    worker.start()
    time.sleep(0.5)
    helper.close()
    worker.join(5)
    assert isinstance(outcome[0], HelperStopped)
