"""The Help menu's windows: the demo catalogue and About."""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer import __version__
from explorer.ui.widgets.json_editor import monospace_font
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

APP_TITLE = "StackOne RPC Explorer"


def show_catalogue(parent: QWidget, catalogue: str) -> None:
    """The demo server's accounts and actions, as text one can search and copy from."""
    # Named when opened, not at import: PySide makes a Qt class's Python type, with all its
    # enum classes, where a module first names it, and the window imports this one at start.
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle("Demo catalogue")
    browser = QTextBrowser()
    browser.setAccessibleName("Demo accounts and actions")
    browser.setPlainText(catalogue or "Start with --demo to use the demo server.")
    browser.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
    browser.setFont(monospace_font())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(860, 600)
    run_modal(dialog)


def show_about(parent: QWidget, key_location: str) -> None:
    from PySide6.QtWidgets import QMessageBox  # when asked (see above)

    QMessageBox.about(
        parent,
        f"About {APP_TITLE}",
        f"<b>{APP_TITLE}</b> {__version__}<br>Call StackOne's POST /actions/rpc by hand, "
        "read every error, keep a history and replay it.<br><br>"
        f"API keys: {key_location}",
    )
