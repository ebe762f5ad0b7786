"""Parsing big JSON documents in small steps, so that other threads keep running meanwhile.

``json.loads`` parses a whole document in one C call, and a C call holds the GIL from start to
end: for a 10 MB response that is 0.2-1 s in which no other Python thread runs a line - the
UI thread included, so the window freezes although the parse runs on a worker thread.

``loads_in_steps`` walks the outer levels of the document (the envelope and its lists) in
Python and hands every value below them to the very C scanner ``json.loads`` uses. Each of
those calls parses one record, typically a few kilobytes; between them the interpreter can
switch threads. The result, and the errors raised, are those of ``json.loads`` with the same
hooks.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable
from json.decoder import JSONDecodeError
from typing import Any

from explorer.core.limits import MAX_JSON_DEPTH, json_depth, too_deep_at

# The helpers ``json.loads`` itself uses (C versions where available); typeshed omits them.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")

# Containers above this depth are walked in Python; everything deeper is one C call. Two
# levels cover the usual shapes: {"data": [record, ...]} and [record, ...].
STEP_DEPTH = 2

_Hook = Callable[[str], Any] | None
# What to keep of a value parsed in one C call, given its depth (the root is depth 0).
Leaf = Callable[[Any, int], Any]


def _skip_whitespace(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


class _Walker:
    """One parse: the C scanner configured like ``json.loads`` with the given hooks."""

    def __init__(
        self,
        parse_float: _Hook,
        parse_int: _Hook,
        parse_constant: _Hook,
        object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None,
        leaf: Leaf | None,
        max_depth: int | None = None,
    ) -> None:
        decoder = json.JSONDecoder(
            parse_float=parse_float,
            parse_int=parse_int,
            parse_constant=parse_constant,
            object_pairs_hook=object_pairs_hook,
        )
        # The scanner ``json.loads`` uses, as ``JSONDecoder.__init__`` sets it (not in typeshed).
        self._scan_once: Callable[[str, int], tuple[Any, int]] = decoder.scan_once  # type: ignore[attr-defined]
        self._pairs_hook = object_pairs_hook
        self._skip = _skip_whitespace
        self._leaf = leaf
        self._max_depth = max_depth

    def document(self, text: str) -> Any:
        if text.startswith("\ufeff"):
            raise JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        skip = self._skip
        value, end = self.value(text, skip(text, 0), 0)
        end = skip(text, end)
        if end != len(text):
            raise JSONDecodeError("Extra data", text, end)
        return value

    def value(self, text: str, index: int, depth: int) -> tuple[Any, int]:
        if depth < STEP_DEPTH:
            char = text[index : index + 1]
            if char == "{":
                return self.members(text, index + 1, depth + 1)
            if char == "[":
                return self.elements(text, index + 1, depth + 1)
        try:
            value, end = self._scan_once(text, index)
        except StopIteration as stop:
            raise JSONDecodeError("Expecting value", text, stop.value) from None
        except RecursionError:
            raise _too_deep(text, index) from None
        if self._max_depth is not None and depth + json_depth(text[index:end]) > self._max_depth:
            raise _too_deep(text, index, self._max_depth)
        return (value if self._leaf is None else self._leaf(value, depth)), end

    def members(self, text: str, index: int, depth: int) -> tuple[Any, int]:
        skip = self._skip
        pairs: list[tuple[str, Any]] = []
        index = skip(text, index)
        if text[index : index + 1] != "}":
            while True:
                if text[index : index + 1] != '"':
                    raise JSONDecodeError(
                        "Expecting property name enclosed in double quotes", text, index
                    )
                key, index = _scanstring(text, index + 1, True)
                index = skip(text, index)
                if text[index : index + 1] != ":":
                    raise JSONDecodeError("Expecting ':' delimiter", text, index)
                item, index = self.value(text, skip(text, index + 1), depth)
                pairs.append((key, item))
                index = skip(text, index)
                char = text[index : index + 1]
                if char == "}":
                    break
                if char != ",":
                    raise JSONDecodeError("Expecting ',' delimiter", text, index)
                index = skip(text, index + 1)
        if self._pairs_hook is not None:
            return self._pairs_hook(pairs), index + 1
        return dict(pairs), index + 1

    def elements(self, text: str, index: int, depth: int) -> tuple[list[Any], int]:
        skip = self._skip
        items: list[Any] = []
        index = skip(text, index)
        if text[index : index + 1] != "]":
            while True:
                item, index = self.value(text, index, depth)
                items.append(item)
                index = skip(text, index)
                char = text[index : index + 1]
                if char == "]":
                    break
                if char != ",":
                    raise JSONDecodeError("Expecting ',' delimiter", text, index)
                index = skip(text, index + 1)
        return items, index + 1


def _too_deep(text: str, index: int, limit: int | None = None) -> JSONDecodeError:
    """The error for a value nested deeper than ``limit`` (or than Python can parse)."""
    where = too_deep_at(text[index:], limit) if limit is not None else None
    what = f"deeper than {limit} levels" if limit is not None else "too deep for Python to read"
    return JSONDecodeError(f"nested {what}", text, index + (where or 0))


def is_json(text: str) -> bool:
    """Whether ``json.loads(text)`` would succeed, checked in steps and keeping nothing."""
    return json_problem(text, max_depth=None) is None


def json_problem(text: str, *, max_depth: int | None = MAX_JSON_DEPTH) -> str | None:
    """Why ``text`` cannot be read as JSON (not JSON, or nested deeper than ``max_depth``),
    or ``None`` when it can: checked in steps, keeping nothing."""
    try:
        loads_in_steps(text, leaf=_discard, max_depth=max_depth)
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        return str(exc)
    except RecursionError:  # an outer level too deep: cannot happen with STEP_DEPTH levels
        return "nested too deep for Python to read"
    return None


def _discard(_value: Any, _depth: int) -> None:
    return None


def loads_in_steps(
    text: str,
    *,
    parse_float: _Hook = None,
    parse_int: _Hook = None,
    parse_constant: _Hook = None,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    leaf: Leaf | None = None,
    max_depth: int | None = None,
) -> Any:
    """``json.loads(text, ...)``, parsed in steps that let other threads run in between.

    ``leaf(value, depth)``, if given, replaces each value parsed in one C call (a record, or
    a scalar of the outer levels) by what it returns, as soon as it is parsed. A caller that
    only needs to know whether ``text`` is JSON passes ``lambda _v, _d: None``; a formatter
    turns each record into its text. Either way the records never live all at once: a tree
    of a million objects makes each full garbage collection (which holds the GIL too) take
    hundreds of milliseconds.

    ``max_depth``, if given, refuses a document nesting deeper (checked record by record,
    so the check too lets other threads run).

    Raises:
        json.JSONDecodeError: ``text`` is not JSON (a ``ValueError``, as from ``json.loads``),
            or nests deeper than ``max_depth`` or than the interpreter can parse.
    """
    walker = _Walker(parse_float, parse_int, parse_constant, object_pairs_hook, leaf, max_depth)
    return walker.document(text)
