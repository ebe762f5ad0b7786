"""A profile's API key in the profiles dialog: whether there is one (masked), where it lives,
and setting, replacing, deleting or keeping it in memory for this run.

The key lives only in the ``CredentialStore`` under the profile's name, or, when no keyring
works and the user agrees, in ``session_keys`` for this run. It is typed into a password field
and afterwards only ever shown masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.secrets import key_hint
from explorer.store.credentials import KeyringUnavailable, move_secret
from explorer.ui.confirm import confirm_destructive
from explorer.ui.jobs import BlockingCall
from explorer.ui.widgets.banner import tinted_label
from explorer.ui.widgets.secret_entry import mask_secret_entry

if TYPE_CHECKING:
    from explorer.store.credentials import CredentialStore, MemoryCredentials


class KeyBox(QGroupBox):
    """The "API key" group of the profile being edited (``profile``; ``None`` for a new one).

    Signals:
        changed(): a key was stored, kept in memory or deleted.
        edited(): the typed key changed.
        busy_changed(): a keyring write started or ended (``writing``).
    """

    changed = Signal()
    edited = Signal()
    busy_changed = Signal()

    def __init__(
        self,
        credentials: CredentialStore,
        session_keys: MemoryCredentials,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("API key", parent)
        self.credentials = credentials
        self.session_keys = session_keys
        self.profile: str | None = None
        self.call = BlockingCall(self)  # keyring reads and writes: never on the UI thread
        self._writing = False
        self.key_status = QLabel(self)
        self.key_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.delete_key_button = QPushButton("Delete key…", self)
        self.delete_key_button.clicked.connect(self.delete_key)
        status_row = QHBoxLayout()
        status_row.addWidget(self.key_status, 1)
        status_row.addWidget(self.delete_key_button)

        self.key_edit = QLineEdit(self)
        self.key_reveal = mask_secret_entry(self.key_edit)  # masked, with a show toggle
        self.key_edit.setPlaceholderText("Paste the API key")
        self.key_edit.setAccessibleName("API key")
        self.key_edit.textChanged.connect(lambda _text: self.edited.emit())
        # Enter here, as in every field, is the dialog's default button: Save (key included).
        self.set_key_button = QPushButton("Set key", self)
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.key_edit, 1)
        entry_row.addWidget(self.set_key_button)

        self.location_label = QLabel(self)
        self.location_label.setWordWrap(True)
        self.location_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.location_label.setText(f"Stored in: {self.credentials.location()}")

        self.keyring_notice = tinted_label()
        self.memory_button = QPushButton("Keep in memory for this run only", self)
        self.memory_button.setToolTip(
            "The key is forgotten when the app quits; it is never written to disk"
        )
        self.memory_button.clicked.connect(self.keep_in_memory)
        self.memory_button.hide()
        memory_row = QHBoxLayout()
        memory_row.addStretch(1)
        memory_row.addWidget(self.memory_button)
        self.stop_button = QPushButton("Stop waiting", self)
        self.stop_button.setToolTip(
            "Stop waiting for the OS keyring (its unlock prompt may be open)"
        )
        self.stop_button.clicked.connect(self.stop_waiting)
        self.stop_button.hide()
        status_row.addWidget(self.stop_button)
        for button in (self.delete_key_button, self.memory_button, self.stop_button):
            button.setAutoDefault(False)  # Enter never destroys; Space still presses them

        layout = QVBoxLayout(self)
        layout.addLayout(status_row)
        layout.addLayout(entry_row)
        layout.addWidget(self.location_label)
        layout.addWidget(self.keyring_notice)
        layout.addLayout(memory_row)

    def typed(self) -> str:
        return self.key_edit.text()

    @property
    def busy(self) -> bool:
        """The keyring is being read or written for this box and has not answered yet."""
        return self.call.busy

    @property
    def writing(self) -> bool:
        """A key is being written to (or deleted from) the keyring and has not come back."""
        return self._writing

    def show_profile(self, name: str | None) -> None:
        """The key of profile ``name`` (``None``: a new profile, no key yet); nothing typed."""
        self.profile = name
        self.clear_field()
        self.keyring_notice.hide()
        self.memory_button.hide()
        self.refresh()

    def save(self, name: str, key: str, *, renamed_from: str | None = None) -> None:
        """Store ``key`` (if any) for profile ``name``, after carrying a key filed under
        ``renamed_from`` over to the new name; off the UI thread (a locked keyring asks for
        its password). The typed key stays in its field until the keyring took it, so a
        failure, a Stop waiting or a refusal loses nothing."""
        note = ""
        if renamed_from is not None:
            note = self._rename_in(self.session_keys, renamed_from, name)
        if renamed_from is None and not key:
            self.refresh()
            return
        credentials = self.credentials

        def write() -> tuple[str, BaseException | None]:
            moved = note
            if renamed_from is not None and not moved:
                moved = self._rename_in(credentials, renamed_from, name)
            if not key:
                return moved, None
            try:
                credentials.set(name, key)
            except Exception as exc:  # told in the notice, never a crash
                return moved, exc
            return moved, None

        self._start_write("Saving the key to the OS keyring…", write, self._saved(name, key))

    def _saved(self, name: str, key: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            moved, error = result if isinstance(result, tuple) else ("", result)
            self._end_write(announce=False)  # announced once the outcome shows
            if self.profile == name:
                self._show_saved(name, key, error, moved)
            self.busy_changed.emit()

        return done

    def _show_saved(self, name: str, key: str, error: object, moved: str) -> None:
        """What the keyring said to a save: the key put away, or why it was not."""
        if isinstance(error, KeyringUnavailable):
            # Keep the typed key in the (password) field so "keep in memory" can take it.
            self.show_notice(str(error), offer_memory=True)
            self.refresh(check_keyring=False)
        elif isinstance(error, BaseException):
            self.show_notice(f"Could not store the key: {error}", offer_memory=False)
            self.refresh()
        elif key:
            self.session_keys.delete(name)  # the keyring copy is now the one to use
            self._put_away()
        else:
            self.refresh()
            self.changed.emit()
        if moved:
            self.show_notice(moved, offer_memory=False)

    def store(self, name: str, key: str) -> None:
        """Put ``key`` in the keyring for profile ``name``; offer memory if it cannot."""
        self.save(name, key)

    def keep_in_memory(self) -> None:
        """The keyring failed: keep the typed key for this run only, never on disk."""
        name = self.profile
        key = self.key_edit.text()
        if name is None or not key or self._writing:
            return
        self.session_keys.set(name, key)
        self._put_away()

    def _put_away(self) -> None:
        """The typed key is stored: the field empties, a notice goes, the new state shows."""
        self.clear_field()
        self.keyring_notice.hide()
        self.memory_button.hide()
        self.refresh()
        self.changed.emit()

    def delete_key(self) -> None:
        """Remove the profile's key from the keyring and from memory, after confirming."""
        name = self.profile
        if name is None or self._writing:
            return
        if not confirm_destructive(
            self,
            "Delete API key",
            f"Delete the API key of profile '{name}'? Requests with this profile will need a"
            " key again.",
        ):
            return
        self.session_keys.delete(name)
        credentials = self.credentials

        def done(error: object) -> None:
            self._end_write()
            if self.profile == name:
                if isinstance(error, KeyringUnavailable):
                    self.show_notice(str(error), offer_memory=False)
                elif isinstance(error, BaseException):
                    self.show_notice(f"Could not delete the key: {error}", offer_memory=False)
                self.refresh()
            self.changed.emit()

        self._start_write(
            "Deleting the key from the OS keyring…", lambda: credentials.delete(name), done
        )

    def forget(self, name: str) -> None:
        """The profile ``name`` was deleted: its key goes too (from memory at once, from the
        keyring off the UI thread); a key that stays behind is reported."""
        self.session_keys.delete(name)
        credentials = self.credentials

        def done(error: object) -> None:
            self._end_write()
            self.refresh()
            if isinstance(error, BaseException):
                self.show_notice(
                    f"The profile was deleted, but its key could not be removed: {error}",
                    offer_memory=False,
                )

        self._start_write(
            "Deleting the key from the OS keyring…", lambda: credentials.delete(name), done
        )

    @staticmethod
    def _rename_in(store: CredentialStore | MemoryCredentials, old: str, new: str) -> str:
        """Follow a rename in ``store``: keys are filed under the profile name. Returns a
        note on failure (the key then stays under the old name: nothing is lost)."""
        try:
            if old.casefold() == new.casefold():
                # Some keyrings (Windows) ignore case: writing "prod" would overwrite
                # "Prod" and deleting "Prod" afterwards would lose the key.
                key = store.get(old)
                if key is not None:
                    store.delete(old)
                    store.set(new, key)
            else:
                move_secret(store, old, new)
        except Exception as exc:  # told in the notice, never a crash
            return (
                f"The profile was renamed, but a key stored under '{old}' could not be moved:"
                f" {exc} Set the key again if requests fail with 401."
            )
        return ""

    def _start_write(
        self, doing: str, func: Callable[[], object], done: Callable[[object], None]
    ) -> None:
        """A write waits on the keyring: say so, and hold what must wait for it (the typed
        key stays, read-only, in its field)."""
        self._writing = True
        self.key_status.setText(doing)
        self.key_edit.setReadOnly(True)
        self.set_key_button.setEnabled(False)
        self.delete_key_button.setEnabled(False)
        self.memory_button.setEnabled(False)
        self.stop_button.show()
        self.busy_changed.emit()
        self.call.start(func, done)

    def _end_write(self, *, announce: bool = True) -> None:
        self._writing = False
        self.key_edit.setReadOnly(False)
        self.stop_button.hide()
        if announce:
            self.busy_changed.emit()

    def stop_waiting(self) -> None:
        """Give up waiting for the keyring (its prompt may stay open for ever). A write may
        still land later; the typed key is still in its field, so nothing is lost."""
        if not self.call.cancel():
            return
        was_writing = self._writing
        self._end_write()
        if was_writing:
            self.show_notice(
                "Stopped waiting for the OS keyring: the key may not be saved (it is still in"
                " the field). Unlock the keyring and save again, or keep it in memory.",
                offer_memory=True,
            )
            self.key_status.setText("Not confirmed: the keyring did not answer")
        else:
            self.key_status.setText("Not read: the keyring did not answer")
        self.update_buttons()

    def clear_field(self) -> None:
        # setText (unlike typing) also drops the undo history, so the key is gone for good.
        self.key_edit.setText("")
        self.key_reveal.setChecked(False)  # the next key is typed masked again

    def refresh(self, *, check_keyring: bool = True) -> None:
        """Show whether a key exists (masked), and where it lives; a write in progress
        shows itself until it comes back."""
        if self._writing:
            return
        self.call.cancel()  # a read for another profile, or an older state
        self.stop_button.hide()
        name = self.profile
        has_key = False
        self.location_label.setText(f"Stored in: {self.credentials.location()}")
        if name is None:
            text = "Enter the key now; it is stored when the profile is added."
        elif (session := self.session_keys.get(name)) is not None:
            text = f"Key {key_hint(session)}, kept in memory for this run only"
            # Where this key is, not where keys usually go: it is in no keyring.
            self.location_label.setText(
                "Kept in memory for this run only: never written to disk or to the keyring."
            )
            has_key = True
        elif not check_keyring:
            text = "Not stored: the keyring is unavailable"
        else:
            self._read_stored(name)
            return
        self._show_state(text, has_key)

    def _show_state(self, text: str, has_key: bool) -> None:
        self.key_status.setText(text)
        self.delete_key_button.setEnabled(has_key and not self._writing)
        self.set_key_button.setText("Replace key" if has_key else "Set key")
        self.key_edit.setPlaceholderText(
            "Paste a new key to replace it" if has_key else "Paste the API key"
        )

    def _read_stored(self, name: str) -> None:
        """Whether the keyring holds a key for ``name``, read off the UI thread (a locked
        keyring asks for its password, maybe for ever); the status says so meanwhile."""
        self.key_status.setText("Reading the key from the OS keyring…")
        self.delete_key_button.setEnabled(False)
        self.stop_button.show()
        credentials = self.credentials

        def done(stored: object) -> None:  # the key, or what the keyring raised
            self.stop_button.hide()
            if self.profile == name:
                self._show_state(*self._stored_state(stored))

        self.call.start(lambda: credentials.get(name), done)

    def _stored_state(self, stored: object) -> tuple[str, bool]:
        """What the keyring gave: the words for it, and whether there is a key."""
        if isinstance(stored, KeyringUnavailable):
            self.show_notice(str(stored), offer_memory=True)
            return "The keyring is unavailable", False
        if isinstance(stored, BaseException):
            self.show_notice(f"Could not read the key: {stored}", offer_memory=False)
            return "The key could not be read", False
        if not isinstance(stored, str) or not stored:
            return "No key stored", False
        return f"Key {key_hint(stored)}", True

    def show_notice(self, text: str, *, offer_memory: bool) -> None:
        self.keyring_notice.setText(text)
        self.keyring_notice.show()
        self.memory_button.setVisible(offer_memory)
        self.memory_button.setEnabled(bool(self.key_edit.text()) and self.profile is not None)

    def update_buttons(self, *, can_set: bool = True) -> None:
        """Set and "keep in memory" only with a typed key (and a valid form: ``can_set``)."""
        typed = bool(self.key_edit.text()) and not self._writing
        self.set_key_button.setEnabled(can_set and typed)
        self.memory_button.setEnabled(typed and self.profile is not None)
