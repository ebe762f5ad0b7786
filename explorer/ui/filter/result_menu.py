"""The Filter result's context menu: Copy and Select all, plus "Set variable…" for the value
at the pointer, as on the Pretty body; the menu key and Shift+F10 (``widgets.menu_key``, which
every ``LinesView`` has) take the value on the current row instead, so a keyboard user moves to
a row and opens the menu there.

Which value it is, and its path in the response (so the dialog can also offer it as a
capture), is ``core.json_position.value_in_result``'s answer. It reads the result's text up
to that place, and a result may be 40 MB, so it runs on a pool thread: the dialog opens when
it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QThreadPool, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QMenu

from explorer.core.filters import FilterOutput
from explorer.core.json_position import PickedValue, value_in_result
from explorer.ui.jobs import RenderJob
from explorer.ui.response.lines_view import LinesView
from explorer.ui.response.value_menu import SET_VARIABLE
from explorer.ui.widgets.menu_key import current_place
from explorer.ui.widgets.viewport import viewport

NO_VALUE = (
    "Set variable takes one value: right-click a string, number, true, false or null in the result"
)


class ResultValueMenu(QObject):
    """Watches the result view's context menu requests (mouse and keyboard), shows the menu,
    and finds the chosen value off the UI thread.

    Signals:
        picked(object): the ``PickedValue`` to set as a variable.
        message(str): why nothing was picked, for the status bar.
    """

    picked = Signal(object)
    message = Signal(str)

    def __init__(self, view: LinesView, output: Callable[[], FilterOutput | None]) -> None:
        super().__init__(view)
        self.view = view
        self._output = output
        self._generation = 0
        self._signals: QObject | None = None  # the running pick's, kept until it reports
        view.installEventFilter(self)
        viewport(view).installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.view
        if event.type() != QEvent.Type.ContextMenu or not isinstance(event, QContextMenuEvent):
            return False
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            self.show(current_place(view)[1], view.current_offset())
            return True
        pos = event.pos()
        if watched is view:
            pos = view.viewport().mapFrom(view, pos)
        self.show(pos, view.offset_at(pos))
        return True

    def show(self, pos: QPoint, offset: int | None) -> None:
        view = self.view
        output = self._output()
        menu = QMenu(view)
        menu.addActions(view.actions())  # Copy, Select all
        menu.addSeparator()
        action = menu.addAction(SET_VARIABLE)
        usable = output is not None and offset is not None
        action.setEnabled(usable)
        if output is not None and offset is not None:
            action.setStatusTip("Keep this value as {{name}} for the next requests")
            action.triggered.connect(lambda _checked=False: self.pick(output, offset))
        else:
            action.setStatusTip("Right-click a value of the result")
        menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def pick(self, output: FilterOutput, offset: int) -> None:
        """Find the value at ``offset`` of ``output``'s text on a pool thread."""
        self._generation += 1
        find = partial(
            value_in_result, output.text, offset, output.match_paths, by_path=output.by_path
        )
        job = RenderJob(self._generation, find)
        job.signals.done.connect(
            lambda generation, result: self._on_found(generation, result, output)
        )
        self._signals = job.signals
        QThreadPool.globalInstance().start(job)

    def _on_found(self, generation: int, result: object, output: FilterOutput) -> None:
        if generation != self._generation:
            return  # a newer pick
        self._signals = None
        if self._output() is not output:
            return  # the result changed meanwhile: that value is no longer on screen
        if isinstance(result, PickedValue):
            self.picked.emit(result)
        else:
            self.message.emit(NO_VALUE)
