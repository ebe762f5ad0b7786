"""Run a closing-race scenario in a process of its own (a crash ends that process, not the
test run) and read its one-line JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 120  # the process must end by itself well within this


def survived(scenario: Path, *args: str) -> dict[str, Any]:
    """The scenario's report, once it ran to its end with no crash and nothing raised."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    process = subprocess.run(
        [sys.executable, str(scenario), *args],
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
    report: dict[str, Any] = json.loads(lines[-1])
    return report
