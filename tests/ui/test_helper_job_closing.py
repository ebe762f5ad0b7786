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

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui]

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("helper_job_closing_app.py")
ROUNDS = 5000
HANG_GUARD = 120  # the process must end by itself well within this


def test_windows_closed_as_their_helper_results_arrive_never_crash_the_app() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    process = subprocess.run(
        [sys.executable, str(SCENARIO), "--rounds", str(ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-4000:]
    for trouble in ("Fatal Python error", "Traceback", "Exception in thread"):
        assert trouble not in process.stderr, process.stderr[-4000:]
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    assert lines, process.stdout
    report = json.loads(lines[-1])
    assert report["rounds"] == ROUNDS
    assert report["late"] == 0, "a result reached a window that was closed"
    assert report["threads_done"], "the helpers' threads did not end"
