"""What discovery answers the editor with: a listing or search that failed, worded for the
user, and the matches of an action search.

Kept apart from ``service`` (which the window imports before its first paint) because these
are dataclasses, ~0.5 ms each to make: nothing in the first frame has a failure or a search
to show, so this module is imported after it (``service.import_discovery``, on a pool
thread) or when first needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.errors import ExplorerError, RemoteError, TransportError

if TYPE_CHECKING:
    from explorer.core.action_search import ActionMatch


@dataclass(frozen=True)
class DiscoveryFailure:
    """A listing that did not work, worded for the line under the account field.

    ``kind`` is ``"accounts"`` or ``"actions"``; ``error`` the exception (a ``RemoteError``
    keeps the response); ``text`` one short sentence; ``detail`` the long form for a tooltip.
    """

    kind: str
    error: BaseException
    text: str
    detail: str = ""


def describe_failure(kind: str, error: BaseException, profile: str) -> DiscoveryFailure:
    """What went wrong and what to do, e.g. "401 Unauthorized - check the API key"."""
    searching = kind == "search"
    lead = "Couldn't search actions" if searching else f"Couldn't load {kind}"
    if isinstance(error, RemoteError):
        response = error.response
        status = f"{response.status} {response.reason}".strip()
        hints = {
            401: f"check the API key of profile '{profile}'",
            403: "the key may lack the scope to "
            + ("search actions" if searching else f"list {kind}"),
            404: "this server does not offer the listing",
            429: "rate limited; try again in a moment",
        }
        hint = hints.get(response.status) or (
            "StackOne had a problem; retry later" if response.status >= 500 else ""
        )
        text = f"{lead}: {status}" + (f" - {hint}" if hint else "")
        return DiscoveryFailure(kind, error, text, str(error))
    if isinstance(error, TransportError):
        return DiscoveryFailure(kind, error, f"{lead}: {error.what}", error.describe())
    if isinstance(error, ExplorerError):
        return DiscoveryFailure(kind, error, f"{lead}: {error}", str(error))
    return DiscoveryFailure(kind, error, f"{lead}: unexpected error {error!r}", repr(error))


@dataclass(frozen=True)
class ActionSearch:
    """The answer to one action search: what was asked and the matches, best first."""

    query: str
    connector: str
    matches: list[ActionMatch]
