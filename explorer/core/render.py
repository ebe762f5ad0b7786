"""Turning bodies into something readable: pretty JSON and syntax-highlighted HTML.

Pure functions without Qt: the response viewer, the request preview and exports all use them.
Pretty-printing keeps what the server sent - number spellings (``1.10`` stays ``1.10``, huge
numbers do not become ``Infinity``), key order and duplicate keys - and only changes layout,
because a debugging tool that quietly rewrites values would mislead its user.
"""

from __future__ import annotations

import html
import json
from json.encoder import encode_basestring
from typing import Any

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Text
from pygments.util import ClassNotFound

# Above this many characters callers should show plain text: highlighting a few megabytes
# takes seconds and the resulting rich-text document makes a text view sluggish.
HIGHLIGHT_LIMIT = 2_000_000

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"

_INDENT = "  "


class _Number(str):
    """A JSON number or constant (``NaN``) kept exactly as the server spelled it."""

    __slots__ = ()


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs: order and duplicate keys survive."""

    __slots__ = ()


def pretty_json(value_or_text: Any) -> str:
    """Indent JSON by two spaces, non-ASCII characters left readable (not ``\\u`` escaped).

    Accepts JSON text (``str`` or UTF-8 ``bytes``) or an already-parsed value. Text that is
    not JSON is returned as it is (bytes decoded), so callers can pass any body.
    """
    if isinstance(value_or_text, bytes | bytearray):
        value_or_text = bytes(value_or_text).decode("utf-8-sig", errors="replace")
    if isinstance(value_or_text, str):
        try:
            value = json.loads(
                value_or_text,
                parse_float=_Number,
                parse_int=_Number,
                parse_constant=_Number,
                object_pairs_hook=_Pairs,
            )
        except (ValueError, RecursionError):
            return value_or_text
    else:
        value = value_or_text
    out: list[str] = []
    try:
        _write(value, out, "\n")
    except RecursionError:
        return value_or_text if isinstance(value_or_text, str) else repr(value_or_text)
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    """Append ``value``'s text to ``out``; ``newline`` carries the current indentation.

    Written for speed on multi-megabyte bodies: scalars inside containers are formatted
    inline rather than through a recursive call each.
    """
    kind = type(value)
    if kind is _Pairs or isinstance(value, dict):
        items = value if kind is _Pairs else value.items()
        if not items:
            out.append("{}")
            return
        inner = newline + _INDENT
        lead = "{" + inner
        for key, item in items:
            text = _scalar(item)
            if text is not None:
                out.append(f"{lead}{encode_basestring(str(key))}: {text}")
            else:
                out.append(f"{lead}{encode_basestring(str(key))}: ")
                _write(item, out, inner)
            lead = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + _INDENT
        lead = "[" + inner
        for item in value:
            text = _scalar(item)
            if text is not None:
                out.append(lead + text)
            else:
                out.append(lead)
                _write(item, out, inner)
            lead = "," + inner
        out.append(newline + "]")
    else:
        out.append(_scalar(value) or json.dumps(value, default=str))


def _scalar(value: Any) -> str | None:
    """The JSON text of a non-container value; ``None`` for objects and arrays."""
    kind = type(value)
    if kind is _Number:
        return str.__str__(value)
    if kind is str:
        return str(encode_basestring(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int or kind is float:
        return json.dumps(value)
    if isinstance(value, dict | list | tuple):
        return None
    return json.dumps(value, default=str)


def style_name(dark: bool) -> str:
    """The pygments style used for a light or a dark window."""
    return DARK_STYLE if dark else LIGHT_STYLE


def style_colors(dark: bool) -> tuple[str, str]:
    """``(background, foreground)`` of the style, for the widget that shows the HTML."""
    style = get_style_by_name(style_name(dark))
    background = style.background_color or ("#0d1117" if dark else "#ffffff")
    text = style.style_for_token(Text).get("color")
    foreground = f"#{text}" if text else ("#e6edf3" if dark else "#000000")
    return background, foreground


def style_css(dark: bool) -> str:
    """CSS rules (``.highlight`` scoped) for callers that prefer classes to inline styles."""
    return str(HtmlFormatter(style=style_name(dark)).get_style_defs(".highlight"))


def highlight_html(text: str, *, lexer: str = "json", dark: bool = False) -> str:
    """``text`` as HTML with inline colours, ready for ``QTextEdit.setHtml``.

    An unknown ``lexer`` name falls back to plain text. Above ``HIGHLIGHT_LIMIT`` characters
    the result is escaped plain text in the same ``<pre>`` frame, so the caller never freezes.
    """
    background, foreground = style_colors(dark)
    if len(text) > HIGHLIGHT_LIMIT:
        return (
            f'<div style="background: {background}"><pre style="margin: 0; color: {foreground}">'
            f"{html.escape(text, quote=False)}</pre></div>"
        )
    return str(highlight(text, _lexer(lexer), _formatter(dark)))


# Built per call (they are cheap) so that worker threads never share pygments state.
def _lexer(name: str) -> Lexer:
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


def _formatter(dark: bool) -> HtmlFormatter[str]:
    return HtmlFormatter(style=style_name(dark), noclasses=True, nobackground=False)
