"""How a production account looks wherever the window names one.

One look everywhere: a red dot and the word PRODUCTION (``PROD`` where space is short) in the
editor beside the account field, in the account picker, the history's account column, a run's
results and the window title. The words come from ``explorer.core.account_context``; this
module only paints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from explorer.core.account_context import account_kind, context_text, is_production
from explorer.ui.theme import is_dark, status_colour

if TYPE_CHECKING:
    from explorer.core.discovery import Account
    from explorer.ui.discovery.service import DiscoveryService
    from explorer.ui.history.model import HistoryModel
    from explorer.ui.request.editor import RequestEditor

SHORT_MARK = "PROD"
_icons: dict[bool | None, QIcon] = {}


def production_colour(dark: bool | None = None) -> QColor:
    """The red of a production mark, readable on this background."""
    return status_colour("5xx", is_dark() if dark is None else dark)


def production_icon() -> QIcon:
    """A red dot, the icon beside a production account in lists and tables."""
    dark = is_dark()
    icon = _icons.get(dark)
    if icon is None:
        pixmap = QPixmap(QSize(12, 12))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(production_colour(dark))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _icons[dark] = QIcon()  # not ``QIcon(pixmap)``: see ``magnifier_icon``
        icon.addPixmap(pixmap)
    return icon


def blank_icon() -> QIcon:
    """An empty icon the size of ``production_icon``: keeps the other rows' text aligned."""
    icon = _icons.get(None)
    if icon is None:
        pixmap = QPixmap(QSize(12, 12))
        pixmap.fill(Qt.GlobalColor.transparent)
        icon = _icons[None] = QIcon(pixmap)
    return icon


def account_tooltip(account: Account) -> str:
    """The account's facts, one per line, for a tooltip beside any mention of it."""
    lines = [f"{account.title()} ({account.id})", context_text(account)]
    if is_production(account):
        lines.insert(0, "PRODUCTION account: a customer's live data")
    return "\n".join(lines)


class AccountBadge(QLabel):
    """A small pill beside the account field: PROD (red; short, so the id stays readable in a
    narrow editor), the status of an account that is not active (amber), ``test`` (muted);
    hidden for an account nothing is known about. Its tooltip and accessible name say it all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountBadge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVisible(False)
        self.account: Account | None = None

    def show_account(self, account: Account | None) -> None:
        self.account = account
        if account is None:
            self.setText("")
            self.setToolTip("")
            self.setVisible(False)
            return
        dark = is_dark()
        status = account.status.strip()
        if is_production(account):
            text, colour, solid = SHORT_MARK, production_colour(dark), True
        elif status and status.lower() != "active":
            text, colour, solid = status.lower(), status_colour("4xx", dark), True
        elif account_kind(account) == "test":
            text, colour, solid = "test", status_colour("2xx", dark), False
        else:
            text, colour, solid = (account.type or "type unknown").lower(), QColor("gray"), False
        if solid and is_production(account) and status and status.lower() != "active":
            text = f"{SHORT_MARK} · {status.lower()}"
        self.setText(text)
        name = colour.name()
        style = (
            f"background: {name}; color: white; font-weight: bold;"
            if solid
            else f"color: {name}; border: 1px solid {name};"
        )
        self.setStyleSheet(f"#accountBadge {{ {style} border-radius: 6px; padding: 1px 6px; }}")
        self.setToolTip(account_tooltip(account))
        self.setAccessibleName(f"Account: {text.replace(SHORT_MARK, 'PRODUCTION')}")
        self.setVisible(True)


def title_for(app_title: str, account: Account | None) -> str:
    """The window title: the app's name, and a production account's customer and name."""
    if not is_production(account):
        return app_title
    assert account is not None
    who = [p for p in (account.origin_owner_name, account.title()) if p and p != account.id]
    return " · ".join(["PRODUCTION", *who]) + f" ({account.id}) - {app_title}"


class ProductionMarks(QObject):
    """Keeps every mention of an account marked as the account fields and the lists change:
    a badge beside each tab's account field, the window title (the current tab's account),
    the history's account column.

    Accounts are remembered for the session as listings arrive (any profile), so an entry of
    the history stays marked after switching profiles.

    Signals:
        changed(object): the ``Account`` now in the current editor's field, or ``None``.
    """

    changed = Signal(object)

    def __init__(
        self,
        service: DiscoveryService,
        window: QWidget,
        history: HistoryModel,
        app_title: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.window = window
        self.history = history
        self.app_title = app_title
        self.known: dict[str, Account] = {}
        self._badges: dict[RequestEditor, tuple[AccountBadge, str]] = {}
        self.editor: RequestEditor | None = None
        service.accounts_loaded.connect(self._on_accounts)

    def add_editor(self, editor: RequestEditor) -> AccountBadge:
        """Mark ``editor``'s account field (a new tab's) with its own badge."""
        badge = AccountBadge()
        editor.field_rows["account_id"].addWidget(badge)
        self._badges[editor] = (badge, editor.account_edit.accessibleDescription())
        editor.account_edit.textChanged.connect(lambda _text: self._mark(editor))
        editor.destroyed.connect(lambda _obj=None: self._badges.pop(editor, None))
        if self.editor is None:
            self.editor = editor
        self._mark(editor)
        return badge

    def set_current(self, editor: RequestEditor) -> None:
        """The tab shown now: the window title names its account."""
        self.editor = editor
        self.refresh()

    @property
    def badge(self) -> AccountBadge:
        """The current editor's badge."""
        assert self.editor is not None, "no editor yet"
        return self._badges[self.editor][0]

    def account(self, account_id: str) -> Account | None:
        return self.known.get(account_id.strip())

    def refresh(self) -> None:
        for editor in list(self._badges):
            self._mark(editor)

    def _mark(self, editor: RequestEditor) -> None:
        found = self._badges.get(editor)
        if found is None:
            return
        badge, described = found
        account = self.account(editor.account_edit.text())
        badge.show_account(account)
        words = account_tooltip(account).replace("\n", "; ") if account else ""
        editor.account_edit.setAccessibleDescription(words or described)
        if editor is self.editor:
            self.window.setWindowTitle(title_for(self.app_title, account))
            self.changed.emit(account)

    def _on_accounts(self, accounts: Iterable[Account]) -> None:
        self.known.update({a.id: a for a in accounts})
        self.history.set_account_marks(
            {a.id: account_tooltip(a) for a in self.known.values() if is_production(a)}
        )
        self.refresh()
