"""The Code tab: the request as a curl command, a ``stackone-ai`` Python script or a
``@stackone/stackone-client-ts`` script, for a customer's developer to reproduce it.

Every form keeps the key out: curl reads ``$STACKONE_API_KEY``, the scripts read the
``STACKONE_API_KEY`` environment variable (``core.snippets``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.curl import to_curl
from explorer.core.request import RpcRequest
from explorer.core.snippets import to_python, to_typescript
from explorer.ui.response.body import plain_edit

CURL, PYTHON, TYPESCRIPT = "curl", "Python (stackone-ai)", "TypeScript (stackone-client-ts)"
FORMS: dict[str, Callable[[RpcRequest], str]] = {
    CURL: to_curl,
    PYTHON: to_python,
    TYPESCRIPT: to_typescript,
}
NOTES = {
    CURL: "the key stays $STACKONE_API_KEY",
    PYTHON: "the key is read from STACKONE_API_KEY",
    TYPESCRIPT: "the key is read from STACKONE_API_KEY",
}


class CodePage(QWidget):
    """A choice of form, the code, and Copy.

    Signals:
        message(str): what was copied, for the status bar.
    """

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._request: RpcRequest | None = None
        self.form = QComboBox()
        self.form.addItems(list(FORMS))
        self.form.setAccessibleName("Code form")
        self.form.setToolTip("curl, or a script for StackOne's Python or TypeScript SDK")
        self.form.currentTextChanged.connect(lambda _text: self._refresh())
        self.view = plain_edit()
        self.view.setAccessibleName("Request as code")
        self.view.setAccessibleDescription("The key stays an environment variable")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the code; the key stays an environment variable")
        self.copy_button.clicked.connect(self.copy)
        form_label = QLabel("As:")
        form_label.setBuddy(self.form)  # a screen reader names the combo by it
        top = QHBoxLayout()
        top.addWidget(form_label)
        top.addWidget(self.form)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def tab_chain(self) -> list[QWidget]:
        return [self.form, self.copy_button, self.view]

    def set_request(self, request: RpcRequest | None) -> None:
        self._request = request
        self._refresh()

    def choose(self, form: str) -> None:
        self.form.setCurrentText(form)

    def copy(self) -> None:
        form = self.form.currentText()
        QGuiApplication.clipboard().setText(self.view.toPlainText())
        self.message.emit(f"Copied as {form}; {NOTES[form]}")

    def _refresh(self) -> None:
        request = self._request
        self.view.setPlainText(FORMS[self.form.currentText()](request) if request else "")
        self.view.moveCursor(self.view.textCursor().MoveOperation.Start)
