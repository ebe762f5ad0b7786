"""Closing a dialog just as its pool job reports never crashes the app.

"Save..." in the All pages window and Export in the Run across accounts window write the file
on the pool; All pages, Run across accounts and a collection run send on the pool and report
each page, account or request to their dialog. A new walk or run deletes the dialog of the one
before, and closing the main window deletes them all: if the object the job's thread emits
through went with the dialog, that thread was inside an object Qt was deleting (PySide lets go
of the GIL during ``emit``): a segmentation fault, as ``HelperJob``'s was
(``test_helper_job_closing.py``).

``job_delivery_closing_app.py`` does that thousands of times, each time at that moment, in a
process of its own. On main ``save`` crashed in 5 of 5 runs. It waits with a hang guard and
asserts no duration.
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
SCENARIO = Path(__file__).with_name("job_delivery_closing_app.py")
ROUNDS = 3000
HANG_GUARD = 120  # the process must end by itself well within this


@pytest.mark.parametrize("scenario", ["save", "progress"])
def test_dialogs_closed_as_their_jobs_report_never_crash_the_app(scenario: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    process = subprocess.run(
        [sys.executable, str(SCENARIO), "--rounds", str(ROUNDS), "--scenario", scenario],
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
    assert report["late"] == 0, "a report reached a dialog that was closed"
    assert report["rounds"] == ROUNDS
    assert report["threads_done"], "the jobs' threads did not end"
