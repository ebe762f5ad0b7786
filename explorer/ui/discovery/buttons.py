"""Discovery's widgets in a request editor, built with the editor, before discovery itself.

The window's first frame shows them ("Pick…", "Fill from schema", "As an agent sends it…",
the magnifier in the action field) but needs none of what they do: ``DiscoveryControls``
(with its models, popups and their modules) is built after the first paint, or when first
used, and adopts these very widgets. Nothing moves or changes when it does: the widgets are
the same, in the same places, with the same texts and the same enabled state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton

from explorer.ui.request.editor import LINKS_BY_KEYBOARD, RequestEditor

if TYPE_CHECKING:
    from explorer.ui.discovery.controls import DiscoveryControls

PICK_TIP = "Choose one of this profile's linked accounts (Alt+Down in the account field)"
SEARCH_TIP = (
    "Find an action by what it should do, e.g. 'send a Slack message' (Alt+Down in the action "
    "field)"
)
_ICON_GREY = "#808080"


def magnifier_icon() -> QIcon:
    """A small magnifying glass for the action field's search button (drawn: the app ships
    no icon theme, and a desktop's may have no "search" icon)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(_ICON_GREY), 3.5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawEllipse(5, 5, 15, 15)
    painter.drawLine(19, 19, 27, 27)
    painter.end()
    # Not ``QIcon(pixmap)`` (the same icon): choosing that constructor makes PySide create
    # QIconEngine's type and enum class first, ~0.3 ms of the window's first frame.
    icon = QIcon()
    icon.addPixmap(pixmap)
    return icon


class DiscoveryButtons(QObject):
    """The editor's discovery widgets, in their places, and the keys and clicks on them.

    Each click, and Alt+Down (or F4) in the account or action field, goes to ``controls()``,
    which builds the ``DiscoveryControls`` first if they are not built yet: whenever the
    window builds them, nothing pressed is lost.
    """

    def __init__(
        self,
        editor: RequestEditor,
        controls: Callable[[], DiscoveryControls],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self._controls = controls
        self.pick_button = QToolButton()
        self.pick_button.setText("Pick…")
        self.pick_button.setObjectName("pickAccount")
        self.pick_button.setToolTip(PICK_TIP)
        # Inside the action field, beside its clear button: it costs the field no width
        # (at 1024 px the field must still read a long action name whole). The keyboard
        # reaches it with Alt+Down (or F4) in the field, and the Request menu.
        self.search_action = QAction(magnifier_icon(), "Search actions", editor.action_edit)
        self.search_action.setToolTip(SEARCH_TIP)
        editor.action_edit.addAction(self.search_action, QLineEdit.ActionPosition.TrailingPosition)
        self.fill_button = QToolButton()
        self.fill_button.setText("Fill from schema")
        self.fill_button.setObjectName("fillFromSchema")
        self.agent_button = QToolButton()
        self.agent_button.setText("As an agent sends it…")
        self.agent_button.setObjectName("agentView")
        self.agent_button.setToolTip(
            "This request as StackOne's agent SDK sends it: MCP tool arguments, its RPC "
            "envelope, and what differs from the explorer's request (both ways)"
        )
        self.agent_button.setAutoRaise(True)
        # A failed listing's line (with Retry) under the account; what the last fill did,
        # with Undo, under the action. Both hidden until there is something to say.
        self.status_label = QLabel()
        self.status_label.setObjectName("discoveryStatus")
        self.fill_label = QLabel()
        self.fill_label.setObjectName("fillNote")
        for label in (self.status_label, self.fill_label):
            label.setWordWrap(True)
            label.setVisible(False)
            # Tab stops beside their field; Retry and Undo are links Tab reaches, Enter follows.
            label.setTextInteractionFlags(LINKS_BY_KEYBOARD)
        editor.field_rows["action"].addWidget(self.fill_button)
        editor.field_columns["action"].addWidget(self.fill_label)
        editor.field_rows["account_id"].addWidget(self.pick_button)
        editor.options.options_row.addWidget(self.agent_button)
        editor.field_columns["account_id"].addWidget(self.status_label)
        self.pick_button.clicked.connect(lambda: controls().open_picker())
        self.search_action.triggered.connect(lambda _checked=False: controls().open_search())
        self.fill_button.clicked.connect(lambda: controls().fill_from_schema())
        self.agent_button.clicked.connect(lambda: controls().show_agent_view())
        editor.account_edit.installEventFilter(self)
        editor.action_edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Alt+Down (or F4) drops down the field's discovery popup: the account picker under
        # the account field, the action search under the action field.
        if (
            watched in (self.editor.account_edit, self.editor.action_edit)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and (
                event.key() == Qt.Key.Key_F4
                or (
                    event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier
                )
            )
        ):
            if watched is self.editor.account_edit:
                self._controls().open_picker()
            else:
                self._controls().open_search()
            return True
        return super().eventFilter(watched, event)
