"""Sending a history entry again: a secret comes back from where it came from, never as the
placeholder it is kept behind.

The history keeps only a scrubbed copy of what was sent (``core.secrets``): a secret
variable's value reads ``<redacted>`` there. Beside it, an entry keeps the request as written,
with its ``{{variable}}`` references and never their values (``Exchange.template``). A replay
takes the request as it was sent and, at each place that holds the placeholder, puts back the
template's reference, to be filled from the active environment as a Send fills it. A place
with no reference to put back (an entry from before templates were kept, a secret typed into a
field) cannot be sent: ``SecretsNotKept`` names it, and ``validate`` refuses it on every path.
"""

from __future__ import annotations

from typing import Any

from explorer.core.errors import ExplorerError
from explorer.core.request import OBJECT_FIELDS, RpcRequest, hidden_places
from explorer.core.secrets import REDACTED
from explorer.core.variables import PLACEHOLDER, TEXT_FIELDS, UnresolvedVariables, find_variables

__all__ = ["SecretsNotKept", "hidden_places", "restore", "template_of"]


class SecretsNotKept(ExplorerError):
    """A history entry cannot be sent again as it is: some of its values were secrets, which
    the history never keeps, and nothing says where to take them from now.

    Attributes:
        places: where the placeholder stands (``body.note``, ``headers.x-token``).
        unresolved: the variables that would give them, when the active environment lacks
            them; ``None`` when no variable names them.
    """

    def __init__(self, places: list[str], unresolved: UnresolvedVariables | None = None) -> None:
        self.places = list(places)
        self.unresolved = unresolved
        listed = ", ".join(self.places)
        one = len(self.places) == 1
        held = "held a secret value" if one else "held secret values"
        it = "it" if one else "them"
        if unresolved is not None:
            why = f". {unresolved} Or open the entry in the editor and give {it} again."
        else:
            why = (
                f", and no {{{{variable}}}} says where {'it' if one else 'they'} came from. "
                f"Open the entry in the editor and give {it} again."
            )
        super().__init__(f"{listed} {held}, which the history never keeps{why}")


def template_of(written: RpcRequest) -> RpcRequest | None:
    """What a history entry keeps of the request as written: a copy when it uses
    ``{{variables}}`` (then a replay can fill them again), else ``None`` (the request as sent
    says it all)."""
    return written.copy() if find_variables(written) else None


def restore(sent: RpcRequest, template: RpcRequest | None) -> RpcRequest:
    """``sent`` (a history entry's scrubbed request) with each value that holds the
    placeholder replaced by ``template``'s value at the same place, where that names a
    variable; everything else stays as it was sent. Places left with the placeholder are
    ``hidden_places`` of the result."""
    if template is None or not hidden_places(sent):
        return sent.copy()
    changes: dict[str, Any] = {
        name: _restore(getattr(sent, name), getattr(template, name)) for name in TEXT_FIELDS
    }
    for name in OBJECT_FIELDS:
        changes[name] = _restore(getattr(sent, name), getattr(template, name))
    return sent.copy(**changes)


def _restore(sent: Any, written: Any) -> Any:
    if isinstance(sent, str):
        names_one = isinstance(written, str) and PLACEHOLDER.search(written) is not None
        if REDACTED in sent and names_one and REDACTED not in written:
            return written
        return sent
    if isinstance(sent, dict):
        other = written if isinstance(written, dict) else {}
        return {key: _restore(item, other.get(key)) for key, item in sent.items()}
    if isinstance(sent, list):
        others = written if isinstance(written, list) else []
        return [
            _restore(item, others[index] if index < len(others) else None)
            for index, item in enumerate(sent)
        ]
    return sent
