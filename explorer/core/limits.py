"""The explorer's limits on what it reads, in one place: JSON depth and numbers, body sizes.

Whatever a server sends, a file holds or a person pastes, reading it must end in the data or
a clear error, in bounded time and memory:

* JSON nested deeper than ``MAX_JSON_DEPTH`` levels is refused before it is parsed. Python
  parses and copies JSON recursively; a document nested 100,000 deep would otherwise end in
  a ``RecursionError`` somewhere far from the file or response that caused it. Real API data
  nests a few dozen levels at most.
* A body up to the *body limit* (a preference, ``DEFAULT_BODY_LIMIT`` by default) is held in
  memory and every feature analyses it (formatting, find, history, exports). A bigger body is
  streamed to a file that the history keeps; it is viewed from disk and saved whole, and the
  analysis features say it is over the limit.
* A compressed body is decoded in bounded steps (``explorer.core.body``). It may expand to at
  most ``decoded_cap(limit)``, and beyond the body limit to at most ``MAX_EXPANSION`` times
  its compressed size: a "zip bomb" is refused with a typed error, never decoded into memory
  or onto the disk.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

MAX_JSON_DEPTH = 200

MB = 1024 * 1024
DEFAULT_BODY_LIMIT = 50 * MB
MIN_BODY_LIMIT = 1 * MB
MAX_BODY_LIMIT = 1024 * MB
# The largest body accepted at all (decoded), as a multiple of the body limit: 1 GB by default.
DECODED_CAP_FACTOR = 20
# Above the body limit, a compressed body may expand at most this many times. gzip reaches
# ~1000x only on degenerate data (a bomb is a file of zeros); real JSON compresses 5-20x.
MAX_EXPANSION = 100
# The total size the history may keep on disk by default; the oldest entries go beyond it.
DEFAULT_HISTORY_BUDGET = 1024 * MB

# A JSON string (escapes included). The unrolled form keeps the regex engine from trying an
# alternative per character.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INTERESTING = re.compile(r'[\[\]{}"]')
_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def decoded_cap(body_limit: int) -> int:
    """The largest decoded body accepted at all, for a given body limit."""
    return body_limit * DECODED_CAP_FACTOR


def json_depth(text: str) -> int:
    """How deeply the *valid* JSON ``text`` nests arrays and objects.

    Runs in C-speed steps (two regular-expression passes and a running sum): a few
    milliseconds per megabyte, and two ``str.count`` calls for text with few brackets. Only
    for text that parsed: on broken strings the first pass could take quadratic time.
    """
    opened = text.count("[") + text.count("{")
    if opened <= 1:
        return opened
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = array("b", brackets.encode("ascii").translate(_STEPS))
    return max(accumulate(steps), default=0)


def too_deep_at(text: str, limit: int = MAX_JSON_DEPTH) -> int | None:
    """The index of the first bracket (outside strings) opening level ``limit + 1``, or None.

    Safe on any text, valid JSON or not: one pass, each string skipped in one anchored match.
    """
    depth = 0
    position = 0
    search = _INTERESTING.search
    while (found := search(text, position)) is not None:
        char = found.group()
        index = found.start()
        if char == '"':
            rest = _STRING_REST.match(text, index + 1)
            if rest is None:
                return None  # an unterminated string: nothing after it is structure
            position = rest.end()
            continue
        position = index + 1
        if char in "[{":
            depth += 1
            if depth > limit:
                return index
        else:
            depth -= 1
    return None
