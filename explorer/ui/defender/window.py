"""The Defender check of one response, in a window of its own: would StackOne's Defender flag
it, where, and why; and what did the server's Defender say?

The check runs StackOne's own library (``core.defender_check``) in the Defender helper process
(``helper_jobs.DEFENDER``): tier 2 over a big body takes minutes and nothing inside the library
can be interrupted, so Stop ends that process. The window says which tiers ran (tier 2 only
where its ONNX extra is installed; never tier 3), the risk level, each finding at its field
path, the tier-2 score and whether "block high risk" would refuse it, beside what the server
reported for the same exchange. Changing the tiers or "block high risk" and pressing Check again
re-checks the body already received: nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core.defender import TIER2_HINT, DefenderSettings, defender_tiers
from explorer.core.defender_check import (
    DefenderVerdict,
    Detection,
    check_response,
    differences,
    server_verdict,
    settings_for,
)
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.ui.helper_jobs import DEFENDER, HelperJob
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label
from explorer.ui.widgets.row_table import RowsModel, row_table

AnyIndex = QModelIndex | QPersistentModelIndex
BODY_LIMIT = 64 * 1024 * 1024  # a body kept on disk is read for the check up to this size
# Readable on light and dark backgrounds.
RISK_COLOURS = {"low": "#2da44e", "medium": "#bf8700", "high": "#cf222e", "critical": "#a40e26"}
PATH, TIER, RULE, RISK, MATCHED = range(5)
Reader = Callable[[], Exchange]


def _body_of(exchange: Exchange) -> bytes:
    """The response's bytes (read from disk when the body was kept there)."""
    response = exchange.response
    if response is None:
        return b""
    if response.body_file is None:
        return response.body
    if response.size > BODY_LIMIT:
        raise ExplorerError(
            f"The body ({response.size:,} bytes) is too big to check here; Defender itself "
            "stops at 10 MB."
        )
    return b"".join(response.body_file.chunks())


class DetectionsModel(RowsModel[Detection]):
    """The findings of one verdict, one a row: field path, tier, rule, risk, what matched."""

    headers: ClassVar[Mapping[Any, str]] = dict(
        enumerate(("Field path", "Tier", "Rule", "Risk", "What matched"))
    )

    def set_rows(self, detections: tuple[Detection, ...] | list[Detection]) -> None:
        self.beginResetModel()
        self._rows = list(detections)
        self.endResetModel()

    def detection_at(self, row: int) -> Detection | None:
        return self.row(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.detection_at(index.row()) if index.isValid() else None
        if found is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PATH:
                return f"{found.path} (its name)" if found.in_key else found.path
            if column == TIER:
                return str(found.tier)
            if column == RULE:
                return f"score {found.score:.2f}" if found.score is not None else found.rule
            if column == RISK:
                return found.risk or "—"
            return found.excerpt
        if role == Qt.ItemDataRole.ToolTipRole:
            return found.describe()
        if role == Qt.ItemDataRole.ForegroundRole and column == RISK and found.risk:
            return QColor(RISK_COLOURS.get(found.risk, "#bf8700"))
        return None


def tiers_installed_text() -> str:
    """Which tiers this build can run, in one sentence."""
    tier1, tier2 = defender_tiers()
    if not tier1:
        return "Defender is not installed here: pip install 'stackone-explorer[defender]'."
    if not tier2:
        return f"Tier 1 (pattern rules) can run here; tier 2 (the classifier) needs {TIER2_HINT}."
    return "Tier 1 (pattern rules) and tier 2 (the classifier) can run here; tier 3 never does."


class DefenderWindow(QWidget):
    """A Defender check of one exchange's response, and the server's verdict beside it.

    Args:
        read: returns the exchange (called on a pool thread: a history entry is read there).
        title: what the exchange is, for the heading ("bamboohr_list_employee_notes on ...").

    Signals:
        message(str): a note for the main window's status bar.
    """

    message = Signal(str)

    def __init__(self, read: Reader, *, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Defender check: {title}")
        self._read = read
        self._exchange: Exchange | None = None
        self._body: bytes | None = None
        self.verdict: DefenderVerdict | None = None
        self.server: DefenderVerdict | None = None
        self.job = HelperJob(DEFENDER, self)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.busy_changed.connect(self._on_busy)
        self._build(title)
        self.resize(1000, 700)

    # -- construction -------------------------------------------------------------------------
    def _build(self, title: str) -> None:
        heading = QLabel(f"<b>{title}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.installed_label = QLabel(tiers_installed_text())
        self.installed_label.setWordWrap(True)
        tier1, tier2 = defender_tiers()
        self.tier1_box = QCheckBox("Tier &1 (pattern rules)")
        self.tier2_box = QCheckBox("Tier &2 (classifier)")
        self.block_box = QCheckBox("&Block high risk")
        self.block_box.setToolTip("StackOne answers 403 instead of the data when the risk is high")
        if not tier2:
            self.tier2_box.setToolTip(f"Not installed here: {TIER2_HINT}")
        self.check_button = QPushButton("&Check again")
        self.check_button.setToolTip(
            "Check the response already received with these settings: nothing is sent (Ctrl+Enter)"
        )
        self.check_button.clicked.connect(self.check)
        self.check_button.setEnabled(tier1)
        settings = QHBoxLayout()
        for box in (self.tier1_box, self.tier2_box, self.block_box):
            settings.addWidget(box)
        settings.addStretch(1)
        settings.addWidget(self.check_button)
        settings_box = QGroupBox("Settings of this check (nothing is re-sent)")
        settings_box.setLayout(settings)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Defender check running")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the check (Esc)")
        self.stop_button.clicked.connect(self.stop)
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(QLabel("Checking…"))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.stop_button)
        self._progress_row = QWidget()
        self._progress_row.setLayout(progress_row)
        self._progress_row.hide()

        self.risk_label = QLabel()
        font = self.risk_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.risk_label.setFont(font)
        self.risk_label.setAccessibleName("Risk level")
        self.facts_label = QLabel()
        self.facts_label.setAccessibleName("Tiers that ran, tier 2 score and blocking")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = tinted_label(PROBLEM_RGB)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = DetectionsModel(self)
        self.table = row_table(
            self.model,
            name="Detections by field path",
            widths=(
                (PATH, "$['data'][2]['content']  "),
                (TIER, "Tier"),
                (RULE, "ignore_previous_xx"),
                (RISK, "critical"),
            ),
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selected())
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setAccessibleName("The selected finding")
        self.why_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_path_button = QPushButton("Copy &path")
        self.copy_path_button.setToolTip("Copy the field's JSONPath (paste it in the Filter tab)")
        self.copy_path_button.setEnabled(False)
        self.copy_path_button.clicked.connect(self.copy_selected_path)
        copy = QAction("Copy path", self.table)
        copy.triggered.connect(self.copy_selected_path)
        self.table.addAction(copy)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        menu_key.install(self.table)
        why_row = QHBoxLayout()
        why_row.addWidget(self.why_label, 1)
        why_row.addWidget(self.copy_path_button, 0, Qt.AlignmentFlag.AlignTop)
        findings = QWidget()
        findings_layout = QVBoxLayout(findings)
        findings_layout.setContentsMargins(0, 0, 0, 0)
        findings_layout.addWidget(self.table, 1)
        findings_layout.addLayout(why_row)

        self.server_label = QLabel()
        self.server_label.setWordWrap(True)
        self.server_label.setAccessibleName("What the server's Defender reported")
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.differences_label = QLabel()
        self.differences_label.setWordWrap(True)
        self.differences_label.setAccessibleName("Where this check and the server disagree")
        self.differences_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        server_box = QGroupBox("The server's Defender, for this exchange")
        server_layout = QVBoxLayout(server_box)
        server_layout.addWidget(self.server_label)
        server_layout.addWidget(self.differences_label)
        server_layout.addStretch(1)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setAccessibleName("Notes on this check")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(findings)
        split.addWidget(server_box)
        split.setSizes([260, 240])
        split.setChildrenCollapsible(False)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.notes_label, 1)
        bottom.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.installed_label)
        layout.addWidget(settings_box)
        layout.addWidget(self._progress_row)
        layout.addWidget(self.risk_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.error_label)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Escape), self._escape),
            (QKeySequence("Ctrl+Return"), self.check),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(action)
        self._settings_enabled(False)

    # -- running ------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the exchange (on a pool thread) and check it with the settings it was sent with."""
        self.risk_label.setText("")
        self.facts_label.setText("Reading the response…")
        read = self._read
        got: list[tuple[Exchange, bytes]] = []

        def prepare() -> Callable[..., DefenderVerdict]:
            exchange = read()
            body = _body_of(exchange)
            got.append((exchange, body))
            # The settings it was sent with; a tier this build lacks is left out, with a note.
            asked = settings_for(exchange)
            return partial(check_response, body, asked, action=exchange.request.action)

        self.job.start(prepare=prepare, after=lambda verdict: (verdict, got[0]))

    def check(self) -> None:
        """Check the body already read, with the settings ticked (nothing is sent)."""
        if self._body is None or self._exchange is None or not self.check_button.isEnabled():
            return
        settings = DefenderSettings(
            enabled=self.tier1_box.isChecked() or self.tier2_box.isChecked(),
            block_high_risk=self.block_box.isChecked(),
            tier1=self.tier1_box.isChecked(),
            tier2=self.tier2_box.isChecked(),
        )
        exchange, body = self._exchange, self._body
        call = partial(check_response, body, settings, action=exchange.request.action)
        self.job.start(call, after=lambda verdict: (verdict, (exchange, body)))

    def stop(self) -> None:
        if self.job.is_busy():
            self.job.cancel()
            self.facts_label.setText("Stopped: the check was not finished.")

    def _escape(self) -> None:
        if self.job.is_busy():
            self.stop()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.cancel()  # ends the helper's work: closing never waits for it
        super().closeEvent(event)

    def _on_busy(self, busy: bool) -> None:
        self._progress_row.setVisible(busy)
        self._settings_enabled(not busy and self._body is not None)
        if busy:
            self.error_label.hide()

    def _settings_enabled(self, enabled: bool) -> None:
        tier1, tier2 = defender_tiers()
        self.tier1_box.setEnabled(enabled and tier1)
        self.tier2_box.setEnabled(enabled and tier2)
        self.block_box.setEnabled(enabled and tier1)
        self.check_button.setEnabled(enabled and tier1)

    def _on_failed(self, error: object) -> None:
        text = str(error) if isinstance(error, ExplorerError | OSError) else repr(error)
        self.risk_label.setText("Not checked")
        self.risk_label.setStyleSheet("")
        self.facts_label.setText("The check could not run.")
        self.error_label.setText(text)
        self.error_label.show()

    def _on_finished(self, result: object) -> None:
        assert isinstance(result, tuple)
        verdict, (exchange, body) = result
        assert isinstance(verdict, DefenderVerdict)
        first = self._exchange is None
        self._exchange, self._body = exchange, body
        if first:
            self._show_settings(verdict.settings)
            self.server = server_verdict(exchange)
        self._settings_enabled(True)
        self.verdict = verdict
        self._show(verdict)

    # -- showing ------------------------------------------------------------------------------
    def _show_settings(self, settings: DefenderSettings) -> None:
        _tier1, tier2 = defender_tiers()
        self.tier1_box.setChecked(settings.tier1)
        self.tier2_box.setChecked(settings.tier2 and tier2)
        self.block_box.setChecked(settings.block_high_risk)

    def _show(self, verdict: DefenderVerdict) -> None:
        lines = verdict.describe()
        if verdict.error_body or not verdict.tiers_ran:
            self.risk_label.setText("Nothing screened")
            self.risk_label.setStyleSheet("")
        else:
            risk = verdict.risk_level or "unknown"
            colour = RISK_COLOURS.get(risk, "")
            self.risk_label.setText(f"{risk.capitalize()} risk")
            self.risk_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.facts_label.setText("\n".join([*lines[:1], self._facts(verdict)]))
        self.model.set_rows(verdict.detections)
        if verdict.detections:
            self.table.selectRow(0)
        else:
            self._on_selected()
        self.notes_label.setText("\n".join(verdict.notes))
        self._show_server(verdict)
        self.message.emit(f"Defender check: {verdict.findings()}")

    @staticmethod
    def _facts(verdict: DefenderVerdict) -> str:
        score = f"{verdict.tier2_score:.2f}" if verdict.tier2_score is not None else "none"
        if verdict.error_body or not verdict.tiers_ran:
            block = "nothing to block"
        elif verdict.blocked:
            block = "blocked: block high risk is on, so StackOne would answer 403"
        elif verdict.would_block:
            block = "would be blocked with block high risk on (403)"
        else:
            block = "would not be blocked, even with block high risk on"
        return f"Tier 2 score: {score} · {block[:1].upper()}{block[1:]}"

    def _show_server(self, local: DefenderVerdict) -> None:
        server = self.server
        if server is None:
            self.server_label.setText(
                "The server reported nothing from Defender for this exchange (StackOne "
                "reports a finding only when there is one, or blocks with a 403)."
            )
        else:
            self.server_label.setText("\n".join(server.describe()))
        found = differences(local, server)
        if found:
            self.differences_label.setText("Differences:\n" + "\n".join(f"• {d}" for d in found))
        else:
            self.differences_label.setText("This check and the server agree.")

    def _on_selected(self) -> None:
        found = self.selected_detection()
        self.copy_path_button.setEnabled(found is not None)
        self.why_label.setText(found.describe() if found is not None else "")

    # -- commands -----------------------------------------------------------------------------
    def selected_detection(self) -> Detection | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.detection_at(rows[0].row()) if rows else None

    def copy_selected_path(self) -> None:
        found = self.selected_detection()
        if found is not None:
            QGuiApplication.clipboard().setText(found.path)
            self.message.emit(f"Copied {found.path}")
