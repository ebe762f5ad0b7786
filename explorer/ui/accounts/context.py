"""The chosen account's context beside the account field, and in an exchange's details.

Which customer, which provider, production or test, its status with StackOne's reasons, and
when it last changed: what a support engineer checks before and after touching a customer's
account. The words are ``explorer.core.account_context``'s; the account comes from the
production marks (every account listed this session, any profile), so an old exchange from
the history is described too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QPalette

from explorer.core.account_context import context_line, context_text, unknown_context
from explorer.ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from explorer.core.discovery import Account
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.guard.marks import ProductionMarks
    from explorer.ui.request.editor import RequestEditor


def reasons_text(account: Account) -> str:
    """Each status reason of an account that is not active, one a line."""
    if account.usable:
        return ""
    lines = []
    for reason in account.status_reasons:
        words = ": ".join(p for p in (reason.code, reason.description) if p)
        if words:
            lines.append(words)
    return "\n".join(lines)


def describe_account(marks: ProductionMarks, account_id: str) -> tuple[str, str] | None:
    """``(one line, tooltip)`` about ``account_id`` for an exchange's details; ``None`` when
    nothing is known about it."""
    account = marks.account(account_id)
    if account is None:
        return None
    line = context_line(account)
    reasons = reasons_text(account).replace("\n", "; ")
    if reasons:
        line += f" - {reasons}"
    return line, context_text(account)


class AccountContext(QObject):
    """A line under the account field: the account's customer, provider, type, status
    (with its reasons when not active) and last update; everything in the tooltip.

    One line that keeps its place while empty: typing an id must not move the fields below.
    """

    def __init__(
        self,
        editor: RequestEditor,
        marks: ProductionMarks,
        guard: SendGate,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.marks = marks
        self.guard = guard
        self.label = ElidedLabel()
        self.label.setObjectName("accountContext")
        # Secondary text, in the palette's colour for it (follows light and dark): a style
        # sheet in the first frame costs its start-up ~3 ms.
        self.label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.label.setAccessibleName("Account context")
        self.label.setVisible(False)
        editor.field_columns["account_id"].addWidget(self.label)
        # (The marks say the current tab's account: each tab's line looks its own one up.)
        marks.changed.connect(lambda _account: self.refresh())
        # Why an account is unknown changes as the listing starts and fails (the guard has
        # read the failure by then: it listens first).
        guard.service.failed.connect(lambda _failure: self.refresh())
        guard.service.loading.connect(lambda _kind: self.refresh())

    def refresh(self) -> None:
        self.show_account(self.marks.account(self.editor.account_edit.text()))

    def show_account(self, account: Account | None) -> None:
        account_id = self.editor.account_edit.text().strip()
        if not account_id:
            self._show("", "")
            return
        if account is None:
            why = self._why_unknown(account_id)
            self._show(unknown_context(account_id, why), "")
            return
        line = context_line(account)
        reasons = reasons_text(account).replace("\n", "; ")
        self._show(f"{line} - {reasons}" if reasons else line, context_text(account))

    def _why_unknown(self, account_id: str) -> str:
        service = self.guard.service
        if service.accounts_loading():
            return "the account list is loading"
        return self.guard.why_unknown(service.profile or "", account_id)

    def _show(self, text: str, tooltip: str) -> None:
        self.label.setText(text)
        self.label.setToolTip(tooltip or text)
        self.label.setAccessibleDescription(tooltip or text)
        self.label.setVisible(bool(text))
