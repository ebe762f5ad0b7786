"""The demo loads Defender while the window is read, not during the user's first Send.

Checked in a fresh interpreter: this test process may have loaded the library already.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from explorer.core.defender import library_available, tier2_available
from explorer.demo import DEMO_API_KEY
from tests.demo.conftest import DemoCommand

PROBE = """
from explorer.core import defender
from explorer.demo.defender import warm_up

before = dict(defender._DEFENSES._built)
thread = warm_up()
thread.join(120)
print(len(before), thread.is_alive(), sorted(defender._DEFENSES._built))
"""


@pytest.mark.skipif(not library_available(), reason="stackone-defender is not installed")
def test_warm_up_builds_the_defence_the_first_request_would_build() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=180, check=True
    ).stdout.split(maxsplit=2)
    assert out[0] == "0"  # nothing was built before the warm-up
    assert out[1] == "False"  # the thread finished
    assert out[2].strip() == f"[(True, {tier2_available()})]"


# Long enough for a cold load on a busy machine; a hang past it fails rather than stalls.
LOAD_GUARD = 120.0


@pytest.mark.skipif(not library_available(), reason="stackone-defender is not installed")
def test_the_demo_server_started_alone_loads_defender_before_the_first_call(
    demo_command: Callable[..., DemoCommand],
) -> None:
    """``python -m explorer.demo`` loads Defender as the window does, and says so: the first
    screened call no longer waits for the library and its model inside the request (a walk
    saw a first HiBob call take 3.6 s to its first byte)."""
    demo = demo_command("--quiet")
    # No request is made: the load happens on its own, after the banner.
    banner = demo.wait_for("Defender loaded in", LOAD_GUARD)
    assert banner.index("Press Ctrl+C") < banner.index("Defender loaded in")

    with httpx.Client(base_url=demo.url(), auth=(DEMO_API_KEY, "")) as client:
        response = client.post(
            "/actions/rpc",
            json={"action": "bamboohr_list_employee_notes"},
            headers={"x-account-id": "acct_bamboohr_demo"},
        )
    assert response.status_code == 200
    report = response.json()["metadata"]["defender"]
    assert report["available"] and report["detections"], report

    assert "Traceback" not in demo.stop(LOAD_GUARD)
