"""Values taken from one response into the next request: "list employees, then get the first".

A saved request may declare captures: a variable name and an RFC 9535 JSONPath
(``core.filters.JsonPath``, the filter box's language) evaluated on its response body. A run
gives each captured value to the requests after it as ``{{name}}``. Only the declaration
(name and path) is ever written to a collection file; the values live in the run.

A capture takes the first node the path selects. A string is used as it is; any other value
(a number, ``true``, an object) as its compact JSON text, as ``{{variables}}`` are always
text (``core.variables``). A path that selects nothing, or a response that is not JSON, is a
``CaptureError``: the run fails the request with its message rather than send the next one
with a stale or empty value.

Whether a captured value is secret is decided the way a header's is (``core.secrets``): by its
name, here the capture's name or the path's member names (``access_token``), never by its look.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from explorer.core.errors import ExplorerError
from explorer.core.secrets import is_secret_header

# A capture's name is a variable name: what ``{{name}}`` accepts (no braces or spaces).
NAME = re.compile(r"[^{}\s]+")


class CaptureError(ExplorerError):
    """A capture could not take its value; ``str()`` says which, why and what to do."""


@dataclass(frozen=True)
class Capture:
    """``name`` gets the first value ``path`` (RFC 9535 JSONPath) selects in a response."""

    name: str
    path: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "path": self.path}

    @property
    def secret(self) -> bool:
        """Whether the value is hidden wherever results go (a token, a password...)."""
        return is_secret_header(self.name) or is_secret_header(self.path)

    def problem(self) -> str | None:
        """What is wrong with the declaration itself (before any response); ``None``: fine."""
        if not NAME.fullmatch(self.name):
            return "its name must be a variable name: no spaces or braces"
        from explorer.core.filters import FilterError, JsonPath  # (~3 ms: not at start-up)

        try:
            JsonPath(self.path)
        except FilterError as exc:
            return f"its path is not RFC 9535 JSONPath: {exc}"
        return None

    def take(self, document: Any) -> str:
        """The value captured from a parsed JSON response body.

        Raises:
            CaptureError: the path is invalid or selects nothing.
        """
        from explorer.core.filters import FilterError, JsonPath

        try:
            matches = JsonPath(self.path).find(document)
        except FilterError as exc:
            raise CaptureError(f"capture {self.name!r}: {exc}") from exc
        if not matches:
            raise CaptureError(
                f"capture {self.name!r}: {self.path} matched nothing in the response; "
                "check the path against the response body (the Filter box tries it)"
            )
        return as_text(matches[0].value)


def as_text(value: Any) -> str:
    """A JSON value as a ``{{variable}}``'s text: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def take_all(captures: list[Capture], document: Any, *, is_json: bool = True) -> dict[str, str]:
    """Every capture's value from one response, in order.

    Raises:
        CaptureError: the first capture that could not take its value (none are kept then:
            a request's captures succeed or fail together).
    """
    if captures and not is_json:
        names = ", ".join(c.name for c in captures)
        raise CaptureError(f"capture {names}: the response body is not JSON")
    return {capture.name: capture.take(document) for capture in captures}
