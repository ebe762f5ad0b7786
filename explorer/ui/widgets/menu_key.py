"""Shift+F10 and the Menu key open a widget's context menu where the keyboard is, not where the
pointer happens to be: on a list's current item, at a text view's cursor.

Qt turns the Menu key into a keyboard context-menu event placed at the widget's input cursor,
which a list does not have (the menu lands on its corner, and a menu built for "the item
under the point" acts on the wrong one), and does nothing for Shift+F10, the same key on
every desktop. ``MenuKey`` watches one widget: either key, and any keyboard context-menu event
Qt sends, becomes one keyboard context-menu event at the current place, which the widget
handles as it handles a right-click (its actions, ``customContextMenuRequested``, or a menu of
its own watching ``ContextMenu`` events).

Every other widget (line edits, the JSON editors, text views, an editable combo box's text)
gets Shift+F10 from a shortcut on its window, ``install_everywhere``: it sends the focus
widget the keyboard context-menu event the Menu key would, at its text cursor, so Shift+F10
does whatever a right-click there does; a widget with a ``MenuKey`` opens its own (one menu).
No event filter on the application: one in Python is called for every event of every object,
and each call waits for the interpreter (a 10 MB response read on a pool thread stalled the
window 60-110 ms). A shortcut costs nothing until its key is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QKeyCombination,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
)
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QWidget,
)

from explorer.ui.widgets.viewport import viewport

# A list's menu stands a little into the current row, as if right-clicked on its text.
ROW_INSET = 24
# A dynamic property on the application and on each window given Shift+F10: asking for it
# costs nothing, where looking for the watcher or the shortcut among their children wraps
# each child for Python (for the application's, creating ~2 enum classes in the first frame).
SHIFT_F10_GIVEN = "stackoneShiftF10"


def is_menu_key(event: QKeyEvent) -> bool:
    """The menu key, or Shift+F10 (the same on every desktop)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() == Qt.Key.Key_Menu:
        return modifiers == Qt.KeyboardModifier.NoModifier
    return event.key() == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier


def current_place(widget: QWidget) -> tuple[QWidget, QPoint]:
    """Where the keyboard is in ``widget``: the widget a right-click there would reach (a
    scroll area's viewport) and the point in it."""
    # Named here: no QTextEdit is in the first frame, and PySide makes a Qt class's Python
    # type (with its enum classes) where a module first names it.
    from PySide6.QtWidgets import QTextEdit

    if isinstance(widget, QAbstractItemView):
        rect = widget.visualRect(widget.currentIndex())
        area = viewport(widget)
        if rect.isValid() and area.rect().intersects(rect):
            return area, QPoint(rect.left() + ROW_INSET, rect.center().y())
        return area, QPoint(ROW_INSET, ROW_INSET // 2)
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return viewport(widget), widget.cursorRect().center()
    if isinstance(widget, QAbstractScrollArea):
        area = viewport(widget)
        return area, area.rect().center()
    cursor = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    if isinstance(cursor, QRect | QRectF) and cursor.isValid():
        return widget, cursor.toRect().center() if isinstance(cursor, QRectF) else cursor.center()
    return widget, widget.rect().center()


class MenuKey(QObject):
    """Opens ``widget``'s context menu at its current place on Shift+F10 or the Menu key.

    Installed with ``install``; lives as long as the widget.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self._opening = False  # our own event is on its way: let it through
        widget.installEventFilter(self)
        if isinstance(widget, QAbstractScrollArea):
            viewport(widget).installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._opening:
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if not is_menu_key(event):
                return False
            event.accept()
            self.open()
            return True
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and event.reason() != QContextMenuEvent.Reason.Mouse
        ):
            self.open()  # Qt's own, placed at the corner: ours instead
            return True
        return False

    def open(self) -> None:
        """Open the menu at the current place, as a keyboard context-menu event."""
        self._opening = True
        try:
            open_menu(self.widget)
        finally:
            self._opening = False


def install(widget: QWidget) -> MenuKey:
    """Give ``widget`` (one with a context menu) Shift+F10 and the Menu key."""
    return MenuKey(widget)


def open_menu(widget: QWidget) -> None:
    """Open ``widget``'s context menu at its current place, as a keyboard context-menu
    event (what a right-click there opens, or nothing where that opens nothing)."""
    target, point = current_place(widget)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard,
        point,
        target.mapToGlobal(point),
        Qt.KeyboardModifier.NoModifier,
    )
    QCoreApplication.sendEvent(target, event)


SHIFT_F10 = QKeyCombination(Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_F10)


def open_focus_menu() -> None:
    """Shift+F10: the focus widget's context menu, where a ``MenuKey`` or the Menu key would
    open it (nothing while a menu is already up)."""
    focus = QApplication.focusWidget()
    if focus is None or QApplication.activePopupWidget():
        return
    own = focus.findChild(MenuKey, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if own is not None:
        own.open()  # it places the menu (on a list's current item)
        return
    text = focus.lineEdit() if isinstance(focus, QComboBox) else None
    open_menu(text or focus)  # an editable combo box: its text's menu


class ShiftF10(QObject):
    """Gives each window Shift+F10 (``open_focus_menu``) the first time the focus enters it.

    A shortcut on the window, for the focus widget anywhere in it (not in a window of its own
    over it): built lazily, so every window and dialog has it, those Qt builds (QInputDialog,
    QFileDialog) too, with no call where each is built. The shortcut is the window's child
    and goes with it; it calls a plain function, which keeps no window alive.
    """

    def watch_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Give the window ``new`` (the focus widget now) is in its shortcut, once."""
        if new is None:
            return
        window = new.window()
        if window.windowType() == Qt.WindowType.Popup:
            return  # a menu or a combo box's list: Shift+F10 there does nothing
        if window.property(SHIFT_F10_GIVEN):
            return
        ShiftF10Shortcut(window)
        window.setProperty(SHIFT_F10_GIVEN, True)


class ShiftF10Shortcut(QShortcut):
    """Shift+F10 on one window (see ``ShiftF10``)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(
            QKeySequence(SHIFT_F10), window, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.setAutoRepeat(False)
        self.activated.connect(open_focus_menu)


def install_everywhere() -> None:
    """Shift+F10 for every window of the application (once; later calls do nothing)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or app.property(SHIFT_F10_GIVEN):
        return
    app.setProperty(SHIFT_F10_GIVEN, True)
    watcher = ShiftF10(app)
    app.focusChanged.connect(watcher.watch_focus)
    focus = QApplication.focusWidget()
    if focus is not None:
        watcher.watch_focus(None, focus)
