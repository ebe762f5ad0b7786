"""The dialog that edits a history entry's note and tags (the pane's "Note and tags…", F2).

A module of its own, imported when first opened: the history pane is in the window's first
frame, and PySide makes a Qt class's Python type (with all its enum classes: ``QDialog``,
``QDialogButtonBox``) where a module first names it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.store.history_entry import HistoryRow, clean_note, parse_tags, tags_label
from explorer.ui.history.cells import short_time

TAGS_HINT = "Separate tags with spaces or commas; find them with #tag in the history filter."


class NoteDialog(QDialog):
    """Edits one entry's note and tags; ``note()`` and ``tags()`` read the result after OK.

    A note over the store's limit is refused here, with the reason, and the dialog stays open
    with the text as typed (nothing is lost).
    """

    def __init__(self, entry: HistoryRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note and tags")
        what = QLabel(f"{entry.action or 'Request'} · {short_time(entry.started_at)}")
        what.setTextFormat(Qt.TextFormat.PlainText)
        what.setWordWrap(True)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlainText(entry.note)
        self.note_edit.setPlaceholderText("ticket 4711: the customer sees a 500 since Monday")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setAccessibleName("Note")
        self.tags_edit = QLineEdit(tags_label(entry.tags))
        self.tags_edit.setPlaceholderText("#customer-x #ticket-4711")
        self.tags_edit.setToolTip(TAGS_HINT)
        self.tags_edit.setAccessibleName("Tags")
        hint = QLabel(TAGS_HINT)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("QLabel { color: #cf222e; }")
        self.error_label.hide()

        form = QFormLayout()
        note_label = QLabel("&Note")
        note_label.setBuddy(self.note_edit)
        tags_label_widget = QLabel("&Tags")
        tags_label_widget.setBuddy(self.tags_edit)
        form.addRow(note_label, self.note_edit)
        form.addRow(tags_label_widget, self.tags_edit)
        form.addRow("", hint)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(460, 280)
        self.note_edit.setFocus()

    def note(self) -> str:
        return self.note_edit.toPlainText()

    def tags(self) -> tuple[str, ...]:
        return parse_tags(self.tags_edit.text())

    def accept(self) -> None:
        try:
            clean_note(self.note())
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.note_edit.setFocus()
            return
        super().accept()
