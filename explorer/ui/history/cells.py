"""What a cell of the history list says: each column's text and tooltip, from the light row.

Apart from the model (``model.py``), which sorts, filters and answers Qt: the texts are plain
functions of a row, also used by the note dialog and the compare window (``short_time``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from explorer.core.units import human_size
from explorer.store.history_entry import HistoryRow, tags_label

if TYPE_CHECKING:
    from explorer.store.history import HistoryEntry


class Column(IntEnum):
    """The table's columns, in display order."""

    TIME = 0
    STATUS = 1
    ACTION = 2
    ACCOUNT = 3
    DURATION = 4
    SIZE = 5
    NOTE = 6


# English month names whatever the C locale says, so the column width is predictable.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time(started_at: str) -> datetime | None:
    """``started_at`` (ISO 8601, UTC) in the local time zone; ``None`` if unreadable."""
    try:
        return datetime.fromisoformat(started_at).astimezone()
    except ValueError:
        return None


def short_time(started_at: str, today: datetime | None = None) -> str:
    """``14:03:27`` today, ``27 Nov 14:03`` this year, ``2025-11-27`` before: short enough for
    a narrow pane; the tooltip has the full date and time."""
    when = local_time(started_at)
    if when is None:
        return started_at
    today = today or datetime.now().astimezone()
    if when.date() == today.date():
        return when.strftime("%H:%M:%S")
    if when.year == today.year:
        return f"{when.day} {_MONTHS[when.month - 1]} {when:%H:%M}"
    return when.strftime("%Y-%m-%d")


def failure_label(kind: str) -> str:
    """``"ConnectFailed"`` -> ``"Connect failed"``, ``"DNSFailed"`` -> ``"DNS failed"``."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+|\d+", kind)
    if not words:
        return kind
    first, rest = words[0], [w if w.isupper() else w.lower() for w in words[1:]]
    return " ".join([first, *rest])


def status_text(entry: HistoryRow | HistoryEntry) -> str:
    if entry.status is not None:
        return str(entry.status)
    if entry.failure:
        return failure_label(entry.failure)
    return "No response"


def duration_text(total_ms: float | None) -> str:
    if total_ms is None:
        return ""
    if total_ms < 1000:
        return f"{total_ms:.0f} ms"
    return f"{total_ms / 1000:.2f} s"


def note_text(entry: HistoryRow) -> str:
    """``#customer-x #4711 ticket 4711 …``: the tags, then the note's first line."""
    note = entry.note.split("\n", 1)
    first = note[0] + (" …" if len(note) > 1 else "")
    return " ".join(filter(None, [tags_label(entry.tags), first]))


def display_text(entry: HistoryRow, column: int) -> str:
    """What a cell of ``column`` shows."""
    if column == Column.TIME:
        return short_time(entry.started_at)
    if column == Column.STATUS:
        return status_text(entry)
    if column == Column.ACTION:
        return entry.action
    if column == Column.ACCOUNT:
        return entry.account_id
    if column == Column.DURATION:
        return duration_text(entry.total_ms)
    if column == Column.SIZE:
        return "" if entry.size is None else human_size(entry.size)
    return note_text(entry)


def tooltip_text(
    entry: HistoryRow, column: int, details: Callable[[str], HistoryEntry | None] | None
) -> str | None:
    """A cell's tooltip; ``details`` reads the entry in full (profile, base URL, request id)
    for the time and status columns."""
    full = details(entry.id) if details and column < Column.ACTION else None
    if column == Column.TIME:
        when = local_time(entry.started_at)
        shown = when.strftime("%Y-%m-%d %H:%M:%S %Z") if when else entry.started_at
        if full is None:
            return shown
        return f"{shown}\nProfile: {full.profile or '-'}\n{full.base_url}"
    if column == Column.STATUS:
        if entry.status is None:
            return f"No response: {entry.failure or 'unknown failure'}"
        if full is not None and full.request_id:
            return f"HTTP {entry.status}\nx-request-id: {full.request_id}"
        return f"HTTP {entry.status}"
    if column == Column.NOTE:
        return "\n".join(filter(None, [tags_label(entry.tags), entry.note])) or None
    if column == Column.SIZE and entry.size is not None:
        return f"{entry.size:,} bytes"
    if column in (Column.ACTION, Column.ACCOUNT):
        return entry.action if column == Column.ACTION else entry.account_id
    return None
