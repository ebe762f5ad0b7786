"""Walking every page of a list action against the demo over real sockets: in order, up to
the limit, each page's exchange kept, Cancel honoured, errors stop the walk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.demo.records import EMPLOYEES
from explorer.run.pages import CANCELLED, ERROR, LAST_PAGE, LIMIT, walk_pages


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(rate_limit_retry_after=1) as demo:
        yield demo


def employees(server: DemoServer, **query: object) -> RpcRequest:
    return RpcRequest(
        action="bamboohr_list_employees",
        account_id="acct_bamboohr_demo",
        base_url=server.url,
        query=dict(query) or None,
    )


def test_all_pages_are_walked_and_joined(server: DemoServer) -> None:
    seen: list[int] = []
    with RpcClient() as client:
        walk = walk_pages(
            client,
            employees(server, page_size=10),
            server.api_key,
            progress=lambda number, _exchange: seen.append(number),
        )
    assert walk.stopped == LAST_PAGE and seen == [1, 2, 3]
    assert [r["id"] for r in walk.joined.records] == [e["id"] for e in EMPLOYEES]
    assert walk.joined.complete and walk.summary().startswith("3 pages, 23 records")
    # Each page was its own request: the second and third carried the cursor.
    queries = [e.request.query or {} for e in walk.exchanges]
    assert "next" not in queries[0] and queries[1]["next"] and queries[2]["next"]
    assert walk.sent == walk.exchanges


def test_the_limit_stops_the_walk_with_more_left(server: DemoServer) -> None:
    with RpcClient() as client:
        walk = walk_pages(client, employees(server, page_size=5), server.api_key, limit=2)
    assert walk.stopped == LIMIT and len(walk.exchanges) == 2
    assert len(walk.joined.records) == 10 and walk.joined.next_cursor
    assert "more left" in walk.summary()


def test_an_error_page_ends_the_walk_and_is_kept(server: DemoServer) -> None:
    with RpcClient() as client:
        walk = walk_pages(client, employees(server, next="not-a-cursor"), server.api_key)
    assert walk.stopped == ERROR
    [page] = walk.exchanges
    assert page.response is not None and page.response.status == 400
    assert walk.joined.records == []


def test_a_429_is_waited_out_and_every_exchange_kept(server: DemoServer) -> None:
    request = RpcRequest(
        action="hibob_search_employees", account_id="acct_hibob_demo", base_url=server.url
    )
    with RpcClient() as client:
        walk = walk_pages(client, request, server.api_key)
    assert walk.stopped == LAST_PAGE
    assert [e.response.status for e in walk.sent] == [429, 200]  # type: ignore[union-attr]
    assert len(walk.exchanges) == 1


def test_cancel_ends_the_walk(server: DemoServer) -> None:
    cancel = CancelToken()
    pages: list[Exchange] = []

    def progress(_number: int, exchange: Exchange) -> None:
        pages.append(exchange)
        cancel.cancel()  # after the first page

    with RpcClient() as client:
        walk = walk_pages(
            client, employees(server, page_size=5), server.api_key, progress=progress,
            cancel=cancel,
        )  # fmt: skip
    assert walk.stopped == CANCELLED and len(pages) == 1


def test_a_walk_goes_on_from_the_page_on_screen_and_tells_each_exchange_as_made(
    server: DemoServer,
) -> None:
    """The window's "All pages": the page shown is not asked for again; its records come
    first and it counts against the limit; every exchange is told at once (the history)."""
    told: list[Exchange] = []
    with RpcClient() as client:
        shown = client.send(employees(server, page_size=5), server.api_key)
        assert shown.result is not None and shown.result.next_cursor
        walk = walk_pages(
            client,
            employees(server, page_size=5, next=shown.result.next_cursor),
            server.api_key,
            limit=3,
            read=[shown.json],
            sent=told.append,
        )
    assert walk.stopped == LIMIT and len(walk.exchanges) == 2  # pages 2 and 3
    assert [r["id"] for r in walk.joined.records] == [e["id"] for e in EMPLOYEES[:15]]
    assert walk.joined.pages == 3
    assert told == walk.sent


def test_a_429_waited_out_is_told_before_the_wait(server: DemoServer) -> None:
    request = RpcRequest(
        action="hibob_search_employees", account_id="acct_hibob_demo", base_url=server.url
    )
    statuses: list[int | None] = []
    with RpcClient() as client:
        walk_pages(
            client,
            request,
            server.api_key,
            sent=lambda e: statuses.append(e.response.status if e.response else None),
        )
    assert statuses == [429, 200]


def test_a_walk_started_from_a_later_page_does_not_say_it_read_all_the_records(
    server: DemoServer,
) -> None:
    with RpcClient() as client:
        first = walk_pages(client, employees(server, page_size=10), server.api_key, limit=1)
        cursor = first.joined.next_cursor
        assert cursor and "more left" in first.summary()
        rest = walk_pages(client, employees(server, page_size=10, next=cursor), server.api_key)
    assert rest.stopped == LAST_PAGE and len(rest.joined.records) == len(EMPLOYEES) - 10
    assert rest.summary() == (
        "2 pages, 13 records (from the page on screen to the last; the earlier pages are not "
        "included): stopped at the last page"
    )
