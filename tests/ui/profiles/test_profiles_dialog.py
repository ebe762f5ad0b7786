"""The profiles dialog: profiles in the profiles file, API keys only in the credential store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from explorer.core.request import DEFAULT_BASE_URL
from explorer.core.secrets import key_hint as mask
from explorer.store.credentials import (
    KeyringCredentials,
    KeyringUnavailable,
    MemoryCredentials,
)
from explorer.store.profiles import Profile, ProfileStore
from explorer.ui.profiles.dialog import ProfilesDialog
from tests.ui.conftest import LockedKeyring

pytestmark = pytest.mark.gui

KEY = "sk_live_canary_ABCDEFGHIJKLMNOP_0001"
NEW_KEY = "sk_live_canary_QRSTUVWXYZ_0002"


class NoKeyring:
    """A credential store on a machine without a usable OS keyring."""

    def get(self, profile: str) -> str | None:
        raise KeyringUnavailable("NoKeyringError: No recommended backend was available")

    def set(self, profile: str, secret: str) -> None:
        raise KeyringUnavailable("NoKeyringError: No recommended backend was available")

    def delete(self, profile: str) -> None:
        raise KeyringUnavailable("NoKeyringError: No recommended backend was available")

    def location(self) -> str:
        return "no secure OS keyring available (keys can only be kept in memory)"


@pytest.fixture
def profiles_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profiles.json"


@pytest.fixture
def profiles(profiles_file: Path) -> ProfileStore:
    return ProfileStore(profiles_file)


@pytest.fixture
def session_keys() -> MemoryCredentials:
    return MemoryCredentials()


def settle(qtbot: QtBot, dialog: ProfilesDialog) -> None:
    """The keyring is read and written off the UI thread: wait until it has answered."""
    qtbot.waitUntil(lambda: not dialog.key_box.busy)


@pytest.fixture
def make_dialog(
    qtbot: QtBot,
    profiles: ProfileStore,
    credentials: MemoryCredentials,
    session_keys: MemoryCredentials,
) -> Callable[..., ProfilesDialog]:
    def make(creds: object = credentials) -> ProfilesDialog:
        dialog = ProfilesDialog(profiles, creds, session_keys)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        settle(qtbot, dialog)  # the first profile's key is read off the UI thread
        return dialog

    return make


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox.question is answered Yes; the questions are recorded."""
    asked: list[str] = []

    def yes(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return asked


def fill(dialog: ProfilesDialog, name: str, base_url: str = "", account: str = "") -> None:
    dialog.name_edit.setText(name)
    dialog.base_url_edit.setText(base_url)
    dialog.account_edit.setText(account)


def type_key(qtbot: QtBot, dialog: ProfilesDialog, key: str) -> None:
    dialog.key_box.key_edit.setFocus()
    qtbot.keyClicks(dialog.key_box.key_edit, key)


def visible_texts(dialog: QWidget) -> list[str]:
    """Every string a widget of the dialog could display or hand out."""
    texts = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        texts += [widget.toolTip(), widget.accessibleName(), widget.whatsThis()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.displayText(), widget.placeholderText()]
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
    return texts


def assert_key_not_shown(dialog: ProfilesDialog, *keys: str) -> None:
    for text in visible_texts(dialog):
        for key in keys:
            assert key not in text


def test_starts_with_a_new_profile_form_when_there_are_none(
    make_dialog: Callable[..., ProfilesDialog],
) -> None:
    dialog = make_dialog()
    assert dialog.current_name() is None
    assert dialog.base_url_edit.text() == DEFAULT_BASE_URL
    assert dialog.save_button.text() == "Add profile"
    assert not dialog.save_button.isEnabled()
    assert dialog.validation_label.isHidden()  # a blank form is not scolded


def test_add_a_profile_writes_the_profiles_file(
    qtbot: QtBot, make_dialog: Callable[..., ProfilesDialog], profiles_file: Path
) -> None:
    dialog = make_dialog()
    fill(dialog, "Production EU", "https://api.eu1.stackone.com", "acc_eu_1")
    with qtbot.waitSignal(dialog.profiles_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    reread = ProfileStore(profiles_file)
    assert [p.to_dict() for p in reread.list()] == [
        {
            "name": "Production EU",
            "base_url": "https://api.eu1.stackone.com",
            "account_id": "acc_eu_1",
        }
    ]
    assert dialog.current_name() == "Production EU"
    assert dialog.profile_list.currentItem().text() == "Production EU"
    assert dialog.save_button.text() == "Save changes"
    assert not dialog.save_button.isEnabled()  # nothing left to save


@pytest.mark.parametrize(
    ("name", "base_url", "account", "message"),
    [
        ("", "https://api.stackone.com", "", "enter a name"),
        ("Demo", "ftp://example.com", "", "http:// or https://"),
        ("Demo", "api.stackone.com", "", "http:// or https://"),
        ("demo", "", "", "already exists"),  # names compare without case
        ("Other", "", "acc 1", "no spaces"),
    ],
)
def test_invalid_forms_say_why_and_cannot_be_saved(
    make_dialog: Callable[..., ProfilesDialog],
    profiles: ProfileStore,
    name: str,
    base_url: str,
    account: str,
    message: str,
) -> None:
    profiles.upsert(Profile("Demo"))
    dialog = make_dialog()
    dialog.start_new()
    fill(dialog, name or " ", base_url, account)
    if not name:
        dialog.name_edit.setText("")
        dialog.account_edit.setText("touched")
    assert not dialog.save_button.isEnabled()
    assert not dialog.validation_label.isHidden()
    assert message in dialog.validation_label.text()
    assert dialog.save_current() is False
    assert len(profiles.list()) == 1


def test_edit_and_rename_moves_the_key(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    profiles: ProfileStore,
    credentials: MemoryCredentials,
    profiles_file: Path,
) -> None:
    profiles.upsert(Profile("Staging", "https://staging.example.com", "acc_1"))
    credentials.set("Staging", KEY)
    dialog = make_dialog()
    assert dialog.current_name() == "Staging"
    fill(dialog, "QA", "https://qa.example.com", "acc_2")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.save_button.click()
    settle(qtbot, dialog)
    assert ProfileStore(profiles_file).names() == ["QA"]
    assert credentials.get("QA") == KEY
    assert credentials.get("Staging") is None
    assert mask(KEY) in dialog.key_box.key_status.text()


def test_delete_profile_after_confirming_removes_its_key(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    answer: list[str],
    profiles: ProfileStore,
    credentials: MemoryCredentials,
    profiles_file: Path,
) -> None:
    profiles.upsert(Profile("One"))
    profiles.upsert(Profile("Two"))
    credentials.set("One", KEY)
    dialog = make_dialog()
    assert dialog.current_name() == "One"
    dialog.delete_button.click()
    settle(qtbot, dialog)
    assert answer and "One" in answer[0]
    assert ProfileStore(profiles_file).names() == ["Two"]
    assert credentials.get("One") is None
    assert dialog.current_name() == "Two"


def test_delete_profile_can_be_called_off(
    monkeypatch: pytest.MonkeyPatch,
    make_dialog: Callable[..., ProfilesDialog],
    profiles: ProfileStore,
) -> None:
    profiles.upsert(Profile("Keep me"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog = make_dialog()
    dialog.delete_button.click()
    assert profiles.names() == ["Keep me"]


def test_set_replace_and_delete_the_key_never_showing_it(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    answer: list[str],
    profiles: ProfileStore,
    credentials: MemoryCredentials,
    profiles_file: Path,
) -> None:
    profiles.upsert(Profile("Demo"))
    profiles.save()
    dialog = make_dialog()
    assert dialog.key_box.key_status.text() == "No key stored"
    assert dialog.key_box.key_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.key_box.location_label.text() == f"Stored in: {credentials.location()}"

    type_key(qtbot, dialog, KEY)
    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.key_box.set_key_button.click()
    settle(qtbot, dialog)
    assert credentials.get("Demo") == KEY
    assert dialog.key_box.key_edit.text() == ""
    assert not dialog.key_box.key_edit.isUndoAvailable()
    assert dialog.key_box.key_status.text() == f"Key {mask(KEY)}"
    assert dialog.key_box.set_key_button.text() == "Replace key"
    assert_key_not_shown(dialog, KEY)

    type_key(qtbot, dialog, NEW_KEY)
    with qtbot.waitExposed(dialog):
        dialog.show()  # Enter reaches the dialog's default button (Save) only when shown
    qtbot.keyClick(dialog.key_box.key_edit, Qt.Key.Key_Return)
    settle(qtbot, dialog)
    assert credentials.get("Demo") == NEW_KEY
    assert dialog.key_box.key_status.text() == f"Key {mask(NEW_KEY)}"
    assert_key_not_shown(dialog, KEY, NEW_KEY)

    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.key_box.delete_key_button.click()
    settle(qtbot, dialog)
    assert answer and "Demo" in answer[-1]
    assert credentials.get("Demo") is None
    assert dialog.key_box.key_status.text() == "No key stored"
    assert not dialog.key_box.delete_key_button.isEnabled()
    assert NEW_KEY not in profiles_file.read_text(encoding="utf-8")


def test_a_key_typed_with_a_new_profile_is_stored_with_it(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    credentials: MemoryCredentials,
    profiles_file: Path,
) -> None:
    dialog = make_dialog()
    fill(dialog, "Fresh")
    type_key(qtbot, dialog, KEY)
    dialog.save_button.click()
    settle(qtbot, dialog)
    assert credentials.get("Fresh") == KEY
    assert KEY not in profiles_file.read_text(encoding="utf-8")
    assert_key_not_shown(dialog, KEY)


def test_no_keyring_says_so_and_offers_memory_for_this_run(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    profiles: ProfileStore,
    session_keys: MemoryCredentials,
    profiles_file: Path,
) -> None:
    profiles.upsert(Profile("Demo"))
    profiles.save()
    dialog = make_dialog(NoKeyring())
    # Reading the key already failed: the user is told before typing anything.
    assert not dialog.key_box.keyring_notice.isHidden()
    assert "No secure OS keyring" in dialog.key_box.keyring_notice.text()
    assert "Stored in: no secure OS keyring" in dialog.key_box.location_label.text()

    type_key(qtbot, dialog, KEY)
    dialog.key_box.set_key_button.click()
    settle(qtbot, dialog)
    assert "GNOME Keyring" in dialog.key_box.keyring_notice.text()  # the exception's own advice
    assert not dialog.key_box.memory_button.isHidden() and dialog.key_box.memory_button.isEnabled()
    assert dialog.key_box.memory_button.text() == "Keep in memory for this run only"
    assert session_keys.get("Demo") is None  # not without the user's say-so

    with qtbot.waitSignal(dialog.profiles_changed):
        dialog.key_box.memory_button.click()
    assert session_keys.get("Demo") == KEY
    assert dialog.key_box.key_edit.text() == ""
    assert "in memory for this run only" in dialog.key_box.key_status.text()
    assert mask(KEY) in dialog.key_box.key_status.text()
    assert_key_not_shown(dialog, KEY)
    assert KEY not in profiles_file.read_text(encoding="utf-8")


def test_unsaved_edits_are_offered_for_saving_on_close(
    monkeypatch: pytest.MonkeyPatch,
    make_dialog: Callable[..., ProfilesDialog],
    profiles: ProfileStore,
    profiles_file: Path,
) -> None:
    profiles.upsert(Profile("Demo"))
    dialog = make_dialog()
    dialog.account_edit.setText("acc_new")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog.show()
    dialog.reject()
    assert dialog.isVisible()  # Cancel: stay
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    dialog.reject()
    assert not dialog.isVisible()
    saved = ProfileStore(profiles_file).get("Demo")
    assert saved is not None and saved.account_id == "acc_new"


def test_a_damaged_profiles_file_is_reported(
    make_dialog: Callable[..., ProfilesDialog], profiles_file: Path, qtbot: QtBot
) -> None:
    profiles_file.parent.mkdir(parents=True)
    profiles_file.write_text("{ not json", encoding="utf-8")
    dialog = ProfilesDialog(ProfileStore(profiles_file), MemoryCredentials(), MemoryCredentials())
    qtbot.addWidget(dialog)
    assert not dialog.file_error.isHidden()
    assert "profiles.json" in dialog.file_error.text()


def test_the_keyring_library_without_a_backend_is_handled(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    use_backend: Callable[[KeyringBackend], None],
    profiles: ProfileStore,
    session_keys: MemoryCredentials,
) -> None:
    use_backend(fail.Keyring())  # what a machine without Secret Service gets
    profiles.upsert(Profile("Demo"))
    dialog = make_dialog(KeyringCredentials(service=f"stackone-explorer-test-{uuid.uuid4().hex}"))
    assert "no secure OS keyring" in dialog.key_box.location_label.text()
    type_key(qtbot, dialog, KEY)
    dialog.key_box.set_key_button.click()
    settle(qtbot, dialog)
    assert not dialog.key_box.keyring_notice.isHidden()
    dialog.key_box.memory_button.click()
    assert session_keys.get("Demo") == KEY
    assert_key_not_shown(dialog, KEY)


@pytest.mark.keyring
def test_keys_go_into_the_real_secret_service(
    qtbot: QtBot,
    make_dialog: Callable[..., ProfilesDialog],
    answer: list[str],
    profiles: ProfileStore,
) -> None:
    service = f"stackone-explorer-test-{uuid.uuid4().hex[:8]}"
    credentials = KeyringCredentials(service=service)
    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        reason = f"no Secret Service keyring ({backend!r}); run through scripts/with-keyring"
        if os.environ.get("STACKONE_REQUIRE_KEYRING") == "1":
            pytest.fail(reason + " [STACKONE_REQUIRE_KEYRING=1]")
        pytest.skip(reason)
    profiles.upsert(Profile("Real"))
    try:
        dialog = make_dialog(credentials)
        assert "Secret Service" in dialog.key_box.location_label.text()
        type_key(qtbot, dialog, KEY)
        dialog.key_box.set_key_button.click()
        settle(qtbot, dialog)
        assert keyring.get_password(service, "Real") == KEY  # any keyring client sees it
        dialog.name_edit.setText("Renamed")
        dialog.save_button.click()
        settle(qtbot, dialog)
        assert keyring.get_password(service, "Renamed") == KEY
        assert keyring.get_password(service, "Real") is None
        dialog.key_box.delete_key_button.click()
        settle(qtbot, dialog)
        assert keyring.get_password(service, "Renamed") is None
        assert_key_not_shown(dialog, KEY)
    finally:
        for name in ("Real", "Renamed"):
            credentials.delete(name)


@pytest.fixture
def locked() -> LockedKeyring:
    return LockedKeyring()


@pytest.fixture
def locked_dialog(
    qtbot: QtBot, profiles: ProfileStore, session_keys: MemoryCredentials, locked: LockedKeyring
) -> ProfilesDialog:
    """The dialog, shown, on the profile "Demo" whose key is in the ``locked`` keyring: its
    first read (whether "Demo" has a key) waits on the keyring's prompt."""
    profiles.upsert(Profile("Demo"))
    dialog = ProfilesDialog(profiles, locked, session_keys)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def test_a_key_saved_to_a_locked_keyring_is_never_lost_silently(
    qtbot: QtBot, locked_dialog: ProfilesDialog, locked: LockedKeyring, profiles: ProfileStore
) -> None:
    dialog = locked_dialog
    box = dialog.key_box
    assert box.key_status.text() == "Reading the key from the OS keyring…"
    qtbot.mouseClick(box.stop_button, Qt.MouseButton.LeftButton)  # the prompt stays unanswered
    assert "did not answer" in box.key_status.text()

    type_key(qtbot, dialog, KEY)
    qtbot.mouseClick(box.set_key_button, Qt.MouseButton.LeftButton)
    assert box.key_status.text() == "Saving the key to the OS keyring…"
    assert box.key_edit.text() == KEY and box.key_edit.isReadOnly()
    assert not box.set_key_button.isEnabled() and not dialog.profile_list.isEnabled()
    # The window meanwhile takes typing.
    qtbot.keyClicks(dialog.account_edit, "acct_9")
    assert dialog.account_edit.text() == "acct_9"

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closing while the key is written: it stays
    assert dialog.isVisible()
    assert "still being saved" in box.keyring_notice.text()

    qtbot.mouseClick(box.stop_button, Qt.MouseButton.LeftButton)
    assert box.key_edit.text() == KEY and not box.key_edit.isReadOnly()  # nothing lost
    assert "may not be saved" in box.keyring_notice.text()
    assert box.memory_button.isVisible() and box.memory_button.isEnabled()
    assert not box.busy

    # Unlocked, a second try goes through and the key leaves the field.
    locked.unlock()
    qtbot.mouseClick(box.set_key_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)
    assert not locked.on_ui_thread
    assert locked.get("Demo") == KEY
    assert box.key_edit.text() == ""
    # Set key saved the form too: the account typed meanwhile is kept, nothing left to ask.
    assert profiles.get("Demo") == Profile("Demo", account_id="acct_9")


def test_closing_with_a_typed_key_waits_until_the_keyring_took_it(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    locked_dialog: ProfilesDialog,
    locked: LockedKeyring,
) -> None:
    dialog = locked_dialog
    qtbot.mouseClick(dialog.key_box.stop_button, Qt.MouseButton.LeftButton)
    type_key(qtbot, dialog, KEY)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "Save the changes first?" Save
    assert dialog.key_box.writing
    assert dialog.isVisible()  # not closed while the key may still fail to be stored
    locked.unlock()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert locked.get("Demo") == KEY
