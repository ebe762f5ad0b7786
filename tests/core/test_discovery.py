"""Listing accounts and actions: against the real demo server over loopback, and through
``httpx.MockTransport`` for the shapes and failures the demo does not produce."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import Account, ActionInfo, DiscoveryClient, Listing
from explorer.core.wire import USER_AGENT
from explorer.demo import DemoServer
from explorer.demo.accounts import ACCOUNTS
from explorer.demo.actions import ACTIONS
from tests.core.conftest import StartServer

BASE = "https://api.stackone.com"
KEY = "sk_test_123"


@pytest.fixture
def discovery() -> Iterator[DiscoveryClient]:
    with DiscoveryClient() as client:
        yield client


def mock(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> DiscoveryClient:
    return DiscoveryClient(transport=httpx.MockTransport(handler), **kwargs)


def account_item(n: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"acct_{n}", "provider": "bamboohr", "label": f"Account {n}", **extra}


# -- against the demo server ------------------------------------------------------------------


def test_lists_every_demo_account_with_its_details(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    accounts = discovery.list_accounts(demo_url, demo_key)

    assert [a.id for a in accounts] == list(ACCOUNTS)
    assert accounts.complete
    by_id = {a.id: a for a in accounts}
    bamboo = by_id["acct_bamboohr_demo"]
    assert (bamboo.provider, bamboo.provider_name, bamboo.label) == (
        "bamboohr",
        "BambooHR",
        "Acme - BambooHR",
    )
    assert bamboo.origin_owner_name == "Acme Demo Ltd" and bamboo.usable
    suspended = by_id["acct_suspended"]
    assert not suspended.usable
    assert [r.code for r in suspended.status_reasons] == ["credentials_revoked"]
    assert "reconnect" in suspended.status_reasons[0].description
    assert suspended.describe() == "Old subsidiary - BambooHR (BambooHR, suspended) acct_suspended"
    assert by_id["acct_workday_demo"].type == "test"
    initech = by_id["acct_bamboohr_initech"]
    assert (initech.status, initech.origin_owner_name) == ("inactive", "Initech")
    assert [r.code for r in initech.status_reasons] == ["token_expired", "reconnect_requested"]
    # Credentials that come with an account are never read into the explorer's data.
    assert "never-store-me" not in repr(accounts)


def test_follows_account_pages_to_the_end(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    # The demo accounts in pages of four and of one: every account once, in order.
    for size in (4, 1):
        accounts = discovery.list_accounts(demo_url, demo_key, page_size=size)
        assert [a.id for a in accounts] == list(ACCOUNTS)


def test_filters_accounts_by_provider_and_status(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    bamboo = discovery.list_accounts(demo_url, demo_key, providers="bamboohr")
    assert {a.id for a in bamboo} == {
        "acct_bamboohr_demo",
        "acct_bamboohr_globex",
        "acct_bamboohr_sandbox",
        "acct_bamboohr_initech",
        "acct_suspended",
    }
    two = discovery.list_accounts(demo_url, demo_key, providers=["hibob", "greenhouse"])
    assert {a.provider for a in two} == {"hibob", "greenhouse"}
    active_bamboo = discovery.list_accounts(
        demo_url, demo_key, providers="bamboohr", status=["active"]
    )
    assert [a.id for a in active_bamboo] == [
        "acct_bamboohr_demo",
        "acct_bamboohr_globex",
        "acct_bamboohr_sandbox",
    ]


def test_lists_every_demo_action_with_its_input_schema(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    actions = discovery.list_actions(demo_url, demo_key)

    assert {a.name for a in actions} == set(ACTIONS)
    assert actions.complete
    create = next(a for a in actions if a.name == "greenhouse_create_candidate")
    assert (create.connector_key, create.connector_name) == ("greenhouse", "Greenhouse")
    assert create.label == "Create Candidate"
    assert create.required_scopes == ["ats.candidates:write"]
    assert create.input_schema == ACTIONS["greenhouse_create_candidate"].input_schema
    assert create.details is not None and create.details["method"] == "POST"
    # Workday's details are not published: listed, but with no schema (MCP has it).
    workday = next(a for a in actions if a.name == "workday_list_workers")
    assert workday.input_schema is None


def test_actions_without_details_have_no_schema(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    actions = discovery.list_actions(demo_url, demo_key, include_details=False)
    assert {a.name for a in actions} == set(ACTIONS)
    assert all(a.input_schema is None and a.details is None for a in actions)


def test_actions_narrow_to_an_account_a_connector_or_a_search(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    drive = discovery.list_actions(demo_url, demo_key, account_id="acct_drive_demo")
    assert [a.name for a in drive] == ["google_drive_list_files", "documents_download_file"]
    hr = discovery.list_actions(demo_url, demo_key, connectors=["hibob", "workday"])
    assert {a.connector_key for a in hr} == {"hibob", "workday"}
    found = discovery.list_actions(demo_url, demo_key, search="Download File")
    assert [a.name for a in found] == ["documents_download_file"]


def test_follows_the_actions_cursor(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    connectors = discovery.list_connectors(demo_url, demo_key, page_size=2)
    assert [c.key for c in connectors] == [
        "bamboohr",
        "greenhouse",
        "hibob",
        "google_drive",
        "workday",
    ]
    assert connectors.complete
    assert connectors[-1].release_stage == "beta"


def test_a_wrong_key_is_a_remote_error_with_the_response(
    discovery: DiscoveryClient, demo_url: str
) -> None:
    for call in (discovery.list_accounts, discovery.list_actions):
        with pytest.raises(errors.RemoteError) as caught:
            call(demo_url, "not-the-key")
        response = caught.value.response
        assert response.status == 401
        assert response.error is not None and response.error.message == "Unauthorized"
        assert response.request_id


def test_a_rejected_filter_shows_the_servers_reason(
    discovery: DiscoveryClient, demo_url: str, demo_key: str
) -> None:
    with pytest.raises(errors.RemoteError) as caught:
        discovery.list_accounts(demo_url, demo_key, page_size=500)
    assert caught.value.response.status == 400
    assert "page_size must be an integer between 1 and 100" in str(caught.value)


class CountingTransport(httpx.HTTPTransport):
    """A real transport that remembers each request's ``include`` parameter."""

    def __init__(self) -> None:
        super().__init__()
        self.includes: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.includes.append(request.url.params.get("include"))
        return super().handle_request(request)


def test_a_server_that_refuses_the_docs_include_is_asked_the_sdks_way_once() -> None:
    # A server that knows only the TypeScript SDK's value answers the docs' one with 400.
    with DemoServer(include_values=("operation_details",)) as server:
        transport = CountingTransport()
        with DiscoveryClient(transport=transport) as client:
            first = client.list_actions(server.url, server.api_key)
            second = client.list_actions(server.url, server.api_key, account_id="acct_drive_demo")
            assert client.include_for(server.url) == "operation_details"
    assert transport.includes == ["action_details", "operation_details", "operation_details"]
    schemas = {a.name: a.input_schema for a in first}
    assert schemas["bamboohr_get_employee"] == ACTIONS["bamboohr_get_employee"].input_schema
    assert [a.name for a in second if a.input_schema] == [
        "google_drive_list_files",
        "documents_download_file",
    ]


def test_the_docs_include_is_remembered_where_it_works(demo_url: str, demo_key: str) -> None:
    transport = CountingTransport()
    with DiscoveryClient(transport=transport) as client:
        client.list_actions(demo_url, demo_key)
        client.list_actions(demo_url, demo_key)
        assert client.include_for(demo_url) == "action_details"
    assert transport.includes == ["action_details", "action_details"]


def _catalogue(details_field: str | None) -> dict[str, Any]:
    action: dict[str, Any] = {"id": "acme_list_things", "label": "List Things"}
    if details_field:
        action[details_field] = {"input_schema": {"type": "object", "properties": {}}}
    return {"data": [{"key": "acme", "actions": [action]}], "next": None}


def test_a_server_that_ignores_the_docs_include_is_asked_the_sdks_way() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        include = request.url.params.get("include")
        return httpx.Response(
            200, json=_catalogue("operation_details" if include == "operation_details" else None)
        )

    with mock(handler) as client:
        [action] = client.list_actions(BASE, KEY)
        assert action.input_schema == {"type": "object", "properties": {}}
        assert client.include_for(BASE) == "operation_details"


def test_details_under_the_docs_name_are_read_too() -> None:
    with mock(lambda r: httpx.Response(200, json=_catalogue("action_details"))) as client:
        [action] = client.list_actions(BASE, KEY)
    assert action.input_schema == {"type": "object", "properties": {}}


def test_a_catalogue_without_details_either_way_is_returned_and_not_remembered() -> None:
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("include"))
        return httpx.Response(200, json=_catalogue(None))

    with mock(handler) as client:
        [action] = client.list_actions(BASE, KEY)
        assert action.input_schema is None
        assert client.include_for(BASE) is None
    assert asked == ["action_details", "operation_details"]


def test_an_empty_catalogue_is_not_asked_twice() -> None:
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("include"))
        return httpx.Response(200, json={"data": [], "next": None})

    with mock(handler) as client:
        assert client.list_actions(BASE, KEY) == []
    assert asked == ["action_details"]


def test_a_400_about_something_else_is_not_retried() -> None:
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("include"))
        body = {"statusCode": 400, "message": "search is too long", "timestamp": "x"}
        return httpx.Response(400, json=body)

    with mock(handler) as client, pytest.raises(errors.RemoteError):
        client.list_actions(BASE, KEY)
    assert asked == ["action_details"]


def test_a_closed_port_is_a_connect_failure(discovery: DiscoveryClient, closed_port: int) -> None:
    with pytest.raises(errors.ConnectFailed):
        discovery.list_accounts(f"http://127.0.0.1:{closed_port}", KEY)


@pytest.mark.parametrize(
    ("base_url", "says"),
    [
        ("api.stackone.com", "http:// or https://"),
        # Refused as the request editor refuses it, before the key goes anywhere.
        ("https://user:secret@api.stackone.com", "user name or password"),
    ],
)
def test_a_bad_base_url_sends_nothing(base_url: str, says: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    with mock(handler) as client, pytest.raises(errors.InvalidRequest) as caught:
        client.list_accounts(base_url, KEY)
    assert caught.value.issues[0].field == "base_url"
    assert says in caught.value.issues[0].message
    assert sent == []


def test_cancel_aborts_a_listing_in_flight(raw_server: StartServer) -> None:
    def never_answer(conn: socket.socket, server: Any) -> None:
        server.read_request(conn)
        server.release.wait(10)

    server = raw_server(never_answer)
    token = CancelToken()
    outcome: list[BaseException] = []

    def listing() -> None:
        with DiscoveryClient() as client:
            try:
                client.list_accounts(server.url, KEY, cancel=token)
            except BaseException as exc:  # handed to the test thread
                outcome.append(exc)

    worker = threading.Thread(target=listing)
    worker.start()
    assert server.received.wait(10)
    token.cancel()
    worker.join(10)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], errors.Cancelled)


def test_a_cancelled_token_sends_nothing() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    token = CancelToken()
    token.cancel()
    with mock(handler) as client, pytest.raises(errors.Cancelled):
        client.list_actions(BASE, KEY, cancel=token)
    assert sent == []


def test_a_shared_rpc_client_stays_open(demo_url: str, demo_key: str) -> None:
    with RpcClient() as rpc:
        with DiscoveryClient(rpc) as discovery:
            assert discovery.list_accounts(demo_url, demo_key)
        # Closing the discovery client must not close the app's RPC client.
        assert discovery.list_accounts(demo_url, demo_key)
        with pytest.raises(ValueError):
            DiscoveryClient(rpc, transport=httpx.MockTransport(lambda r: httpx.Response(200)))


# -- shapes, through MockTransport -----------------------------------------------------------


def test_sends_basic_auth_a_user_agent_and_the_filters() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/accounts":
            return httpx.Response(200, json=[])
        return httpx.Response(200, json={"data": [], "next": None})

    with mock(handler) as client:
        client.list_accounts(BASE + "/", KEY, providers=["a", "b"], status="active", page_size=7)
        client.list_actions(
            BASE, KEY, account_id="acct_1", connectors=["x", "y"], search=" find me "
        )

    accounts, actions = seen
    for request in seen:
        assert request.method == "GET"
        assert (
            request.headers["authorization"]
            == "Basic " + base64.b64encode(b"sk_test_123:").decode()
        )
        assert request.headers["user-agent"] == USER_AGENT
    assert str(accounts.url).startswith("https://api.stackone.com/accounts?")
    assert accounts.url.params.get_list("providers") == ["a", "b"]
    assert accounts.url.params.get_list("status") == ["active"]
    assert (accounts.url.params["page"], accounts.url.params["page_size"]) == ("1", "7")
    assert actions.url.path == "/actions"
    assert actions.url.params["filter[connectors]"] == "x,y"
    assert actions.url.params["filter[account_ids]"] == "acct_1"
    assert actions.url.params["include"] == "action_details"
    assert actions.url.params["search"] == "find me"
    assert "next" not in actions.url.params


def test_accounts_wrapped_in_data_are_read_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [account_item(1), account_item(2)]})

    with mock(handler) as client:
        assert [a.id for a in client.list_accounts(BASE, KEY)] == ["acct_1", "acct_2"]


def test_odd_account_items_are_tolerated() -> None:
    items: list[Any] = [
        {"id": "acct_bare"},
        {"id": "  "},
        {"label": "no id"},
        "not an object",
        {"id": 42, "status": None, "status_reasons": ["disconnected"], "type": "TEST"},
    ]

    with mock(lambda r: httpx.Response(200, json=items)) as client:
        accounts = client.list_accounts(BASE, KEY)

    assert [a.id for a in accounts] == ["acct_bare", "42"]
    bare, numbered = accounts
    assert bare == Account(id="acct_bare")
    assert bare.title() == "acct_bare" and bare.describe() == "acct_bare"
    assert not bare.usable
    assert numbered.status_reasons[0].description == "disconnected"
    assert numbered.describe() == "42 (test)"


def test_a_server_that_ignores_page_is_read_once() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.params["page"])
        return httpx.Response(200, json=[account_item(1), account_item(2)])

    with mock(handler) as client:
        accounts = client.list_accounts(BASE, KEY, page_size=2)
    assert [a.id for a in accounts] == ["acct_1", "acct_2"]
    assert calls == ["1", "2"]


def test_endless_account_pages_stop_at_the_bound() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(200, json=[account_item(page * 10), account_item(page * 10 + 1)])

    with mock(handler, max_pages=3) as client:
        accounts = client.list_accounts(BASE, KEY, page_size=2)
    assert len(accounts) == 6
    assert not accounts.complete


def connector(key: str, *action_names: str) -> dict[str, Any]:
    return {"key": key, "name": key.title(), "actions": [{"id": n} for n in action_names]}


def test_actions_follow_next_and_next_cursor() -> None:
    pages = {
        None: {"data": [connector("one", "one_a", "one_b")], "next": "p2"},
        "p2": {"data": [connector("two", "two_a")], "next_cursor": "p3"},
        "p3": {"data": [connector("three")], "next": ""},
    }
    asked: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("next")
        asked.append(cursor)
        return httpx.Response(200, json=pages[cursor])

    with mock(handler) as client:
        actions = client.list_actions(BASE, KEY, include_details=False)

    assert asked == [None, "p2", "p3"]
    assert [(a.connector_key, a.name) for a in actions] == [
        ("one", "one_a"),
        ("one", "one_b"),
        ("two", "two_a"),
    ]
    assert actions.complete


def test_a_repeated_cursor_ends_the_listing_as_incomplete() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [connector("loop", "loop_a")], "next": "same"})

    with mock(handler) as client:
        actions = client.list_actions(BASE, KEY)
    # The same connector twice adds its actions once.
    assert [a.name for a in actions] == ["loop_a"]
    assert not actions.complete


def test_endless_cursors_stop_at_the_bound() -> None:
    counter = iter(range(1000))

    def handler(request: httpx.Request) -> httpx.Response:
        n = next(counter)
        return httpx.Response(
            200, json={"data": [connector(f"c{n}", f"c{n}_a")], "next": f"page{n + 1}"}
        )

    with mock(handler, max_pages=4) as client:
        connectors = client.list_connectors(BASE, KEY)
    assert len(connectors) == 4 and not connectors.complete


def test_odd_action_items_are_tolerated() -> None:
    body = {
        "data": [
            {
                "key": "acme",
                "actions": [
                    {"id": "acme_list", "tags": ["read", None, 3], "action_details": "nope"},
                    {"label": "no id"},
                    {"name": "acme_named", "action_details": {"inputSchema": {"type": "object"}}},
                ],
            },
            {"key": "empty", "actions": None},
            "junk",
        ]
    }
    with mock(lambda r: httpx.Response(200, json=body)) as client:
        actions = client.list_actions(BASE, KEY)

    listed, named = actions
    assert listed == ActionInfo(name="acme_list", connector_key="acme", tags=["read", "3"])
    assert named.name == "acme_named" and named.input_schema == {"type": "object"}


def test_matches_every_word_anywhere() -> None:
    action = ActionInfo(
        name="bamboohr_list_employees", label="List Employees", connector_name="BambooHR"
    )
    assert action.matches("bamboo list")
    assert action.matches("EMPLOYEES")
    assert action.matches("")
    assert not action.matches("bamboo create")


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expected"),
    [
        (
            403,
            b'{"statusCode": 403, "message": "Missing scope", "timestamp": "t"}',
            "application/json",
            "HTTP 403: Missing scope",
        ),
        (502, b"<html>Bad gateway from the proxy</html>", "text/html", "HTTP 502: <html>Bad"),
        (429, b"", "application/json", "HTTP 429: Too Many Requests"),
    ],
)
def test_error_statuses_raise_remote_errors(
    status: int, body: bytes, content_type: str, expected: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=body, headers={"content-type": content_type, "retry-after": "7"}
        )

    with mock(handler) as client, pytest.raises(errors.RemoteError) as caught:
        client.list_accounts(BASE, KEY)
    assert str(caught.value).startswith(expected)
    assert caught.value.response.status == status
    assert caught.value.response.retry_after == 7


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html>Welcome to the captive portal</html>", "text/html"),
        (b"", "application/json"),
        (json.dumps({"accounts": []}).encode(), "application/json"),
        (b"[not json", "application/json"),
    ],
)
def test_a_success_that_is_not_a_listing_is_a_bad_response(
    content: bytes, content_type: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content, headers={"content-type": content_type})

    with mock(handler) as client:
        with pytest.raises(errors.BadResponse):
            client.list_accounts(BASE, KEY)
        with pytest.raises(errors.BadResponse):
            client.list_actions(BASE, KEY)


def test_listing_is_a_list_that_knows_if_it_is_whole() -> None:
    whole: Listing[int] = Listing([1, 2])
    part: Listing[int] = Listing([1], complete=False)
    assert whole == [1, 2] and whole.complete
    assert part == [1] and not part.complete
