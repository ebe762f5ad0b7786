"""All pages of a list: read one after another on a pool thread, shown joined.

``explorer.run.pages.walk_pages`` does the walk (throttled, a 429's ``Retry-After`` waited
out, a repeated cursor stops it); ``PageWalkControl`` starts it with the profile that sent
the page on screen, after the production guard, and puts every exchange in the history.
``AllPagesWindow`` shows the pages as they come (status, records, request id), a progress bar
and Cancel, then the records joined into one list, to copy or save.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange
from explorer.core.pages import has_cursor
from explorer.core.request import RpcRequest, hidden_places
from explorer.core.units import human_ms
from explorer.core.variables import find_variables
from explorer.run.accounts import record_count
from explorer.run.pages import PageWalk, walk_pages
from explorer.ui.batch import BatchControl
from explorer.ui.delivery import Delivery
from explorer.ui.jobs import ProgressJob, Report
from explorer.ui.response.body import plain_edit
from explorer.ui.response.pages import PagesRequest
from explorer.ui.widgets.save_text import save_text_as
from explorer.ui.widgets.work_dialog import WorkDialog

if TYPE_CHECKING:
    from explorer.core.guard import AccountBook, Target
    from explorer.ui.batch import Parts
    from explorer.ui.request.send_control import SendControl

COLUMNS = ("Page", "Status", "Records", "Time", "Request id")
# The step a walk reports each exchange under as it is made (pages are numbered from 1).
SENT = 0


def _page_facts(page: int, exchange: Exchange) -> list[str]:
    response = exchange.response
    if response is None:
        failure = exchange.failure
        return [str(page), failure.message if failure else "no response", "", "", ""]
    records = record_count(response.result.data) if response.ok and response.result else None
    return [
        str(page),
        f"{response.status} {response.reason}".strip(),
        "" if records is None else str(records),
        human_ms(response.timing.total_ms),
        response.request_id or "",
    ]


class AllPagesWindow(WorkDialog):
    """The pages of one walk as they arrive, then the records joined.

    Signals:
        cancel_requested(): Cancel (or Esc, or closing) while the walk runs.
    """

    cancel_requested = Signal()

    def __init__(self, request: PagesRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allPagesWindow")
        self.setModal(False)
        self.running = True
        self.walk: PageWalk | None = None
        self.joined_text = ""
        first = request.exchange.request
        self.setWindowTitle(f"All pages: {first.action}")
        account = f" on {html.escape(first.account_id)}" if first.account_id else ""
        place = request.place
        midway = has_cursor(first, place)
        self.header_label = QLabel(
            f"Reading the pages of <b>{html.escape(first.action)}</b>{account} from the one on "
            f"screen, up to {request.limit}; the cursor goes in "
            f"{html.escape(place.location)}.{html.escape(place.name)}."
            + (
                " The page on screen is not the first: the records before it are not "
                "included (open the first page for the whole list)."
                if midway
                else ""
            )
        )
        self.header_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, request.limit)
        self.progress_bar.setFormat("%v of at most %m pages")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Pages read")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.joined_view = plain_edit()
        self.joined_view.setAccessibleName("The pages joined")
        self.joined_view.setPlaceholderText("The records of every page, joined, once the walk ends")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.joined_view)
        splitter.setSizes([140, 400])
        self.summary_label = QLabel("")
        self.summary_label.setObjectName("pagesSummary")
        self.summary_label.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy JSON")
        self.save_button = QPushButton("&Save JSON…")
        self.cancel_button = QPushButton("Cancel")
        self.close_button = QPushButton("Close")
        for button, role in (
            (self.copy_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.save_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole),
            (self.close_button, QDialogButtonBox.ButtonRole.AcceptRole),
        ):
            self.buttons.addButton(button, role)
        self.copy_button.clicked.connect(self.copy_json)
        self.save_button.clicked.connect(self.save_json)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setVisible(False)
        self.copy_button.setEnabled(False)
        self.save_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.buttons)
        self.resize(900, 620)
        self.add_page(1, request.exchange)  # the page on screen is the first

    def add_page(self, page: int, exchange: Exchange) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(_page_facts(page, exchange)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.progress_bar.setValue(min(page, self.progress_bar.maximum()))
        self.summary_label.setText(f"Read {page} page{'s' if page != 1 else ''}…")

    def finish(self, walk: PageWalk | None, text: str, problem: str = "") -> None:
        self.running = False
        self.walk = walk
        self.joined_text = text
        self.joined_view.setPlainText(text)
        if walk is not None:
            self.progress_bar.setValue(min(walk.joined.pages, self.progress_bar.maximum()))
            self.summary_label.setText(walk.summary())
        else:
            self.summary_label.setText(problem)
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.copy_button.setEnabled(bool(text))
        self.save_button.setEnabled(bool(text))

    # -- commands -----------------------------------------------------------------------------
    def cancel(self) -> None:
        if self.running:
            self.cancel_button.setEnabled(False)
            self.summary_label.setText("Cancelling…")
            self.cancel_requested.emit()

    def copy_json(self) -> None:
        QGuiApplication.clipboard().setText(self.joined_text)

    def save_json(self) -> Path | None:
        """Ask where, then write the joined records on the pool (atomically)."""
        if not self.joined_text:
            return None
        return save_text_as(
            self,
            "Save the pages joined",
            Path.home() / "pages.json",
            "JSON (*.json)",
            self.joined_text,
            self._saved,
        )

    def _saved(self, path: Path, error: Exception | None) -> None:
        if error is not None:
            self.summary_label.setText(f"Could not save {path}: {error}")
        else:
            said = self.summary_label.text().rstrip(".")
            self.summary_label.setText(f"{said}. Saved to {path}.")


class PageWalkControl(BatchControl):
    """Starts "All pages" for the page on screen; one walk at a time.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
        finished(object): the ``PageWalk`` once it has ended (also after a cancel).
    """

    finished = Signal(object)

    def __init__(self, client: RpcClient, *, sender: SendControl, **parts: Unpack[Parts]) -> None:
        super().__init__(client, **parts)
        self._sender = sender
        self.dialog: AllPagesWindow | None = None

    def walk(self, request: PagesRequest) -> bool:
        """Read the pages after the one on screen (after the guard's word when it asks)."""
        if self.dialog is not None and self.dialog.running:
            self.message.emit("Already reading all pages: cancel that first.", 5000)
            self.dialog.raise_()
            return False
        first, profile = self._sender.replay_target(request.exchange, request.request)
        if hidden_places(first) or find_variables(first):
            # From the history, whose copy holds no secret: Retry fills them in again.
            self.message.emit(
                "Not read: this entry from the history held secret values, which the history "
                "never keeps. Press Retry to send it again with them, then All pages.",
                10_000,
            )
            return False
        if self._keyring.busy:
            self.message.emit("Already reading the API key for all pages.", 5000)
            return False
        return self._reading(
            profile, lambda key: key is not None and self._guarded(request, first, profile, key)
        )

    def _guarded(self, request: PagesRequest, first: RpcRequest, profile: str, key: str) -> bool:
        """Go on once the key is read: through the production guard, then walk."""
        guard = self._guard

        def build(book: AccountBook) -> list[Target]:
            return [guard.target(book, first.action, first.account_id)]

        return guard.request(
            scope=first.base_url,
            profile=profile,
            build=build,
            go=lambda: self._start(request, first, profile, key),
            what=f"'all pages of {first.action}'",
            total=request.limit - 1,
        )

    def _start(self, request: PagesRequest, first: RpcRequest, profile: str, key: str) -> bool:
        token = self._token = CancelToken()
        shown = request.exchange.response
        client = self._client

        def work(report: Report) -> tuple[PageWalk, str]:
            body = shown.json if shown is not None else None
            walk = walk_pages(
                client,
                first,
                key,
                place=request.place,
                limit=request.limit,
                profile=profile,
                progress=report,
                cancel=token,
                read=[body],
                sent=lambda exchange: report(SENT, exchange),
                from_first=not has_cursor(request.exchange.request, request.place),
            )
            return walk, json.dumps(walk.joined.to_json(), indent=2, ensure_ascii=False)

        dialog = AllPagesWindow(request, self._window)
        dialog.cancel_requested.connect(token.cancel)
        job = ProgressJob(work)
        reports = Delivery(job.signals, dialog)  # to the dialog while it lives
        reports.on(job.signals.progress, lambda page, item: self._on_page(dialog, page, item))
        reports.on(job.signals.done, lambda result: self._on_done(dialog, result))
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()
        self.pool.start(job)
        return True

    def _on_page(self, dialog: AllPagesWindow, number: int, exchange: Exchange) -> None:
        if number == SENT:  # every exchange, as it is made: the history keeps them all
            self._history_pane.add(exchange, select=False)
            response = exchange.response
            if response is not None and response.status == 429 and dialog.running:
                wait = response.retry_after
                after = f" {wait:.0f} s" if wait else ""
                dialog.summary_label.setText(
                    f"Rate limited (429): waiting{after} as StackOne asks, then asking again… "
                    "(Cancel stops)"
                )
            return
        dialog.add_page(number + 1, exchange)  # page 1 is the one already on screen

    def _on_done(self, dialog: AllPagesWindow, result: object) -> None:
        self._token = None
        if not isinstance(result, tuple):
            dialog.finish(None, "", f"The pages could not be read: {result}")
            return
        walk, text = result
        dialog.finish(walk, text)
        self.message.emit(f"All pages: {walk.summary()}", 10_000)
        self.finished.emit(walk)
