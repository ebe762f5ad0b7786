"""What changed since it worked: a JSON-aware comparison of two exchanges.

Two responses (two history entries, two accounts' rows of a run, an entry and its pinned
baseline) are compared field by field: status, headers, timing, and the body as JSON, so a
change reads as "``data[id=e1].salary``: 100 -> 120", not as a line diff of 5 MB. Arrays of
records that each carry a unique ``id`` are matched by it, so a record inserted at the top
is one added record, not every record changed; other arrays are aligned with ``difflib``'s
sequence matcher. Volatile fields (timestamps, request ids, cursors) are left out by an
ignore list of RFC 9535 JSONPath queries (the filter's language) and header names.

Why not ``deepdiff``: on two 7.5 MB bodies of 30,000 records it took 45 s with records matched
by id (its ``iterable_compare_func`` pairs candidates) and 12 s positionally, where one
inserted record then shows as every following record changed. This differ skips equal
subtrees with Python's C-level ``==`` and only walks what differs: about a second for two
10 MB bodies (``benchmarks/analysis.py``). ``difflib`` (standard library) does the array
alignment and the text diff of non-JSON bodies.

Pure data in, pure data out (picklable), with a ``progress(fraction, stage)`` callback, so the
window can run it in a helper process and show a progress bar.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.errors import ExplorerError
from explorer.core.filters import FilterError, JsonPath

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange

Progress = Callable[[float, str], None]
Segment = str | int


class Missing:
    """The value on the side where a path does not exist (an added or removed field)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Missing, ())


MISSING = Missing()

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Headers that differ on every response and say nothing about the result.
DEFAULT_IGNORED_HEADERS = (
    "date",
    "x-request-id",
    "request-id",
    "x-amzn-*",
    "cf-ray",
    "x-ratelimit-*",
    "ratelimit-*",
    "content-length",
    "etag",
    "age",
)

# Arrays this long report progress as they are walked.
_PROGRESS_MIN_ITEMS = 1000


@dataclass(frozen=True)
class RecordKey:
    """A path segment for an array element matched by its ``id`` rather than its position."""

    id: Any

    def __str__(self) -> str:
        return f"[id={self.id}]"


@dataclass(frozen=True)
class Change:
    """One difference. ``left``/``right`` are ``MISSING`` for an added/removed field.

    ``segments`` lead from the document's root (or name a header); ``left_index``/
    ``right_index`` are the element positions where a record was matched by ``id``.
    """

    kind: str
    segments: tuple[Segment | RecordKey, ...]
    left: Any = MISSING
    right: Any = MISSING

    @property
    def path(self) -> str:
        """Readable: ``data[id=e1].salary``, ``items[3]``, ``$`` for the whole body."""
        out = ""
        for segment in self.segments:
            if isinstance(segment, RecordKey):
                out += str(segment)
            elif isinstance(segment, int):
                out += f"[{segment}]"
            elif _READABLE.fullmatch(segment):
                out += ("." if out else "") + segment
            else:
                out += f"[{json.dumps(segment, ensure_ascii=False)}]"
        return out or "$"

    def query(self) -> str:
        """An RFC 9535 JSONPath that selects this field in every record: for the ignore list
        ("ignore this field"), with array positions and ids made ``[*]``."""
        out = "$"
        for segment in self.segments:
            if isinstance(segment, RecordKey | int):
                out += "[*]"
            elif _SHORTHAND.fullmatch(segment):
                out += "." + segment
            else:
                out += "[" + _quoted(segment) + "]"
        return out


_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # RFC 9535 member-name-shorthand (ASCII)
_READABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # for people: header-style names too


_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _quoted(name: str) -> str:
    """An RFC 9535 string literal in single quotes (a name selector)."""
    escaped = (_ESCAPES.get(ch, ch if ord(ch) >= 0x20 else f"\\u{ord(ch):04x}") for ch in name)
    return "'" + "".join(escaped) + "'"


@dataclass
class IgnoreRules:
    """What a comparison leaves out: body fields (JSONPath queries) and header names (globs,
    any case). Kept per action in ``store.baselines``."""

    body: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=lambda: list(DEFAULT_IGNORED_HEADERS))

    def check(self) -> list[FilterError]:
        """The body queries that are not valid JSONPath (to show beside the list)."""
        errors = []
        for query in self.body:
            try:
                JsonPath(query)
            except FilterError as exc:
                errors.append(exc)
        return errors

    def ignores_header(self, name: str) -> bool:
        lower = name.lower()
        return any(fnmatch.fnmatchcase(lower, pattern.lower()) for pattern in self.headers)


@dataclass(frozen=True)
class Side:
    """One exchange as compared: where it came from and its headline numbers."""

    label: str
    status: int | None
    total_ms: float | None
    size: int | None
    request_id: str | None = None
    reason: str = ""


@dataclass
class Comparison:
    """The result: headline, header changes and body changes (in document order)."""

    left: Side
    right: Side
    body_kind: str  # "json", "text", "binary", "empty" or "mixed" (one JSON, one not)
    headers: list[Change] = field(default_factory=list)
    body: list[Change] = field(default_factory=list)
    text_diff: list[str] = field(default_factory=list)  # unified diff of non-JSON bodies
    ignored: int = 0  # differences left out by the ignore rules
    # In brief (``compare_pages.Brief``): ``body`` holds only the first changes and
    # ``text_diff`` none; these say what the whole comparison holds.
    tally: dict[str, int] | None = None
    text_differs: bool = False

    @property
    def same_status(self) -> bool:
        return self.left.status == self.right.status

    @property
    def identical(self) -> bool:
        """Nothing to report (ignored differences aside, timing aside)."""
        texts = self.text_diff or self.text_differs
        return self.same_status and not (self.headers or self.body or texts)

    def counts(self) -> dict[str, int]:
        if self.tally is not None:
            return dict(self.tally)
        kinds = [c.kind for c in self.body]
        return {kind: kinds.count(kind) for kind in (CHANGED, ADDED, REMOVED)}

    def summary(self) -> str:
        """One line for the window's title bar or a report."""
        parts = []
        if not self.same_status:
            parts.append(f"status {self.left.status} -> {self.right.status}")
        counts = self.counts()
        if any(counts.values()):
            parts.append(", ".join(f"{n:,} {kind}" for kind, n in counts.items() if n))
        if self.text_diff or self.text_differs:
            parts.append("body text differs")
        if self.headers:
            parts.append(f"{len(self.headers)} header(s) differ")
        text = "; ".join(parts) if parts else "no differences"
        return text + (f" ({self.ignored:,} ignored)" if self.ignored else "")


def compare_exchanges(
    left: Exchange,
    right: Exchange,
    *,
    ignore: IgnoreRules | None = None,
    progress: Progress | None = None,
    labels: tuple[str, str] = ("left", "right"),
) -> Comparison:
    """Compare two exchanges' status, headers, timing and body.

    Raises:
        FilterError: an ignore query is not valid JSONPath (check ``IgnoreRules.check`` first).
    """
    rules = ignore if ignore is not None else IgnoreRules()
    report = _Throttle(progress)
    a, b = left.response, right.response
    comparison = Comparison(
        left=_side(labels[0], left),
        right=_side(labels[1], right),
        body_kind="empty",
    )
    comparison.headers, ignored_headers = _compare_headers(
        a.headers if a else [], b.headers if b else [], rules
    )
    report(0.02, "reading the bodies")
    left_kind, left_data = _body(left)
    right_kind, right_data = _body(right)
    if left_kind == right_kind == "json":
        comparison.body_kind = "json"
        outcome = compare_json(left_data, right_data, ignore=rules.body, progress=report)
        comparison.body, comparison.ignored = outcome
    elif left_kind == right_kind == "empty":
        comparison.body_kind = "empty"
    elif left_kind in ("json", "text", "empty") and right_kind in ("json", "text", "empty"):
        comparison.body_kind = "text" if left_kind == right_kind else "mixed"
        comparison.text_diff = _text_diff(_as_text(left), _as_text(right), labels)
    else:
        comparison.body_kind = "binary" if left_kind == right_kind else "mixed"
        if _digest(left) != _digest(right):
            comparison.body = [Change(CHANGED, (), _describe_binary(left), _describe_binary(right))]
    comparison.ignored += ignored_headers
    report(1.0, "done")
    return comparison


def compare_json(
    left: Any,
    right: Any,
    *,
    ignore: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[list[Change], int]:
    """The changes from ``left`` to ``right`` (parsed JSON), and how many were ignored.

    Args:
        ignore: RFC 9535 JSONPath queries; a difference at or below a node either selects
            (on its side) is left out.

    Raises:
        FilterError: an ignore query is not valid JSONPath.
    """
    report = progress if isinstance(progress, _Throttle) else _Throttle(progress)
    rules = _Ignore(ignore, left, right, report)
    differ = _Differ(rules, report)
    report(0.3, "comparing")
    differ.walk(left, right, (), (), ())
    return differ.changes, differ.ignored


_WILDCARD = object()
_NAME_STEP = re.compile(r"\*|[A-Za-z_][A-Za-z0-9_]*")
_BRACKET_STEP = re.compile(r"""\[\s*(\*|\d+|'[^'\\]*'|"[^"\\]*")\s*\]""")
Step = tuple[bool, Any]  # (descendant?, name | index | _WILDCARD)


def _simple_steps(expression: str) -> list[Step] | None:
    """The steps of a query made only of names, wildcards and non-negative indexes (with or
    without ``..``), which can be matched against a path without walking the document;
    ``None`` for anything else (filters, slices, unions, escapes), which is evaluated."""
    text = expression.strip()
    if not text.startswith("$"):
        return None
    steps: list[Step] = []
    i = 1
    while i < len(text):
        descendant = text.startswith("..", i)
        if descendant:
            i += 2
        elif text[i] == ".":
            i += 1
        elif text[i] != "[":
            return None
        bracket = _BRACKET_STEP.match(text, i) if i < len(text) and text[i] == "[" else None
        name = None if bracket else _NAME_STEP.match(text, i)
        match = bracket or name
        if match is None:
            return None
        token = match.group(1) if bracket else match.group(0)
        i = match.end()
        if token == "*":
            steps.append((descendant, _WILDCARD))
        elif token.isdigit():
            steps.append((descendant, int(token)))
        else:
            steps.append((descendant, token[1:-1] if bracket else token))
    return steps


def _step_matches(steps: list[Step], path: tuple[Segment, ...], s: int = 0, p: int = 0) -> bool:
    if s == len(steps):
        return p == len(path)
    descendant, selector = steps[s]
    for at in range(p, len(path)) if descendant else (p,):
        if at >= len(path):
            return False
        segment = path[at]
        if (
            selector is _WILDCARD
            or (isinstance(selector, str) and segment == selector)
            or (type(selector) is int and type(segment) is int and segment == selector)
        ) and _step_matches(steps, path, s + 1, at + 1):
            return True
    return False


class _Ignore:
    """Which nodes the ignore queries select, on each side.

    Simple queries (``$..updated_at``, ``$.data[*].id``) are matched against the paths the
    walk reaches, which costs nothing for the equal parts; others are evaluated on both
    documents once (a descendant filter over 10 MB takes seconds in pure Python).

    Raises:
        FilterError: a query is not valid JSONPath.
    """

    def __init__(self, queries: Sequence[str], left: Any, right: Any, report: _Throttle) -> None:
        compiled = [JsonPath(q) for q in queries]  # validates every query first
        self.patterns: list[list[Step]] = []
        self.left: set[tuple[Segment, ...]] = set()
        self.right: set[tuple[Segment, ...]] = set()
        for number, query in enumerate(compiled):
            steps = _simple_steps(query.expression)
            if steps is not None:
                self.patterns.append(steps)
                continue
            report(0.05 + 0.25 * number / len(compiled), "finding the ignored fields")
            self.left |= _parts(query, left)
            self.right |= _parts(query, right)

    def __call__(
        self, left_at: tuple[Segment, ...] | None, right_at: tuple[Segment, ...] | None
    ) -> bool:
        if left_at is not None and left_at in self.left:
            return True
        if right_at is not None and right_at in self.right:
            return True
        return any(
            _step_matches(steps, at)
            for steps in self.patterns
            for at in (left_at, right_at)
            if at is not None
        )


def _parts(query: JsonPath, data: Any) -> set[tuple[Segment, ...]]:
    try:
        return set(query.locations(data))
    except FilterError:  # nests too deeply to look into: nothing there is ignored
        return set()


class _Throttle:
    """Calls ``progress`` at most every 50 ms (and always for the end), from 0 to 1."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._last = 0.0

    def __call__(self, fraction: float, stage: str) -> None:
        if self._progress is None:
            return
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last >= 0.05:
            self._last = now
            self._progress(min(max(fraction, 0.0), 1.0), stage)


class _Differ:
    """Walks two JSON documents together, descending only where they differ."""

    def __init__(self, ignored: _Ignore, report: _Throttle) -> None:
        self.changes: list[Change] = []
        self.ignored = 0
        self._ignore = ignored
        self._report = report
        self._reporting = False  # an enclosing array already reports progress

    def walk(
        self,
        left: Any,
        right: Any,
        shown: tuple[Segment | RecordKey, ...],
        left_at: tuple[Segment, ...],
        right_at: tuple[Segment, ...],
    ) -> None:
        if _same(left, right):
            return
        if self._ignore(left_at, right_at):
            self.ignored += 1
        elif isinstance(left, dict) and isinstance(right, dict):
            self._objects(left, right, shown, left_at, right_at)
        elif isinstance(left, list) and isinstance(right, list):
            self._arrays(left, right, shown, left_at, right_at)
        else:
            self.changes.append(Change(CHANGED, shown, left, right))

    def _one_sided(
        self, kind: str, value: Any, shown: tuple[Segment | RecordKey, ...], at: tuple[Segment, ...]
    ) -> None:
        if self._ignore(at, None) if kind == REMOVED else self._ignore(None, at):
            self.ignored += 1
        elif kind == REMOVED:
            self.changes.append(Change(REMOVED, shown, value, MISSING))
        else:
            self.changes.append(Change(ADDED, shown, MISSING, value))

    def _objects(
        self,
        left: dict[str, Any],
        right: dict[str, Any],
        shown: tuple[Segment | RecordKey, ...],
        left_at: tuple[Segment, ...],
        right_at: tuple[Segment, ...],
    ) -> None:
        for key, value in left.items():
            if key in right:
                self.walk(value, right[key], (*shown, key), (*left_at, key), (*right_at, key))
            else:
                self._one_sided(REMOVED, value, (*shown, key), (*left_at, key))
        for key, value in right.items():
            if key not in left:
                self._one_sided(ADDED, value, (*shown, key), (*right_at, key))

    def _arrays(
        self,
        left: list[Any],
        right: list[Any],
        shown: tuple[Segment | RecordKey, ...],
        left_at: tuple[Segment, ...],
        right_at: tuple[Segment, ...],
    ) -> None:
        reports = not self._reporting and max(len(left), len(right)) >= _PROGRESS_MIN_ITEMS
        if reports:
            self._reporting = True
        try:
            left_ids, right_ids = _record_ids(left), _record_ids(right)
            if left_ids is not None and right_ids is not None:
                self._records(left, right, left_ids, right_ids, shown, left_at, right_at, reports)
            else:
                self._sequence(left, right, shown, left_at, right_at, reports)
        finally:
            if reports:
                self._reporting = False

    def _records(
        self,
        left: list[Any],
        right: list[Any],
        left_ids: list[Any],
        right_ids: list[Any],
        shown: tuple[Segment | RecordKey, ...],
        left_at: tuple[Segment, ...],
        right_at: tuple[Segment, ...],
        reports: bool,
    ) -> None:
        right_index = {key: i for i, key in enumerate(right_ids)}
        left_keys = set(left_ids)
        total = max(len(left), 1)
        for i, key in enumerate(left_ids):
            if reports and i % 256 == 0:
                self._report(0.3 + 0.7 * i / total, "comparing")
            where = (*shown, RecordKey(key))
            j = right_index.get(key)
            if j is None:
                self._one_sided(REMOVED, left[i], where, (*left_at, i))
            else:
                self.walk(left[i], right[j], where, (*left_at, i), (*right_at, j))
        for j, key in enumerate(right_ids):
            if key not in left_keys:
                self._one_sided(ADDED, right[j], (*shown, RecordKey(key)), (*right_at, j))

    def _sequence(
        self,
        left: list[Any],
        right: list[Any],
        shown: tuple[Segment | RecordKey, ...],
        left_at: tuple[Segment, ...],
        right_at: tuple[Segment, ...],
        reports: bool,
    ) -> None:
        matcher = difflib.SequenceMatcher(
            None, [_fingerprint(v) for v in left], [_fingerprint(v) for v in right], autojunk=False
        )
        total = max(len(left), 1)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if reports:
                self._report(0.3 + 0.7 * i1 / total, "comparing")
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(paired):  # changed in place: compare the pair's fields
                i, j = i1 + k, j1 + k
                self.walk(left[i], right[j], (*shown, j), (*left_at, i), (*right_at, j))
            for i in range(i1 + paired, i2):
                self._one_sided(REMOVED, left[i], (*shown, i), (*left_at, i))
            for j in range(j1 + paired, j2):
                self._one_sided(ADDED, right[j], (*shown, j), (*right_at, j))


def _same(left: Any, right: Any) -> bool:
    """JSON equality. Python's ``==`` takes ``True`` for ``1`` (also deep inside a list or an
    object), JSON does not: equal containers are confirmed by their JSON text (C speed, and
    only where the walk stops). ``1`` and ``1.0`` are the same JSON number."""
    if type(left) is not type(right) and (isinstance(left, bool) or isinstance(right, bool)):
        return False
    if left != right:
        return False
    if isinstance(left, dict | list):
        return json.dumps(left) == json.dumps(right)
    return True


def _record_ids(items: list[Any]) -> list[Any] | None:
    """The ``id`` of every element when all are records with a unique, scalar id."""
    if not items:
        return []
    ids = []
    for item in items:
        if not isinstance(item, dict):
            return None
        key = item.get("id")
        if not isinstance(key, str | int) or isinstance(key, bool):
            return None
        ids.append(key)
    return ids if len(set(ids)) == len(ids) else None


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _compare_headers(
    left: Iterable[tuple[str, str]], right: Iterable[tuple[str, str]], rules: IgnoreRules
) -> tuple[list[Change], int]:
    def folded(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, list[str]] = {}
        for name, value in pairs:
            out.setdefault(name.lower(), []).append(value)
        return {name: ", ".join(values) for name, values in out.items()}

    a, b = folded(left), folded(right)
    changes: list[Change] = []
    ignored = 0
    for name in sorted(a.keys() | b.keys()):
        before, after = a.get(name, MISSING), b.get(name, MISSING)
        if before == after:
            continue
        if rules.ignores_header(name):
            ignored += 1
            continue
        kind = ADDED if before is MISSING else REMOVED if after is MISSING else CHANGED
        changes.append(Change(kind, (name,), before, after))
    return changes, ignored


def _side(label: str, exchange: Exchange) -> Side:
    response = exchange.response
    if response is None:
        return Side(label, None, None, None)
    return Side(
        label,
        response.status,
        response.timing.total_ms,
        response.size,
        response.request_id,
        response.reason,
    )


# -- in a helper process -----------------------------------------------------------------------

# A record as ``Exchange.to_dict`` writes it, and its body: bytes, the file it is in (a history
# entry's: read in the helper), or ``None`` for the body inside the record.
Parcel = tuple[dict[str, Any], bytes | Path | None]


def parcel(exchange: Exchange) -> Parcel:
    """An exchange as cheap to send to a helper process: its record without the body, and the
    body's bytes. (A parsed 10 MB body would pickle as a million objects, holding the GIL.)
    A history entry is cheaper still as it is saved (``HistoryStore.load_saved``): the helper
    reads and parses its body file, and this process does neither."""
    response = exchange.response
    return exchange.to_dict(include_body=False), response.body if response is not None else None


def compare_parcels(
    left: Parcel,
    right: Parcel,
    *,
    ignore: IgnoreRules | None = None,
    labels: tuple[str, str] = ("left", "right"),
    progress: Progress | None = None,
) -> Comparison:
    """``compare_exchanges`` of two parcels (``parcel``), rebuilt (and parsed) here.

    Raises:
        FilterError: an ignore query is not valid JSONPath.
        ExplorerError: a history entry's body file is gone (the entry was deleted or trimmed
            since it was first read: comparing again cannot read it).
        OSError: a body's file cannot be read otherwise.
    """
    from explorer.core.exchange import Exchange

    if progress is not None:
        progress(0.0, "reading the bodies")
    a, b = (
        Exchange.from_dict(record, body=_read_body(body, label))
        for (record, body), label in zip((left, right), labels, strict=True)
    )
    return compare_exchanges(a, b, ignore=ignore, progress=progress, labels=labels)


def _read_body(body: bytes | Path | None, label: str) -> bytes | None:
    if not isinstance(body, Path):
        return body
    try:
        return body.read_bytes()
    except FileNotFoundError:
        raise ExplorerError(
            f"The {label} side's history entry is gone (deleted, or trimmed to the history's "
            "size) since it was compared first, so it cannot be compared again. Pin a "
            "response as a baseline to keep it."
        ) from None


def _body(exchange: Exchange) -> tuple[str, Any]:
    response = exchange.response
    if response is None or not response.body:
        return "empty", None
    if response.kind == "json":
        return "json", response.json
    if response.kind == "binary":
        return "binary", None
    return "text", None


def _as_text(exchange: Exchange) -> str:
    response = exchange.response
    if response is None:
        return ""
    if response.kind == "json":
        return json.dumps(response.json, indent=2, ensure_ascii=False, sort_keys=True)
    return response.body.decode("utf-8", "replace")


def _text_diff(left: str, right: str, labels: tuple[str, str]) -> list[str]:
    return list(
        difflib.unified_diff(
            left.splitlines(), right.splitlines(), labels[0], labels[1], lineterm=""
        )
    )


def _digest(exchange: Exchange) -> str:
    body = exchange.response.body if exchange.response is not None else b""
    return hashlib.sha256(body).hexdigest()


def _describe_binary(exchange: Exchange) -> str:
    response = exchange.response
    size = response.size if response is not None else 0
    return f"{size} bytes, sha256 {_digest(exchange)[:16]}"
