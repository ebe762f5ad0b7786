"""A comparison of two exchanges in a window of its own: what changed since it worked.

At the top the two sides' status, time, size and request id; then the body's changes (path,
kind, the value on each side, and both whole values side by side under the table), the
headers' changes, and the action's ignore list. "Ignore this field" on a change adds its
JSONPath to that list, saves it and compares again.

The comparison runs in the compare helper process (``helper_jobs.COMPARE``) with a progress
bar and Cancel: two 10 MB bodies take a few seconds. The exchanges are read (from the history,
or taken as shown) on a pool thread and kept as parcels (the record and the body's bytes; a
history entry's body stays in its file, which the helper reads and parses), so comparing
again after an edit of the ignore list reads nothing twice here. The helper keeps the
result and sends it in brief (``core.compare_pages``): counts and the first page of changes;
the table asks for more as it is scrolled, and the path filter runs in the helper, so 49,000
changes never cross to this process at once.

Two different actions compared (a list against a get) have no ignore list of their own:
neither action's is applied, and what is left out there is for that comparison only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.compare import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    Comparison,
    IgnoreRules,
    Parcel,
    Side,
    parcel,
)
from explorer.core.compare_pages import Brief, Forgotten, Page, View, brief, page
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.units import human_ms, human_size
from explorer.ui.accessibility import announce, name_clear_button
from explorer.ui.compare.ignore_editor import IgnoreEditor
from explorer.ui.compare.model import KIND_COLOURS, LEFT, PATH, RIGHT, ChangesModel, pretty
from explorer.ui.helper_jobs import COMPARE, HelperJob
from explorer.ui.response.body import PLAIN_TEXT_LIMIT, plain_edit
from explorer.ui.response.lines_view import LinesView
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.banner import NOTICE_RGB, PROBLEM_RGB, tinted_label
from explorer.ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from explorer.store.baselines import BaselineStore

# Reads one side (from the history, a baseline file, or the exchange on screen): on a pool
# thread. A history entry comes as saved (a parcel: its body is read in the helper process).
Source = Callable[[], Exchange | Parcel]


NO_MATCH_TEXT = "No change matches the filter ({:,} in all): clear it to see them"
FILTER_DELAY_MS = 150  # a path filter typed over a paged comparison asks the helper after this
CROSS_NOTE = "Different actions: no per-action ignore rules applied."


def _read_both(left: Source, right: Source) -> tuple[Parcel, Parcel]:
    def read(source: Source) -> Parcel:
        found = source()
        return found if isinstance(found, tuple) else parcel(found)

    return read(left), read(right)


class CompareWindow(QWidget):
    """Two exchanges compared: headline, body and header changes, the ignore list.

    ``action`` is the left side's; ``right_action`` the right side's when it differs.

    Signals:
        message(str): a note for the main window's status bar.
    """

    message = Signal(str)

    def __init__(
        self,
        left: Source,
        right: Source,
        *,
        labels: tuple[str, str],
        action: str,
        right_action: str | None = None,
        account_id: str = "",
        rules: BaselineStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._sources = (left, right)
        self._labels = labels
        other = right_action if right_action is not None else action
        # Two actions: neither's ignore list applies, and none is saved.
        self.cross_action = bool(action and other and action != other)
        self._action = "" if self.cross_action else action
        self._store = rules
        self._parcels: tuple[Parcel, Parcel] | None = None
        self.comparison: Comparison | None = None
        self.brief: Brief | None = None
        self._listing: View | None = None  # a first page asked for and not come yet
        where = f" on {account_id}" if account_id else ""
        if self.cross_action:
            self.setWindowTitle(f"Compare {action} with {other}{where}")
            title = f"{action} (left) and {other} (right){where}"
        else:
            self.setWindowTitle(f"Compare {action or 'exchanges'}{where}")
            title = f"{action or 'Exchanges'}{where}"
        self.job = HelperJob(COMPARE, self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.busy_changed.connect(self._on_busy)
        self.pages = HelperJob(COMPARE, self)  # pages of the result the helper keeps
        self.pages.finished.connect(self._on_page)
        self.pages.failed.connect(self._on_page_failed)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(lambda: self._ask_page(0))
        self._build(title, (action, other) if self.cross_action else None)
        self.ignore_editor.set_rules(
            rules.ignore_rules(self._action)
            if rules is not None and self._action
            else IgnoreRules()
        )
        self.resize(1100, 760)

    # -- construction -------------------------------------------------------------------------
    def _build(self, title: str, actions: tuple[str, str] | None) -> None:
        self.heading = heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        self.headline = QGridLayout()
        self.headline.setHorizontalSpacing(18)
        self._headline_labels: dict[tuple[int, int], QLabel] = {}
        for row, name in enumerate(("", "Status", "Time", "Size", "Request id")):
            self.headline.addWidget(QLabel(f"<b>{name}</b>" if name else ""), row, 0)
            for column in (1, 2):
                label = QLabel()
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.headline.addWidget(label, row, column)
                self._headline_labels[(row, column)] = label
        self.headline.setColumnStretch(3, 1)
        for column, text in ((1, self._labels[0]), (2, self._labels[1])):
            self._headline_labels[(0, column)].setText(f"<b>{text}</b>")
        self.summary_label = QLabel("Comparing…")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Comparison summary")
        self.error_label = tinted_label(PROBLEM_RGB)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Comparison progress")
        self.stage_label = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop comparing (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.stage_label)
        progress_row.addWidget(self.cancel_button)
        self._progress_row = QWidget()
        self._progress_row.setLayout(progress_row)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._body_page(), "Body")
        self.tabs.addTab(self._headers_page(), "Headers")
        self.ignore_editor = IgnoreEditor(self._action, across=actions)
        self.ignore_editor.applied.connect(self._on_rules_applied)
        self.tabs.addTab(self.ignore_editor, "Ignored fields")
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if actions is not None:
            note = tinted_label(NOTICE_RGB)
            note.setText(
                f"{CROSS_NOTE} Neither action's ignore list is used (only the default header "
                "list); fields ignored here are for this comparison only and are not saved."
            )
            note.show()
            layout.addWidget(note)
        layout.addLayout(self.headline)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self._progress_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        escape = QAction(self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.triggered.connect(self._escape)
        self.addAction(escape)

    def _body_page(self) -> QWidget:
        self.path_filter = QLineEdit()
        self.path_filter.setPlaceholderText("Only paths containing…")
        self.path_filter.setAccessibleName("Filter the changes by path")
        self.path_filter.setClearButtonEnabled(True)
        name_clear_button(self.path_filter, "Clear the path filter")
        self.path_filter.textChanged.connect(lambda _t: self._apply_filter())
        self.kind_boxes: dict[str, QCheckBox] = {}
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.path_filter, 1)
        for kind in (CHANGED, ADDED, REMOVED):
            box = QCheckBox(kind.capitalize())
            box.setChecked(True)
            box.setStyleSheet(f"QCheckBox {{ color: {KIND_COLOURS[kind]}; }}")
            box.toggled.connect(lambda _on: self._apply_filter())
            filter_row.addWidget(box)
            self.kind_boxes[kind] = box
        self.body_model = ChangesModel(self)
        self.body_model.more_wanted.connect(self._ask_page)
        self.body_table = self._changes_table(self.body_model, "Body changes")
        self.shown_label = QLabel()
        self.shown_label.setAccessibleName("Changes listed")
        self.shown_label.hide()
        self.body_table.selectionModel().selectionChanged.connect(self._on_body_selected)
        self.left_value = plain_edit()
        self.right_value = plain_edit()
        self.left_value.setAccessibleName("Left value")
        self.right_value.setAccessibleName("Right value")
        values = QSplitter(Qt.Orientation.Horizontal)
        values.addWidget(self.left_value)
        values.addWidget(self.right_value)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.body_table)
        split.addWidget(values)
        split.setSizes([420, 200])
        self.text_diff = plain_edit()
        self.text_diff.setAccessibleName("Line differences")
        self.text_lines = LinesView()  # a long text diff: rows drawn only when on screen
        self.text_lines.setAccessibleName("Line differences")
        self.body_stack = QStackedWidget()
        self.body_stack.addWidget(split)
        self.body_stack.addWidget(self.text_diff)
        self.body_stack.addWidget(self.text_lines)
        self.ignore_field_button = QPushButton("Ignore this field")
        self.ignore_field_button.setToolTip(
            "Add the selected field to this action's ignore list (in every record) and compare "
            "again"
        )
        self.ignore_field_button.clicked.connect(self.ignore_selected_field)
        self.copy_query_button = QPushButton("Copy JSONPath")
        self.copy_query_button.setToolTip("Copy a JSONPath for the field, for the filter box")
        self.copy_query_button.clicked.connect(self.copy_selected_query)
        buttons = QHBoxLayout()
        buttons.addWidget(self.shown_label)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_query_button)
        buttons.addWidget(self.ignore_field_button)
        for button in (self.ignore_field_button, self.copy_query_button):
            button.setEnabled(False)
        menu = QAction("Ignore this field", self.body_table)
        menu.triggered.connect(self.ignore_selected_field)
        copy = QAction("Copy JSONPath", self.body_table)
        copy.triggered.connect(self.copy_selected_query)
        self.body_table.addActions([menu, copy])
        self.body_table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        menu_key.install(self.body_table)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(filter_row)
        layout.addWidget(self.body_stack, 1)
        layout.addLayout(buttons)
        return page

    def _headers_page(self) -> QWidget:
        self.header_model = ChangesModel(self)
        self.header_table = self._changes_table(self.header_model, "Header changes")
        self.ignore_header_button = QPushButton("Ignore this header")
        self.ignore_header_button.setEnabled(False)
        self.ignore_header_button.clicked.connect(self.ignore_selected_header)
        self.header_table.selectionModel().selectionChanged.connect(
            lambda *_a: self.ignore_header_button.setEnabled(self._header_change() is not None)
        )
        self.header_note = QLabel()
        self.header_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.header_note, 1)
        row.addWidget(self.ignore_header_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.header_table, 1)
        layout.addLayout(row)
        return page

    def _changes_table(self, model: ChangesModel, name: str) -> QTableView:
        table = row_table(
            model,
            name=name,
            widths=((PATH, "data[id=emp_000123].home_location.city"), (1, "removed")),
        )
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column in (LEFT, RIGHT):
            table.setColumnWidth(column, 260)
        return table

    # -- running ----------------------------------------------------------------------------
    def start(self) -> None:
        """Read both sides (first time) and compare them in the helper process."""
        self.error_label.hide()
        self.progress.setValue(0)
        self._filter_timer.stop()
        self.pages.cancel()
        self._listing = None
        key = uuid.uuid4().hex  # the result's name in the helper, for its pages
        rules = self.ignore_editor.rules()
        compare = partial(brief, key=key, ignore=rules, labels=self._labels, view=self._view())
        if self._parcels is None:
            self.stage_label.setText("reading both exchanges")
            sources = self._sources
            read: list[tuple[Parcel, Parcel]] = []

            def prepare() -> Callable[..., Brief]:
                both = _read_both(*sources)
                read.append(both)
                return partial(compare, *both)

            self.job.start(prepare=prepare, progress=True, after=lambda c: (c, read[0]))
        else:
            parcels = self._parcels
            call = partial(compare, *parcels)
            self.job.start(call, progress=True, after=lambda c: (c, parcels))

    def cancel(self) -> None:
        if self.job.is_busy():
            self.job.cancel()
            self.summary_label.setText("Cancelled: nothing was compared.")

    def _escape(self) -> None:
        if self.job.is_busy():
            self.cancel()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.cancel()  # ends the helper's work: closing never waits for it
        self.pages.cancel()
        super().closeEvent(event)

    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.stage_label.setText(stage)

    def _on_busy(self, busy: bool) -> None:
        self._progress_row.setVisible(busy)
        self.ignore_editor.setEnabled(not busy)
        if busy:
            self.summary_label.setText("Comparing…")

    def _on_failed(self, error: object) -> None:
        text = str(error) if isinstance(error, ExplorerError | OSError) else repr(error)
        self.summary_label.setText("The comparison could not be made.")
        self.error_label.setText(text)
        self.error_label.show()

    def _on_finished(self, result: object) -> None:
        assert isinstance(result, tuple)
        found, parcels = result
        assert isinstance(found, Brief)
        self._parcels = parcels
        self.brief = found
        self.comparison = found.comparison
        self._show(found)

    # -- showing ----------------------------------------------------------------------------
    def _show(self, found: Brief) -> None:
        comparison = found.comparison
        self._show_headline(comparison.left, comparison.right)
        summary = self._summary(comparison)
        self.summary_label.setText(summary)
        counts = comparison.counts()
        for kind, box in self.kind_boxes.items():
            box.setText(f"{kind.capitalize()} ({counts[kind]:,})")
        if found.complete:
            self.body_model.set_rows(comparison.body, self._labels)
            self.shown_label.hide()
            self._apply_filter()
        else:
            self.body_model.set_page(found.first, self._labels)
            if found.first.view != self._view():  # typed while it compared
                self._ask_page(0)
            self._on_listed()
        self.header_model.set_rows(comparison.headers, self._labels)
        self.tabs.setTabText(0, f"Body ({sum(counts.values()):,})")
        self.tabs.setTabText(1, f"Headers ({len(comparison.headers)})")
        self.header_note.setText(
            "Headers that differ on every response (date, request ids, rate limits) are in "
            "the ignore list from the start."
        )
        lines = found.text
        if lines is not None and len(lines.text) <= PLAIN_TEXT_LIMIT:
            self.text_diff.setPlainText(lines.text)
            self.body_stack.setCurrentWidget(self.text_diff)
        elif lines is not None:
            self.text_lines.set_lines(lines)
            self.body_stack.setCurrentWidget(self.text_lines)
        else:
            self.body_stack.setCurrentIndex(0)
        if self.body_model.rowCount():
            self.body_table.selectRow(0)
        self.message.emit(f"Compared: {comparison.summary()}")
        announce(self, summary)

    def _summary(self, comparison: Comparison) -> str:
        if comparison.identical:
            text = "No differences: same status, same headers, same body"
            text += " (timing aside)."
        else:
            text = comparison.summary()
            text = text[:1].upper() + text[1:] + "."
        if comparison.body_kind == "mixed":
            text += " One body is JSON and the other is not: their lines are compared."
        if comparison.ignored:
            text += f" {comparison.ignored:,} difference(s) left out by the ignore list."
        if self.cross_action:
            text += f" {CROSS_NOTE}"
        return text

    def _show_headline(self, left: Side, right: Side) -> None:
        def status(side: Side) -> str:
            return f"{side.status} {side.reason}".strip() if side.status else "no response"

        rows = (
            (1, status(left), status(right)),
            (2, human_ms(left.total_ms or 0), human_ms(right.total_ms or 0)),
            (3, human_size(left.size or 0), human_size(right.size or 0)),
            (4, left.request_id or "—", right.request_id or "—"),
        )
        for row, a, b in rows:
            self._headline_labels[(row, 1)].setText(a)
            self._headline_labels[(row, 2)].setText(b)
            differs = a != b and row in (1, 3)
            style = f"color: {KIND_COLOURS[CHANGED]}; font-weight: bold;" if differs else ""
            self._headline_labels[(row, 2)].setStyleSheet(style)
        if left.total_ms is not None and right.total_ms is not None:
            delta = right.total_ms - left.total_ms
            change = (
                "same"
                if human_ms(abs(delta)) == human_ms(0)
                else (f"{'+' if delta > 0 else '−'}{human_ms(abs(delta))}")
            )
            self._headline_labels[(2, 2)].setText(f"{human_ms(right.total_ms)} ({change})")

    def _view(self) -> View:
        kinds = [k for k, box in self.kind_boxes.items() if box.isChecked()]
        return View.of(self.path_filter.text(), kinds)

    def _apply_filter(self) -> None:
        found = self.brief
        if found is not None and not found.complete:
            if not self.job.is_busy():  # else the comparison's first page is of this view
                self._filter_timer.start()
            return
        kinds = [k for k, box in self.kind_boxes.items() if box.isChecked()]
        self.body_model.set_filter(self.path_filter.text(), kinds)
        self._on_body_selected(QItemSelection(), QItemSelection())
        self._say_matching()

    def _say_matching(self) -> None:
        """Under a filter over a whole comparison, how many changes it leaves (an empty table
        alone would look like no differences at all)."""
        shown, total = self.body_model.rowCount(), self.body_model.total()
        if self._view().everything or not total:  # no differences: the summary says so
            self.shown_label.hide()
            return
        self.shown_label.setText(
            f"{shown:,} of {total:,} changes match" if shown else NO_MATCH_TEXT.format(total)
        )
        self.shown_label.show()

    # -- pages of a big comparison, from the helper ---------------------------------------------
    def _ask_page(self, offset: int) -> None:
        """The first page of the filter's view, or (scrolled) the next of the rows listed."""
        found = self.brief
        if found is None or found.complete or self.job.is_busy():
            return
        if offset == 0:
            self._filter_timer.stop()
            view = self._listing = self._view()
        elif self._filter_timer.isActive() or self._listing is not None:
            return  # another view's first page is coming: more of these rows is not wanted
        else:
            view = self.body_model.view()
        self.pages.start(partial(page, found.key, view, offset), stoppable=False)

    def _on_page(self, result: object) -> None:
        assert isinstance(result, Page)
        found = self.brief
        if result.offset == 0 and result.view == self._listing:
            self._listing = None
        if found is None or result.key != found.key or result.view != self._view():
            return  # an older comparison's, or a filter typed meanwhile asks again
        if result.offset == 0:
            self.body_model.set_page(result)
            self._on_body_selected(QItemSelection(), QItemSelection())
        else:
            self.body_model.add_page(result)
        self._on_listed()

    def _on_page_failed(self, error: object) -> None:
        self._listing = None
        if isinstance(error, Forgotten):  # the helper was restarted: compare again
            self.start()
            return
        text = str(error) if isinstance(error, ExplorerError | OSError) else repr(error)
        self.error_label.setText(f"More changes could not be listed: {text}")
        self.error_label.show()

    def _on_listed(self) -> None:
        """Say how many of the changes are listed when the helper keeps the rest."""
        listed, matching = self.body_model.rowCount(), self.body_model.matching()
        which = ("" if self._view().everything else "matching ") + (
            "change" if matching == 1 else "changes"
        )
        if not matching and not self._view().everything:
            brief = self.brief
            text = NO_MATCH_TEXT.format(sum(brief.comparison.counts().values()) if brief else 0)
        elif listed < matching:
            text = f"Listing {listed:,} of {matching:,} {which}: scroll down for more"
        else:
            text = f"{matching:,} {which} listed"
        self.shown_label.setText(text)
        self.shown_label.show()

    def _on_body_selected(self, *_args: object) -> None:
        change = self.selected_change()
        self.left_value.setPlainText(pretty(change.left) if change else "")
        self.right_value.setPlainText(pretty(change.right) if change else "")
        for button in (self.ignore_field_button, self.copy_query_button):
            button.setEnabled(change is not None and bool(change.segments))

    # -- commands ---------------------------------------------------------------------------
    def selected_change(self) -> Change | None:
        rows = self.body_table.selectionModel().selectedRows()
        return self.body_model.change_at(rows[0].row()) if rows else None

    def _header_change(self) -> Change | None:
        rows = self.header_table.selectionModel().selectedRows()
        return self.header_model.change_at(rows[0].row()) if rows else None

    def ignore_selected_field(self) -> None:
        change = self.selected_change()
        if change is not None and change.segments:
            self.ignore_editor.add_body(change.query())

    def ignore_selected_header(self) -> None:
        change = self._header_change()
        if change is not None and change.segments:
            self.ignore_editor.add_header(str(change.segments[0]))

    def copy_selected_query(self) -> None:
        change = self.selected_change()
        if change is not None:
            QGuiApplication.clipboard().setText(change.query())
            self.message.emit(f"Copied {change.query()}")

    def _on_rules_applied(self, rules: object) -> None:
        assert isinstance(rules, IgnoreRules)
        if self._store is not None and self._action:
            try:
                self._store.set_ignore_rules(self._action, rules)
            except (ExplorerError, OSError) as exc:
                self.error_label.setText(f"The ignore list could not be saved: {exc}")
                self.error_label.show()
        self.start()
