"""Pages of a list action: find the next cursor, put it where the action takes it, join pages.

A list answer carries its cursor as ``next`` (or ``next_cursor`` in some sources: both are
read, as ``explorer.core.response.RpcResult`` does). Where the cursor goes in the next request
is the action's business: its input schema (catalogue details, or MCP's ``inputSchema`` turned
into the envelope by ``explorer.core.agent.envelope_schema``) names a cursor-like property in
``query`` or ``body``; without a schema it goes where StackOne's own list actions take it, the
``next`` query parameter, and the window shows the request before sending it so the user can
move it.

Pure functions: the walk through many pages (waits, cancel, history) is
``explorer.run.pages``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.core.request import RpcRequest
from explorer.core.response import RpcResponse, RpcResult

JsonObject = dict[str, Any]

# Names a cursor input goes by, best first; looked for in ``query``, then ``body``.
CURSOR_NAMES = (
    "next",
    "cursor",
    "next_cursor",
    "page_token",
    "pageToken",
    "next_page_token",
    "starting_after",
    "after",
)
CURSOR_LOCATIONS = ("query", "body")
DEFAULT_PAGE_LIMIT = 10


def next_cursor(answer: RpcResponse | Any) -> str | None:
    """The cursor of the next page in a response (or a parsed body), or ``None``: last page."""
    if isinstance(answer, RpcResponse):
        if not answer.ok or answer.kind != "json":
            return None
        result = answer.result
        return result.next_cursor if result is not None else None
    return RpcResult.from_json(answer).next_cursor


@dataclass(frozen=True)
class CursorPlace:
    """Where the cursor goes: ``location`` (``query`` or ``body``) and the field ``name``."""

    location: str = "query"
    name: str = "next"
    from_schema: bool = False

    def describe(self) -> str:
        """``query.next (from the action's schema)``, said so the user can check it."""
        why = "from the action's schema" if self.from_schema else "no schema: the usual place"
        return f"{self.location}.{self.name} ({why})"


def cursor_place(schema: Mapping[str, Any] | None) -> CursorPlace:
    """Where ``schema`` (the action's envelope input schema) takes the cursor.

    The first cursor-like property of ``query``, then of ``body``; ``query.next`` when the
    schema has none or there is no schema.
    """
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if isinstance(properties, Mapping):
        for location in CURSOR_LOCATIONS:
            part = properties.get(location)
            inner = part.get("properties") if isinstance(part, Mapping) else None
            if not isinstance(inner, Mapping):
                continue
            for name in CURSOR_NAMES:
                if name in inner:
                    return CursorPlace(location, name, from_schema=True)
    return CursorPlace()


def has_cursor(request: RpcRequest, place: CursorPlace) -> bool:
    """Whether ``request`` already asks for a later page (a cursor where ``place`` says)."""
    current = getattr(request, place.location, None)
    return isinstance(current, Mapping) and bool(current.get(place.name))


def with_cursor(request: RpcRequest, cursor: str, place: CursorPlace) -> RpcRequest:
    """A copy of ``request`` asking for the page after ``cursor`` (nothing else changes)."""
    current = getattr(request, place.location)
    values = dict(current) if isinstance(current, Mapping) else {}
    values[place.name] = cursor
    return request.copy(**{place.location: values})


@dataclass
class JoinedPages:
    """Several pages read as one list: their records in order, and where it stopped."""

    records: list[Any] = field(default_factory=list)
    pages: int = 0
    next_cursor: str | None = None
    from_first: bool = True  # False: read from a later page, the earlier records left out

    @property
    def complete(self) -> bool:
        """No page is left after the last one read."""
        return self.next_cursor is None

    def to_json(self) -> JsonObject:
        """A body shaped like one page: ``data`` holds every record; ``next`` what is left."""
        return {"data": self.records, "next": self.next_cursor, "pages": self.pages}


def join_pages(bodies: Iterable[Any]) -> JoinedPages:
    """Join parsed page bodies in order: list ``data`` is concatenated, anything else kept as
    one record; ``next_cursor`` is the last page's."""
    joined = JoinedPages()
    for body in bodies:
        result = RpcResult.from_json(body)
        data = result.data
        if isinstance(data, list):
            joined.records.extend(data)
        elif data is not None:
            joined.records.append(data)
        joined.pages += 1
        joined.next_cursor = result.next_cursor
    return joined


def pages_summary(joined: JoinedPages, stopped: str = "") -> str:
    """``3 pages, 23 records (all of them)`` / ``10 pages, 100 records (more left)``; "all of
    them" only when the first page was read too."""
    pages = f"{joined.pages} page{'s' if joined.pages != 1 else ''}"
    records = f"{len(joined.records)} record{'s' if len(joined.records) != 1 else ''}"
    if not joined.complete:
        rest = "more left"
    elif joined.from_first:
        rest = "all of them"
    else:
        rest = "from the page on screen to the last; the earlier pages are not included"
    text = f"{pages}, {records} ({rest})"
    return f"{text}: {stopped}" if stopped else text
