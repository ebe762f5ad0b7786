"""Closing a window just as its helper job's result comes back never crashes the app.

The Share a case dialog, the Compare and the Defender windows and the filter run their work
in a helper process, driven from a pool thread (``HelperJob``). A user who closes one of them
(Esc on Share a case while its scrub plan is made, a Compare window while it compares) may
do so as that thread delivers the result; the window is then destroyed with the job in it,
and the thread's ``emit`` was inside an object Qt was deleting: a segmentation fault, about
once in 16 full test runs of ``test_locked_keyring_exit.py[case]``.

``helper_job_closing_app.py`` does that thousands of times, each time at that moment, in a
process of its own (a crash ends that process, not this test run). Before the fix it crashed
in 10 of 10 runs (in 9 of 10 with 3,000 rounds). It waits with a hang guard and asserts no
duration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.stress import survived

pytestmark = [pytest.mark.gui]

SCENARIO = Path(__file__).with_name("helper_job_closing_app.py")
ROUNDS = 5000


def test_windows_closed_as_their_helper_results_arrive_never_crash_the_app() -> None:
    report = survived(SCENARIO, "--rounds", str(ROUNDS))
    assert report["rounds"] == ROUNDS
    assert report["late"] == 0, "a result reached a window that was closed"
    assert report["threads_done"], "the helpers' threads did not end"
