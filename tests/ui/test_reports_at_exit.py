"""A worker thread's report that is emitted as Python ends must not kill the process.

Keyring reads run on daemon threads nobody waits for at exit (a locked keyring's prompt can
block one for ever). One that finished just as the app ended emitted its report while the
interpreter stopped its threads: the process died (SIGSEGV, or "FATAL: exception not
rethrown" and an abort; seen once in a full test run, in a start-up test that quits early).
Here two daemon threads report through the app's jobs' signals, as fast as they can, while
the script ends; every run must exit cleanly. (With a plain ``emit`` instead of
``emit_unless_ending``, 4 to 6 runs in 10 died with SIGSEGV.)
"""

from __future__ import annotations

import os
import subprocess
import sys

SCENARIO = """
import sys, threading, time
from PySide6.QtCore import QCoreApplication
from explorer.ui import jobs

app = QCoreApplication([])
signals = jobs._RenderSignals()  # what a keyring read's job reports through

def report():
    while True:
        if sys.argv[1] == "guarded":
            jobs.emit_unless_ending(signals.done, 0, "key")
        else:
            signals.done.emit(0, "key")

for _ in range(2):
    threading.Thread(target=report, daemon=True).start()
time.sleep(0.05)
print("ending", flush=True)
"""


def test_reports_emitted_as_the_app_ends_never_crash_it() -> None:
    failures = []
    for _ in range(10):
        done = subprocess.run(
            [sys.executable, "-c", SCENARIO, "guarded"],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0 or done.stdout.strip() != "ending":
            failures.append(f"exit {done.returncode}: {done.stderr[-600:]}")
    assert failures == []
