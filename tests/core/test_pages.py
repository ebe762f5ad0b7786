"""Pages of a list action: the cursor found in ``next``/``next_cursor``, placed where the
action's schema says (else ``query.next``), pages joined. The schema comes from the demo's
catalogue over a real socket."""

from __future__ import annotations

import pytest

from explorer.core.client import RpcClient
from explorer.core.discovery import DiscoveryClient
from explorer.core.pages import (
    CursorPlace,
    cursor_place,
    join_pages,
    next_cursor,
    pages_summary,
    with_cursor,
)
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer


def test_the_cursor_is_read_from_next_or_next_cursor() -> None:
    assert next_cursor({"data": [], "next": "c2"}) == "c2"
    assert next_cursor({"data": [], "next_cursor": "c3"}) == "c3"
    assert next_cursor({"data": [], "next": None}) is None
    assert next_cursor({"data": [], "next": ""}) is None
    assert next_cursor([1, 2]) is None


def test_a_live_answer_gives_its_cursor(demo_server: DemoServer) -> None:
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acct_bamboohr_demo",
        base_url=demo_server.url,
        query={"page_size": 5},
    )
    with RpcClient() as client:
        first = client.send(request, demo_server.api_key)
        cursor = next_cursor(first)
        assert cursor
        second = client.send(with_cursor(request, cursor, CursorPlace()), demo_server.api_key)
        missing = client.send(request.copy(account_id="acct_suspended"), demo_server.api_key)
    assert second.status == 200
    assert second.result is not None and second.result.data[0]["id"] == "40006"
    assert next_cursor(missing) is None  # an error page has no next page


def test_the_schema_says_where_the_cursor_goes(demo_server: DemoServer) -> None:
    with DiscoveryClient(RpcClient()) as discovery:
        actions = discovery.list_actions(demo_server.url, demo_server.api_key)
    schema = next(a for a in actions if a.name == "bamboohr_list_employees").input_schema
    place = cursor_place(schema)
    assert (place.location, place.name, place.from_schema) == ("query", "next", True)
    assert place.describe() == "query.next (from the action's schema)"

    body_cursor = {
        "type": "object",
        "properties": {"body": {"type": "object", "properties": {"page_token": {}}}},
    }
    assert cursor_place(body_cursor) == CursorPlace("body", "page_token", from_schema=True)
    assert cursor_place(None) == CursorPlace("query", "next", from_schema=False)
    assert "no schema" in cursor_place({"properties": {"query": "junk"}}).describe()


def test_placing_the_cursor_changes_nothing_else() -> None:
    request = RpcRequest(action="a_list_b", account_id="x", query={"page_size": 5, "next": "c1"})
    moved = with_cursor(request, "c2", CursorPlace())
    assert moved.query == {"page_size": 5, "next": "c2"}
    assert request.query == {"page_size": 5, "next": "c1"}  # the original is untouched
    in_body = with_cursor(request, "c2", CursorPlace("body", "cursor"))
    assert in_body.body == {"cursor": "c2"} and in_body.query == request.query


@pytest.mark.parametrize(
    ("bodies", "records", "cursor", "summary"),
    [
        (
            [{"data": [1, 2], "next": "a"}, {"data": [3], "next": None}],
            [1, 2, 3],
            None,
            "2 pages, 3 records (all of them)",
        ),
        ([{"data": {"id": 1}, "next": "b"}], [{"id": 1}], "b", "1 page, 1 record (more left)"),
        ([], [], None, "0 pages, 0 records (all of them)"),
    ],
)
def test_pages_are_joined_in_order(
    bodies: list[object], records: list[object], cursor: str | None, summary: str
) -> None:
    joined = join_pages(bodies)
    assert (joined.records, joined.next_cursor, pages_summary(joined)) == (
        records,
        cursor,
        summary,
    )
    assert joined.to_json()["data"] == records
