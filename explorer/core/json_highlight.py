"""Highlighted HTML of pretty JSON without pygments' lexer: the same HTML, made faster.

Why: a small response's Pretty tab is highlighted on the send's own thread between the
answer and its paint, and pygments' JSON lexer and HTML formatter took ~0.8 ms of a 4 KB
body there (a few Python calls per token; more under load, when each waits for the
interpreter). Pretty JSON as ``render.pretty_json`` writes it holds six kinds of tokens, which
one regular expression finds. Each kind gets the span pygments gives it, read once per theme
off pygments' own HTML of a one-token sample; then a richer sample made both ways must match
byte for byte, or this stays off (another pygments version, another style). Anything the
expression does not know (``NaN``, text that is not pretty JSON) returns ``None``: the caller
runs pygments as before. So the Pretty tab shows exactly what it showed.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

# pygments' HTML of some text and a theme (``dark``).
PygmentsHtml = Callable[[str, bool], str]

# One token of pretty JSON: a string (a key when a colon follows), a number, a constant,
# punctuation, white space; anything else is a token this module does not write.
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*")(?P<colon>:)?'
    r"|(?P<number>-?(?:0|[1-9]\d*)(?P<real>(?:\.\d+)?(?:[eE][+-]?\d+)?))(?![\w.+-])"
    r"|(?P<constant>true|false|null)\b"
    r"|(?P<punctuation>[\[\]{},])"
    r"|(?P<space>[ \n]+)"
)

# A kind of token, a one-token sample of it, and the token as it appears in the sample.
_SAMPLES = {
    "key": ('{"k": 0}', '"k"'),
    "string": ('"s"', '"s"'),
    "integer": ("0", "0"),
    "float": ("1.5", "1.5"),
    "exponent": ("1e5", "1e5"),
    "true": ("true", "true"),
    "false": ("false", "false"),
    "null": ("null", "null"),
    "punctuation": ("[]", "["),
    "colon": ('{"k": 0}', ":"),
}
# Checked both ways before use: every kind of token, nested, escaped, non-ASCII.
_CHECK = (
    '{\n  "k": "s",\n  "i": -10,\n  "f": 1.5,\n  "e": 2E-7,\n  "t": true,\n  "n": null,\n'
    '  "no": false,\n  "a": [\n    [],\n    {},\n    [\n      1,\n      "x<y&z\\"\'"\n    ]\n  ],\n'
    '  "o": {\n    "caf\u00e9 \u2603": "\\u0001\\\\n"\n  }\n}'
)


@dataclass(frozen=True)
class _Markup:
    """What pygments writes around the text and before each kind of token, for one theme
    (``''``: no span)."""

    head: str
    tail: str
    opening: dict[str, str]


def highlight_pretty_json(text: str, dark: bool, pygments_html: PygmentsHtml) -> str | None:
    """``pygments_html(text, dark)`` for ``text`` made by ``pretty_json``, without running
    pygments' lexer; ``None`` when ``text`` holds anything else, or when this cannot match
    pygments here."""
    markup = _markup(dark, pygments_html)
    return None if markup is None else _write(markup, text)


@functools.cache
def _markup(dark: bool, pygments_html: PygmentsHtml) -> _Markup | None:
    """The frame and the spans of ``pygments_html``, checked on ``_CHECK`` (``None``: they
    could not be read, or the check differs)."""
    frame = _PRE.search(pygments_html("0", dark))
    if frame is None or not frame.group(2).startswith(_MARKER):
        return None
    head = frame.string[: frame.start(2)] + _MARKER
    tail = "\n" + frame.string[frame.end(2) :]
    opening: dict[str, str] = {}
    for kind, (sample, token) in _SAMPLES.items():
        styles = _styles(pygments_html(sample, dark))
        if styles is None or "".join(char for _style, char in styles) != sample + "\n":
            return None
        opening[kind] = styles[sample.index(token)][0]
    markup = _Markup(head, tail, opening)
    return markup if _write(markup, _CHECK) == pygments_html(_CHECK, dark) else None


_PRE = re.compile(r"(<pre[^>]*>)(.*)</pre>", re.DOTALL)
_MARKER = "<span></span>"  # what pygments puts first in its ``<pre>``
_PIECE = re.compile(r'<span style="[^"]*">|<span>|</span>|[^<]+')


def _styles(made: str) -> list[tuple[str, str]] | None:
    """Each character shown of pygments' HTML, with the span it is in (``''``: none)."""
    frame = _PRE.search(made)
    if frame is None:
        return None
    styles: list[tuple[str, str]] = []
    current = ""
    for piece in _PIECE.finditer(frame.group(2)):
        text = piece.group()
        if text.startswith("<span"):
            current = text if "style" in text else ""
        elif text == "</span>":
            current = ""
        else:
            styles.extend((current, char) for char in html.unescape(text))
    return styles


def _write(markup: _Markup, text: str) -> str | None:
    """``text``'s HTML: a span a run of tokens of one style, white space outside them."""
    opening = markup.opening
    out = [markup.head]
    append = out.append
    shown = ""  # the span open now, if any
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            return None  # something between tokens: not pretty JSON
        position = match.end()
        kind = match.lastgroup
        if kind == "space":
            if shown:
                append("</span>")
                shown = ""
            append(match.group())
            continue
        for style, value in _pieces(match, kind, opening):
            if style != shown:
                if shown:
                    append("</span>")
                append(style)
                shown = style
            append(value)
    if position != len(text):
        return None
    if shown:
        append("</span>")
    append(markup.tail)
    return "".join(out)


def _pieces(
    match: re.Match[str], kind: str | None, opening: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """A token (not white space) as ``(opening tag, HTML)`` pieces: a key is two."""
    if kind == "colon":
        value = html.escape(match.group("string"), quote=False)
        return ((opening["key"], value), (opening["colon"], ":"))
    if kind == "string":
        return ((opening["string"], html.escape(match.group(), quote=False)),)
    if kind in ("real", "number"):
        real = match.group("real")
        return ((opening[_real_kind(real) if real else "integer"], match.group()),)
    if kind == "constant":
        return ((opening[match.group()], match.group()),)
    return ((opening["punctuation"], match.group()),)


def _real_kind(real: str) -> str:
    """A number with a fraction is a float to pygments; with only an exponent, too (checked)."""
    return "float" if "." in real else "exponent"
