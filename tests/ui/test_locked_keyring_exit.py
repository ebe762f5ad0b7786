"""Closing the window while a keyring read waits on a locked keyring's password prompt: the
app exits promptly and cleanly (exit code 0, nothing on stderr but what it always says).
Whatever waits for the key (the account list, a Send, a trace, all pages, a run across
accounts, a note's redaction), the window meanwhile takes typing, and no key reaches a file.

Keyring reads run on threads nobody waits for at exit, because a locked keyring can block
for as long as the user leaves its prompt open. The scenario is real: GNOME Keyring in a
D-Bus session of its own (``scripts/with-keyring``), locked, with its prompt
(``gcr-prompter``) up on a private X display and never answered; the explorer is run as the
command runs it (``locked_keyring_app.py``). Once the window is closed the process must end
by itself: the test waits for it with a hang guard, and asserts no duration.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import DisplayFactory

pytestmark = [pytest.mark.gui, pytest.mark.keyring, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("locked_keyring_app.py")
PROMPTER = Path("/usr/libexec/gcr-prompter")
# The app must end by itself well within this; past it the test fails instead of hanging.
HANG_GUARD = 90


def missing_tools() -> list[str]:
    tools = ("Xvfb", "dbus-run-session", "dbus-send", "gnome-keyring-daemon")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not PROMPTER.exists():
        missing.append("gcr-prompter (package gcr)")
    return missing


@pytest.fixture
def display(private_display: DisplayFactory) -> str:
    """A private X display for the keyring's prompt."""
    return private_display(
        "1024x768x24",
        missing=missing_tools(),
        what="the locked-keyring check",
        required_by="STACKONE_REQUIRE_KEYRING",
    )


@pytest.mark.parametrize(
    "when",
    ["start", "send", "trace", "pages", "accounts", "note", "profiles", "environments", "case"],
)
def test_closing_the_window_while_a_keyring_read_waits_on_its_prompt_exits_cleanly(
    display: str, tmp_path: Path, when: str
) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("WITH_KEYRING_INNER", None)  # a keyring session of its own, locked in there only
    command = [str(ROOT / "scripts" / "with-keyring"), sys.executable, str(SCENARIO)]
    process = subprocess.Popen(
        [*command, "--when", when, "--home", str(tmp_path / "home")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so a hung app and its keyring session can all be stopped
    )
    try:
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr = process.communicate()
        pytest.fail(f"the app did not exit after its window closed:\n{stdout}\n{stderr}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, f"{stdout}\n{stderr}"
    report = json.loads(lines[-1])
    assert report["problem"] == "", report
    assert report["blocked"], "no keyring read was waiting on the prompt"
    if when not in ("start", "send"):
        assert report["typed"], "the window did not take typing while the key was read"
    assert report["leaked"] == [], "the API key was written to a file"
    assert report["code"] == 0 and process.returncode == 0, (report, stderr)
    for trouble in ("Traceback", "Fatal Python error", "Exception in thread", "QThread"):
        assert trouble not in stderr, stderr
