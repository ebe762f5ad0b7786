"""Share a case: one or more exchanges written as a folder (or zip) for a ticket.

The case itself is ``core.case``: a Markdown report and a HAR file, secrets hidden by the one
secrets policy. This dialog chooses what goes in (title, notes, where, folder or zip) and
offers the personal-data scrub with a preview of exactly what will be replaced: each value,
its kind, its placeholder and where it occurs, each with a tick to keep it out of the scrub.
Nothing is written until Export, and an existing folder or file is never replaced.

Reading the exchanges (a history entry may hold 10 MB), reading the secrets (the keyring),
planning the scrub and writing the case all happen off the UI thread: the exchanges on a pool
thread, the secrets on a thread nobody waits for (a locked keyring may wait on its password
prompt for ever, and quitting must not wait with it), the planning and writing in the case
helper process (``helper_jobs.CASE``). Export waits until the secrets are known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.case import Case, CaseItem, case_name, trace_summary, write_case
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.secrets import ADDRESS, EMAIL, NAME, PHONE, PersonalData, ScrubPlan
from explorer.core.trace import Trace
from explorer.ui.helper_jobs import CASE, HelperJob
from explorer.ui.jobs import BlockingCall
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label

Reader = Callable[[], Exchange]
KIND_NAMES = (
    (EMAIL, "&Emails"),
    (PHONE, "P&hone numbers"),
    (NAME, "&Names"),
    (ADDRESS, "&Addresses"),
)
REPLACE, KIND, VALUE, PLACEHOLDER, WHERE = range(5)
FIELDS_DELAY_MS = 500


@dataclass
class CaseSources:
    """What the window knows around the exchanges, for the report.

    ``secrets`` is called on a thread of its own (it reads the keyring): the API key and the secret
    variables' values, to hide wherever they appear. ``customer`` names an account's owner;
    ``trace`` is the trace the user fetched this session for a request id (already masked by
    the secrets policy), or ``None``: its summary goes in the report.
    """

    readers: Sequence[tuple[str, Reader]]
    secrets: Callable[[], list[str]] = lambda: []
    customer: Callable[[str], str] = lambda _account: ""
    trace: Callable[[str], Trace | None] = lambda _request_id: None
    environment: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    secret_names: Sequence[str] = ()


def plan_scrub(
    exchanges: list[Exchange], kinds: tuple[str, ...], fields: tuple[str, ...]
) -> ScrubPlan:
    """The scrub of ``exchanges`` (in the helper process; picklable arguments)."""
    return PersonalData(kinds=kinds, fields=fields).plan(exchanges)


def _in_memory(exchange: Exchange) -> Exchange:
    """The exchange with a body kept on disk read in (it goes to the helper process)."""
    response = exchange.response
    if response is None or response.body_file is None:
        return exchange
    body = b"".join(response.body_file.chunks())
    return Exchange.from_dict(exchange.to_dict(include_body=False), body=body)


class ShareCaseDialog(QDialog):
    """Title, notes, where to write, the personal-data scrub and its preview; Export writes.

    Attributes:
        written: the folder or zip written, once Export succeeded.
    """

    def __init__(
        self, sources: CaseSources, *, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Share a case")
        self._sources = sources
        self._exchanges: list[Exchange] | None = None
        self._secrets: list[str] | None = None  # None until the keyring answered
        self._keyring = BlockingCall(self)  # the secrets to hide: never on a pool thread
        self._export_after_secrets = False
        self.plan: ScrubPlan | None = None
        self._planned_for: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self._export_after_plan = False
        self.written: Path | None = None
        self._folder = folder
        self.job = HelperJob(CASE, self)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.busy_changed.connect(self._on_busy)
        self._build()
        self.resize(900, 680)

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        count = len(self._sources.readers)
        listed = ", ".join(label for label, _r in self._sources.readers[:4])
        if count > 4:
            listed += f" and {count - 4} more"
        intro = QLabel(
            f"{count} exchange(s): {listed}. The case holds a Markdown report (README.md) and "
            "the exchanges as HAR 1.2 (exchanges.har). API keys and secret values are never "
            "in it."
        )
        intro.setWordWrap(True)
        self.trace_label = QLabel()
        self.trace_label.setWordWrap(True)
        self.trace_label.setAccessibleName("Traces in the case")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What the case is about (the report's heading)")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Notes for whoever reads the ticket (optional)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Where to write the case")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.clicked.connect(self.choose_target)
        self.choose_button.setAutoDefault(False)  # Enter in the path means Export
        self.folder_radio = QRadioButton("&Folder")
        self.zip_radio = QRadioButton("&Zip file")
        self.folder_radio.setChecked(True)
        self.zip_radio.toggled.connect(lambda _on: self._fit_suffix())
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.choose_button)
        where.addWidget(self.folder_radio)
        where.addWidget(self.zip_radio)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("N&otes:", self.notes_edit)
        form.addRow("&Write to:", where)
        for row, buddy in ((0, self.title_edit), (1, self.notes_edit), (2, self.path_edit)):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setBuddy(buddy)

        self.scrub_box = QGroupBox(
            "&Scrub personal data (previewed below before anything is written)"
        )
        self.scrub_box.setCheckable(True)
        self.scrub_box.setChecked(True)
        self.scrub_box.toggled.connect(lambda _on: self._scrub_changed())
        self.kind_boxes: dict[str, QCheckBox] = {}
        kinds = QHBoxLayout()
        for kind, text in KIND_NAMES:
            box = QCheckBox(text)
            box.setChecked(True)
            box.toggled.connect(lambda _on: self._scrub_changed())
            kinds.addWidget(box)
            self.kind_boxes[kind] = box
        kinds.addStretch(1)
        self.fields_edit = QLineEdit()
        self.fields_edit.setPlaceholderText("$..national_identity_number, $..date_of_birth")
        self.fields_edit.setAccessibleName(
            "Custom field paths to scrub (JSONPath, comma separated)"
        )
        self._fields_timer = QTimer(self)  # the preview follows a pause in typing
        self._fields_timer.setSingleShot(True)
        self._fields_timer.setInterval(FIELDS_DELAY_MS)
        self._fields_timer.timeout.connect(self._scrub_changed)
        self.fields_edit.textChanged.connect(lambda _t: self._fields_timer.start())
        fields_row = QHBoxLayout()
        fields_label = QLabel("Also these &fields:")
        fields_label.setBuddy(self.fields_edit)
        fields_row.addWidget(fields_label)
        fields_row.addWidget(self.fields_edit, 1)
        self.preview = QTableWidget(0, 5)
        self.preview.setHorizontalHeaderLabels(["Replace", "Kind", "Value", "Placeholder", "Where"])
        self.preview.setAccessibleName("What the scrub replaces")
        self.preview.setAccessibleDescription(
            "One value a row; untick a row to leave that value as it is"
        )
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setTabKeyNavigation(False)
        rows = self.preview.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.preview.fontMetrics().height() + 8)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.itemChanged.connect(lambda _i: self._count_ticked())
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setAccessibleName("Scrub preview summary")
        scrub = QVBoxLayout(self.scrub_box)
        scrub.addLayout(kinds)
        scrub.addLayout(fields_row)
        scrub.addWidget(self.preview_label)
        scrub.addWidget(self.preview, 1)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Working on the case")
        self.progress.hide()
        self.keyring_label = QLabel(
            "Reading the secrets to hide from the OS keyring (if it asks for its password, "
            "answer its prompt)…"
        )
        self.keyring_label.setWordWrap(True)
        self.keyring_label.hide()
        self.error_label = tinted_label(PROBLEM_RGB)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.trace_label)
        layout.addLayout(form)
        layout.addWidget(self.scrub_box, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.export_button.setDefault(True)  # Enter anywhere exports (once in the dialog)

    # -- opening ------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the exchanges (pool thread), then plan the scrub; read the secrets meanwhile
        (a thread of their own: the keyring)."""
        readers = [reader for _label, reader in self._sources.readers]
        secrets = self._sources.secrets
        kinds, fields = self._scrub_settings()
        self.preview_label.setText("Reading the exchanges…")

        def prepare() -> Callable[..., ScrubPlan]:
            exchanges = [_in_memory(read()) for read in readers]
            self._exchanges = exchanges
            return partial(plan_scrub, exchanges, kinds, fields)

        self._planned_for = (kinds, fields)
        self.job.start(prepare=prepare)
        self.keyring_label.show()
        self._keyring.start(lambda: [s for s in secrets() if s], self._got_secrets)

    @property
    def reading_secrets(self) -> bool:
        """The secrets to hide are being read from the keyring (it has not answered yet)."""
        return self._keyring.busy

    def _got_secrets(self, result: object) -> None:
        self.keyring_label.hide()
        if isinstance(result, BaseException):  # nothing is written without them
            self._export_after_secrets = False
            self._show_error(
                f"The secrets to hide could not be read, so the case cannot be written: "
                f"{result} Close this, unlock the keyring (or choose no environment) and "
                "share again."
            )
            return
        self._secrets = list(result) if isinstance(result, list) else []
        if self._export_after_secrets:
            self._export_after_secrets = False
            self.export()

    def _first_name(self) -> None:
        if self.path_edit.text():
            return
        case = Case(items=[CaseItem(e) for e in self._exchanges or []])
        self.path_edit.setText(str(self._folder / case_name(case)))
        self._fit_suffix()

    def traces(self) -> list[str]:
        """Each exchange's trace summary for the report ("" where none was fetched)."""
        found = []
        for exchange in self._exchanges or []:
            request_id = exchange.response.request_id if exchange.response is not None else None
            trace = self._sources.trace(request_id) if request_id else None
            found.append(trace_summary(trace) if trace is not None else "")
        return found

    def _say_traces(self) -> None:
        count = sum(1 for summary in self.traces() if summary)
        if count:
            self.trace_label.setText(
                f"The trace you fetched goes in the report for {count} of "
                f"{len(self._exchanges or [])} exchange(s): each provider call's method, URL, "
                "status and time (no headers or bodies)."
            )
        else:
            self.trace_label.setText(
                "No trace fetched: to show what StackOne did with a request, open its trace "
                "first (the response's Trace… button, or Ctrl+Shift+L)."
            )

    # -- the scrub ----------------------------------------------------------------------------
    def _scrub_settings(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        kinds = tuple(k for k, box in self.kind_boxes.items() if box.isChecked())
        fields = tuple(f.strip() for f in self.fields_edit.text().split(",") if f.strip())
        return kinds, fields

    def _scrub_changed(self) -> None:
        if not self.scrub_box.isChecked():
            self.preview_label.setText("Personal data will be written as it is.")
            return
        if self._exchanges is None:
            return  # the first plan is on its way
        wanted = self._scrub_settings()
        if wanted == self._planned_for and self.plan is not None:
            self._count_ticked()
            return
        self._replan()

    def _replan(self) -> None:
        kinds, fields = self._scrub_settings()
        self._planned_for = (kinds, fields)
        self.plan = None
        self.preview_label.setText("Looking for personal data…")
        self.job.start(partial(plan_scrub, self._exchanges or [], kinds, fields))

    def _show_plan(self, plan: ScrubPlan) -> None:
        self.plan = plan
        self.preview.blockSignals(True)
        self.preview.setRowCount(len(plan.replacements))
        for row, found in enumerate(plan.replacements):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked)
            tick.setData(Qt.ItemDataRole.UserRole, found.value)
            where = "; ".join(found.places)
            if found.count > len(found.places):
                where += f" (and {found.count - len(found.places)} more)"
            texts = (found.kind, found.value, found.placeholder, f"{found.count}×: {where}")
            self.preview.setItem(row, REPLACE, tick)
            for column, text in enumerate(texts, start=KIND):
                item = QTableWidgetItem(text)
                if column == WHERE:
                    item.setToolTip(where)
                self.preview.setItem(row, column, item)
        self.preview.blockSignals(False)
        for column in (REPLACE, KIND, VALUE, PLACEHOLDER):  # Where takes the rest
            self.preview.resizeColumnToContents(column)
        self.preview.setColumnWidth(VALUE, min(self.preview.columnWidth(VALUE), 260))
        self._count_ticked()

    def unticked(self) -> list[str]:
        """The values the user chose to leave as they are."""
        out = []
        for row in range(self.preview.rowCount()):
            item = self.preview.item(row, REPLACE)
            if item is not None and item.checkState() != Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _count_ticked(self) -> None:
        if self.plan is None:
            return
        total = len(self.plan.replacements)
        kept = len(self.unticked())
        if not total:
            self.preview_label.setText("No personal data found: nothing to replace.")
            return
        text = f"{total - kept} of {total} value(s) will be replaced by placeholders"
        text += " (the same value, the same placeholder in every file)."
        if kept:
            text += f" {kept} unticked value(s) will be written as they are."
        self.preview_label.setText(text)

    # -- where --------------------------------------------------------------------------------
    def _fit_suffix(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        if self.zip_radio.isChecked() and path.suffix.lower() != ".zip":
            self.path_edit.setText(str(path.with_name(path.name + ".zip")))
        elif self.folder_radio.isChecked() and path.suffix.lower() == ".zip":
            self.path_edit.setText(str(path.with_suffix("")))

    def choose_target(self) -> None:
        current = self.path_edit.text().strip() or str(self._folder)
        if self.zip_radio.isChecked():
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                "Write the case to",
                current,
                "Zip files (*.zip)",
                options=QFileDialog.Option.DontConfirmOverwrite,  # Export says it exists
            )
        else:
            parent = QFileDialog.getExistingDirectory(
                self, "Write the case folder into", str(Path(current).parent)
            )
            chosen = str(Path(parent) / Path(current).name) if parent else ""
        if chosen:
            self.path_edit.setText(chosen)
            self._fit_suffix()

    # -- export -------------------------------------------------------------------------------
    def export(self) -> None:
        """Write the case (after the scrub's plan is there), never over an existing one."""
        self.error_label.hide()
        if self._secrets is None:  # the keyring has not answered: nothing to hide yet
            self._export_after_secrets = self.reading_secrets
            if not self.reading_secrets:
                self.error_label.show()  # why they could not be read, as said then
            return
        if self._exchanges is None or self.job.is_busy():
            self._export_after_plan = True
            return
        text = self.path_edit.text().strip()
        if not text:
            self._show_error("Say where to write the case.")
            return
        target = Path(text).expanduser()
        if target.exists():
            self._show_error(f"{target} already exists and is never replaced: choose another name.")
            self.path_edit.setFocus()
            return
        plan: ScrubPlan | None = None
        if self.scrub_box.isChecked():
            if self.plan is None or self._planned_for != self._scrub_settings():
                self._export_after_plan = True
                self._replan()
                return
            plan = self.plan.without(self.unticked())
        sources = self._sources
        case = Case(
            items=[
                CaseItem(e, customer=sources.customer(e.request.account_id), trace=trace)
                for e, trace in zip(self._exchanges, self.traces(), strict=True)
            ],
            title=self.title_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
            environment=sources.environment,
            variables=dict(sources.variables),
            secret_names=list(sources.secret_names),
            secrets=list(self._secrets),
        )
        self._export_after_plan = False
        self.job.start(
            partial(write_case, case, target, plan=plan, as_zip=self.zip_radio.isChecked())
        )

    # -- results ------------------------------------------------------------------------------
    def _on_finished(self, result: object) -> None:
        if isinstance(result, ScrubPlan):
            self._first_name()
            self._say_traces()
            self._show_plan(result)
            if self._export_after_plan:
                self.export()
        elif isinstance(result, Path):
            self.written = result
            self.accept()

    def _on_failed(self, error: object) -> None:
        self._export_after_plan = False
        text = str(error) if isinstance(error, ExplorerError | OSError) else repr(error)
        if self.plan is None and self._exchanges is not None and self.preview.rowCount() == 0:
            self.preview_label.setText("The scrub could not be planned.")
        self._show_error(text)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.scrub_box.setEnabled(not busy)

    def reject(self) -> None:
        self.job.cancel()  # nothing is half-written: the case is moved into place whole
        self._keyring.cancel()  # a read waiting on the keyring's prompt is forgotten
        super().reject()
