"""The environments dialog: one collection's environments, plain and secret variables.

It edits the collection directly, because each Apply is a store call of its own and secret
values must go straight to the keyring, off the UI thread (a locked keyring waits for its
password).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import ExplorerError
from explorer.store.collections import CollectionStore, Environment
from explorer.ui.collections.dialogs import ask_name
from explorer.ui.confirm import confirm_destructive, settle_changes
from explorer.ui.jobs import BlockingCall
from explorer.ui.theme import is_dark
from explorer.ui.widgets.secret_entry import DOTS, mask_secret_entry

# A keyring change: an entry and its new value (None: deleted).
Change = tuple[str, str | None]


class _ValueDelegate(QStyledItemDelegate):
    """The Value column: a secret row's value is typed masked (with a show toggle) and reads
    as a mask once entered; a plain value edits and reads as it is."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table

    def _secret(self, row: int) -> bool:
        check = self._table.item(row, 2)
        return check is not None and check.checkState() == Qt.CheckState.Checked

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and self._secret(index.row()):
            mask_secret_entry(editor)
        return editor

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if option.text and self._secret(index.row()):
            option.text = DOTS


class _SecretBoxDelegate(QStyledItemDelegate):
    """The Secret column's check box, outlined so it shows on a dark table too.

    Fusion outlines an item view's check box in a shade of the palette's Window colour; on the
    dark theme that shade is the table's own colour, and an unchecked box disappears.
    """

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if is_dark():
            palette = option.palette
            palette.setColor(
                QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.PlaceholderText)
            )
            option.palette = palette


class EnvironmentsDialog(QDialog):
    """Edit a collection's environments: plain variables, and secret ones kept in the keyring.

    A secret's value is never shown; leaving its cell empty keeps the stored value. Enter
    (outside a cell being edited) applies; closing, or switching to another environment, with
    values typed but not applied asks first, so typing is never lost silently.

    Secret values are written (renamed, deleted) off the UI thread: a locked keyring waits for
    its password, maybe for ever. Meanwhile the dialog says so and holds still (it does not
    close, nor claim anything saved); the file changes once the keyring has answered, and a
    failure or a Stop waiting leaves the typed values in the table.
    """

    def __init__(self, store: CollectionStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(f"Environments of {store.collection.name}")
        self.env_combo = QComboBox()
        self.add_env = QPushButton("Add…")
        self.rename_env = QPushButton("Rename…")
        self.delete_env = QPushButton("Delete")
        top = QHBoxLayout()
        env_label = QLabel("&Environment:")
        env_label.setBuddy(self.env_combo)
        top.addWidget(env_label)
        top.addWidget(self.env_combo, 1)
        for button in (self.add_env, self.rename_env, self.delete_env):
            button.setAutoDefault(False)  # Enter in the table must not add an environment
            top.addWidget(button)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Variable", "Value", "Secret"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(1, _ValueDelegate(self.table))
        self.table.setItemDelegateForColumn(2, _SecretBoxDelegate(self.table))
        self.table.setAccessibleName("Variables")
        self.table.setTabKeyNavigation(False)  # one Tab stop; the arrows move inside
        self.add_var = QPushButton("Add variable")
        self.remove_var = QPushButton("Remove variable")
        self.note = QLabel(
            "Secret values go to the OS keyring, never into the collection's files; "
            "each colleague sets their own."
        )
        self.note.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #cf222e")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()  # only while the keyring is being written
        self.stop_button = QPushButton("Stop waiting")
        self.stop_button.setToolTip(
            "Stop waiting for the OS keyring (its unlock prompt may be open)"
        )
        self.stop_button.setAutoDefault(False)
        self.stop_button.clicked.connect(self.stop_waiting)
        self.stop_button.hide()
        waiting = QHBoxLayout()
        waiting.addWidget(self.status, 1)
        waiting.addWidget(self.stop_button)
        row = QHBoxLayout()
        row.addWidget(self.add_var)
        row.addWidget(self.remove_var)
        row.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.apply)
        close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (self.add_var, self.remove_var, close_button):
            button.setAutoDefault(False)  # Enter after a cell edit applies, never closes
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addLayout(waiting)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Only once the button is inside the dialog does Qt record it as the dialog's default.
        self.apply_button.setDefault(True)
        self.resize(560, 380)

        self.env_combo.currentIndexChanged.connect(self._on_env_chosen)
        self.add_env.clicked.connect(self._add_environment)
        self.rename_env.clicked.connect(self._rename_environment)
        self.delete_env.clicked.connect(self._delete_environment)
        self.add_var.clicked.connect(self._add_variable)
        self.remove_var.clicked.connect(self._remove_row)
        self.table.itemChanged.connect(self._on_item_changed)
        self._removed: list[str] = []
        self._shown: str | None = None  # the environment the table holds
        self._secret_check = BlockingCall(self)  # keyring reads: never on the UI thread
        self._writes = BlockingCall(self)  # keyring writes: never on the UI thread either
        self._stopped = ""  # what a Stop waiting leaves undone, in words
        self._filling = False
        self._dirty = False  # typed (or removed) but not applied
        self._refill_envs()

    def current(self) -> str | None:
        name = self.env_combo.currentText()
        return name if name in self.store.collection.environments else None

    def _refill_envs(self, select: str | None = None) -> None:
        keep = select or self.env_combo.currentText()
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        self.env_combo.addItems(sorted(self.store.collection.environments))
        index = self.env_combo.findText(keep)
        self.env_combo.setCurrentIndex(max(index, 0))
        self.env_combo.blockSignals(False)
        self._fill()

    def has_changes(self) -> bool:
        """Whether the table holds values typed (or rows removed) and not applied yet."""
        return self._dirty

    @property
    def writing(self) -> bool:
        """Secret values are being written to the keyring and it has not answered yet."""
        return self._writes.busy

    def _fill(self) -> None:
        self._filling = True
        try:
            self._fill_table()
        finally:
            self._filling = False
        self._dirty = False

    def _fill_table(self) -> None:
        self.table.setRowCount(0)
        self._removed = []
        name = self.current()
        self._shown = name
        self._enable()
        if name is None:
            return
        env = self.store.collection.environments[name]
        for key in sorted(env.variables):
            self.add_row(key, env.variables[key], secret=False)
        for key in sorted(env.secrets):
            row = self.add_row(key, "", secret=True)
            check = self.table.item(row, 2)
            if check is not None:
                check.setText("checking the keyring…")
        if env.secrets:
            self._check_secrets(name)

    def _check_secrets(self, name: str) -> None:
        """Which secrets have a value here, read off the UI thread (a locked keyring asks for
        its password, maybe for ever); the rows say "checking the keyring…" meanwhile."""
        store = self.store  # a failure comes to _show_secrets as the exception raised
        self._secret_check.start(
            lambda: store.missing_secrets(name), lambda result: self._show_secrets(name, result)
        )

    def _show_secrets(self, name: str, result: object) -> None:
        if name != self._shown:
            return
        env = self.store.collection.environments.get(name)
        if isinstance(result, BaseException) or env is None:
            missing = set(env.secrets if env is not None else ())
            self.error.setText(f"Secret values cannot be read: {result}")
        else:
            missing = set(result) if isinstance(result, list) else set()
        filling, self._filling = self._filling, True  # a status, not the user's edit
        try:
            for row in range(self.table.rowCount()):
                check = self.table.item(row, 2)
                secret = check.data(Qt.ItemDataRole.UserRole) if check is not None else None
                if check is not None and secret:
                    check.setText("not set here" if secret in missing else "in keyring")
        finally:
            self._filling = filling

    def add_row(self, name: str, value: str, *, secret: bool) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        value_item = QTableWidgetItem(value)
        if secret:
            value_item.setToolTip("Stored in the OS keyring; type a new value to replace it")
        self.table.setItem(row, 1, value_item)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if secret else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.UserRole, name if secret else None)
        self.table.setItem(row, 2, check)
        return row

    def _add_variable(self) -> None:
        self.add_row("", "", secret=False)
        self._dirty = True

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            self.table.viewport().update()  # the value masks (or unmasks) with the box
        if not self._filling:
            self._dirty = True

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            item = self.table.item(row, 0)
            if item is not None and item.text().strip():
                self._removed.append(item.text().strip())
            self.table.removeRow(row)
            self._dirty = True

    def apply(self) -> bool:
        """Write the table to the collection (and secret values to the keyring). True when
        written at once; False when it failed, or while the keyring is being written."""
        return self._apply(None)

    def _apply(self, then: Callable[[], None] | None) -> bool:
        """Apply; with keyring writes to make, ``then`` runs once they and the file are
        written (a ``False`` meanwhile means "not yet": the caller stops there)."""
        name = self._shown
        if name is None or name not in self.store.collection.environments or self.writing:
            return False
        self.error.clear()
        variables, secrets, changes = self._planned(name)
        store = self.store

        def write_file() -> None:
            env = store.collection.environments[name]
            env.variables, env.secrets = variables, secrets
            store.set_environment(env)
            self._removed = []

        if not changes:  # no secret to write: no keyring to wait for
            return self._try(write_file, refill=True)

        def written(result: object) -> None:
            if isinstance(result, BaseException):
                self.error.setText(f"Not applied: {result} Your changes are still in the table.")
            elif self._try(write_file, refill=True) and then is not None:
                then()

        self._start_write(
            "Saving the secret values to the OS keyring…",
            lambda: store.write_secrets(changes),
            written,
            stopped="Stopped waiting for the OS keyring: the changes are not applied (they are "
            "still in the table). Unlock the keyring and press Apply again.",
        )
        return False

    def _planned(self, name: str) -> tuple[dict[str, str], list[str], list[Change]]:
        """What Apply writes: the variables and secret names for the file, and the keyring
        changes, as the table's rows ask for them in turn (an empty secret cell keeps its
        stored value)."""
        env = self.store.collection.environments[name]
        variables, secrets = dict(env.variables), list(env.secrets)
        changes: list[Change] = []
        for removed in self._removed:
            variables.pop(removed, None)
            if removed in secrets:
                secrets.remove(removed)
                changes.append((self.store.secret_key(name, removed), None))
        for row in range(self.table.rowCount()):
            key = (self.table.item(row, 0) or QTableWidgetItem()).text().strip()
            value = (self.table.item(row, 1) or QTableWidgetItem()).text()
            check = self.table.item(row, 2)
            if not key:
                continue
            if check is not None and check.checkState() == Qt.CheckState.Checked:
                if value or key not in secrets:
                    changes.append((self.store.secret_key(name, key), value))
                variables.pop(key, None)
                if key not in secrets:
                    secrets.append(key)
                continue
            if key in secrets:
                secrets.remove(key)
                changes.append((self.store.secret_key(name, key), None))
            variables[key] = value
        return variables, secrets, changes

    def _settle(self, then: Callable[[], None]) -> bool:
        """Before the table is refilled or the dialog closes: offer to apply typed values.
        ``False`` means stay (the user cancelled, applying failed, or the keyring is being
        written: ``then`` goes on once it is)."""
        if self.writing:
            self._say_writing()
            return False
        if not self._dirty or self._shown is None:
            return True
        return settle_changes(
            self,
            "Unapplied changes",
            f"Apply the changes to the environment '{self._shown}'?",
            lambda: self._apply(then),
            keep_button=QMessageBox.StandardButton.Apply,
        )

    def _on_env_chosen(self, _index: int) -> None:
        chosen = self.env_combo.currentText()
        if chosen == self._shown:
            return
        if not self._settle(
            lambda: self.env_combo.setCurrentIndex(self.env_combo.findText(chosen))
        ):
            self.env_combo.blockSignals(True)
            self.env_combo.setCurrentIndex(max(self.env_combo.findText(self._shown or ""), 0))
            self.env_combo.blockSignals(False)
            return
        self._fill()

    def reject(self) -> None:
        """Close (Esc, Close, the window's X), offering to apply typed values first; never
        while the keyring is being written (the user would not know what was saved)."""
        if self._settle(self.reject):
            super().reject()

    def _add_environment(self) -> None:
        if not self._settle(self._add_environment):
            return
        name = ask_name(self, "New environment", "Name (e.g. staging):")
        if name:
            self._try(lambda: self.store.set_environment(Environment(name)))
            self._refill_envs(select=name)

    def _rename_environment(self) -> None:
        old = self.current()
        if old is None or not self._settle(self._rename_environment):
            return
        new = ask_name(self, "Rename environment", "New name:", text=old)
        if not new or new == old:
            return
        secrets = list(self.store.collection.environments[old].secrets)
        if not secrets or new in self.store.collection.environments:
            if self._try(lambda: self.store.rename_environment(old, new)):  # or says why not
                self._refill_envs(select=new)
            return
        store = self.store
        olds: list[Change] = [(store.secret_key(old, secret), None) for secret in secrets]

        def copied(result: object) -> None:
            if isinstance(result, BaseException):
                self.error.setText(f"Not renamed: {result}")
                return
            if not self._try(lambda: store.rename_environment(old, new, move_secrets=False)):
                return
            self._refill_envs(select=new)
            self._start_write(
                "Removing the secret values kept under the old name from the OS keyring…",
                lambda: store.write_secrets(olds),
                lambda result: self._left_behind(result, old),
                stopped=f"Renamed; the secret values may still be in the OS keyring under "
                f"'{old}' as well.",
            )

        self._start_write(
            "Copying the secret values to the new name in the OS keyring…",
            lambda: store.copy_secrets(old, new, secrets),
            copied,
            stopped=f"Stopped waiting for the OS keyring: the environment '{old}' is not renamed.",
        )

    def _left_behind(self, result: object, old: str) -> None:
        if isinstance(result, BaseException):
            self.error.setText(
                f"Renamed, but the secret values under '{old}' could not be removed from the "
                f"OS keyring: {result}"
            )

    def _delete_environment(self) -> None:
        name = self.current()
        if name is None or self.writing:
            return
        if not confirm_destructive(
            self,
            "Delete environment",
            f"Delete the environment '{name}' with its variables, and its secret values from "
            "this machine's keyring? This cannot be undone.",
        ):
            return
        store = self.store
        secrets = store.collection.environments[name].secrets
        if not secrets:
            self._try(lambda: store.delete_environment(name))
            self._refill_envs()
            return

        def deleted(result: object) -> None:
            if isinstance(result, BaseException):
                self.error.setText(f"Not deleted: {result}")
            elif self._try(lambda: store.delete_environment(name, delete_secrets=False)):
                self._refill_envs()

        self._start_write(
            "Deleting the secret values from the OS keyring…",
            lambda: store.write_secrets([(store.secret_key(name, s), None) for s in secrets]),
            deleted,
            stopped=f"Stopped waiting for the OS keyring: the environment '{name}' is not deleted.",
        )

    def _try(self, action: Callable[[], object], *, refill: bool = False) -> bool:
        """Run a store call (the file side: quick); a failure is said above the buttons."""
        try:
            action()
        except ExplorerError as exc:
            self.error.setText(str(exc))
            return False
        if refill:
            self._fill()
        return True

    # -- waiting on the keyring ---------------------------------------------------------------
    def _start_write(
        self,
        doing: str,
        func: Callable[[], object],
        done: Callable[[object], None],
        *,
        stopped: str,
    ) -> None:
        """Write to the keyring off the UI thread; meanwhile say so, and hold the table and
        the buttons still (what is typed stays as it is until the keyring answered)."""
        self._stopped = stopped
        self.error.clear()
        self.status.setText(f"{doing} (if it asks for its password, answer its prompt)")
        self.status.show()
        self.stop_button.show()

        def answered(result: object) -> None:
            self._end_write()
            done(result)

        self._writes.start(func, answered)
        self._enable()

    def _end_write(self) -> None:
        refocus = self.stop_button.hasFocus()
        self.status.hide()
        self.error.clear()  # "still writing" no more; the outcome follows
        self.stop_button.hide()
        self._enable()
        if refocus:
            self.table.setFocus()

    def stop_waiting(self) -> None:
        """Give up waiting for the keyring (its prompt may stay open for ever). A write may
        still land later; the file is not changed, and the table keeps what was typed."""
        if self._writes.cancel():
            self._end_write()
            self.error.setText(self._stopped)

    def _say_writing(self) -> None:
        self.error.setText(
            "Still writing to the OS keyring (it may be waiting for its password): answer "
            "its prompt, or press Stop waiting."
        )

    def _enable(self) -> None:
        idle = not self.writing
        for widget in (self.env_combo, self.add_env, self.table):
            widget.setEnabled(idle)
        shown = idle and self._shown is not None
        for widget in (self.rename_env, self.delete_env, self.add_var, self.remove_var):
            widget.setEnabled(shown)
        self.apply_button.setEnabled(shown)
