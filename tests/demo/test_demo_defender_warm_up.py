"""The demo loads Defender while the window is read, not during the user's first Send.

Checked in a fresh interpreter: this test process may have loaded the library already.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.core.defender import library_available, tier2_available

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
