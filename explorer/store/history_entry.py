"""What the history keeps about each Send besides the exchange itself, and how it is searched.

Two shapes of the same entry:

* ``HistoryEntry``: everything the database row holds (a dataclass: what ``add``, ``get`` and
  ``entries`` return, and what the old ``index.jsonl`` lines held);
* ``HistoryRow``: the light tuple the history list keeps in memory for every entry, just
  what it shows, sorts and filters by. With 100,000 entries every column loaded at start
  costs ~10 ms, so the row leaves out what only a tooltip needs (profile, base URL, request
  id); ``HistoryStore.get`` reads those when they are asked for.

Notes and tags are the user's own words about an entry ("ticket 4711", "customer-x"): plain
text, kept with the entry, searched by the filter and exported with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange

# Entry ids become file names: only accept ids that cannot escape the directory.
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# A note is a few lines about a case, not a log: a longer one is refused with a message, so
# a paste by mistake cannot make every keystroke of the filter slow.
NOTE_LIMIT = 10_000
TAG_LIMIT = 64  # characters in one tag
# Before each tag in the search text. ``str.split`` treats it as white space, so no word of
# the filter can hold it: ``#cus`` looks for "\x1fcus", which only a tag's start can match.
TAG_MARK = "\x1f"
_TAG_SPLIT = re.compile(r"[\s,]+")


class HistoryRow(NamedTuple):
    """One entry as the list holds it: what is shown, sorted and filtered.

    A tuple, built by the database module straight from the query's rows (a class with an
    ``__init__`` would cost a Python call per entry at start).
    """

    id: str
    started_at: str
    status: int | None
    failure: str | None
    action: str
    account_id: str
    total_ms: float | None
    size: int | None
    note: str
    tag_text: str  # the tags joined by spaces, as stored
    search_text: str  # see ``search_text``

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.tag_text.split())

    @property
    def status_class(self) -> str:
        """``"2xx"``.. from the status (one column less to load), ``"none"`` without one."""
        return "none" if self.status is None else f"{self.status // 100}xx"


@dataclass
class HistoryEntry:
    """Everything the history keeps about one Send, except the exchange itself."""

    id: str
    started_at: str
    profile: str = ""
    action: str = ""
    account_id: str = ""
    status: int | None = None
    status_class: str = "none"  # "2xx".."5xx", or "none" when no response came back
    total_ms: float | None = None
    size: int | None = None
    request_id: str | None = None
    failure: str | None = None  # failure kind, e.g. "ConnectFailed"
    base_url: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_exchange(cls, exchange: Exchange) -> HistoryEntry:
        response = exchange.response
        return cls(
            id=exchange.id,
            started_at=exchange.started_at,
            profile=exchange.profile,
            action=exchange.request.action,
            account_id=exchange.request.account_id,
            status=response.status if response else None,
            status_class=exchange.status_class,
            total_ms=response.timing.total_ms if response else None,
            size=response.size if response else None,
            request_id=response.request_id if response else None,
            failure=exchange.failure.kind if exchange.failure else None,
            base_url=exchange.request.base_url,
            note=exchange.note,
            tags=exchange.tags,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> HistoryEntry:
        """Read an old index line (or any such object), coercing types.

        Raises:
            ValueError: not an object, or without a usable ``id`` and ``started_at``.
        """
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        entry_id, started = data.get("id"), data.get("started_at")
        if not isinstance(entry_id, str) or not SAFE_ID.match(entry_id):
            raise ValueError("missing or invalid id")
        if not isinstance(started, str):
            raise ValueError("missing started_at")
        # Inline type checks rather than a helper call per field: this ran 10,000 times when
        # the app opened an old index, and the calls were most of the cost.
        get = data.get
        profile, action, account_id = get("profile"), get("action"), get("account_id")
        status, status_class, size = get("status"), get("status_class"), get("size")
        total_ms, request_id, failure = get("total_ms"), get("request_id"), get("failure")
        base_url, note, tags = get("base_url"), get("note"), get("tags")
        return cls(
            id=entry_id,
            started_at=started,
            profile=profile if type(profile) is str else "",
            action=action if type(action) is str else "",
            account_id=account_id if type(account_id) is str else "",
            status=status if type(status) is int else _whole(status),
            status_class=status_class if type(status_class) is str and status_class else "none",
            total_ms=total_ms
            if type(total_ms) is float and math.isfinite(total_ms)
            else _milliseconds(total_ms),
            size=size if type(size) is int else _whole(size),
            request_id=request_id if type(request_id) is str else None,
            failure=failure if type(failure) is str else None,
            base_url=base_url if type(base_url) is str else "",
            note=clean_note(note) if type(note) is str else "",
            tags=clean_tags(tags) if isinstance(tags, list) else (),
        )

    @property
    def search_text(self) -> str:
        """Everything the free-text filter searches, casefolded (see ``search_text``)."""
        return search_text(self)

    @property
    def tag_text(self) -> str:
        return " ".join(self.tags)

    def matches(self, text: str) -> bool:
        """Case-insensitive search, as the history filter does it (``HistoryFilter``)."""
        return HistoryFilter(text=text).accepts(self.row())

    def row(self) -> HistoryRow:
        return HistoryRow(
            self.id,
            self.started_at,
            self.status,
            self.failure,
            self.action,
            self.account_id,
            self.total_ms,
            self.size,
            self.note,
            self.tag_text,
            self.search_text,
        )


def search_text(entry: HistoryEntry) -> str:
    """What the filter searches: action, account id, request id, status ("404", "4xx",
    "ConnectFailed"), profile, note and tags, casefolded.

    Computed once when the entry is written (it is a column of the database), because the
    list filters 100,000 entries on every keystroke. Fields are joined by spaces (a search
    word never holds one, so it cannot match across two fields); each tag follows
    ``TAG_MARK``, so ``#tag`` words can match the start of a tag and nothing else.
    """
    status = "" if entry.status is None else entry.status
    note = entry.note.replace(TAG_MARK, " ")
    text = (
        f"{entry.action} {entry.account_id} {entry.request_id or ''} {status} "
        f"{entry.status_class} {entry.failure or ''} {entry.profile} {note}"
    )
    tags = "".join(f" {TAG_MARK}{tag}" for tag in entry.tags)
    return (text + tags).casefold()


def clean_note(text: str) -> str:
    """The note as kept: surrounding white space dropped.

    Raises:
        ValueError: it is longer than ``NOTE_LIMIT`` characters (the message says so).
    """
    note = text.strip()
    if len(note) > NOTE_LIMIT:
        raise ValueError(
            f"A note can hold {NOTE_LIMIT:,} characters; this one has {len(note):,}. "
            "Keep the details in the ticket and a reference here."
        )
    return note


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags as typed: separated by spaces or commas, a leading ``#`` optional."""
    return clean_tags(_TAG_SPLIT.split(text))


def clean_tags(values: Iterable[object]) -> tuple[str, ...]:
    """Tags as kept: without ``#`` in front, no white space or commas inside, each at most
    ``TAG_LIMIT`` characters, each once (the first spelling wins, whatever the case)."""
    tags: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            continue
        for part in _TAG_SPLIT.split(value):
            tag = part.lstrip("#")[:TAG_LIMIT]
            if tag:
                tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())


def tags_label(tags: Sequence[str]) -> str:
    """``#customer-x #4711``: how tags are shown."""
    return " ".join(f"#{tag}" for tag in tags)


@dataclass(frozen=True)
class HistoryFilter:
    """What the history pane's filters ask for; ``None`` (or ``""`` for text) means "any".

    Attributes:
        text: words that must all appear in an entry's ``search_text`` (any case). A word
            starting with ``#`` must start one of the entry's tags (``#`` alone: any tag).
        status_class: ``"2xx"``..``"5xx"`` or ``"none"`` (no response).
        action: one action name.
        account: one account id; ``""`` is a real value (requests sent without an account).
    """

    text: str = ""
    status_class: str | None = None
    action: str | None = None
    account: str | None = None

    def accepts(self, row: HistoryRow) -> bool:
        return bool(self.apply([row]))

    def narrows(self, other: HistoryFilter) -> bool:
        """Whether every row this filter accepts is also accepted by ``other`` (``other``
        with a word typed further, or one more word): then only ``other``'s rows need a look.
        """
        if (self.status_class, self.action, self.account) != (
            other.status_class,
            other.action,
            other.account,
        ):
            return False
        mine = [_needle(word) for word in self.text.casefold().split()]
        return all(
            any(old in new for new in mine) for old in map(_needle, other.text.casefold().split())
        )

    def apply(self, rows: Sequence[HistoryRow]) -> list[HistoryRow]:
        """The rows that pass, in the given order: one list comprehension per active
        criterion over the rows' search text, so 100,000 rows take a few milliseconds."""
        out = list(rows)
        if self.status_class == "none":
            out = [r for r in out if r.status is None]
        elif self.status_class:
            hundreds = int(self.status_class[0]) if self.status_class[0].isdigit() else -1
            out = [r for r in out if r.status is not None and r.status // 100 == hundreds]
        if self.action:
            action = self.action
            out = [r for r in out if r.action == action]
        if self.account is not None:
            account = self.account
            out = [r for r in out if r.account_id == account]
        for needle in map(_needle, self.text.casefold().split()):
            out = [r for r in out if needle in r.search_text]
        return out


def _needle(word: str) -> str:
    """What a filter word looks for in the search text: ``#tag`` the start of a tag."""
    return TAG_MARK + word[1:] if word.startswith("#") else word


def _milliseconds(value: object) -> float | None:
    """An int as a float of milliseconds; ``None`` for one no float can hold (400 digits)."""
    if type(value) is not int:
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def _whole(value: object) -> int | None:
    """A JSON number written as a float (``200.0``) as an int; anything else (``true``, text,
    infinity) as missing."""
    if type(value) is float and math.isfinite(value):
        return int(value)
    return None
