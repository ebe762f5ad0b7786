"""One tab: a request with its own response, in-flight state, Undo history and dirty mark.

A tab owns its widgets (so its editors keep their own Undo, and a response being formatted or
counting down a ``Retry-After`` carries on while another tab is shown) and knows where its
request came from: the saved request it is tied to (Ctrl+S writes there), or the history
entry it was opened from. Whether it holds unsaved edits is decided by comparing what the
editor holds with what it held when it was opened or saved, so typing and undoing back is
not an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal

from explorer.core.account_context import is_production
from explorer.core.request import RpcRequest
from explorer.ui.discovery.buttons import DiscoveryButtons
from explorer.ui.guard.marks import AccountBadge, account_tooltip
from explorer.ui.request.editor import RequestEditor
from explorer.ui.response.view import ResponseView

if TYPE_CHECKING:
    from explorer.ui.discovery.controls import DiscoveryControls
    from explorer.ui.discovery.service import DiscoveryService
    from explorer.ui.guard.marks import ProductionMarks
    from explorer.ui.request.send_control import SendControl, SendSlot
    from explorer.ui.tabs.session import TabState

UNTITLED = "New request"
DIRTY_MARK = "●"
IN_FLIGHT_MARK = "…"


class TabKit:
    """What every tab is built with: the window's shared parts.

    A plain class, made once per window: as a dataclass its generated methods (never used:
    nobody compares or prints a kit) were compiled before the first paint, ~0.5 ms.
    """

    __slots__ = ("discovery", "discovery_later", "marks", "pool", "send_control", "validate_later")

    def __init__(
        self,
        pool: QThreadPool,
        discovery: DiscoveryService,
        marks: ProductionMarks,
        send_control: SendControl,
        *,
        discovery_later: bool = False,
        validate_later: bool = False,
    ) -> None:
        self.pool = pool
        self.discovery = discovery
        self.marks = marks
        self.send_control = send_control
        # A tab's discovery controls are built when first used, or by ``build_discovery``:
        # the window's first frame shows their widgets (``DiscoveryButtons``) but needs none
        # of what they do. Once the window is up (False), a new tab builds them at once.
        self.discovery_later = discovery_later
        # While the window is being built each field is set a few times: validated once,
        # when ``RequestTabs.release_validation`` is called (the window's construction ends).
        self.validate_later = validate_later


class TabLabel:
    """What the tab bar shows for a tab, and says to a screen reader.

    A plain class: its values are only read, and a dataclass's generated methods were
    compiled before the first paint (~0.45 ms).
    """

    __slots__ = ("production", "spoken", "status", "status_class", "text", "tooltip")

    def __init__(
        self,
        text: str,
        tooltip: str,
        spoken: str,  # the tab's accessible name: everything, status and unsaved edits included
        production: bool,
        status: str,  # "200", "429", "…", "Cancelled", "" before the first send
        status_class: str,  # "2xx".."5xx", "none"
    ) -> None:
        self.text = text
        self.tooltip = tooltip
        self.spoken = spoken
        self.production = production
        self.status = status
        self.status_class = status_class


class RequestTab(QObject):
    """A request being worked on, with everything that belongs to it alone.

    Signals:
        changed(): what the tab's label shows may have changed (an edit, a send, its tie).
        message(str): discovery has something for the status bar (e.g. "Filled … from the
            schema").
    """

    changed = Signal()
    message = Signal(str)

    def __init__(
        self,
        kit: TabKit,
        parent: QObject | None = None,
        *,
        later: TabState | None = None,
        on_built: Callable[[RequestTab, TabState], None] | None = None,
    ) -> None:
        """With ``later`` (a restored tab not shown yet), the tab is in the bar at once but its
        widgets are built when first needed: shown, or its editor, response or send slot
        asked for by anyone; then ``on_built`` puts ``later`` into them. Until then its label
        and unsaved-edits mark come from ``later``."""
        super().__init__(parent)
        self._kit = kit
        self._marks = kit.marks
        self._discovery: DiscoveryControls | None = None
        # Shown: its account is the one discovery lists actions for (a tab built later is
        # not: its controls must not point discovery at its account as they are made).
        self._active = later is None
        # The saved request Ctrl+S writes to (its file), and its name for the label.
        self.saved_path: Path | None = None
        self.saved_name = ""
        # The history entry this tab was opened from, so opening it again comes here.
        self.history_id: str | None = later.history_id if later is not None else None
        self._later = later
        self._on_built = on_built
        self._editor: RequestEditor | None = None
        if later is None:
            self._build_widgets()

    # -- its widgets, now or when first needed ------------------------------------------------
    @property
    def built(self) -> bool:
        """Whether the tab's widgets exist (see ``later``)."""
        return self._editor is not None

    @property
    def pending(self) -> TabState | None:
        """What a tab not built yet holds (as remembered), else None."""
        return self._later

    def build(self) -> None:
        """Build the tab's widgets now, if they are not yet (see ``later``)."""
        if self._editor is None:
            state, self._later = self._later, None
            self._build_widgets()
            if state is not None and self._on_built is not None:
                self._on_built(self, state)

    @property
    def editor(self) -> RequestEditor:
        self.build()
        assert self._editor is not None
        return self._editor

    @property
    def response_view(self) -> ResponseView:
        self.build()
        return self._response_view

    @property
    def send(self) -> SendSlot:
        self.build()
        return self._send

    @property
    def badge(self) -> AccountBadge:
        self.build()
        return self._badge

    @property
    def discovery_buttons(self) -> DiscoveryButtons:
        self.build()
        return self._discovery_buttons

    def _build_widgets(self) -> None:
        kit = self._kit
        editor = self._editor = RequestEditor(validate_later=kit.validate_later)
        self._response_view = ResponseView(pool=kit.pool)
        self._discovery_buttons = DiscoveryButtons(editor, lambda: self.discovery, self)
        if not kit.discovery_later:
            self.build_discovery()
        self._badge = kit.marks.add_editor(editor)
        self._send: SendSlot = kit.send_control.add_slot(editor, self._response_view)
        self._baseline: dict[str, object] | None = editor.texts()
        editor.changed.connect(self.changed)

    # -- discovery ------------------------------------------------------------------------------
    @property
    def discovery(self) -> DiscoveryControls:
        """The tab's discovery controls (the picker, action completion, fill from schema),
        built now if they were not yet."""
        self.build()
        controls = self.build_discovery()
        assert controls is not None
        return controls

    @property
    def built_discovery(self) -> DiscoveryControls | None:
        """The discovery controls if built: what only keeps them up to date leaves unbuilt
        ones alone (they catch up when built)."""
        return self._discovery

    def build_discovery(self) -> DiscoveryControls | None:
        """Build the discovery controls over the editor's discovery widgets (once); a tab not
        built yet builds them with its widgets (None)."""
        if self._editor is None:
            return None
        if self._discovery is None:
            from explorer.ui.discovery.controls import DiscoveryControls

            controls = DiscoveryControls(
                self.editor, self._kit.discovery, self.discovery_buttons, parent=self
            )
            self._discovery = controls
            controls.message.connect(self.message)
            controls.set_active(self._active)
        return self._discovery

    def set_discovery_active(self, active: bool) -> None:
        """The tab is shown (True) or hidden: a shown tab's account is the one whose actions
        discovery lists."""
        self._active = active
        if self._discovery is not None:
            self._discovery.set_active(active)

    def preview_discovery(self) -> None:
        """Until its controls are built, "Fill from schema" enabled as they will enable it
        (nothing listed yet: whether the account's MCP tools can be asked)."""
        if self._discovery is None and self._editor is not None:
            action = self._editor.action_edit.text()
            enabled = self._kit.discovery.can_ask_tools(action)
            self.discovery_buttons.fill_button.setEnabled(enabled)

    # -- what the tab holds -------------------------------------------------------------------
    def load(self, request: RpcRequest, base_url: str | None = None) -> None:
        """Put ``request`` in the editor as the tab's unedited content."""
        self.editor.load_request(request)
        if base_url:
            self.editor.set_base_url(base_url)
        self.mark_clean()

    def mark_clean(self) -> None:
        """What the editor holds now is what was opened or saved: no unsaved edits."""
        self._baseline = self.editor.texts()
        self.changed.emit()

    def mark_edited(self) -> None:
        """The tab holds edits whatever it compares equal to (restored after a restart)."""
        self._baseline = None
        self.changed.emit()

    def is_dirty(self) -> bool:
        """Whether closing the tab would lose edits."""
        if self._later is not None:
            return self._later.edited
        return self._baseline is None or self.editor.texts() != self._baseline

    def is_pristine(self) -> bool:
        """Nothing typed, opened, sent or shown: a place to open something instead of a new tab."""
        return (
            self._later is None
            and self.saved_path is None
            and self.history_id is None
            and not self.is_dirty()
            and not self.editor.action_edit.text().strip()
            and not self.send.in_flight
            and self.send.last_sent is None
            and self.response_view.exchange is None
        )

    def tie(self, path: Path | None, name: str = "") -> None:
        """Tie the tab to a saved request (``None``: to none); Ctrl+S writes there."""
        self.saved_path = path
        self.saved_name = name if path is not None else ""
        if path is not None:
            self.history_id = None
        self.changed.emit()

    # -- how it looks in the tab bar --------------------------------------------------------
    def _ids(self) -> tuple[str, str]:
        """The action and account the tab holds (a tab not built yet: as remembered)."""
        if self._later is None:
            return self.editor.action_edit.text().strip(), self.editor.account_edit.text().strip()
        request = self._later.request
        if request is None:
            return "", ""
        return request.action.strip(), request.account_id.strip()

    def label(self) -> TabLabel:
        action_id, account_id = self._ids()
        action = action_id or self.saved_name or UNTITLED
        account = self._marks.account(account_id)
        production = is_production(account)
        status, status_class, said = self._status()
        text = " · ".join([action, account_id] if account_id else [action])
        if production:  # first, so eliding a long label never hides it
            text = f"PROD {text}"
        dirty = self.is_dirty()
        if dirty:  # last, where the middle-elided label keeps it
            text = f"{text} {DIRTY_MARK}"
        lines = [f"Action: {action_id or '(none yet)'}"]
        if account_id:
            lines.append(f"Account: {account_id}")
        if production and account is not None:
            lines.append(account_tooltip(account))
        if self.saved_path is not None:
            lines.append(f"Saved request: {self.saved_name}")
        elif self.history_id is not None:
            lines.append("Opened from the history")
        lines.append(said)
        if dirty:
            lines.append("Unsaved edits")
        spoken = [action]
        if account_id:
            spoken.append(("production account " if production else "account ") + account_id)
        spoken.append(said)
        if dirty:
            spoken.append("unsaved edits")
        return TabLabel(text, "\n".join(lines), ", ".join(spoken), production, status, status_class)

    def _status(self) -> tuple[str, str, str]:
        """The last send's status: short, its class, and in words."""
        if self._later is not None:
            return "", "none", "Not sent yet"
        if self.send.in_flight:
            return IN_FLIGHT_MARK, "none", "Sending…"
        exchange = self.send.last_sent
        if exchange is None:
            return "", "none", "Not sent yet"
        response = exchange.response
        if response is not None:
            words = f"{response.status} {response.reason}".strip()
            return str(response.status), exchange.status_class, f"Last send: {words}"
        kind = exchange.failure.kind if exchange.failure else "TransportError"
        from explorer.ui.response.error_panel import FAILURE_TITLES  # after a failure only

        title = FAILURE_TITLES.get(kind, kind)
        return title, "none", f"Last send: {title}"
