"""Several requests as one POSIX shell script of curl commands ("Export as curl").

Each command is ``curl.to_curl``'s; the script adds what a reader needs around them: where to
set the key, and each request's name and expected status as a comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from explorer.core.curl import to_curl
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.core.variables import fill


class ScriptedRequest(Protocol):
    """What the script needs of a saved request (``store.collections.SavedRequest`` is one)."""

    @property
    def request(self) -> RpcRequest: ...

    @property
    def description(self) -> str: ...

    @property
    def label(self) -> str: ...

    def expectation(self) -> str: ...


def curl_script(
    requests: Iterable[ScriptedRequest],
    *,
    values: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> str:
    """The requests as one POSIX shell script of curl commands, in order.

    The key stays ``$STACKONE_API_KEY`` (the reader's shell supplies it). Pass only values that
    may be shared: placeholders without a value (secrets) are left as ``{{name}}``.

    Args:
        values: variables to fill in, e.g. the non-secret part of an environment.
        base_url: used for requests that leave the base URL to the profile.
    """
    lines = [
        "#!/bin/sh",
        "# Exported from StackOne RPC Explorer. Set your key first:",
        "#   export STACKONE_API_KEY=...",
        "",
    ]
    for saved in requests:
        request = fill(saved.request, values or {})
        if base_url and request.base_url == DEFAULT_BASE_URL:
            request.base_url = base_url
        lines.append(f"# {saved.label}" + (f": {saved.description}" if saved.description else ""))
        lines.append("# expects HTTP " + saved.expectation())
        lines.append(to_curl(request))
        lines.append("")
    return "\n".join(lines)
