"""The helper process that formats big bodies: another process, its errors come back, and a
call no longer wanted is dropped before it starts."""

from __future__ import annotations

import json
import os
import threading
import time
from functools import partial

import pytest

from explorer.core.process_pool import Abandoned, run_in_process


def test_the_formatting_helper_is_another_process_and_its_errors_come_back() -> None:
    # Another process shares no GIL with the window (see run_in_process).
    assert run_in_process(os.getpid) != os.getpid()
    with pytest.raises(json.JSONDecodeError):
        run_in_process(partial(json.loads, "{not json"))


def test_a_formatting_no_longer_wanted_is_dropped_before_it_starts() -> None:
    busy = threading.Thread(target=run_in_process, args=(partial(time.sleep, 0.5),))
    busy.start()
    time.sleep(0.1)  # the helper is busy with the sleep: the next call has to wait its turn
    try:
        with pytest.raises(Abandoned):
            run_in_process(partial(os.getpid), abandoned=lambda: True)
    finally:
        busy.join()
