"""scripts/with-keyring: a private, unlocked Secret Service for one command, then gone."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with-keyring"
TOOLS = ("dbus-run-session", "dbus-send", "gnome-keyring-daemon", "secret-tool")


@pytest.fixture
def tools_present() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"not installed: {', '.join(missing)} (scripts/bootstrap --dev installs them)"
        if os.environ.get("STACKONE_REQUIRE_KEYRING") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *command], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.usefixtures("tools_present")
def test_command_sees_a_working_secret_service() -> None:
    script = (
        "printf s3cret | secret-tool store --label=t service with-keyring-test username u"
        " && secret-tool lookup service with-keyring-test username u"
        ' && printf "|%s" "$XDG_RUNTIME_DIR"'
    )
    result = run("bash", "-c", script)
    assert result.returncode == 0, result.stderr
    secret, _, runtime_dir = result.stdout.partition("|")
    assert secret == "s3cret"
    # The throw-away keyring and its directories are removed afterwards.
    assert runtime_dir and not Path(runtime_dir).exists()


@pytest.mark.usefixtures("tools_present")
def test_exit_code_is_preserved() -> None:
    assert run("bash", "-c", "exit 3").returncode == 3
    assert run("true").returncode == 0
