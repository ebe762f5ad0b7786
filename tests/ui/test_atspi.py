"""The real window as Orca reads it: through Qt's AT-SPI bridge, from another process.

The app runs as users start it (``python -m explorer --demo``) on a real X display (Xvfb)
with Qt's accessibility bridge on, inside the test run's D-Bus session (``scripts/test`` runs
pytest under ``scripts/with-keyring``, whose session bus also starts the AT-SPI bus).
``atspi_probe.py`` reads it with Debian's ``python3-pyatspi`` (the system Python: pyatspi is
not on PyPI), presses Send through AT-SPI and reports the tree before and after, and the
announcements it heard. ``scripts/bootstrap --dev`` installs Xvfb and python3-pyatspi;
``scripts/test`` sets ``STACKONE_REQUIRE_ATSPI=1`` so CI fails rather than skips here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import DisplayFactory

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"

INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "spin button",
    "slider",
    "page tab",
    "table",
    "tree",
    "tree table",
    "list",
    "menu item",
    "check menu item",
    "radio menu item",
    "link",
}


def missing_tools() -> list[str]:
    missing = [tool for tool in ("Xvfb",) if shutil.which(tool) is None]
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        missing.append("a D-Bus session (run under scripts/with-keyring)")
    has_pyatspi = (
        Path(SYSTEM_PYTHON).exists()
        and subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not has_pyatspi:
        missing.append("python3-pyatspi")
    return missing


@pytest.fixture
def display(private_display: DisplayFactory) -> str:
    return private_display(
        "1400x900x24",
        missing=missing_tools(),
        what="AT-SPI check",
        required_by="STACKONE_REQUIRE_ATSPI",
    )


@pytest.fixture
def app_pid(display: str, tmp_path: Path) -> Iterator[int]:
    """The explorer as a user starts it in demo mode, with Qt's AT-SPI bridge on."""
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
    }
    command = [sys.executable, "-m", "explorer", "--demo", "--home", str(tmp_path / "home")]
    with (tmp_path / "app.log").open("wb") as log:
        app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield app.pid
        finally:
            app.terminate()
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def problems(nodes: list[dict[str, object]]) -> list[str]:
    """Interactive objects Orca could not name; a combo box needs a label (its name is its
    value on AT-SPI). Items of a combo box's own list are named by the box."""
    found = []
    for node in nodes:
        role, name = str(node["role"]), str(node["name"])
        if role not in INTERACTIVE:
            continue
        where = f"{node['path']}/{role} {name!r}" + ("" if node["showing"] else " (hidden)")
        if role == "list" and str(node["path"]).endswith("/combo box"):
            continue
        if role == "combo box":
            labels = [str(label) for label in node["labels"]]  # type: ignore[attr-defined]
            if not any(any(c.isalpha() for c in label) for label in labels):
                found.append(f"{where} has no label")
        elif not any(c.isalpha() for c in name):
            found.append(where)
    return found


def test_orca_can_name_every_control_before_and_after_a_send(app_pid: int, tmp_path: Path) -> None:
    done = subprocess.run(
        [SYSTEM_PYTHON, str(PROBE), "--pid", str(app_pid)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # The app's own output too: an app that died makes the probe's calls fail.
    app_log = (tmp_path / "app.log").read_text(errors="replace")[-3000:]
    assert done.returncode == 0, f"{done.stderr}\n--- the app's log ---\n{app_log}"
    report = json.loads(done.stdout)
    before, after = report["before"], report["after"]

    # The bridge shows the whole window: the editor, the history, the response views (whose
    # result page, hidden until a response, is built with the first one: checked after it).
    assert len([n for n in before if n["role"] in INTERACTIVE]) > 100
    names = {(n["role"], n["name"]) for n in before}
    for expected in (
        ("text", "Action"),
        ("text", "Filter history"),
        ("table", "History"),
        ("push button", "Clear the action"),
        ("push button", "Pick…"),
        ("push button", "Search actions"),
    ):
        assert expected in names
    assert problems(before) == []

    # Pressing Send is announced twice: when it goes out and with the status it got.
    announcements = report["announcements"]
    assert any(text.startswith("Sending bamboohr_list_employees") for text in announcements)
    assert any(text.startswith("200 OK") for text in announcements), announcements
    assert problems(after) == []
    assert len([n for n in after if n["role"] in INTERACTIVE]) > 150
    assert ("table", "Provider errors") in {(n["role"], n["name"]) for n in after}
    showing = {(n["role"], n["name"]) for n in after if n["showing"]}
    assert ("text", "Response body") in showing
    assert ("push button", "Copy id") in showing
