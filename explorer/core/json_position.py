"""Which JSON value a place in a JSON text is in: what a right-click in the response means.

"Set variable…" on a response takes the value under the pointer, suggests its member name as
the variable's name, and offers its path as a capture (``core.captures``). The text is the
body as shown (Pretty or Raw); a click on a member's name means its value, as a person means
it. Only scalars are picked (a string, number, ``true``/``false``/``null``): an object or an
array is rarely one value to carry, and a selection covers that case.

A small scanner over the text rather than the parsed document: ``json.loads`` gives no
positions. It follows strings, numbers and literals and keeps the path to the token; it stops
at the first thing that is not JSON (``None`` then).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<scalar>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?'
    r"|true|false|null)|(?P<punct>[{}\[\],:]))",
    re.DOTALL,
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class PickedValue:
    """The value at a place: its member name ("" in an array), its text for a
    ``{{variable}}`` (a string without quotes) and its JSONPath (``$.data[0].id``)."""

    key: str
    value: str
    path: str


def value_at(text: str, offset: int) -> PickedValue | None:
    """The scalar value (or the member whose name) at ``offset`` in ``text``; ``None`` when
    it is punctuation, white space, inside an object or array as a whole, or not JSON."""
    found = _located(text, offset)
    if found is None:
        return None
    parts, value = found
    return _picked(parts, value, path_text(parts))


def value_in_result(
    text: str, offset: int, match_paths: Sequence[str], *, by_path: bool
) -> PickedValue | None:
    """The scalar at ``offset`` in a filter's result, its path a path in the response.

    The result (``core.filters``) is a JSON array of the matches' values, or with ``by_path``
    an object from each match's RFC 9535 normalized path to its value; ``match_paths`` are
    the matches' normalized paths in order (empty for jq, which has none: then the path is
    ""). A value directly under a match is named after the match's last member name.
    """
    found = _located(text, offset)
    if found is None or not found[0]:
        return None
    parts, value = found
    head, rest = parts[0], parts[1:]
    base = ""
    if by_path and isinstance(head, str):
        base = head
    elif isinstance(head, int) and head < len(match_paths):
        base = match_paths[head]
    path = base + path_text(rest)[1:] if base else ""
    if not rest:  # the match itself: named after its last member in the response
        parts = [last_member(base)]
    return _picked(parts, value, path)


def last_member(normalized: str) -> str:
    """The last member name of an RFC 9535 normalized path (``$['data'][0]['id']`` -> ``id``);
    "" when it ends in an index or is not one."""
    match = _LAST_MEMBER.search(normalized)
    if match is None:
        return ""
    return _NORMALIZED_ESCAPE.sub(_unescape, match.group(1))


# A normalized path's last name selector, and its escapes (RFC 9535, 2.7).
_LAST_MEMBER = re.compile(r"\['((?:[^'\\]|\\.)*)'\]$")
_NORMALIZED_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.startswith("u") and len(code) == 5:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


def _located(text: str, offset: int) -> tuple[list[str | int], object] | None:
    walker = _Walker(text)
    try:
        return walker.find(offset)
    except (ValueError, IndexError):
        return None


def path_text(parts: list[str | int]) -> str:
    """``$.data[0].id``; a member name that is not an identifier as ``['first name']``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}"
        else:
            out += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return out


@dataclass
class _Level:
    """An open object (``key`` the member being read) or array (``index``)."""

    is_object: bool
    key: str = ""
    index: int = 0
    expect_key: bool = False


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[_Level] = []

    def find(self, offset: int) -> tuple[list[str | int], object] | None:
        position = 0
        pending_key: tuple[int, int, str] | None = None  # a member name: its span and text
        while position < len(self.text):
            match = _TOKEN.match(self.text, position)
            if match is None:
                return None
            start, end = match.start(match.lastgroup or 0), match.end()
            position = end
            if match.group("punct"):
                on_key = pending_key is not None and pending_key[0] <= offset < pending_key[1]
                if start > offset and not on_key:
                    return None
                pending_key = self._punct(match.group("punct"), pending_key)
                continue
            token = match.group("string") or match.group("scalar")
            top = self.stack[-1] if self.stack else None
            if top is not None and top.is_object and top.expect_key:
                top.key, top.expect_key = json.loads(token), False
                pending_key = (start, end, top.key)
                continue
            value = json.loads(token)
            clicked_key = pending_key is not None and pending_key[0] <= offset < pending_key[1]
            if start <= offset < end or clicked_key:
                return [lvl.key if lvl.is_object else lvl.index for lvl in self.stack], value
            if start > offset:
                return None
            pending_key = None
        return None

    def _punct(
        self, char: str, pending_key: tuple[int, int, str] | None
    ) -> tuple[int, int, str] | None:
        if char in "{[":
            self.stack.append(_Level(is_object=char == "{", expect_key=char == "{"))
            return None
        if char in "}]":
            self.stack.pop()
            return None
        top = self.stack[-1]
        if char == ",":
            if top.is_object:
                top.expect_key = True
            else:
                top.index += 1
            return None
        return pending_key  # ":" between a member's name and its value


def _picked(parts: list[str | int], value: object, path: str) -> PickedValue:
    key = parts[-1] if parts and isinstance(parts[-1], str) else ""
    text = value if isinstance(value, str) else json.dumps(value)
    return PickedValue(key=key, value=text, path=path)
