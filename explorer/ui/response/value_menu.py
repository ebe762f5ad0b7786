"""The response body's context menu: the usual Copy and Select All, plus "Copy value" and
"Set variable…" for the value under the pointer (or the selected text).

Which value is under the pointer is ``core.json_position``'s answer on the text as shown;
the menu key and Shift+F10 (``widgets.menu_key``) ask about the text cursor's place instead, so
a keyboard user moves the cursor onto a value and opens the menu there. The answer reads the
text from its start to that place (~40 ms for the 100,000 characters a text view holds, more
under load), so on a long text it is found on a pool thread: the menu opens at once and its
two value entries are enabled when the answer comes (while the menu is open).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QThreadPool
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from explorer.core.json_position import PickedValue, value_at
from explorer.ui.jobs import RenderJob
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.viewport import viewport

SET_VARIABLE = "Set &variable…"
COPY_VALUE = "Copy va&lue"
# Texts up to this many characters are read on the UI thread (a few milliseconds at most).
SYNC_LOOKUP_LIMIT = 10_000
NO_VALUE_TIP = "Right-click a value (a string, number, true, false or null)"

TextView = QTextEdit | QPlainTextEdit


def _selected(view: TextView) -> PickedValue | None:
    selected = view.textCursor().selectedText().replace("\u2029", "\n")
    return PickedValue(key="", value=selected, path="") if selected.strip() else None


class ValueMenu(QObject):
    """Watches a text view's context menu requests (mouse and keyboard) and shows the menu."""

    def __init__(
        self,
        view: TextView,
        pick: Callable[[PickedValue], None],
        message: Callable[[str], None] | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.pick = pick
        self._message = message
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0  # the open menu's; a lookup for an older one is dropped
        self._signals: QObject | None = None  # the running lookup's, kept until it reports
        view.installEventFilter(self)
        viewport(view).installEventFilter(self)
        menu_key.install(view)  # the keys, as a keyboard context-menu event

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.view
        if event.type() != QEvent.Type.ContextMenu or not isinstance(event, QContextMenuEvent):
            return False
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            pos = event.pos()
            if watched is view:
                pos = view.viewport().mapFrom(view, pos)
            offset = view.cursorForPosition(pos).position()
        else:
            pos = view.cursorRect().center()
            offset = view.textCursor().position()
        self.show(pos, offset)
        return True

    def show(self, pos: QPoint, offset: int) -> None:
        """Open the menu at ``pos``, for the value at ``offset`` (or the selection)."""
        view = self.view
        menu = view.createStandardContextMenu(pos)
        menu.addSeparator()
        entries = (menu.addAction(COPY_VALUE), menu.addAction(SET_VARIABLE))
        self._generation += 1
        generation = self._generation
        selected = _selected(view)
        text = view.toPlainText() if selected is None else ""
        if selected is not None or len(text) <= SYNC_LOOKUP_LIMIT:
            self._offer(entries, selected or value_at(text, offset))
        else:
            for action in entries:
                action.setEnabled(False)
                action.setStatusTip("Finding the value…")
            job = RenderJob(generation, partial(value_at, text, offset))
            job.signals.done.connect(lambda number, result: self._on_found(number, result, entries))
            self._signals = job.signals
            self._pool.start(job)
        menu.exec(view.viewport().mapToGlobal(pos))
        self._generation += 1  # closed: a lookup still running is for nothing now
        menu.deleteLater()

    def _on_found(self, generation: int, result: object, entries: tuple[QAction, ...]) -> None:
        if generation != self._generation:
            return  # its menu was closed (or another opened) meanwhile
        self._signals = None
        self._offer(entries, result if isinstance(result, PickedValue) else None)

    def _offer(self, entries: tuple[QAction, ...], picked: PickedValue | None) -> None:
        copy, set_variable = entries
        for action in entries:
            action.setEnabled(picked is not None)
        if picked is None:
            for action in entries:
                action.setStatusTip(NO_VALUE_TIP)
            return
        copy.setStatusTip(f"Copy {picked.value[:60]}")
        copy.triggered.connect(lambda _checked=False: self._copy(picked))
        set_variable.setStatusTip(f"{{{{name}}}} = {picked.value[:60]}")
        set_variable.triggered.connect(lambda _checked=False: self.pick(picked))

    def _copy(self, picked: PickedValue) -> None:
        QGuiApplication.clipboard().setText(picked.value)
        if self._message is not None:
            where = f" ({picked.path})" if picked.path else ""
            self._message(f"Copied the value{where}")


def install(
    view: TextView,
    pick: Callable[[PickedValue], None],
    message: Callable[[str], None] | None = None,
    pool: QThreadPool | None = None,
) -> ValueMenu:
    """Give ``view`` the menu; ``pick`` gets the value when "Set variable…" is chosen;
    ``message`` says what "Copy value" copied (for the status bar); long texts are read on
    ``pool``."""
    return ValueMenu(view, pick, message, pool)
