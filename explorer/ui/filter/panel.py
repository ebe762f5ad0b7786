"""The Filter tab: a filter box over the response, JSONPath or jq, its result below.

The expression runs in the filter's helper process (``helper_jobs.FILTER``): pure-Python
JSONPath over 10 MB holds the GIL for half a second, and a jq filter may never end, so Stop (or
the next Run) ends that process. Syntax errors show as you type, under the box, with a caret at
the position; errors found while running the same way. Each expression that ran is offered
again for the same action (``store.recent_filters``). The result is JSON (the values, or with
paths an object from each RFC 9535 normalized path to its value) shown row by row, so a 40 MB
result scrolls as a small one does; Copy and Save… take it whole. A right-click on a value of
the result (or the menu key on its row) offers "Set variable…", as the Pretty body does
(``result_menu``).
"""

from __future__ import annotations

import html
import time
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.exchange import Exchange
from explorer.core.filters import (
    JQ,
    JSONPATH,
    FilterError,
    FilterOutput,
    check,
    filter_for_display,
    jq_available,
)
from explorer.core.render import TextLines, json_colours
from explorer.core.units import human_size
from explorer.store.files import write_atomic
from explorer.store.recent_filters import RecentFilters
from explorer.ui.accessibility import name_clear_button
from explorer.ui.filter.result_menu import ResultValueMenu
from explorer.ui.helper_jobs import FILTER, HelperJob
from explorer.ui.jobs import RenderJob
from explorer.ui.response.lines_view import LinesView
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label
from explorer.ui.widgets.json_editor import monospace_font

CHECK_DELAY_MS = 250  # the syntax check waits for a pause in typing
PLACEHOLDERS = {
    JSONPATH: "$.data[*].id   (RFC 9535 JSONPath; Enter runs it)",
    JQ: ".data[] | .id   (jq; Enter runs it)",
}


def _laid_out(output: FilterOutput) -> tuple[FilterOutput, TextLines]:
    """The result's display rows with their folded text for Find (on the pool thread)."""
    return output, TextLines.build(output.text, output.index)


class FilterPanel(QWidget):
    """The filter box, its errors, and the result with Copy and Save….

    Signals:
        message(str): a short note for the status bar ("Copied 3 matches").
        set_variable_requested(object): "Set variable…" on a value of the result: the
            ``PickedValue``, its path a path in the response ("" for jq).
    """

    message = Signal(str)
    set_variable_requested = Signal(object)

    def __init__(self, recent: RecentFilters | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recent = recent
        self._body: bytes | None = None
        self._why_not = "Send a request to filter its response."
        self._action = ""
        self._size = 0
        self._dark = False
        self._output: FilterOutput | None = None
        self._applied: tuple[str, str] | None = None  # re-run on the next response
        self._running: tuple[str, str] | None = None
        self._saves: dict[int, object] = {}  # save number -> its job's signals, until done
        self._save_count = 0
        self.job = HelperJob(FILTER, self)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.busy_changed.connect(self._on_busy)
        self._build()

    def _build(self) -> None:
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_syntax)
        self._ticker = QTimer(self)
        self._ticker.setInterval(100)
        self._ticker.timeout.connect(self._tick)
        self.language = QComboBox()
        self.language.addItem("JSONPath", JSONPATH)
        self.language.addItem("jq", JQ)
        self.language.setAccessibleName("Filter language")
        self.language.setToolTip("RFC 9535 JSONPath (as in captures), or jq")
        model = self.language.model()
        if not jq_available() and isinstance(model, QStandardItemModel):
            model.item(1).setEnabled(False)
            self.language.setItemData(1, "jq is not in this build", Qt.ItemDataRole.ToolTipRole)
        self.language.currentIndexChanged.connect(self._on_language)
        self.edit = QLineEdit()
        self.edit.setFont(monospace_font())
        self.edit.setClearButtonEnabled(True)
        name_clear_button(self.edit, "Clear the filter expression")
        self.edit.setAccessibleName("Filter expression")
        self.edit.setPlaceholderText(PLACEHOLDERS[JSONPATH])
        self.edit.returnPressed.connect(self.run)
        self.edit.textEdited.connect(lambda _text: self._check_timer.start())
        self.recent_button = QToolButton()
        self.recent_button.setText("Recent")
        self.recent_button.setToolTip("Expressions used with this action")
        self.recent_button.setAccessibleName("Recent filter expressions")
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recent_button.setMenu(self.recent_menu)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Run the filter over the response (Enter)")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the filter (Esc): a jq filter may never end")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        stop_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.edit)
        stop_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        stop_key.activated.connect(self.stop)
        self.paths_box = QCheckBox("With paths")
        self.paths_box.setToolTip(
            "Show each match under its RFC 9535 path ($['data'][0]['id']); JSONPath only"
        )
        self.paths_box.toggled.connect(lambda _on: self._rerun())
        self.error_label = tinted_label(PROBLEM_RGB)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.setAccessibleName("Filter error")
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Filter result")
        self.result = LinesView()
        self.result.setAccessibleName("Filter result")
        self.result.setAccessibleDescription("The matches as JSON, one row per line")
        self.result_menu = ResultValueMenu(self.result, self.output)
        self.result_menu.picked.connect(self.set_variable_requested)
        self.result_menu.message.connect(self.message)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the whole result as JSON")
        self.copy_button.clicked.connect(self.copy_result)
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save the whole result as a JSON file")
        self.save_button.clicked.connect(self.save_result)

        language_label = QLabel("Filter:")
        language_label.setBuddy(self.language)  # a screen reader names the combo by it
        box = QHBoxLayout()
        box.setSpacing(4)
        box.addWidget(language_label)
        box.addWidget(self.language)
        box.addWidget(self.edit, 1)
        box.addWidget(self.recent_button)
        box.addWidget(self.run_button)
        box.addWidget(self.stop_button)
        under = QHBoxLayout()
        under.addWidget(self.paths_box)
        under.addWidget(self.status_label, 1)
        under.addWidget(self.copy_button)
        under.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(box)
        layout.addWidget(self.error_label)
        layout.addLayout(under)
        layout.addWidget(self.result, 1)
        self._show_result(None)

    def tab_chain(self) -> list[QWidget]:
        return [
            self.language,
            self.edit,
            self.recent_button,
            self.run_button,
            self.stop_button,
            self.paths_box,
            self.copy_button,
            self.save_button,
            self.result,
        ]

    # -- public ----------------------------------------------------------------------------
    def set_recent(self, recent: RecentFilters | None) -> None:
        """Where expressions that ran are remembered per action (the window's settings)."""
        self._recent = recent

    def set_exchange(self, exchange: Exchange | None) -> None:
        """The response to filter; the expression applied last runs again on it."""
        self.job.cancel()
        response = exchange.response if exchange is not None else None
        self._action = exchange.request.action.strip() if exchange is not None else ""
        self._body, self._why_not = None, ""
        if exchange is None:
            self._why_not = "Send a request to filter its response."
        elif response is None:
            self._why_not = "No response came back: there is nothing to filter."
        elif response.over_limit:
            self._why_not = (
                f"This body is {human_size(response.size)}, over the body size limit "
                "(Preferences): it is kept on disk, and filtering is off for it."
            )
        elif response.kind != "json":
            self._why_not = "The body is not JSON, so there is nothing to filter."
        else:
            self._body, self._size = response.body, response.size
        self._output = None
        self._show_result(None)
        if self._applied is not None and self._body is not None:
            self.run()
        else:
            self.status_label.setText(self._why_not)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        if self._output is not None:
            self.result.set_lines(
                TextLines.build(self._output.text, self._output.index), json_colours(dark)
            )

    def set_expression(self, expression: str, language: str = JSONPATH) -> None:
        """Put ``expression`` in the box (a path from the Defender check, a recent one)."""
        index = self.language.findData(language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        self.edit.setText(expression)
        self._check_syntax()

    def focus_box(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def current_language(self) -> str:
        data = self.language.currentData()
        return data if isinstance(data, str) else JSONPATH

    def applied(self) -> bool:
        """Whether an expression ran to its end here (it runs again on the next response)."""
        return self._applied is not None

    def output(self) -> FilterOutput | None:
        """The result on screen, if any."""
        return self._output

    def run(self) -> None:
        """Run the expression over the response in the helper process."""
        language, expression = self.current_language(), self.edit.text()
        problem = check(language, expression)
        if problem is not None:
            self._show_error(problem, select=True)
            return
        self._show_error(None)
        if self._body is None:
            self.status_label.setText(self._why_not)
            return
        self._running = (language, expression)
        paths = self.paths_box.isChecked() and language == JSONPATH
        call = partial(filter_for_display, language, expression, self._body, paths=paths)
        self.job.start(call, after=_laid_out)

    def stop(self) -> None:
        if not self.job.is_busy():
            return
        self.job.cancel()
        self._applied = None  # a filter that had to be stopped is not run again by itself
        self.status_label.setText("Stopped: the filter's process was ended.")

    def copy_result(self) -> None:
        if self._output is None:
            return
        QGuiApplication.clipboard().setText(self._output.text)
        self.message.emit(f"Copied the filter result ({self._output.summary})")

    def save_result(self) -> Path | None:
        """Ask where, then write the whole result on a pool thread."""
        output = self._output
        if output is None:
            return None
        start = Path.home() / f"{self._action or 'response'}-filtered.json"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the filter result", str(start), "JSON (*.json);;All files (*)"
        )
        if not chosen:
            return None
        target = Path(chosen)
        data = (output.text + "\n").encode("utf-8")
        self._save_count += 1
        number = self._save_count
        job = RenderJob(number, lambda: write_atomic(target, data))
        job.signals.done.connect(lambda _n, result: self._on_saved(number, target, result))
        self._saves[number] = job.signals
        QThreadPool.globalInstance().start(job)
        return target

    # -- reactions -------------------------------------------------------------------------
    def _on_finished(self, result: object) -> None:
        assert isinstance(result, tuple)
        output, lines = result
        assert isinstance(output, FilterOutput) and isinstance(lines, TextLines)
        self._output = output
        self._applied = self._running
        self.result.set_lines(lines, json_colours(self._dark))
        self._show_result(output)
        took = time.monotonic() - self.job.started_at
        self.status_label.setText(
            f"{output.summary[:1].upper()}{output.summary[1:]} · {took:.1f} s"
        )
        if self._recent is not None and self._action:
            problem = self._recent.remember(self._action, output.language, output.expression)
            if problem:
                self.message.emit(problem)

    def _on_failed(self, error: object) -> None:
        self._output = None
        self._show_result(None)
        if isinstance(error, FilterError):
            self._show_error(error, select=True)
            self.status_label.setText("")
        else:
            self.status_label.setText(f"The filter could not run: {error}")

    def _on_busy(self, busy: bool) -> None:
        self.stop_button.setVisible(busy)
        self.run_button.setEnabled(not busy)
        if busy:
            self._tick()
            self._ticker.start()
        else:
            self._ticker.stop()

    def _tick(self) -> None:
        took = time.monotonic() - self.job.started_at
        self.status_label.setText(f"Filtering {human_size(self._size)}… {took:.1f} s (Esc stops)")

    def _on_saved(self, number: int, target: Path, result: object) -> None:
        self._saves.pop(number, None)
        if isinstance(result, Exception):
            reason = result.strerror if isinstance(result, OSError) and result.strerror else result
            self.message.emit(f"Could not save {target}: {reason}")
        else:
            self.message.emit(f"Saved the filter result to {target}")

    def _on_language(self, _index: int) -> None:
        language = self.current_language()
        self.edit.setPlaceholderText(PLACEHOLDERS[language])
        self.paths_box.setEnabled(language == JSONPATH)
        self._check_syntax()

    def _rerun(self) -> None:
        if self._output is not None and self._body is not None:
            self.run()

    def _check_syntax(self) -> None:
        text = self.edit.text()
        self._show_error(check(self.current_language(), text) if text.strip() else None)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        used = self._recent.for_action(self._action) if self._recent and self._action else []
        if not used:
            empty = self.recent_menu.addAction("Nothing yet for this action")
            empty.setEnabled(False)
            return
        for language, expression in used:
            label = f"{expression}  ({'jq' if language == JQ else 'JSONPath'})"
            item = self.recent_menu.addAction(label.replace("&", "&&"))
            item.triggered.connect(partial(self._use_recent, language, expression))

    def _use_recent(self, language: str, expression: str) -> None:
        self.set_expression(expression, language)
        self.run()

    # -- display ---------------------------------------------------------------------------
    def _show_result(self, output: FilterOutput | None) -> None:
        has = output is not None
        self.copy_button.setEnabled(has)
        self.save_button.setEnabled(has)
        if not has:
            self.result.set_text("")

    def _show_error(self, error: FilterError | None, *, select: bool = False) -> None:
        if error is None:
            self.error_label.hide()
            return
        text = html.escape(str(error))
        position = error.position
        if position is not None and error.expression:
            expression = error.expression
            caret = " " * min(position, len(expression)) + "^"
            where = f"at character {position + 1}"
            self.error_label.setText(
                f"<pre style='margin:0'>{html.escape(expression)}\n{caret}</pre>{text} ({where})"
            )
            if select and position < len(self.edit.text()):
                self.edit.setSelection(position, 1)
        else:
            self.error_label.setText(text)
        self.error_label.show()
