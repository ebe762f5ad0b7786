"""Running a collection (or one folder of it) from the window, with results filling in live.

The run itself is ``explorer.run.engine.run_requests`` - the function behind
``stackone-explorer run`` - on a pool thread (``CollectionRunJob``), so a colleague gets the
same results from the window and from the command line. This module only shows them: one row
per saved request (name, action, status, time, request id, passed or failed against its
expected status), a progress bar, the runner's own summary line, and Cancel.
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.account_context import is_production
from explorer.core.client import CancelToken
from explorer.core.guard import Target
from explorer.core.units import human_ms
from explorer.run.engine import RunResult
from explorer.run.plan import RunPlan
from explorer.run.reports import captured_text, format_table, summary
from explorer.store.collections import SavedRequest
from explorer.ui.guard.marks import SHORT_MARK, account_tooltip, production_colour, production_icon
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.row_table import RowsModel, row_table
from explorer.ui.widgets.work_dialog import WorkDialog

_Index = QModelIndex | QPersistentModelIndex


class RunColumn(IntEnum):
    NAME = 0
    ACTION = 1
    ACCOUNT = 2
    STATUS = 3
    TIME = 4
    REQUEST_ID = 5
    RESULT = 6
    CAPTURED = 7


HEADERS = {
    RunColumn.NAME: "Name",
    RunColumn.ACTION: "Action",
    RunColumn.ACCOUNT: "Account",
    RunColumn.STATUS: "Status",
    RunColumn.TIME: "Time",
    RunColumn.REQUEST_ID: "Request id",
    RunColumn.RESULT: "Result",
    RunColumn.CAPTURED: "Captured",
}

PENDING = "waiting"
RUNNING = "running…"
NOT_RUN = "not run (cancelled)"
CANCELLED = "cancelled"


@dataclass
class _Row:
    saved: SavedRequest
    state: str = PENDING
    result: RunResult | None = None


class RunResultsModel(RowsModel[_Row]):
    """One row per saved request of the run, in run order; a thin adapter over ``_Row``s."""

    headers = HEADERS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Saved request label -> where it goes (account, and whether that is production).
        self._targets: dict[str, Target] = {}

    def set_accounts(self, targets: dict[str, Target]) -> None:
        """Where each request goes, by its label; production accounts are marked."""
        self._targets = dict(targets)
        if self._rows:
            column = int(RunColumn.ACCOUNT)
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def set_requests(self, requests: Sequence[SavedRequest]) -> None:
        self.beginResetModel()
        self._rows = [_Row(saved) for saved in requests]
        self.endResetModel()

    def set_running(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self._rows[row].state = RUNNING
            self._changed(row)

    def set_result(self, row: int, result: RunResult) -> None:
        if 0 <= row < len(self._rows):
            self._rows[row].state = result.outcome
            self._rows[row].result = result
            self._changed(row)

    def mark_not_run(self) -> None:
        """After a cancel: every request that never started says so."""
        for row, item in enumerate(self._rows):
            if item.state in (PENDING, RUNNING):
                item.state = NOT_RUN
                self._changed(row)

    def result(self, row: int) -> RunResult | None:
        return self._rows[row].result if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = RunColumn(index.column())
        if column == RunColumn.ACCOUNT:
            return self._account(item, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.result is not None and item.result.message:
                return item.result.message
            return self._text(item, column)
        judged = (RunColumn.STATUS, RunColumn.RESULT)
        if role == Qt.ItemDataRole.ForegroundRole and column in judged:
            kind = {"passed": "2xx", "failed": "5xx", "error": "4xx"}.get(item.state)
            return status_colour(kind, is_dark()) if kind else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RunColumn.TIME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _account(self, item: _Row, role: int) -> Any:
        """The account a row went to (as sent, else as planned); production ones marked."""
        target = self._targets.get(item.saved.label)
        exchange = item.result.exchange if item.result is not None else None
        account_id = exchange.request.account_id if exchange is not None else ""
        account_id = account_id or (target.account_id if target else "")
        account = target.account if target and target.account_id == account_id else None
        production = is_production(account)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{SHORT_MARK} · {account_id}" if production else account_id
        if role == Qt.ItemDataRole.ToolTipRole and account is not None:
            return account_tooltip(account)
        if role == Qt.ItemDataRole.DecorationRole and production:
            return production_icon()
        if role == Qt.ItemDataRole.ForegroundRole and production:
            return production_colour()
        return None

    @staticmethod
    def _text(item: _Row, column: RunColumn) -> str:
        saved, result = item.saved, item.result
        if column == RunColumn.NAME:
            return saved.label
        if column == RunColumn.ACTION:
            return result.action if result is not None else saved.request.action
        if result is None:
            return item.state if column == RunColumn.RESULT else ""
        if column == RunColumn.STATUS:
            return str(result.status) if result.status is not None else "no response"
        if column == RunColumn.TIME:
            return human_ms(result.time_ms) if result.time_ms is not None else ""
        if column == RunColumn.REQUEST_ID:
            return result.request_id or ""
        if column == RunColumn.CAPTURED:
            return captured_text(result)
        return _outcome(result)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(RunColumn) - 1))


class RunDialog(WorkDialog):
    """The live results of one run; Cancel while it runs, Close (and Copy) after.

    The window starts the job and forwards its signals to ``on_progress`` / ``on_finished``;
    the dialog owns the job's signals object so it outlives the auto-deleted job.

    Signals:
        cancel_requested(): the user pressed Cancel or closed the dialog while running.
        run_finished(object): the list of ``RunResult``s, once the run has ended (completed
            or cancelled) and the table shows it.
    """

    cancel_requested = Signal()
    run_finished = Signal(object)

    def __init__(
        self, plan: RunPlan, *, where: str, token: CancelToken, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.token = token
        self.results: list[RunResult] = []
        self.running = True
        self.cancelled = False
        self._started = time.perf_counter()
        self._elapsed: float | None = None  # frozen when the run ends
        self.setWindowTitle(f"Run {plan.title}")
        self.setModal(False)

        env = f", environment '{plan.environment}'" if plan.environment else ""
        title, place = html.escape(plan.title, quote=False), html.escape(where + env, quote=False)
        self._target = f"of <b>{title}</b> against {place}"
        self.header_label = QLabel(f"Running {len(plan.requests)} request(s) {self._target}")
        self.header_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, max(1, len(plan.requests)))
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%v of %m")

        self.model = RunResultsModel(self)
        self.model.set_requests(plan.requests)
        self.table = row_table(
            self.model,
            name="Run results",
            widths=(
                (RunColumn.NAME, "Employees/Get employee 40001"),
                (RunColumn.ACTION, "greenhouse_create_candidate"),
                (RunColumn.ACCOUNT, "PROD · acct_bamboohr_sandbox"),
                (RunColumn.STATUS, "no response"),
                (RunColumn.TIME, "12.34 s"),
                (RunColumn.REQUEST_ID, "0123456789abcdef0123456789abcdef"),  # StackOne's length
            ),
        )
        # What captures took, only for a run that has captures.
        captures = any(saved.captures for saved in plan.requests)
        self.table.setColumnHidden(RunColumn.CAPTURED, not captures)

        self.summary_label = QLabel("")
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Abort the request in flight and run no more (Esc)")
        self.copy_button = QPushButton("Copy table")
        self.copy_button.setToolTip("Copy the results as the command-line runner prints them")
        self.close_button = QPushButton("Close")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.copy_button.clicked.connect(self.copy_table)
        self.copy_button.setEnabled(False)
        self.close_button.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.buttons)
        # The Account column, and Result (and what captures took) still readable.
        self.resize(1520 if captures else 1280, 420)

    def set_accounts(self, targets: dict[str, Target]) -> None:
        """Where each request goes (by its label); production accounts are marked."""
        self.model.set_accounts(targets)

    # -- the job's reports ---------------------------------------------------------------------
    def on_progress(self, index: int, result: RunResult | None) -> None:
        if result is None:
            self.model.set_running(index)
            self.table.scrollTo(self.model.index(index, 0))
            return
        self.model.set_result(index, result)
        self.results.append(result)
        self.progress_bar.setValue(index + 1)
        self.summary_label.setText(self._summary())

    def on_finished(self, results: list[RunResult]) -> None:
        self.running = False
        self._elapsed = time.perf_counter() - self._started  # the run's time, not the reading's
        self.results = list(results)
        for row, result in enumerate(results):
            self.model.set_result(row, result)
        if self.cancelled:
            self.model.mark_not_run()
        self.summary_label.setText(self._summary())
        verb = "Cancelled the run of" if self.cancelled else "Ran"
        self.header_label.setText(f"{verb} {len(self.plan.requests)} request(s) {self._target}")
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.copy_button.setEnabled(bool(results))
        self.run_finished.emit(self.results)

    # -- user commands ---------------------------------------------------------------------
    def cancel(self) -> None:
        """Abort the request in flight; no further request starts."""
        if not self.running:
            return
        self.cancelled = True
        self.token.cancel()
        self.cancel_button.setEnabled(False)
        self.summary_label.setText("Cancelling…")
        self.cancel_requested.emit()

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(
            format_table(self.results) + "\n" + self._summary() + "\n"
        )

    def passed(self) -> int:
        return sum(r.outcome == "passed" for r in self.results)

    def failed(self) -> int:
        return sum(r.outcome != "passed" for r in self.results)

    def _summary(self) -> str:
        elapsed = (
            self._elapsed if self._elapsed is not None else time.perf_counter() - self._started
        )
        text = summary(self.results, self.plan.problems, elapsed)
        if self.running:
            return f"{len(self.results)} of {len(self.plan.requests)} done: {text}"
        if self.cancelled:
            not_run = len(self.plan.requests) - len(self.results)
            return f"Cancelled, {not_run} not run. {text}"
        return text

    # -- closing -------------------------------------------------------------------------------
    def esc_cancels(self) -> bool:
        """Esc cancels a running run; a second Esc (or after the end) closes."""
        return self.running and not self.cancelled


def _outcome(result: RunResult) -> str:
    """The Result column: passed, failed (the expectation, or the capture that took
    nothing), cancelled, or the error."""
    if result.outcome == "passed":
        return f"passed ({result.expected})"
    if result.outcome == "failed":
        if result.capture_failed:  # the status was right
            return f"FAILED: {result.message}"
        return f"FAILED: expected {result.expected}"
    if result.cancelled:
        return CANCELLED
    return f"error: {result.message}"
