"""The explorer, run as ``stackone-explorer`` runs it (``explorer.ui.app.run``), against a
locked OS keyring whose unlock prompt nobody answers; then the window is closed (Ctrl+Q).

Run by ``test_locked_keyring_exit.py`` inside a keyring session of its own
(``scripts/with-keyring``) whose D-Bus session has an X display, so GNOME Keyring's real
prompt (``gcr-prompter``) comes up and waits for a password: a keyring read then blocks for
as long as nobody types one, as on a desktop.

``--when start``: the keyring is locked before the window opens (the profile's key is read
for the account list after the first paint). ``--when send``: the account list loads, then
the keyring is locked and the user types a request and presses Ctrl+Enter (the Send's read).

The other cases first send a page of employees with the keyring open (the response, its
pages bar and a history entry are there), then lock it and start what reads the key again:
``trace`` (Trace… on the response), ``pages`` (All pages), ``accounts`` (Run across accounts
on the first account listed), ``note`` (F2 on the history entry: a note holding the key,
which is hidden before it is kept, so the keys are read first), ``case`` (Share as a case…
on the response: the secrets to hide are read; the user types a title, then closes the
dialog with Esc, as the main window takes no keys while it is open). While that read waits on
the prompt, the user types into the request editor (the window handles it), brings the
main window to the front and presses Ctrl+Q. ``--when profiles``: once the account list
loads, the keyring is locked and Manage profiles opened (showing the profile reads whether
it has a key); while that waits, the user types into the dialog, closes it with Esc and
presses Ctrl+Q in the window. ``--when environments``: once the account list loads, the
keyring is locked and the collection's Environments… dialog opened; the user adds a secret
variable (the API key as its value) and presses Apply, so its write waits on the prompt. Esc
must not close the dialog then; Stop waiting must leave the typed value in the table; the
user closes the dialog, discarding the change, and presses Ctrl+Q.

Prints one JSON line once ``run`` returns: ``blocked`` (a read was waiting on the prompt when
the window was closed), ``typed`` (the editor took the keys typed meanwhile), ``leaked`` (the
key was found in a file under the home: a note kept without hiding it) and the exit code.
The process must then end by itself.
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
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QWidget,
)

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import KeyringCredentials
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui import app as app_module
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from explorer.ui.history.note_dialog import NoteDialog
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.profiles.dialog import ProfilesDialog

PROFILE = "Keyed"
POLL_MS = 50
GIVE_UP_POLLS = 1200  # a minute: a hang guard, not a speed limit
PROMPTER = "org.gnome.keyring.SystemPrompter"
EMPLOYEES = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 5}
)
TYPED = "_typed_while_locked"
CASES = (
    "start",
    "send",
    "trace",
    "pages",
    "accounts",
    "note",
    "profiles",
    "environments",
    "case",
)


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

    def __init__(self, when: str, api_key: str) -> None:
        self.when = when
        self.api_key = api_key
        self.blocked = False
        self.typed = False
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
        then = {
            "send": self._send,
            "profiles": self._profiles,
            "environments": self._environments,
        }.get(self.when, self._first_page)
        self.wait(lambda: window.discovery.accounts() is not None, then, "the accounts")

    def _first_page(self) -> None:
        """Send a page of employees with the keyring open, then go on locked."""
        window = the_window()
        assert window is not None
        profile = window.profile_selector.current()
        assert profile is not None
        window.tabs.current.load(EMPLOYEES, profile.base_url)
        QTest.keyClick(
            window.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )

        def answered() -> bool:
            view = window.response_view
            return (
                view.exchange is not None
                and view.pages.isVisible()
                and window.history_pane.model.total() > 0
            )

        self.wait(answered, self._locked, "the first page")

    def _locked(self) -> None:
        window = the_window()
        assert window is not None
        lock_keyring()
        reading: Callable[[], bool]
        if self.when == "trace":
            QTest.mouseClick(window.response_view.trace_button, Qt.MouseButton.LeftButton)
            traces = window.support.traces
            reading = lambda: traces.reading_key  # noqa: E731
        elif self.when == "pages":
            QTest.mouseClick(window.response_view.pages.all_button, Qt.MouseButton.LeftButton)
            pages = window.support.pages
            reading = lambda: pages.reading_key  # noqa: E731
        elif self.when == "accounts":
            self._accounts()
            return
        elif self.when == "case":
            window.analysis.share_action.trigger()
            self.wait(self._case_reading, self._type_in_case, "the case's secrets read to wait")
            return
        else:
            self._note()
            return
        self.wait(lambda: reading() and prompt_is_up(), self._type, "the key read to wait")

    def _accounts(self) -> None:
        window = the_window()
        assert window is not None
        window.support.run_accounts_action.trigger()
        runs = window.support.account_runs
        dialog = runs.dialog
        assert dialog is not None

        def listed() -> bool:
            return dialog.isVisible() and dialog.chooser.model.rowCount() > 0

        def run() -> None:
            model = dialog.chooser.model
            index = model.index(0, 0)
            model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
            QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
            self.wait(
                lambda: dialog.reading_key and prompt_is_up(), self._type, "the key read to wait"
            )

        self.wait(listed, run, "the accounts to choose")

    def _case_reading(self) -> bool:
        window = the_window()
        dialog = window.analysis.case_dialog if window is not None else None
        return dialog is not None and dialog.reading_secrets and prompt_is_up()

    def _type_in_case(self) -> None:
        window = the_window()
        assert window is not None
        dialog = window.analysis.case_dialog
        assert dialog is not None
        edit = dialog.title_edit
        edit.setFocus()
        QTest.keyClicks(edit, TYPED)
        self.typed = edit.text() == TYPED
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        self.wait(lambda: not dialog.isVisible(), self._back_to_window, "the dialog to close")

    def _note(self) -> None:
        self._to_window(self._f2)

    def _to_window(self, then: Callable[[], None]) -> None:
        """Bring the main window to the front, then ``then`` once it is active."""
        window = the_window()
        assert window is not None
        window.raise_()
        window.activateWindow()
        self.wait(lambda: QApplication.activeWindow() is window, then, "the window")

    def _f2(self) -> None:
        window = the_window()
        assert window is not None
        view = window.history_pane.view
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))

        def answer(left: int) -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, NoteDialog):
                QTest.keyClicks(dialog.note_edit, f"customer pasted {self.api_key}")
                buttons = dialog.findChild(QDialogButtonBox)
                assert buttons is not None
                ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
                QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
            elif left > 0:
                QTimer.singleShot(POLL_MS, lambda: answer(left - 1))

        QTimer.singleShot(0, lambda: answer(GIVE_UP_POLLS))
        QTest.keyClick(view, Qt.Key.Key_F2)  # returns once the dialog is answered
        history = window.history

        def waiting() -> bool:  # the note is not kept while the keys to hide are read
            return prompt_is_up() and not history.rows()[0].note

        self.wait(waiting, self._type, "the keys to be read")

    def _type(self) -> None:
        """The window takes typing while the read waits; then back to it, and Ctrl+Q."""
        window = the_window()
        assert window is not None
        edit = window.editor.action_edit
        before = edit.text()
        edit.setFocus()
        edit.end(False)
        QTest.keyClicks(edit, TYPED)
        self.typed = edit.text() == before + TYPED
        self._to_window(self._close)

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

    def _profiles(self) -> None:
        """Manage profiles with the keyring locked: showing the profile reads whether it has
        a key. While that waits, the user types into the dialog, then closes it (Esc)."""
        window = the_window()
        assert window is not None
        lock_keyring()
        QTimer.singleShot(0, window.profile_selector.manage)  # its own event loop (exec)

        def reading() -> bool:
            dialog = QApplication.activeModalWidget()
            return isinstance(dialog, ProfilesDialog) and dialog.key_box.busy and prompt_is_up()

        self.wait(reading, self._type_in_profiles, "the profile's key read to wait")

    def _type_in_profiles(self) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ProfilesDialog)
        edit = dialog.account_edit
        before = edit.text()
        edit.setFocus()
        edit.end(False)
        QTest.keyClicks(edit, TYPED)
        self.typed = edit.text() == before + TYPED
        for _ in TYPED:  # back as it was, so closing has nothing to ask
            QTest.keyClick(edit, Qt.Key.Key_Backspace)
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        self.wait(lambda: not dialog.isVisible(), self._back_to_window, "the dialog to close")

    def _environments(self) -> None:
        """The collection's environments with the keyring locked: a secret variable is
        added and applied, and its write waits on the prompt."""
        window = the_window()
        assert window is not None
        pane = window.collections_pane
        assert pane is not None
        lock_keyring()
        QTimer.singleShot(0, pane.environments_dialog)  # its own event loop (exec)

        def shown() -> bool:
            return isinstance(QApplication.activeModalWidget(), EnvironmentsDialog)

        self.wait(shown, self._add_secret, "the environments dialog")

    def _add_secret(self) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EnvironmentsDialog)
        QTest.mouseClick(dialog.add_var, Qt.MouseButton.LeftButton)
        row = dialog.table.rowCount() - 1
        edit_cell(dialog, row, 0, "token")
        check = dialog.table.item(row, 2)
        assert check is not None
        check.setCheckState(Qt.CheckState.Checked)  # what a click on the Secret box does
        edit_cell(dialog, row, 1, self.api_key)
        QTest.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

        def writing() -> bool:
            return dialog.writing and prompt_is_up()

        self.wait(writing, lambda: self._stop_waiting(dialog, row), "the secret's write to wait")

    def _stop_waiting(self, dialog: EnvironmentsDialog, row: int) -> None:
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        if not dialog.isVisible():
            self.problem = "Esc closed the dialog while the secret was being written"
            self._back_to_window()
            return
        QTest.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
        value = dialog.table.item(row, 1)
        self.typed = (
            not dialog.writing
            and dialog.has_changes()
            and value is not None
            and value.text() == self.api_key
        )

        def discard(left: int) -> None:  # "Apply the changes?" on closing: Discard
            question = QApplication.activeModalWidget()
            if isinstance(question, QMessageBox):
                button = question.button(QMessageBox.StandardButton.Discard)
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            elif left > 0:
                QTimer.singleShot(POLL_MS, lambda: discard(left - 1))

        QTimer.singleShot(0, lambda: discard(GIVE_UP_POLLS))
        QTest.keyClick(dialog.table, Qt.Key.Key_Escape)  # returns once the question is answered
        self.wait(lambda: not dialog.isVisible(), self._back_to_window, "the dialog to close")

    def _back_to_window(self) -> None:
        self._to_window(self._close)

    def _close(self) -> None:
        window = the_window()
        assert window is not None
        self.blocked = True
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Quit


def edit_cell(dialog: EnvironmentsDialog, row: int, column: int, text: str) -> None:
    """Double-click the cell, type ``text`` and press Enter, as a person edits a table."""
    table = dialog.table
    item = table.item(row, column)
    assert item is not None
    table.setFocus()
    table.setCurrentItem(item)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QWidget) and editor is not table
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on the next turn of the loop
    assert table.state() != QAbstractItemView.State.EditingState


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--when", choices=CASES, required=True)
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
    if args.when == "environments":
        team = CollectionStore.create(home.collections_dir / "team", "Team")
        team.set_environment(Environment("dev", {"account": "acct_bamboohr_demo"}))
    if args.when == "start":
        lock_keyring()
    QApplication(sys.argv[:1])
    driver = Driver(args.when, demo.api_key)
    QTimer.singleShot(0, driver.start)
    code = app_module.run(argparse.Namespace(demo=False, smoke=False, home=str(home.home)))
    demo.stop()
    secret = demo.api_key.encode()
    leaked = [
        str(path) for path in home.home.rglob("*") if path.is_file() and secret in path.read_bytes()
    ]
    report = {
        "blocked": driver.blocked,
        "typed": driver.typed,
        "leaked": leaked,
        "problem": driver.problem,
        "code": code,
    }
    print(json.dumps(report))
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
