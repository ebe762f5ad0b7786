"""Dialogs of the collections pane: save a request, and the small prompts.

They live apart from the pane so the pane is only the tree and its commands. They only collect
answers (the pane does the saving). The environments dialog, which edits a collection itself,
is in ``environments_dialog``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.request import DEFAULT_BASE_URL
from explorer.store.collections import ROOT_FOLDER, CollectionStore
from explorer.ui.collections.model import DEFAULT_COLLECTION, TOP_LEVEL

POSTMAN_FILTER = "Postman Collection v2.1 (*.json *.postman_collection.json)"
SHELL_FILTER = "Shell script (*.sh)"


class SaveRequestDialog(QDialog):
    """Name, description, collection, folder and expected status of a request being saved.

    The collection box is editable: a name that is no collection yet is a new collection,
    created when the request is saved (``new_collection_name``); a note says so.
    """

    def __init__(
        self,
        stores: list[CollectionStore],
        *,
        name: str,
        description: str = "",
        expected_status: int | None = None,
        store: CollectionStore | None = None,
        folder: str = ROOT_FOLDER,
        base_url: str = DEFAULT_BASE_URL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save request")
        self.stores = stores
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("e.g. List employees")
        self.description_edit = QPlainTextEdit(description)
        self.description_edit.setPlaceholderText("What this call checks (optional)")
        self.description_edit.setTabChangesFocus(True)  # Tab leaves the box, as in a form
        self.description_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.collection_combo = QComboBox()
        self.collection_combo.setEditable(True)
        self.collection_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.collection_combo.setToolTip("Pick a collection or type a name for a new one")
        for candidate in stores:
            self.collection_combo.addItem(candidate.collection.name, str(candidate.root))
        if not stores:
            self.collection_combo.setEditText(DEFAULT_COLLECTION)
        completer = self.collection_combo.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        collection_edit = self.collection_combo.lineEdit()
        if collection_edit is not None:
            collection_edit.setAccessibleName("Collection")  # what a screen reader says inside
        self.new_note = QLabel()
        self.new_note.setWordWrap(True)
        self.new_note.setEnabled(False)  # a quiet note, not a warning
        self.folder_combo = QComboBox()
        self.folder_combo.setEditable(True)
        folder_edit = self.folder_combo.lineEdit()
        if folder_edit is not None:
            folder_edit.setAccessibleName("Folder")  # what a screen reader says inside it
        self.folder_combo.setToolTip("Pick a folder or type a new folder name")
        self.status_spin = QSpinBox()
        self.status_spin.setRange(99, 599)
        self.status_spin.setSpecialValueText("any 2xx")
        self.status_spin.setValue(expected_status if expected_status is not None else 99)
        self.status_spin.setToolTip("The status the runner expects (default: any 2xx)")
        self.pin_check = QCheckBox(f"Always send to {base_url}")
        self.pin_check.setToolTip(
            "Unticked, the request goes wherever the active profile points, so colleagues "
            "can run it against their own server."
        )
        self.pin_check.setVisible(base_url.rstrip("/") != DEFAULT_BASE_URL)

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Collection:", self.collection_combo)
        form.addRow("", self.new_note)
        form.addRow("&Folder:", self.folder_combo)
        form.addRow("&Expected status:", self.status_spin)
        form.addRow("", self.pin_check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.collection_combo.currentTextChanged.connect(self._on_collection_text)
        self.name_edit.textChanged.connect(self._update_ok)
        if store is not None and store in stores:
            self.collection_combo.setCurrentIndex(stores.index(store))
        self._shown_store: CollectionStore | None = None
        self._on_collection_text()
        self._fill_folders()
        self.folder_combo.setCurrentText(folder or TOP_LEVEL)
        self._update_ok()
        self.resize(460, self.sizeHint().height())

    def _on_collection_text(self, _text: str = "") -> None:
        new = self.new_collection_name()
        self.new_note.setText(f"A new collection '{new}' will be created." if new else "")
        self.new_note.setVisible(bool(new))
        if self.chosen_store() is not self._shown_store:
            self._fill_folders()
        self._update_ok()

    def _fill_folders(self) -> None:
        keep = self.folder_combo.currentText()
        store = self.chosen_store()
        self._shown_store = store
        self.folder_combo.clear()
        self.folder_combo.addItem(TOP_LEVEL)
        if store is not None:
            self.folder_combo.addItems(store.collection.folder_names())
        self.folder_combo.setCurrentText(keep or TOP_LEVEL)

    def _update_ok(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        button.setEnabled(
            bool(self.name_edit.text().strip())
            and bool(self.collection_combo.currentText().strip())
        )

    def chosen_store(self) -> CollectionStore | None:
        """The existing collection named in the box (any case), or ``None`` for a new one."""
        wanted = self.collection_combo.currentText().strip().casefold()
        return next((s for s in self.stores if s.collection.name.casefold() == wanted), None)

    def new_collection_name(self) -> str:
        """The collection to create for this request: ``""`` when the box names one that
        exists."""
        text = self.collection_combo.currentText().strip()
        return "" if not text or self.chosen_store() is not None else text

    def folder(self) -> str:
        text = self.folder_combo.currentText().strip()
        return ROOT_FOLDER if text in ("", TOP_LEVEL) else text

    def expected_status(self) -> int | None:
        value = self.status_spin.value()
        return None if value < 100 else value


# -- prompts -------------------------------------------------------------------------------
# Thin wrappers over Qt's static dialogs, so the pane reads as intent ("ask for a name") and
# every "cancelled" comes back as ``None``. Tests fake the Qt statics, which these call.


def ask_name(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """A one-line name, stripped; ``None`` when cancelled (an empty answer is ``""``)."""
    name, ok = QInputDialog.getText(parent, title, label, text=text)
    return name.strip() if ok else None


def choose_folder(parent: QWidget, title: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title)
    return Path(chosen) if chosen else None


def choose_file_to_open(parent: QWidget, title: str, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return Path(chosen) if chosen else None


def choose_file_to_save(
    parent: QWidget, title: str, suggested: Path, file_filter: str
) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(chosen) if chosen else None
