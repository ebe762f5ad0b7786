"""Add, edit and delete profiles, and manage each profile's API key in the OS keyring.

A profile (name, base URL, default account id) lives in the profiles file; its API key lives only
in the OS keyring (or in memory for this run): ``key_box`` is the part of the dialog for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import ExplorerError
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest, validate
from explorer.store.profiles import Profile
from explorer.ui.confirm import confirm_destructive, settle_changes
from explorer.ui.profiles.key_box import KeyBox
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.banner import tinted_label

if TYPE_CHECKING:
    from explorer.store.credentials import CredentialStore, MemoryCredentials
    from explorer.store.profiles import ProfileStore


class ProfilesDialog(QDialog):
    """The profiles editor.

    Signals:
        profiles_changed(): a profile was added, renamed, edited or deleted, or a key was set or
            removed; the window should re-read the profile list and the active key.
    """

    profiles_changed = Signal()

    def __init__(
        self,
        profiles: ProfileStore,
        credentials: CredentialStore,
        session_keys: MemoryCredentials,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self.credentials = credentials
        self.session_keys = session_keys
        self._current: str | None = None  # the saved profile being edited; None for a new one
        self._loading = False
        self._close_when_written = False  # closing waited for a key to reach the keyring

        self.setWindowTitle("Profiles")
        self.setModal(True)
        self._build_ui()
        self._fill_list()
        first = self.profiles.list()
        if first:
            self.select_profile(first[0].name)
        else:
            self.start_new()

    # -- construction ----------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.file_error = tinted_label()
        if self.profiles.load_error:
            self.file_error.setText(
                f"The profiles file could not be read, so the list starts empty. Saving will"
                f" replace it.\n{self.profiles.load_error}"
            )
            self.file_error.show()

        self.profile_list = QListWidget(self)
        self.profile_list.setAccessibleName("Profiles")
        self.profile_list.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 22)
        self.profile_list.currentItemChanged.connect(self._on_current_item_changed)
        self.new_button = QPushButton("New", self)
        self.new_button.setToolTip("Add a profile")
        self.new_button.clicked.connect(self.start_new)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setToolTip("Delete the selected profile and its API key")
        self.delete_button.clicked.connect(self.delete_current)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("e.g. Production EU")
        self.base_url_edit = QLineEdit(self)
        self.base_url_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url_edit.setToolTip(
            "Where StackOne lives for this project; EU projects use https://api.eu1.stackone.com"
        )
        self.account_edit = QLineEdit(self)
        self.account_edit.setPlaceholderText("optional: filled into new requests")
        for edit in (self.name_edit, self.base_url_edit, self.account_edit):
            edit.textChanged.connect(self._on_form_changed)
        self.validation_label = QLabel(self)
        self.validation_label.setWordWrap(True)
        self.validation_label.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Base URL:", self.base_url_edit)
        form.addRow("Default &account id:", self.account_edit)
        form.addRow(self.validation_label)

        self.key_box = KeyBox(self.credentials, self.session_keys, self)
        self.key_box.changed.connect(self.profiles_changed)
        self.key_box.edited.connect(self._on_form_changed)
        self.key_box.set_key_button.clicked.connect(self.set_key)
        self.key_box.busy_changed.connect(self._on_key_busy)

        self.save_button = QPushButton("Save changes", self)
        # Enter in any field saves (the profile and a typed key) and the dialog stays open.
        # Without a default of its own, Qt would make the first button in the focus chain the
        # default, and Enter would press "Delete key…" or "New".
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_current)
        self.delete_button.setAutoDefault(False)  # Enter never destroys; Space still presses it
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.key_box)
        right.addStretch(1)
        right.addLayout(save_row)

        columns = QHBoxLayout()
        columns.addLayout(left)
        columns.addSpacing(8)
        columns.addLayout(right, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_error)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        # Room for the keyring notice to wrap without squeezing the form.
        char = self.fontMetrics().horizontalAdvance("0")
        self.setMinimumSize(char * 80, self.fontMetrics().height() * 24)
        self.resize(char * 100, self.fontMetrics().height() * 30)

    # -- public API --------------------------------------------------------------------------
    def current_name(self) -> str | None:
        """The saved profile being edited, or ``None`` while a new one is being entered."""
        return self._current

    def select_profile(self, name: str) -> bool:
        """Show one profile in the form; ``False`` if there is no such profile."""
        for row in range(self.profile_list.count()):
            item = self.profile_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.profile_list.setCurrentItem(item)
                return True
        return False

    def start_new(self) -> None:
        """Clear the form for a new profile."""
        if not self._settle_pending():
            return
        self._loading = True
        try:
            self.profile_list.setCurrentRow(-1)
        finally:
            self._loading = False
        self._show_profile(None)
        self.name_edit.setFocus()

    def save_current(self) -> bool:
        """Save the form (and a typed key, if any). ``False`` if nothing could be saved."""
        problems = self._problems()
        if problems:
            self._show_problems(problems)
            return False
        profile = Profile(
            name=self.name_edit.text().strip(),
            base_url=self.base_url_edit.text().strip() or DEFAULT_BASE_URL,
            account_id=self.account_edit.text().strip(),
        )
        old = self._current
        try:
            self.profiles.upsert(profile, old_name=old)
            self.profiles.save()
        except ValueError as exc:
            self._show_problems([str(exc)])
            return False
        except (ExplorerError, OSError) as exc:
            QMessageBox.warning(self, "Profiles", f"Could not save the profiles file:\n{exc}")
            return False
        renamed_from = old if old is not None and old != profile.name else None
        self._current = self.key_box.profile = profile.name
        self._fill_list(select=profile.name)
        self.profiles_changed.emit()
        # The key (typed, or filed under the old name) follows off the UI thread.
        self.key_box.save(profile.name, self.key_box.typed(), renamed_from=renamed_from)
        self._on_form_changed()
        return True

    def set_key(self) -> None:
        """Store the typed key for this profile (saving a new or edited profile first)."""
        if not self.key_box.typed():
            return
        if self._current is None or self._form_dirty():
            self.save_current()  # stores the typed key too
            return
        self.key_box.store(self._current, self.key_box.typed())

    def delete_current(self) -> None:
        """Delete the selected profile and its key, after confirming."""
        name = self._current
        if name is None:
            self.start_new()
            return
        if not confirm_destructive(
            self,
            "Delete profile",
            f"Delete profile '{name}' and its API key? This cannot be undone.",
        ):
            return
        try:
            self.profiles.delete(name)
            self.profiles.save()
        except (ExplorerError, OSError) as exc:
            QMessageBox.warning(self, "Profiles", f"Could not save the profiles file:\n{exc}")
        remaining = self.profiles.list()
        following = remaining[0] if remaining else None
        self._fill_list(select=following.name if following else None)
        self._show_profile(following)
        self.key_box.forget(name)  # the key goes too, off the UI thread
        self.profiles_changed.emit()

    # -- form state --------------------------------------------------------------------------
    def _fill_list(self, select: str | None = None) -> None:
        self._loading = True
        try:
            self.profile_list.clear()
            for profile in self.profiles.list():
                item = QListWidgetItem(profile.name)
                item.setData(Qt.ItemDataRole.UserRole, profile.name)
                item.setToolTip(profile.base_url)
                self.profile_list.addItem(item)
        finally:
            self._loading = False
        if select is not None:
            self._loading = True
            try:
                self.select_profile(select)
            finally:
                self._loading = False

    def _on_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if self._loading or current is None:
            return
        name = current.data(Qt.ItemDataRole.UserRole)
        if name == self._current:
            return
        if not self._settle_pending():
            # Stay where the user was.
            self._loading = True
            try:
                self.profile_list.setCurrentRow(self.profile_list.row(previous) if previous else -1)
            finally:
                self._loading = False
            return
        self._show_profile(self.profiles.get(name))

    def _show_profile(self, profile: Profile | None) -> None:
        self._loading = True
        try:
            self._current = profile.name if profile else None
            self.name_edit.setText(profile.name if profile else "")
            base_url = profile.base_url if profile else DEFAULT_BASE_URL
            self.base_url_edit.setText(base_url)
            self.account_edit.setText(profile.account_id if profile else "")
            self.key_box.show_profile(self._current)
        finally:
            self._loading = False
        self.validation_label.hide()
        self._on_form_changed()

    def _saved_values(self) -> tuple[str, str, str]:
        profile = self.profiles.get(self._current) if self._current else None
        if profile is None:
            return ("", DEFAULT_BASE_URL, "")
        return (profile.name, profile.base_url, profile.account_id)

    def _form_values(self) -> tuple[str, str, str]:
        return (
            self.name_edit.text().strip(),
            self.base_url_edit.text().strip() or DEFAULT_BASE_URL,
            self.account_edit.text().strip(),
        )

    def _form_dirty(self) -> bool:
        return self._form_values() != self._saved_values()

    def _pending(self) -> bool:
        return self._form_dirty() or bool(self.key_box.typed())

    def _settle_pending(self) -> bool:
        """Before leaving the form: offer to save unsaved edits. ``False`` means stay."""
        if not self._pending():
            return True
        if self._current is None and not any(self._form_values()[::2]) and not self.key_box.typed():
            return True  # an untouched new form
        settled = settle_changes(
            self, "Unsaved changes", "Save the changes to this profile first?", self.save_current
        )
        # A typed key saved just now is still on its way to the keyring: stay, so a failure
        # is seen (and the key kept) where it was typed.
        return settled and not self.key_box.writing

    def _problems(self) -> list[str]:
        name, base_url, account_id = self._form_values()
        problems = []
        other = self.profiles.get(name) if name else None  # names compare without case
        if not name:
            problems.append("Name: enter a name for the profile.")
        elif other is not None and other.name != self._current:
            problems.append(f"Name: a profile named '{other.name}' already exists.")
        probe = RpcRequest(action="probe", account_id="probe", base_url=base_url)
        problems += [
            f"Base URL: {issue.message}." for issue in validate(probe) if issue.field == "base_url"
        ]
        if any(c.isspace() for c in account_id):
            problems.append("Default account id: account ids contain no spaces.")
        return problems

    def _show_problems(self, problems: list[str]) -> None:
        # Picked when shown, so the red suits the current light or dark background.
        red = status_colour("5xx", is_dark()).name()
        self.validation_label.setStyleSheet(f"QLabel {{ color: {red}; }}")
        self.validation_label.setText("\n".join(problems))
        self.validation_label.setVisible(bool(problems))

    def _on_form_changed(self, *_args: object) -> None:
        if self._loading:
            return
        problems = self._problems()
        # Say what is wrong only once the user has typed something; a blank new form is calm.
        touched = self._current is not None or any(self._form_values()[::2])
        self._show_problems(problems if touched else [])
        dirty = self._form_dirty()
        valid = not problems
        self.save_button.setText("Add profile" if self._current is None else "Save changes")
        writing = self.key_box.writing  # what depends on the key being written waits
        self.save_button.setEnabled(valid and not writing and (dirty or bool(self.key_box.typed())))
        self.save_button.setToolTip(problems[0] if problems else "")
        self.key_box.update_buttons(can_set=valid)
        self.delete_button.setEnabled(self._current is not None and not writing)
        for widget in (self.profile_list, self.new_button, self.name_edit):
            widget.setEnabled(not writing)

    # -- closing -----------------------------------------------------------------------------
    def reject(self) -> None:
        """Close (Esc, the Close button or the window's X), offering to save edits first.

        While a key is being written to the keyring the dialog stays open (closing would
        leave the user not knowing whether the key was saved): it says so, and Stop waiting
        ends the wait with the key still in its field."""
        if self.key_box.writing:
            self.key_box.show_notice(
                "The key is still being saved to the OS keyring (it may be waiting for its"
                " password). Answer the keyring's prompt, or press Stop waiting to close"
                " without it.",
                offer_memory=False,
            )
            return
        if self._settle_pending():
            super().reject()
        elif self.key_box.writing:
            self._close_when_written = True  # closes once the keyring took the key

    def _on_key_busy(self) -> None:
        self._on_form_changed()
        if self._close_when_written and not self.key_box.writing:
            self._close_when_written = False
            if not self.key_box.typed():  # stored: nothing left to lose
                super().reject()
