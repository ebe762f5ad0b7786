"""The explorer, run as ``stackone-explorer`` runs it (``explorer.ui.app.run``), against a
locked OS keyring whose unlock prompt nobody answers; then the window is closed (Ctrl+Q).

Run by ``test_locked_keyring_exit.py`` inside a keyring session of its own
(``scripts/with-keyring``) whose D-Bus session has an X display, so GNOME Keyring's real
prompt (``gcr-prompter``) comes up and waits for a password: a keyring read then blocks for
as long as nobody types one, as on a desktop.

``--when start``: the keyring is locked before the window opens (the profile's key is read
for the account list after the first paint). ``--when send``: the account list loads, then
the keyring is locked and the user types a request and presses Ctrl+Enter (the Send's read).

Prints one JSON line once ``run`` returns: ``blocked`` (a read was waiting on the prompt when
the window was closed) and the exit code. The process must then end by itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import secretstorage
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from explorer.demo import DemoServer
from explorer.store.credentials import KeyringCredentials
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui import app as app_module
from explorer.ui.mainwindow.window import MainWindow

PROFILE = "Keyed"
POLL_MS = 50
GIVE_UP_POLLS = 1200  # a minute: a hang guard, not a speed limit
PROMPTER = "org.gnome.keyring.SystemPrompter"


def prompt_is_up() -> bool:
    """GNOME Keyring's password prompt is on the session bus (it waits for an answer)."""
    reply = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{PROMPTER}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return "boolean true" in reply.stdout


def lock_keyring() -> None:
    collection = secretstorage.get_default_collection(secretstorage.dbus_init())
    collection.lock()
    assert collection.is_locked()


def the_window() -> MainWindow | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
        None,
    )


class Driver:
    """Does what the user does, one step when its condition holds (polled on the UI thread)."""

    def __init__(self, when: str) -> None:
        self.when = when
        self.blocked = False
        self.problem = ""

    def wait(self, ready: Callable[[], bool], then: Callable[[], None], what: str) -> None:
        def poll(left: int) -> None:
            if ready():
                then()
            elif left > 0:
                QTimer.singleShot(POLL_MS, lambda: poll(left - 1))
            else:
                self.problem = f"gave up waiting for {what}"
                window = the_window()
                if window is not None:
                    window.close()

        poll(GIVE_UP_POLLS)

    def start(self) -> None:
        self.wait(lambda: the_window() is not None, self._shown, "the window")

    def _shown(self) -> None:
        window = the_window()
        assert window is not None
        if self.when == "start":
            self.wait(lambda: prompt_is_up() and window.discovery.busy(), self._close, "a prompt")
            return
        self.wait(lambda: window.discovery.accounts() is not None, self._send, "the accounts")

    def _send(self) -> None:
        window = the_window()
        assert window is not None
        lock_keyring()
        edit = window.editor.action_edit
        edit.setFocus()
        QTest.keyClicks(edit, "bamboohr_list_employees")
        QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

        def reading() -> bool:
            slot = window.send_control.current
            return slot is not None and slot.reading and prompt_is_up()

        self.wait(reading, self._close, "the Send's keyring read to wait on the prompt")

    def _close(self) -> None:
        window = the_window()
        assert window is not None
        self.blocked = True
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Quit


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--when", choices=("start", "send"), required=True)
    parser.add_argument("--home", type=Path, required=True)
    args = parser.parse_args()
    home = AppPaths(args.home).ensure()
    demo = DemoServer().start()
    profiles = ProfileStore(home.profiles_file)
    profiles.upsert(Profile(PROFILE, base_url=demo.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    settings = Settings(home.settings_file)
    settings.set("last_profile", PROFILE)
    settings.save()
    KeyringCredentials().set(PROFILE, demo.api_key)  # this session's throw-away keyring
    if args.when == "start":
        lock_keyring()
    QApplication(sys.argv[:1])
    driver = Driver(args.when)
    QTimer.singleShot(0, driver.start)
    code = app_module.run(argparse.Namespace(demo=False, smoke=False, home=str(home.home)))
    demo.stop()
    print(json.dumps({"blocked": driver.blocked, "problem": driver.problem, "code": code}))
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
