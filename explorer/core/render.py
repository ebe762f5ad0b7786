"""Turning bodies into something readable: pretty JSON and syntax-highlighted HTML.

Pure functions without Qt: the response viewer, the request preview and exports all use them.
Pretty-printing keeps what the server sent - number spellings (``1.10`` stays ``1.10``, huge
numbers do not become ``Infinity``), key order and duplicate keys - and only changes layout,
because a debugging tool that quietly rewrites values would mislead its user.
"""

from __future__ import annotations

import html
import json
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from explorer.core.body import BodyFile
from explorer.core.json_scanner import loads_in_steps

# pygments (~10-15 ms to import) is imported where a colour or highlight is first wanted:
# the window starts with no response on screen and needs none of it.
if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

# Above this many characters callers should show plain text: highlighting a few megabytes
# takes seconds and the resulting rich-text document makes a text view sluggish.
HIGHLIGHT_LIMIT = 2_000_000

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"

_INDENT = "  "

# Display lines of a virtual text view are cut at this many characters: drawing or laying out
# a line of a megabyte (compact JSON is one line) takes Qt a quarter of a second.
DISPLAY_WIDTH = 2000
# Long strings are lowered and split this many characters at a time: one call on 17 MB holds
# the GIL (and so the UI thread) for 70-130 ms.
_STEP = 1 << 20


class _Number(str):
    """A JSON number or constant (``NaN``) kept exactly as the server spelled it."""

    __slots__ = ()


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs: order and duplicate keys survive."""

    __slots__ = ()


class _Formatted(str):
    """A value already written out (at its depth's indentation): copied as it is."""

    __slots__ = ()


def _format_leaf(value: Any, depth: int) -> _Formatted:
    out: list[str] = []
    _write(value, out, "\n" + _INDENT * depth)
    return _Formatted("".join(out))


def pretty_json(value_or_text: Any) -> str:
    """Indent JSON by two spaces, non-ASCII characters left readable (not ``\\u`` escaped).

    Accepts JSON text (``str`` or UTF-8 ``bytes``) or an already-parsed value. Text that is
    not JSON is returned as it is (bytes decoded), so callers can pass any body.
    """
    if isinstance(value_or_text, bytes | bytearray):
        value_or_text = bytes(value_or_text).decode("utf-8-sig", errors="replace")
    if isinstance(value_or_text, str):
        # Each record is written out as soon as it is parsed (see ``loads_in_steps``): the
        # formatting of a 10 MB body then never blocks other threads for long.
        try:
            value = loads_in_steps(
                value_or_text,
                parse_float=_Number,
                parse_int=_Number,
                parse_constant=_Number,
                object_pairs_hook=_Pairs,
                leaf=_format_leaf,
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
    if kind is _Number or kind is _Formatted:
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
    from pygments.styles import get_style_by_name
    from pygments.token import Text

    style = get_style_by_name(style_name(dark))
    background = style.background_color or ("#0d1117" if dark else "#ffffff")
    text = style.style_for_token(Text).get("color")
    foreground = f"#{text}" if text else ("#e6edf3" if dark else "#000000")
    return background, foreground


def style_css(dark: bool) -> str:
    """CSS rules (``.highlight`` scoped) for callers that prefer classes to inline styles."""
    from pygments.formatters import HtmlFormatter

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
    from pygments import highlight

    return _UNCOLOURED_SPACE.sub(r"\1", str(highlight(text, _lexer(lexer), _formatter(dark))))


# Pygments colours white space too: a span Qt must parse for nothing (a third of a small JSON
# body's spans; ``setHtml`` takes ~25 % less without them).
_UNCOLOURED_SPACE = re.compile(r'<span style="color: #[0-9A-Fa-f]+">(\s+)</span>')


# Built per call (they are cheap) so that worker threads never share pygments state.
def _lexer(name: str) -> Lexer:
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


def _formatter(dark: bool) -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=style_name(dark), noclasses=True, nobackground=False)


@dataclass(frozen=True)
class LineIndex:
    """Where each display row of a text starts and ends (``text[starts[i]:ends[i]]``).

    Two arrays rather than a list of row strings: they cross from a helper process in
    milliseconds, where unpickling 726,000 strings would hold the GIL for a tenth of a second.
    """

    starts: array[int]
    ends: array[int]
    longest: int  # the longest row, in characters


@dataclass(frozen=True)
class TextLines:
    """A long text cut into display rows for a virtual view, prepared off the UI thread.

    Lines longer than the display width are cut into several rows; that is display only:
    ``text`` is unchanged and copying takes from it. ``folded`` is ``text`` in lower case for
    case-insensitive find, or ``None`` when lowering changed the length (then find is
    case-sensitive).
    """

    text: str
    index: LineIndex
    folded: str | None

    @classmethod
    def build(cls, text: str, index: LineIndex | None = None) -> TextLines:
        """``text`` with its ``index`` (made here if not given) and its folded copy."""
        return cls(text, index if index is not None else index_lines(text), fold_case(text))

    @property
    def row_count(self) -> int:
        return len(self.index.starts)

    @property
    def longest(self) -> int:
        return self.index.longest

    def row(self, number: int) -> str:
        return self.text[self.index.starts[number] : self.index.ends[number]]

    def row_start(self, number: int) -> int:
        return self.index.starts[number]

    def row_of(self, offset: int) -> int:
        """The row showing character ``offset`` of ``text``."""
        return max(0, bisect_right(self.index.starts, offset) - 1)

    def span(self, first_row: int, last_row: int) -> str:
        """The text of rows ``first_row`` to ``last_row`` (inclusive), as in ``text``."""
        return self.text[self.index.starts[first_row] : self.index.ends[last_row]]

    def find(self, needle: str, start: int, *, backward: bool = False) -> int:
        """The offset of the next match from ``start`` (or the previous one ending before
        it), ignoring case and wrapping around at the end; -1 if ``needle`` is nowhere."""
        if not needle:
            return -1
        haystack, wanted = self.text, needle
        folded = needle.lower()
        if self.folded is not None and len(folded) == len(needle):
            haystack, wanted = self.folded, folded
        if backward:
            found = haystack.rfind(wanted, 0, max(0, start))
            return found if found >= 0 else haystack.rfind(wanted)
        found = haystack.find(wanted, start)
        return found if found >= 0 else haystack.find(wanted)


def display_lines(text: str, width: int = DISPLAY_WIDTH) -> TextLines:
    """``text`` cut into rows of at most ``width`` characters (see ``TextLines``).

    Costs a few hundred milliseconds for 17 MB, in steps that let other threads run: call it
    off the UI thread for big texts.
    """
    return TextLines.build(text, index_lines(text, width))


def index_lines(text: str, width: int = DISPLAY_WIDTH) -> LineIndex:
    """Where the rows of ``text`` start and end, lines cut every ``width`` characters."""
    starts = array("q")
    ends = array("q")
    longest = 0
    position = 0
    for line in _split_lines(text):
        size = len(line)
        if size <= width:
            starts.append(position)
            ends.append(position + size)
            if size > longest:
                longest = size
        else:
            for cut in range(0, size, width):
                starts.append(position + cut)
                ends.append(position + min(size, cut + width))
            longest = max(longest, width)
        position += size + 1
    return LineIndex(starts, ends, longest)


def _split_lines(text: str) -> list[str]:
    """``text.split("\\n")``, a megabyte at a time."""
    lines: list[str] = []
    start = 0
    while True:
        cut = text.find("\n", start + _STEP) if start + _STEP < len(text) else -1
        if cut < 0:
            lines.extend(text[start:].split("\n"))
            return lines
        lines.extend(text[start:cut].split("\n"))
        start = cut + 1


def fold_case(text: str) -> str | None:
    """``text.lower()``, a megabyte at a time; ``None`` if that changes the length."""
    folded = "".join(text[i : i + _STEP].lower() for i in range(0, len(text), _STEP))
    return folded if len(folded) == len(text) else None


@dataclass(frozen=True)
class BodyLayout:
    """What the response view shows of a body, prepared by ``layout_body``.

    ``pretty`` is ``None`` when it is the raw text itself (a body that is not JSON). Either
    ``html`` (highlighted, small) or ``pretty_index`` (display rows, big) is set; ``raw_index``
    is set when the raw text is too long for a text edit.
    """

    pretty: str | None
    html: str | None
    pretty_index: LineIndex | None
    raw_index: LineIndex | None


def layout_body(
    body: bytes,
    encoding: str,
    *,
    is_json: bool,
    dark: bool,
    rich_limit: int,
    plain_limit: int,
) -> BodyLayout:
    """Format ``body`` for display: all the heavy work of showing a response, in one call.

    A pure function of picklable values, so that it can run in a helper process: there it
    shares no GIL with the window, however long it takes.
    """
    raw = body.decode(encoding, errors="replace")
    pretty = pretty_json(body) if is_json else raw
    raw_index = index_lines(raw) if len(raw) > plain_limit else None
    if len(pretty) <= rich_limit:
        html = highlight_html(pretty, lexer="json" if is_json else "text", dark=dark)
        return BodyLayout(pretty if is_json else None, html, None, raw_index)
    pretty_index = raw_index if not is_json and raw_index is not None else index_lines(pretty)
    return BodyLayout(pretty if is_json else None, None, pretty_index, raw_index)


# One line of pretty JSON, for colouring only the lines on screen: strings (keys when a colon
# follows), numbers and constants. A line may be any slice of a document, so this is a
# tokenizer, not a parser.
_JSON_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<key>\s*:)?'
    r"|(?P<number>-?\d[\d.eE+-]*)"
    r"|\b(?P<constant>true|false|null|NaN|Infinity)\b"
)
# The pygments token of each kind: what pygments' JSON lexer calls a key is ``Name.Tag``, so
# both views match.
_TOKEN_KINDS = {
    "key": "Name.Tag",
    "string": "String.Double",
    "number": "Number",
    "constant": "Keyword.Constant",
}


def json_line_spans(line: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of each token of one line of JSON worth a colour."""
    spans: list[tuple[int, int, str]] = []
    for match in _JSON_TOKEN.finditer(line):
        if match.group("string") is not None:
            kind = "key" if match.group("key") else "string"
            spans.append((match.start(), match.end("string"), kind))
        elif match.group("number") is not None:
            spans.append((match.start(), match.end(), "number"))
        else:
            spans.append((match.start(), match.end(), "constant"))
    return spans


def json_colours(dark: bool) -> dict[str, str]:
    """``kind -> "#rrggbb"`` for ``json_line_spans``, from the same style as the HTML."""
    from pygments.styles import get_style_by_name
    from pygments.token import string_to_tokentype

    style = get_style_by_name(style_name(dark))
    _background, foreground = style_colors(dark)
    colours = {}
    for kind, name in _TOKEN_KINDS.items():
        colour = style.style_for_token(string_to_tokentype(name)).get("color")
        colours[kind] = f"#{colour}" if colour else foreground
    return colours


# How much of a body over the limit one copy from its view may take (a whole 200 MB body
# belongs in Save body, not the clipboard).
COPY_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True)
class FileLines(TextLines):
    """A body on disk as display rows for ``LinesView``, read from the file as they show.

    The index holds byte offsets (rows end at a newline or every ``DISPLAY_WIDTH`` bytes, cut
    at a character boundary); ``text`` is only the body's beginning. Find is not offered
    over a body beyond the limit (``find`` finds nothing), and a copy takes at most
    ``COPY_LIMIT`` bytes.
    """

    source: BodyFile | None = None
    encoding: str = "utf-8"

    @classmethod
    def scan(cls, source: BodyFile, encoding: str = "utf-8") -> FileLines:
        """Index ``source`` (one pass, a megabyte at a time): call it off the UI thread."""
        starts = array("q")
        ends = array("q")
        longest = 0
        row_start = 0
        offset = 0
        for piece in source.chunks(1024 * 1024):
            position = 0
            while True:
                newline = piece.find(b"\n", position)
                stop = len(piece) if newline < 0 else newline
                # Cut rows longer than the display width inside this piece.
                while offset + stop - row_start > DISPLAY_WIDTH:
                    cut = _char_boundary(piece, row_start - offset + DISPLAY_WIDTH)
                    starts.append(row_start)
                    ends.append(offset + cut)
                    longest = DISPLAY_WIDTH
                    row_start = offset + cut
                if newline < 0:
                    break
                starts.append(row_start)
                ends.append(offset + newline)
                longest = max(longest, offset + newline - row_start)
                row_start = offset + newline + 1
                position = newline + 1
            offset += len(piece)
        starts.append(row_start)
        ends.append(offset)
        longest = max(longest, offset - row_start)
        head = source.head().decode(encoding, errors="replace")
        return cls(
            head, LineIndex(starts, ends, min(longest, DISPLAY_WIDTH)), None, source, encoding
        )

    def row(self, number: int) -> str:
        start, end = self.index.starts[number], self.index.ends[number]
        assert self.source is not None
        return self.source.read(start, end - start).decode(self.encoding, errors="replace")

    def span(self, first_row: int, last_row: int) -> str:
        start = self.index.starts[first_row]
        end = min(self.index.ends[last_row], start + COPY_LIMIT)
        assert self.source is not None
        return self.source.read(start, end - start).decode(self.encoding, errors="replace")

    def find(self, needle: str, start: int, *, backward: bool = False) -> int:
        return -1


def _char_boundary(data: bytes, cut: int) -> int:
    """``cut`` moved back (at most 3 bytes) so it does not split a UTF-8 character."""
    cut = max(0, min(cut, len(data)))
    for back in range(4):
        if cut - back <= 0 or cut - back >= len(data):
            return cut
        if data[cut - back] & 0xC0 != 0x80:
            return cut - back
    return cut
