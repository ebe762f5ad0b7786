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

from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import QLineEdit, QTabBar, QTabWidget, QToolBar, QToolButton, QWidget

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
    event_type = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
    if not text or event_type is None or not QAccessible.isActive():
        return
    event = event_type(source, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
