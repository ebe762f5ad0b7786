"""All pages of a list action, one after another, up to a limit the user sets.

``walk_pages`` sends the request, reads the next cursor (``explorer.core.pages``), puts it
where the action takes it and sends again, until the last page, the limit, an error, a cursor
seen before (a server going round in circles) or Cancel. A 429 waits its ``Retry-After`` and
asks for the same page again (a few times at most). Every page's ``Exchange`` is kept, in
order, for the history; the joined records are one list.

Blocking and Qt-free: the window runs it on a worker and forwards ``progress`` by signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange
from explorer.core.pages import (
    DEFAULT_PAGE_LIMIT,
    CursorPlace,
    JoinedPages,
    has_cursor,
    join_pages,
    next_cursor,
    pages_summary,
    with_cursor,
)
from explorer.core.request import RpcRequest
from explorer.run.accounts import DEFAULT_RETRY_AFTER, MAX_ATTEMPTS, Throttle

LAST_PAGE = "the last page"
LIMIT = "the page limit"
ERROR = "an error"
REPEATED = "a cursor seen before"
CANCELLED = "cancelled"


@dataclass
class PageWalk:
    """What a walk read: each page's exchange in order, the records joined, and why it ended
    (``LAST_PAGE``, ``LIMIT``, ``ERROR``, ``REPEATED`` or ``CANCELLED``). ``sent`` is every
    exchange, a 429 waited out included: all of them belong in the history."""

    exchanges: list[Exchange] = field(default_factory=list)
    sent: list[Exchange] = field(default_factory=list)
    joined: JoinedPages = field(default_factory=JoinedPages)
    stopped: str = ""

    def summary(self) -> str:
        return pages_summary(self.joined, f"stopped at {self.stopped}" if self.stopped else "")


def walk_pages(
    client: RpcClient,
    request: RpcRequest,
    api_key: str,
    *,
    place: CursorPlace | None = None,
    limit: int = DEFAULT_PAGE_LIMIT,
    profile: str = "",
    progress: Callable[[int, Exchange], None] | None = None,
    cancel: CancelToken | None = None,
    throttle: Throttle | None = None,
    read: Sequence[object] = (),
    sent: Callable[[Exchange], None] | None = None,
    from_first: bool | None = None,
) -> PageWalk:
    """Read up to ``limit`` pages starting with ``request`` (which may already hold a cursor).

    ``read`` holds the bodies of pages already read (the page on screen, whose cursor is in
    ``request``): they come first in the joined records and count against ``limit``.
    ``progress(page_number, exchange)`` follows each page sent here (1-based), on the calling
    thread; ``sent(exchange)`` every exchange as it is made (a 429 waited out too), e.g. for
    the history. ``from_first``: whether the records start with the list's first page (by
    default: whether ``request`` holds no cursor; say it when ``read`` is given).
    """
    place = place or CursorPlace()
    cancel = cancel or CancelToken()
    throttle = throttle or Throttle()
    walk = PageWalk()
    bodies: list[object] = list(read)
    seen: set[str] = set()
    current = request

    def record(exchange: Exchange) -> None:
        walk.sent.append(exchange)
        if sent is not None:
            sent(exchange)

    while True:
        exchange = _page(client, current, api_key, profile, cancel, throttle, record)
        if exchange is None:
            walk.stopped = CANCELLED
            break
        walk.exchanges.append(exchange)
        if progress is not None:
            progress(len(walk.exchanges), exchange)
        response = exchange.response
        if response is None or not response.ok:
            failure = exchange.failure
            walk.stopped = CANCELLED if failure and failure.kind == "Cancelled" else ERROR
            break
        bodies.append(response.json)
        cursor = next_cursor(response)
        if cursor is None:
            walk.stopped = LAST_PAGE
            break
        if cursor in seen:
            walk.stopped = REPEATED
            break
        seen.add(cursor)
        if len(bodies) >= max(1, limit):
            walk.stopped = LIMIT
            break
        current = with_cursor(current, cursor, place)
    walk.joined = join_pages(bodies)
    walk.joined.from_first = not has_cursor(request, place) if from_first is None else from_first
    return walk


def _page(
    client: RpcClient,
    request: RpcRequest,
    api_key: str,
    profile: str,
    cancel: CancelToken,
    throttle: Throttle,
    record: Callable[[Exchange], None],
) -> Exchange | None:
    """One page, waiting out a 429's ``Retry-After``; ``None`` when cancelled before sending.
    Every exchange made is ``record``ed."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if not throttle.wait(cancel):
            return None
        exchange = client.exchange(request, api_key, cancel=cancel, profile=profile)
        record(exchange)
        response = exchange.response
        if response is None or response.status != 429 or attempt == MAX_ATTEMPTS:
            return exchange
        throttle.pause(response.retry_after or DEFAULT_RETRY_AFTER)
    raise AssertionError("unreachable: the last attempt returns")
