"""What a keyboard or screen-reader user needs beyond what Qt gives by default.

Three small tools the panes share: ``tab_chain`` sets a reading-order Tab sequence (each pane
lists its controls; the window joins the lists), ``name_clear_button`` names the clear button
Qt puts inside a line edit (it has no text, so a screen reader says only "button"), and
``announce`` speaks a status change (sent, failed, retrying in N s) through the platform's
accessibility bridge: the status bar draws its message, so a screen reader never reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

# Qt's name for the clear action of ``QLineEdit.setClearButtonEnabled``.
_CLEAR_ACTION = "_q_qlineeditclearaction"
_TOOLBAR_EXTENSION = "qt_toolbar_ext_button"


def tab_chain(widgets: Iterable[QWidget | None]) -> list[QWidget]:
    """Make Tab visit ``widgets`` in this order.

    Hidden and disabled widgets stay in the chain and are skipped by Qt while they are, so the
    chain is set once, with every control a pane may ever show. ``None`` and widgets that
    never take focus (a plain label) are left out: Qt ignores a link to one, which would
    break the chain there.

    Returns:
        The widgets chained, for a caller that joins several panes' chains.
    """
    chain = [
        widget
        for widget in widgets
        if widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    for widget in chain:
        # A QTabWidget is a Tab stop of its own that hands focus to its bar, from wherever
        # it was created in the chain: Tab would jump there. The chained bar is the stop.
        owner = widget.parentWidget()
        if isinstance(widget, QTabBar) and isinstance(owner, QTabWidget):
            owner.setFocusProxy(None)  # type: ignore[arg-type]  # None removes it
            owner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
    return chain


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Name the clear button inside ``edit`` (after ``setClearButtonEnabled(True)``).

    The button shows its action's text as its accessible name and tooltip; it draws only the
    icon, so the text changes nothing on screen.
    """
    action = edit.findChild(QAction, _CLEAR_ACTION)
    if action is not None:
        action.setText(name)
        action.setToolTip(name)


def name_toolbar_extension(toolbar: QToolBar) -> None:
    """Name the "»" button a toolbar shows when the window is too narrow for its buttons."""
    button = toolbar.findChild(QToolButton, _TOOLBAR_EXTENSION)
    if button is not None:
        button.setAccessibleName("More toolbar buttons")


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader speak ``text`` (a status change the user did not move focus to).

    ``assertive`` interrupts what is being read (for failures); otherwise it waits its turn.
    Costs nothing while no assistive technology listens. Qt before 6.8 has no announcement
    event: there the change is only visible.
    """
    # Imported here: Qt creates QAccessible's ~13 enum classes with it (~2-4 ms), and the
    # window's first frame announces nothing.
    from PySide6 import QtGui
    from PySide6.QtGui import QAccessible

    event_type = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
    if not text or event_type is None or not QAccessible.isActive():
        return
    event = event_type(source, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


class FocusRing(QWidget):
    """A ring in the highlight colour over the edge of the focused list, table or text view.

    Fusion marks focus on fields, buttons and tabs, but not on these: with the keyboard in
    the response body or the history, only a caret (or nothing) said where it was. The ring
    is a child of the view's parent laid over the view's edge, lets the mouse through, and
    follows focus among the views of ``window``.
    """

    WIDTH = 2

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._target: QAbstractScrollArea | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow)

    def target(self) -> QAbstractScrollArea | None:
        """The view the ring is drawn around (``None`` while focus is elsewhere)."""
        return self._target if self.isVisible() else None

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._target is not None:
            self._target.removeEventFilter(self)
        target = new if isinstance(new, QAbstractScrollArea) else None
        if target is None or target.window() is not self._window:
            self._target = None
            self.hide()
            return
        self._target = target
        target.installEventFilter(self)
        parent = target.parentWidget()
        if parent is not None and self.parentWidget() is not parent:
            self.setParent(parent)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() in _GEOMETRY_EVENTS:
            self._place()
        return False

    def _place(self) -> None:
        target = self._target
        if target is None or not target.isVisible():
            self.hide()
            return
        self.setGeometry(target.geometry())
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), self.WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = self.WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half, -half))
        painter.end()


_GEOMETRY_EVENTS = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)
