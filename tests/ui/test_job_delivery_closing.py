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

from pathlib import Path

import pytest

from tests.ui.stress import survived

pytestmark = [pytest.mark.gui]

SCENARIO = Path(__file__).with_name("job_delivery_closing_app.py")
ROUNDS = 3000


@pytest.mark.parametrize("scenario", ["save", "progress"])
def test_dialogs_closed_as_their_jobs_report_never_crash_the_app(scenario: str) -> None:
    report = survived(SCENARIO, "--rounds", str(ROUNDS), "--scenario", scenario)
    assert report["late"] == 0, "a report reached a dialog that was closed"
    assert report["rounds"] == ROUNDS
    assert report["threads_done"], "the jobs' threads did not end"
