"""A profile's API key in the profiles dialog: whether there is one (masked), where it lives,
and setting, replacing, deleting or keeping it in memory for this run.

The key lives only in the ``CredentialStore`` under the profile's name, or, when no keyring
works and the user agrees, in ``session_keys`` for this run. It is typed into a password field
and afterwards only ever shown masked.
"""

from __future__ import annotations

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

from explorer.core.errors import ExplorerError
from explorer.core.secrets import key_hint
from explorer.store.credentials import KeyringUnavailable, move_secret
from explorer.ui.confirm import confirm_destructive
from explorer.ui.widgets.banner import tinted_label
from explorer.ui.widgets.secret_entry import mask_secret_entry

if TYPE_CHECKING:
    from explorer.store.credentials import CredentialStore, MemoryCredentials


class KeyBox(QGroupBox):
    """The "API key" group of the profile being edited (``profile``; ``None`` for a new one).

    Signals:
        changed(): a key was stored, kept in memory or deleted.
        edited(): the typed key changed.
    """

    changed = Signal()
    edited = Signal()

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
        for button in (self.delete_key_button, self.memory_button):
            button.setAutoDefault(False)  # Enter never destroys; Space still presses them

        layout = QVBoxLayout(self)
        layout.addLayout(status_row)
        layout.addLayout(entry_row)
        layout.addWidget(self.location_label)
        layout.addWidget(self.keyring_notice)
        layout.addLayout(memory_row)

    def typed(self) -> str:
        return self.key_edit.text()

    def show_profile(self, name: str | None) -> None:
        """The key of profile ``name`` (``None``: a new profile, no key yet); nothing typed."""
        self.profile = name
        self.clear_field()
        self.keyring_notice.hide()
        self.memory_button.hide()
        self.refresh()

    def store(self, name: str, key: str) -> None:
        """Put ``key`` in the keyring for profile ``name``; offer memory if it cannot."""
        try:
            self.credentials.set(name, key)
        except KeyringUnavailable as exc:
            # Keep the typed key in the (password) field so "keep in memory" can take it.
            self.show_notice(str(exc), offer_memory=True)
            self.refresh(check_keyring=False)
            return
        except ExplorerError as exc:
            self.show_notice(f"Could not store the key: {exc}", offer_memory=False)
            return
        self.session_keys.delete(name)  # the keyring copy is now the one to use
        self._put_away()

    def keep_in_memory(self) -> None:
        """The keyring failed: keep the typed key for this run only, never on disk."""
        name = self.profile
        key = self.key_edit.text()
        if name is None or not key:
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
        if name is None:
            return
        if not confirm_destructive(
            self,
            "Delete API key",
            f"Delete the API key of profile '{name}'? Requests with this profile will need a"
            " key again.",
        ):
            return
        self.session_keys.delete(name)
        try:
            self.credentials.delete(name)
        except KeyringUnavailable as exc:
            self.show_notice(str(exc), offer_memory=False)
        except ExplorerError as exc:
            self.show_notice(f"Could not delete the key: {exc}", offer_memory=False)
        self.refresh()
        self.changed.emit()

    def follow_rename(self, old: str, new: str) -> str:
        """Follow a rename: keys are filed under the profile name. Returns a note on failure."""
        try:
            for store in (self.session_keys, self.credentials):
                if old.casefold() == new.casefold():
                    # Some keyrings (Windows) ignore case: writing "prod" would overwrite
                    # "Prod" and deleting "Prod" afterwards would lose the key.
                    key = store.get(old)
                    if key is not None:
                        store.delete(old)
                        store.set(new, key)
                else:
                    move_secret(store, old, new)
        except ExplorerError as exc:
            return (
                f"The profile was renamed, but a key stored under '{old}' could not be moved:"
                f" {exc} Set the key again if requests fail with 401."
            )
        return ""

    def clear_field(self) -> None:
        # setText (unlike typing) also drops the undo history, so the key is gone for good.
        self.key_edit.setText("")
        self.key_reveal.setChecked(False)  # the next key is typed masked again

    def refresh(self, *, check_keyring: bool = True) -> None:
        """Show whether a key exists (masked), and where it lives."""
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
            text, has_key = self._stored_state(name)
        self.key_status.setText(text)
        self.delete_key_button.setEnabled(has_key)
        self.set_key_button.setText("Replace key" if has_key else "Set key")
        self.key_edit.setPlaceholderText(
            "Paste a new key to replace it" if has_key else "Paste the API key"
        )

    def _stored_state(self, name: str) -> tuple[str, bool]:
        """What the keyring holds for ``name``: the words for it, and whether there is a key."""
        try:
            stored = self.credentials.get(name)
        except KeyringUnavailable as exc:
            self.show_notice(str(exc), offer_memory=True)
            return "The keyring is unavailable", False
        except ExplorerError as exc:
            self.show_notice(f"Could not read the key: {exc}", offer_memory=False)
            return "The key could not be read", False
        return (f"Key {key_hint(stored)}" if stored else "No key stored"), stored is not None

    def show_notice(self, text: str, *, offer_memory: bool) -> None:
        self.keyring_notice.setText(text)
        self.keyring_notice.show()
        self.memory_button.setVisible(offer_memory)
        self.memory_button.setEnabled(bool(self.key_edit.text()) and self.profile is not None)

    def update_buttons(self, *, can_set: bool = True) -> None:
        """Set and "keep in memory" only with a typed key (and a valid form: ``can_set``)."""
        typed = bool(self.key_edit.text())
        self.set_key_button.setEnabled(can_set and typed)
        self.memory_button.setEnabled(typed and self.profile is not None)
