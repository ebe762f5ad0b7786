"""The "Run across accounts" window: choose the accounts, then watch the answers come in.

Two pages. The first shows the editor's request (only ``x-account-id`` changes per account)
and the account chooser; the second the results as they come back, with a progress bar and
Cancel, then: open a row's exchange in the response view, compare two rows, export the table
(CSV, JSON), or go back and choose other accounts. Sending is the ``control``'s business; the
dialog asks through its signals.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.discovery import Account
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.run.accounts import (
    DEFAULT_PER_MINUTE,
    STACKONE_PER_MINUTE,
    AccountRow,
    to_csv,
    to_json,
)
from explorer.ui.accounts.chooser import AccountChooser
from explorer.ui.accounts.results import (
    SHOW_ALL,
    SHOW_OK,
    SHOW_PROBLEMS,
    AccountResultsModel,
    ResultColumn,
    ResultsFilter,
    tally,
)
from explorer.ui.widgets.after_paint import AfterPaint
from explorer.ui.widgets.row_table import row_table
from explorer.ui.widgets.save_text import save_text_as
from explorer.ui.widgets.work_dialog import WorkDialog


def _button(text: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    return button


class AccountRunDialog(WorkDialog):
    """Choose accounts, run, read the results.

    Signals:
        run_requested(object): ``(chosen, per_minute)``: the ticked ``Account``s and the
            typed ids, and the most requests a minute.
        cancel_requested(): Cancel (or Esc, or closing) while the run goes on.
        open_requested(object): the ``Exchange`` of a row, to show in the response view.
        compare_requested(object, object): the ``Exchange``s of two rows to compare.
        message(str): a note for the window's status bar.
    """

    run_requested = Signal(object)
    cancel_requested = Signal()
    open_requested = Signal(object)
    compare_requested = Signal(object, object)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountRunDialog")
        self.setWindowTitle("Run across accounts")
        self.setModal(False)
        self.request: RpcRequest | None = None
        self.running = False
        self.reading_key = False  # Run pressed, the profile's key being read from the keyring
        self.cancelled = False
        self.where = ""
        self._started = ""
        self._counts_due = False  # the progress and tally are to be counted (``_count``)
        self._after_paint = AfterPaint(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._choose_page())
        self.stack.addWidget(self._results_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.resize(1180, 640)

    # -- building ------------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        self.request_label = QLabel()
        self.request_label.setObjectName("accountRunRequest")
        self.request_label.setWordWrap(True)
        self.chooser = AccountChooser()
        self.chooser.chosen_changed.connect(self._chosen_changed)
        self.pace_spin = QSpinBox()
        self.pace_spin.setRange(1, STACKONE_PER_MINUTE)
        self.pace_spin.setValue(DEFAULT_PER_MINUTE)
        self.pace_spin.setSuffix(" a minute")
        self.pace_spin.setAccessibleName("Most requests a minute")
        self.pace_spin.setToolTip(
            f"StackOne allows {STACKONE_PER_MINUTE} a minute per API key; a 429's Retry-After "
            "pauses the run whatever this says"
        )
        pace = QLabel("At &most")
        pace.setBuddy(self.pace_spin)
        self.run_button = _button("&Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self._run_clicked)
        close = _button("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(pace)
        buttons.addWidget(self.pace_spin)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(close)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.request_label)
        layout.addWidget(self.chooser, 1)
        layout.addLayout(buttons)
        return page

    def _results_page(self) -> QWidget:
        self.results_label = QLabel()
        self.results_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat("%v of %m accounts")
        self.tally_label = QLabel()
        self.tally_label.setObjectName("accountRunTally")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter the results (any column)")
        self.filter_edit.setAccessibleName("Filter the results")
        self.filter_edit.setClearButtonEnabled(True)
        self.outcome_combo = QComboBox()
        self.outcome_combo.setAccessibleName("Which results")
        for text, value in (
            ("All results", SHOW_ALL),
            ("Succeeded", SHOW_OK),
            ("Errors and failures", SHOW_PROBLEMS),
        ):
            self.outcome_combo.addItem(text, value)
        self.model = AccountResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.outcome_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_outcome(self.outcome_combo.currentData())
        )
        self.table = row_table(
            self.proxy,
            name="Results by account",
            widths=(
                (ResultColumn.ACCOUNT, "PROD · acct_bamboohr_sandbox"),
                (ResultColumn.CUSTOMER, "Globex Corporation"),
                (ResultColumn.STATUS, "no response"),
                (ResultColumn.TIME, "12.34 s"),
                (ResultColumn.REQUEST_ID, "0123456789abcdef0123456789abcdef"),
                (ResultColumn.RECORDS, "Records"),
            ),
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the order chosen, at first
        self.table.setAccessibleDescription(
            "One row per account; Enter opens its exchange in the response view"
        )
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.outcome_combo)

        self.open_button = _button("&Open in response view", "Show this row's exchange (Enter)")
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.compare_button = _button("Com&pare two", "Select two rows, then compare them")
        self.compare_button.clicked.connect(self.compare_selected)
        self.csv_button = _button("Export &CSV…")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.json_button = _button("Export &JSON…")
        self.json_button.clicked.connect(lambda: self.export("json"))
        self.back_button = _button("C&hoose other accounts")
        self.back_button.clicked.connect(self.back_to_accounts)
        self.cancel_button = _button("Cancel", "Abort the requests in flight and send no more")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = _button("Close")
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.compare_button, self.csv_button, self.json_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.back_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.results_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.tally_label)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return page

    # -- choosing ------------------------------------------------------------------------------
    def set_request(self, request: RpcRequest, where: str) -> None:
        """The request to send (the editor's, as it is now) and the server."""
        self.request = request
        self.where = where
        self.setWindowTitle(f"Run across accounts: {request.action}")
        self.request_label.setText(
            f"Send <b>{html.escape(request.action)}</b> (the editor's request: only "
            f"x-account-id changes) to each account you tick, against {html.escape(where)}. "
            "Every exchange also goes into the history."
        )
        self._chosen_changed(len(self.chooser.chosen()))

    def set_accounts(self, accounts: Sequence[Account] | None, status: str = "") -> None:
        if accounts is not None:
            self.chooser.set_accounts(accounts)
        if status or accounts is None:
            self.chooser.set_status(status)

    def _chosen_changed(self, count: int) -> None:
        if self.reading_key:
            return
        self.run_button.setEnabled(count > 0 and not self.running)
        self.run_button.setText(f"&Run on {count} account{'s' if count != 1 else ''}")

    def set_reading_key(self, reading: bool) -> None:
        """Run was pressed and the profile's key is being read (a locked keyring waits for its
        password): say so, and turn Run into Stop, which abandons the read."""
        self.reading_key = reading
        if reading:
            self.run_button.setText("&Stop reading the key")
            self.run_button.setEnabled(True)
            self.chooser.set_status("Reading the API key from the OS keyring… (Stop cancels)")
        else:
            self.chooser.set_status("")
            self._chosen_changed(len(self.chooser.chosen()))

    def _run_clicked(self) -> None:
        if self.reading_key:
            self.cancel_requested.emit()
            return
        chosen = self.chooser.chosen()
        if chosen:
            self.run_requested.emit((chosen, self.pace_spin.value()))

    def back_to_accounts(self) -> None:
        if not self.running:
            self.stack.setCurrentIndex(0)
            self.chooser.table.setFocus()

    # -- results -------------------------------------------------------------------------------
    def start(self, rows: Sequence[AccountRow], accounts: Sequence[Account]) -> None:
        """The run has begun: a row per account, all waiting."""
        self.running = True
        self._counts_due = False
        self.cancelled = False
        self._started = datetime.now(UTC).isoformat(timespec="seconds")
        self.model.set_rows(rows, accounts)
        self.progress_bar.setRange(0, max(1, len(rows)))
        self.progress_bar.setValue(0)
        action = html.escape(self.request.action if self.request else "")
        self.results_label.setText(
            f"Sending <b>{action}</b> to {len(rows)} account{'s' if len(rows) != 1 else ''} "
            f"against {html.escape(self.where)}…"
        )
        self.tally_label.setText(tally(rows))
        self.cancel_button.setEnabled(True)
        self.stack.setCurrentIndex(1)
        self._update_buttons()
        self.table.setFocus()

    def update_row(self, index: int, row: AccountRow) -> None:
        """A row changed; the progress and tally follow once per turn of the event loop,
        after the paint (rows arriving together are counted once)."""
        self.model.update(index, row)
        if not self._counts_due:
            self._counts_due = True
            self._after_paint.call(self._count)

    def _count(self) -> None:
        self._counts_due = False
        if not self.running:
            return  # ``finish`` counted
        rows = self.model.rows()
        self.progress_bar.setValue(sum(r.done for r in rows))
        self.tally_label.setText(tally(rows))
        self._update_buttons()

    def finish(self, rows: Sequence[AccountRow], problem: str = "") -> None:
        self.running = False
        self.model.update_all(rows)
        verb = "Cancelled: sent" if self.cancelled else "Sent"
        action = html.escape(self.request.action if self.request else "")
        self.results_label.setText(
            f"{verb} <b>{action}</b> to {len(rows)} account{'s' if len(rows) != 1 else ''} "
            f"against {html.escape(self.where)}."
        )
        self.tally_label.setText(problem or tally(rows))
        self.progress_bar.setValue(sum(r.done for r in rows))
        self._chosen_changed(len(self.chooser.chosen()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        done = not self.running
        self.cancel_button.setVisible(self.running)
        self.close_button.setVisible(done)
        self.back_button.setEnabled(done)
        for button in (self.csv_button, self.json_button):
            button.setEnabled(done and bool(self.model.rows()))
        current = self._row_at(self.table.currentIndex())
        self.open_button.setEnabled(current is not None and current.exchange is not None)
        self.compare_button.setEnabled(len(self.selected_exchanges()) == 2)

    def _row_at(self, index: QModelIndex) -> AccountRow | None:
        if not index.isValid():
            return None
        return self.model.row(self.proxy.mapToSource(index).row())

    def selected_exchanges(self) -> list[Exchange]:
        rows = self.table.selectionModel().selectedRows()
        found = [self._row_at(index) for index in rows]
        return [r.exchange for r in found if r is not None and r.exchange is not None]

    def _open_index(self, index: QModelIndex) -> None:
        row = self._row_at(index)
        if row is None or row.exchange is None:
            self.message.emit("Nothing to open: this account has not answered (yet).")
            return
        self.open_requested.emit(row.exchange)

    def compare_selected(self) -> bool:
        exchanges = self.selected_exchanges()
        if len(exchanges) != 2:
            self.message.emit("Select two rows that have answered (Ctrl+click), then Compare.")
            return False
        self.compare_requested.emit(exchanges[0], exchanges[1])
        return True

    # -- exports -------------------------------------------------------------------------------
    def export_text(self, kind: str) -> str:
        rows = self.model.rows()
        if kind == "csv":
            return to_csv(rows)
        request = self.request
        context: dict[str, Any] = {
            "action": request.action if request else "",
            "base_url": self.where,
            "started_at": self._started,
            "cancelled": self.cancelled,
        }
        return to_json(rows, context)

    def export(self, kind: str) -> Path | None:
        """Ask where, then write the table (CSV or JSON) atomically on the pool. Only the
        table's columns: no bodies, no key."""
        action = self.request.action if self.request else "results"
        return save_text_as(
            self,
            f"Export the results as {kind.upper()}",
            Path.home() / f"{action}-accounts.{kind}",
            f"*.{kind}",
            self.export_text(kind),
            self._exported,
        )

    def _exported(self, path: Path, error: Exception | None) -> None:
        said = f"Could not write {path}: {error}" if error else f"Exported the results to {path}"
        self.message.emit(said)
        self.tally_label.setText(f"{tally(self.model.rows())}. {said}.")

    # -- closing -------------------------------------------------------------------------------
    def reject(self) -> None:
        """Close (or Esc): a key read for Run is abandoned, nothing is sent."""
        if self.reading_key:
            self.cancel_requested.emit()
        super().reject()

    def cancel(self) -> None:
        if self.running and not self.cancelled:
            self.cancelled = True
            self.cancel_button.setEnabled(False)
            self.tally_label.setText("Cancelling…")
            self.cancel_requested.emit()
