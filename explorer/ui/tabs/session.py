"""Open tabs across a restart, and a closed tab until Ctrl+Shift+T brings it back.

``settings.json`` keeps each open tab's request as the editor holds it (text that does not
parse yet too), what it is tied to (a saved request's file, a history entry) and whether it
held unsaved edits, plus which tab was selected. Never a secret: a secret-looking header's
value is kept only when it is a ``{{variable}}`` (a template names where the secret lives);
a literal one is written as ``<redacted>``, which the editor names and refuses to send until
it is typed again (``core.request``), and the Headers text that does not parse is not kept.

The selected tab is also written as ``last_request``, where earlier versions look for the
request being edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.request import OBJECT_FIELDS, RpcRequest
from explorer.core.secrets import redact_header_object

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.ui.tabs.tab import RequestTab

TABS_SETTING = "open_tabs"
LAST_REQUEST = "last_request"
LAST_DRAFTS = "last_request_drafts"
# More than this many tabs in a settings file is a damaged (or hostile) file, not a session.
MAX_RESTORED = 50


@dataclass
class TabState:
    """One tab as remembered: the request, unparsed texts, its tie, whether it was edited.

    In memory (a closed tab) it keeps everything, secret values included, and the last
    exchange; on disk (``to_dict(for_disk=True)``) never a secret.
    """

    request: RpcRequest | None
    drafts: dict[str, str]
    saved: Path | None = None
    history_id: str | None = None
    edited: bool = False
    exchange: Exchange | None = None

    @classmethod
    def of(cls, tab: RequestTab) -> TabState:
        editor = tab.editor
        drafts = {k: v for k, v in editor.draft_texts().items() if k in OBJECT_FIELDS}
        return cls(
            request=editor.draft_request(),
            drafts=drafts,
            saved=tab.saved_path,
            history_id=tab.history_id,
            edited=tab.is_dirty(),
            exchange=tab.response_view.exchange,
        )

    def to_dict(self) -> dict[str, Any]:
        """For ``settings.json``: no secret value, no exchange."""
        request = self.request.to_dict() if self.request is not None else None
        if request is not None and isinstance(request.get("headers"), dict):
            request["headers"] = redact_header_object(request["headers"])
        # Headers text that does not parse may hold a token: only the parsed, redacted form.
        drafts = {k: v for k, v in self.drafts.items() if k != "headers"}
        return {
            "request": request,
            "drafts": drafts or None,
            "saved": str(self.saved) if self.saved is not None else None,
            "history_id": self.history_id,
            "edited": self.edited,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TabState | None:
        """A tab read back from a settings file; ``None`` for anything unusable."""
        if not isinstance(data, dict):
            return None
        saved, history_id = data.get("saved"), data.get("history_id")
        return cls(
            request=read_request(data.get("request")),
            drafts=read_drafts(data.get("drafts")),
            saved=Path(saved) if isinstance(saved, str) and saved else None,
            history_id=history_id if isinstance(history_id, str) and history_id else None,
            edited=data.get("edited") is True,
        )


def read_request(data: Any) -> RpcRequest | None:
    if not isinstance(data, dict):
        return None
    try:
        return RpcRequest.from_dict(data)
    except (ValueError, TypeError):
        return None


def read_drafts(data: Any) -> dict[str, str]:
    """Unparsed editor texts, without the headers' (never restored: they may hold a token)."""
    if not isinstance(data, dict):
        return {}
    return {
        k: v
        for k, v in data.items()
        if k in OBJECT_FIELDS and k != "headers" and isinstance(v, str)
    }


def save_tabs(tabs: list[RequestTab], current: int, settings: Any) -> None:
    """Remember the open tabs and the selected one (the caller saves the settings)."""
    states = [TabState.of(tab).to_dict() for tab in tabs]
    settings.set(TABS_SETTING, {"tabs": states, "current": current})
    if 0 <= current < len(states):
        selected = states[current]
        settings.set(LAST_REQUEST, selected["request"])
        settings.set(LAST_DRAFTS, selected["drafts"])


def restored_tabs(settings: Any) -> tuple[list[TabState], int]:
    """The tabs to open at start-up and the index of the selected one.

    Falls back to ``last_request`` (what earlier versions kept); an empty list when there is
    nothing to restore.
    """
    stored = settings.get(TABS_SETTING)
    if isinstance(stored, dict) and isinstance(stored.get("tabs"), list):
        states = [TabState.from_dict(item) for item in stored["tabs"][:MAX_RESTORED]]
        # A tab with neither a request nor a text to show is damage, not something to restore.
        kept = [s for s in states if s is not None and (s.request is not None or s.drafts)]
        current = stored.get("current")
        index = current if isinstance(current, int) and not isinstance(current, bool) else 0
        if kept:
            return kept, min(max(index, 0), len(kept) - 1)
    request = read_request(settings.get(LAST_REQUEST))
    drafts = read_drafts(settings.get(LAST_DRAFTS))
    if request is None and not drafts:
        return [], 0
    return [TabState(request=request, drafts=drafts)], 0
