"""Discovery inside the request editor: the account picker, action completion, searching
actions by what they do, "Fill from schema" and the request "as an agent sends it".

The schema comes from the catalogue (``GET /actions`` details) and, when the catalogue has none
for the action, from the account's MCP tools (``tools/list``, as StackOne's agent SDK discovers
them). Discovery is a convenience, never a gate: a failed listing is one quiet line under the
account field (with Retry), the fields stay free text, and Send works whatever discovery thinks.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPalette

from explorer.core.agent import envelope_schema
from explorer.core.request import OBJECT_FIELDS
from explorer.core.skeleton import skeleton_from_schema, with_skeleton
from explorer.ui.discovery.buttons import PICK_TIP, DiscoveryButtons
from explorer.ui.discovery.model import AccountsModel, ActionsModel
from explorer.ui.discovery.results import ActionSearch, DiscoveryFailure
from explorer.ui.discovery.search import ActionSearchPopup
from explorer.ui.discovery.service import DiscoveryService
from explorer.ui.request.editor import RequestEditor
from explorer.ui.widgets.json_editor import pretty

if TYPE_CHECKING:
    from explorer.core.discovery import Account, ActionInfo, Listing
    from explorer.core.mcp import McpTool

    # Both built when first opened: the first paint shows neither.
    from explorer.ui.discovery.agent_view import AgentView
    from explorer.ui.discovery.popup import AccountPopup

# Wait this long after the last keystroke in the account field before listing its actions.
ACCOUNT_SETTLE_MS = 400


def _escape(text: str) -> str:
    """Text for a rich-text note. ``html`` is imported when a note first shows: it brings
    ``html.entities`` (~1.5 ms), which the window's second stage, building these controls,
    does not need."""
    import html

    return html.escape(text, quote=False)


class DiscoveryControls(QObject):
    """Discovery inside a ``RequestEditor``: the picker, action completion, fill from schema.

    Signals:
        message(str): something worth a status-bar line (e.g. "Filled … from the schema").
    """

    message = Signal(str)

    def __init__(
        self,
        editor: RequestEditor,
        service: DiscoveryService,
        buttons: DiscoveryButtons,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.service = service
        self.accounts_model = AccountsModel(self)
        self.actions_model = ActionsModel(self)
        self._failures: dict[str, DiscoveryFailure] = {}
        # Only the current tab's controls steer the service (its account's actions); the
        # others keep what they showed until their tab is shown again.
        self.active = True
        self._undo: dict[str, str] | None = None
        # The action whose fill waits for the account's MCP tools.
        self._pending_fill: str | None = None

        # The widgets came with the editor (the first frame shows them), and with them their
        # clicks and keys, which come here (``DiscoveryButtons``).
        self.pick_button = buttons.pick_button
        self.search_action = buttons.search_action
        self.fill_button = buttons.fill_button
        self.agent_button = buttons.agent_button
        self.agent_view: AgentView | None = None
        self.status_label = buttons.status_label
        self.fill_label = buttons.fill_label
        for label in (self.status_label, self.fill_label):
            # The palette's secondary colour (follows light and dark), not a style sheet:
            # setting one up in the second stage stalled the window ~3 ms.
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            label.linkActivated.connect(self._on_link)

        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(ACCOUNT_SETTLE_MS)
        self._settle.timeout.connect(self._follow_account)
        self._settle.timeout.connect(self._update_fill_button)
        editor.account_edit.textChanged.connect(lambda _text: self._settle.start())
        editor.action_edit.textChanged.connect(self._on_action_edited)
        editor.loaded.connect(self._forget_fill)  # Undo belongs to the request it was made on

        service.accounts_loaded.connect(self._on_accounts)
        service.actions_loaded.connect(self._on_actions)
        service.tools_loaded.connect(self._on_tools)
        service.searched.connect(self._on_searched)
        service.failed.connect(self._on_failed)
        service.loading.connect(self._on_loading)
        self._fit_completer()  # built after the first paint, the editor's suggestions as they are
        self._update_fill_button()

    # -- commands -------------------------------------------------------------------------------
    def set_active(self, active: bool) -> None:
        """Its tab is shown (True) or hidden: a shown tab's account is the one whose
        actions the service lists."""
        self.active = active
        if active:
            self._follow_account()
            listing = self.service.actions(self.service.account_id)
            if listing is not None:
                self._on_actions(listing)

    def _follow_account(self) -> None:
        if self.active:
            self.service.set_account(self.editor.account_edit.text())

    def set_profile(self, profile: str | None, base_url: str | None) -> None:
        """The window's profile changed: forget what the old one showed, load the new one."""
        self._settle.stop()
        self._failures.clear()
        self.accounts_model.set_rows([])
        self._use_fallback_actions()
        self._show_status()
        if self.active:
            self.service.set_target(profile, base_url, self.editor.account_edit.text())

    def refresh(self) -> None:
        """List accounts and actions again (e.g. after linking an account elsewhere)."""
        self._failures.clear()
        self._show_status()
        self.service.refresh()

    def open_picker(self) -> None:
        if self.service.accounts() is None and not self.service.busy():
            self.service.load_accounts()
        popup = self.popup
        self._update_popup_status()
        popup.open_below(self.editor.account_edit, self.editor.account_edit.text().strip())

    @cached_property
    def popup(self) -> AccountPopup:
        """The account picker (Pick…, Alt+Down), built when first opened."""
        from explorer.ui.discovery.popup import AccountPopup

        popup = AccountPopup(self.accounts_model, self.editor)
        popup.chosen.connect(self.choose_account)
        popup.reload_requested.connect(self.refresh)
        return popup

    @cached_property
    def search_popup(self) -> ActionSearchPopup:
        """The action search (Alt+Down in the action field, its magnifier), built when first
        opened."""
        popup = ActionSearchPopup(self.editor)
        popup.search_requested.connect(self._search)
        popup.chosen.connect(self.choose_action)
        return popup

    def open_search(self) -> None:
        """Drop down the action search under the action field, holding what it holds."""
        account = self.editor.account_edit.text().strip()
        listed = self.service.accounts()
        connector = next((a.provider for a in listed or () if a.id == account), "")
        self.search_popup.open_below(
            self.editor.action_edit, self.editor.action_edit.text().strip(), connector
        )

    def _search(self, query: str, connector: str) -> None:
        self.service.search(query, connector)

    def choose_action(self, name: str) -> None:
        """Put a searched action in the field (it stays free text)."""
        self.editor.action_edit.setText(name)
        self.editor.action_edit.setFocus()
        self._update_fill_button()
        self.message.emit(f"Action {name} chosen from the search")

    def _on_searched(self, result: ActionSearch) -> None:
        if self.active and "search_popup" in vars(self) and self.search_popup.isVisible():
            self.search_popup.show_matches(result.query, result.matches)

    def choose_account(self, account_id: str) -> None:
        """Fill the account id (the field stays free text) and list that account's actions."""
        self.editor.account_edit.setText(account_id)
        self._settle.stop()
        self._follow_account()
        self._update_fill_button()
        self.editor.account_edit.setFocus()

    def schema_action(self) -> ActionInfo | None:
        """The catalogue entry of the action in the field, if it has an input schema."""
        info = self.service.find_action(self.editor.action_edit.text())
        return info if info is not None and info.input_schema is not None else None

    def schema_tool(self) -> McpTool | None:
        """The account's MCP tool of the action in the field, if fetched and it has a schema."""
        tool = self.service.find_tool(self.editor.action_edit.text())
        return tool if tool is not None and tool.input_schema is not None else None

    def _can_ask_mcp(self) -> bool:
        return self.service.can_ask_tools(self.editor.action_edit.text())

    def fill_from_schema(self) -> bool:
        """Replace the four JSON editors with the action's input skeleton (undoable).

        The catalogue's schema is used when it has one; otherwise the account's MCP tools are
        asked (once per account and session) and the fill happens when they arrive. Returns
        False, saying why in the note under the action, when nothing was filled now.
        """
        name = self.editor.action_edit.text().strip()
        info = self.schema_action()
        if info is not None and info.input_schema is not None:
            return self._fill(name, info.input_schema, "the catalogue")
        tool = self.schema_tool()
        if tool is not None and tool.input_schema is not None:
            return self._fill(name, envelope_schema(tool.input_schema), "MCP tools/list")
        if self._can_ask_mcp():
            self._pending_fill = name
            self.service.load_tools(self.service.account_id)
            text = (
                f"The catalogue has no schema for '{name}': asking StackOne's MCP endpoint "
                f"(tools/list of {self.service.account_id})…"
            )
            self._show_fill_note(_escape(text))
            self.message.emit(text)
            return False
        if not name:
            why = "Type or pick an action first, then fill its inputs from its schema."
        elif self.service.actions() is None and self.service.tools() is None:
            why = f"No schema for '{name}' yet: the action list is not loaded."
        else:
            why = (
                f"No input schema known for '{name}' in this account's catalogue or its MCP tools."
            )
        self._show_fill_note(_escape(why))
        self.message.emit(why)
        return False

    def _fill(self, name: str, schema: dict[str, object], source: str) -> bool:
        skeleton = skeleton_from_schema(schema)
        request = with_skeleton(self.editor.draft_request(), skeleton)
        before = {n: e.toPlainText() for n, e in self.editor.json_editors.items()}
        for field_name, editor in self.editor.json_editors.items():
            value = getattr(request, field_name)
            editor.replace_text("" if value is None else pretty(value))
        for index, field_name in enumerate(OBJECT_FIELDS):
            if field_name in skeleton:
                self.editor.tabs.setCurrentIndex(index)
                break
        held_text = any(text.strip() for text in before.values())
        self._undo = before if held_text else None
        filled = ", ".join(n for n in OBJECT_FIELDS if n in skeleton) or "nothing (no inputs)"
        text = f"Filled {filled} from the schema of {name} ({source})."
        note = _escape(text) + (' <a href="undo">Undo</a>' if held_text else "")
        self._show_fill_note(note)
        self.message.emit(text)
        return True

    def show_agent_view(self) -> AgentView:
        """Open (or raise) the "as an agent sends it" window for the editor's request."""
        if self.agent_view is None:
            from explorer.ui.discovery.agent_view import AgentView

            self.agent_view = AgentView(self.editor, self.editor.window())
        self.agent_view.refresh_from_editor()
        self.agent_view.show()
        self.agent_view.raise_()
        self.agent_view.activateWindow()
        return self.agent_view

    def undo_fill(self) -> bool:
        """Put back what the editors held before the last fill."""
        if self._undo is None:
            return False
        for field_name, text in self._undo.items():
            self.editor.json_editors[field_name].replace_text(text)
        self._undo = None
        self._show_fill_note("")
        self.message.emit("Restored the inputs from before the fill.")
        return True

    def _forget_fill(self) -> None:
        """Another request is in the editor: the last fill's Undo would paste the old inputs
        over it, so it goes, with its note."""
        self._undo = None
        self._show_fill_note("")

    def _on_action_edited(self, _text: str) -> None:
        self._update_fill_button()
        if self._undo is None:
            self._show_fill_note("")

    # -- service results ------------------------------------------------------------------------
    def _on_loading(self, kind: str) -> None:
        self._update_popup_status()

    def _on_accounts(self, accounts: Listing[Account]) -> None:
        self._failures.pop("accounts", None)
        self.accounts_model.set_rows(accounts)
        self._update_popup_status()
        self._show_status()

    def _on_actions(self, actions: Listing[ActionInfo]) -> None:
        if not self.active:
            return
        self._failures.pop("actions", None)
        self.actions_model.set_rows(actions)
        # An id the catalogue knows nothing about lists no actions: keep completing the known
        # names rather than offering nothing.
        self.editor.use_action_model(self.actions_model if actions else None)
        self._fit_completer()
        self._update_fill_button()
        self._show_status()

    def _on_tools(self, tools: Listing[McpTool]) -> None:
        self._update_fill_button()
        pending, self._pending_fill = self._pending_fill, None
        if pending and pending == self.editor.action_edit.text().strip():
            self.fill_from_schema()

    def _on_failed(self, failure: DiscoveryFailure) -> None:
        if failure.kind == "search":  # said in the search popup, which asked
            if self.active and "search_popup" in vars(self):
                self.search_popup.show_failure(failure.text, failure.detail)
            return
        if failure.kind == "tools":
            # Only a fill waits for the tools: say it there, not under the account.
            if self._pending_fill is not None:
                self._pending_fill = None
                text = failure.text.replace(
                    "Couldn't load tools", "Couldn't ask MCP for the schema"
                )
                self._show_fill_note(_escape(text))
                self.fill_label.setToolTip(failure.detail)
                self.message.emit(text)
            return
        self._failures[failure.kind] = failure
        if failure.kind == "actions":
            self._use_fallback_actions()
        self._update_popup_status()
        self._show_status()

    def _use_fallback_actions(self) -> None:
        self.editor.use_action_model(None)
        self._fit_completer()
        self._update_fill_button()

    def _fit_completer(self) -> None:
        """Let the suggestions be wider than the field, so each label is read in full."""
        popup = self.editor.action_completer.popup()
        model = self.editor.action_completer.model()
        if popup is None or model is None:
            return
        metrics = popup.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(str(model.index(r, 0).data()))
                for r in range(model.rowCount())
            ),
            default=0,
        )
        popup.setMinimumWidth(min(widest + 40, 720))

    # -- presentation ---------------------------------------------------------------------------
    def _show_fill_note(self, note: str) -> None:
        self.fill_label.setText(note)
        self.fill_label.setVisible(bool(note))

    def _show_status(self) -> None:
        """One quiet line while a listing fails (with Retry); hidden when all is well."""
        failures = list(self._failures.values())
        if failures:
            # Accounts and actions usually fail for the same reason: say it once.
            reasons = {f.text.split(": ", 1)[-1] for f in failures}
            if len(failures) > 1 and len(reasons) == 1:
                line = f"Couldn't load accounts or actions: {reasons.pop()}"
            else:
                line = "; ".join(dict.fromkeys(f.text for f in failures))
            text = _escape(line) + ' <a href="retry">Retry</a>'
            tip = "\n\n".join(f.detail or f.text for f in failures)
            tip += "\n\nThe fields stay free text and Send works as usual."
            self.status_label.setText(f"⚠ {text}")
            self.status_label.setToolTip(tip)
            self.pick_button.setToolTip(tip)
            self.status_label.setVisible(True)
            return
        self.pick_button.setToolTip(PICK_TIP)
        self.status_label.setToolTip("")
        self.status_label.setText("")
        self.status_label.setVisible(False)

    def _update_popup_status(self) -> None:
        if "popup" not in vars(self):  # not opened yet: set when it is
            return
        failure = self._failures.get("accounts")
        accounts = self.service.accounts()
        if failure is not None:
            self.popup.set_status(failure.text, failure.detail)
        elif accounts is None:
            self.popup.set_status("Loading accounts…" if self.service.busy() else "No accounts")
        else:
            unusable = sum(1 for a in accounts if not a.usable)
            text = f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}"
            if unusable:
                text += f", {unusable} not active (listed last)"
            if not accounts.complete:
                text += " (the first pages only)"
            self.popup.set_status(text)

    def _update_fill_button(self) -> None:
        info = self.schema_action()
        tool = None if info is not None else self.schema_tool()
        self.fill_button.setEnabled(info is not None or tool is not None or self._can_ask_mcp())
        if info is not None or tool is not None:
            name = (info or tool).name  # type: ignore[union-attr]
            self.fill_button.setToolTip(
                f"Replace Path, Query, Headers and Body with a skeleton of {name}'s "
                "inputs (Ctrl+Shift+K)"
            )
        elif self.fill_button.isEnabled():
            self.fill_button.setToolTip(
                "The catalogue has no schema for this action: ask the account's MCP tools "
                "for it and fill Path, Query, Headers and Body (Ctrl+Shift+K)"
            )
        else:
            self.fill_button.setToolTip(
                "Fill Path, Query, Headers and Body from the action's input schema "
                "(available once the action list is loaded and the action is in it, or an "
                "account is set to ask its MCP tools)"
            )

    def _on_link(self, link: str) -> None:
        if link == "retry":
            self.refresh()
        elif link == "undo":
            self.undo_fill()
