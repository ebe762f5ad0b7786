"""The demo server rejects bad RPC calls as StackOne does, in StackOne's order of checks."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from explorer.demo import DEMO_API_KEY, DemoServer
from tests.demo.rpc_calls import Rpc, client_for, is_json, make_rpc
from tests.spec_schema import validate_response

LIST = {"action": "bamboohr_list_employees"}


def _basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def anonymous(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        _basic("wrong_key"),
        _basic(DEMO_API_KEY, "a-password"),  # the password must be empty
        f"Bearer {DEMO_API_KEY}",
        "Basic not-base64!",
    ],
)
def test_bad_or_missing_key_is_401_before_anything_else(
    anonymous: httpx.Client, authorization: str | None
) -> None:
    # Everything else is wrong too (no account header, no action): auth is checked first.
    headers = {"Authorization": authorization} if authorization else {}
    response = anonymous.post("/actions/rpc", content=b"not json", headers=headers)
    assert response.status_code == 401
    assert response.json()["message"] == "Unauthorized"
    assert response.headers["www-authenticate"].startswith("Basic")
    validate_response(401, response.json())


def test_missing_user_agent_is_blocked_as_suspicious(client: httpx.Client) -> None:
    del client.headers["User-Agent"]
    response = client.post(
        "/actions/rpc", json=LIST, headers={"x-account-id": "acct_bamboohr_demo"}
    )
    assert response.status_code == 403
    assert "User-Agent" in response.json()["message"]
    validate_response(403, response.json())


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "body is required"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b"{}", "action must be a string"),
        (b'{"action": 42}', "action must be a string"),
        (b'{"action": "   "}', "action should not be empty"),
        (b'{"action": "x", "paths": {}}', "property paths should not exist"),
        (b'{"action": "x", "query": [1]}', "query must be an object"),
        (b'{"action": "x", "defender_enabled": "yes"}', "defender_enabled must be a boolean"),
        (b'{"action": "x", "defender_config": {"enabled": 1}}', "enabled must be a boolean"),
    ],
)
def test_a_malformed_body_is_400_even_before_the_account_header(
    client: httpx.Client, content: bytes, fragment: str
) -> None:
    response = client.post(
        "/actions/rpc", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    validate_response(400, response.json())


def test_missing_account_header_has_stackones_exact_message(rpc: Rpc) -> None:
    response = rpc(LIST, account=None)
    assert response.status_code == 400
    assert response.json()["message"] == "Missing x-account-id header in request"


def test_unknown_account_is_404_naming_it(rpc: Rpc) -> None:
    response = rpc(LIST, account="acct_nope")
    assert response.status_code == 404
    assert "acct_nope" in response.json()["message"]


def test_suspended_account_is_412_asking_to_reconnect(rpc: Rpc) -> None:
    response = rpc(LIST, account="acct_suspended")
    assert response.status_code == 412
    message = response.json()["message"]
    assert "suspended" in message and "reconnect" in message


def test_connector_profile_of_the_same_connector_is_accepted(rpc: Rpc) -> None:
    response = rpc(LIST, headers={"x-connector-profile-id": "cp_bamboohr_sandbox"})
    assert response.status_code == 200


@pytest.mark.parametrize("profile", ["cp_greenhouse_default", "cp_does_not_exist"])
def test_connector_profile_of_another_connector_or_unknown_is_400(rpc: Rpc, profile: str) -> None:
    response = rpc(LIST, headers={"x-connector-profile-id": profile})
    assert response.status_code == 400
    assert profile in response.json()["message"]


@pytest.mark.parametrize(
    ("action", "account"),
    [
        ("bamboohr_fire_everyone", "acct_bamboohr_demo"),  # no such action
        ("greenhouse_create_candidate", "acct_bamboohr_demo"),  # another connector's action
    ],
)
def test_action_not_available_for_the_account_is_404_naming_action_and_connector(
    rpc: Rpc, action: str, account: str
) -> None:
    response = rpc({"action": action}, account=account)
    assert response.status_code == 404
    message = response.json()["message"]
    assert action in message and "bamboohr" in message
    assert "bamboohr_list_employees" in message  # and says what is available


@pytest.mark.parametrize("value", ["maybe", "yes", ""])
def test_sync_and_debug_must_be_booleans(rpc: Rpc, value: str) -> None:
    assert rpc(LIST, params={"sync": value}).status_code == 400
    assert rpc(LIST, params={"debug": value}).status_code == 400


def test_rate_limit_per_key_answers_429_with_retry_after() -> None:
    with DemoServer(rate_limit_per_minute=3) as server, client_for(server) as client:
        rpc = make_rpc(client)
        assert [rpc(LIST).status_code for _ in range(3)] == [200, 200, 200]
        limited = rpc(LIST)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "3 requests per minute" in limited.json()["message"]
        # Discovery endpoints count against the same key.
        assert client.get("/accounts").status_code == 429


def test_default_rate_limit_is_stackones_1000_per_minute() -> None:
    from explorer.demo.server import RATE_LIMIT_PER_MINUTE

    assert RATE_LIMIT_PER_MINUTE == 1000


def test_unknown_path_is_404_json_with_request_id(client: httpx.Client) -> None:
    response = client.post("/actions/rpcx", json=LIST)
    assert response.status_code == 404
    assert is_json(response)
    assert response.json()["message"] == "Cannot POST /actions/rpcx"
    assert len(response.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("GET", "/actions/rpc", "POST"), ("DELETE", "/accounts", "GET"), ("PUT", "/actions", "GET")],
)
def test_wrong_method_is_405_with_allow(
    client: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["statusCode"] == 405
    assert response.headers["x-request-id"]


def test_every_response_has_a_fresh_request_id(rpc: Rpc, client: httpx.Client) -> None:
    responses = [
        rpc(LIST),
        rpc(LIST, account=None),
        client.get("/nowhere"),
        client.get("/accounts"),
    ]
    ids = {r.headers["x-request-id"] for r in responses}
    assert len(ids) == len(responses)


def test_chunked_request_body_is_read(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"action": "bamboohr_get_employee",'
        yield b' "path": {"id": "40002"}}'

    response = client.post(
        "/actions/rpc",
        content=chunks(),
        headers={"x-account-id": "acct_bamboohr_demo", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["first_name"] == "Lukas"


@pytest.mark.parametrize("method", ["TRACE", "FROB", "OPTIONS", "PUT"])
def test_methods_a_route_does_not_take_answer_405_with_allow(
    demo_server: DemoServer, method: str
) -> None:
    # TRACE and methods HTTP has not got too: StackOne answers 405, not the stdlib's 501.
    with httpx.Client(base_url=demo_server.url, timeout=30) as client:
        response = client.request(method, "/actions/rpc")
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json()["statusCode"] == 405
        assert client.request(method, "/accounts").headers["allow"] == "GET"
        assert client.request(method, "/mcp").headers["allow"] == "POST, DELETE"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"POST /actions/rpc HTTP/7.0\r\nHost: x\r\n\r\n", 505),
        (b"POST  HTTP/1.1 extra words\r\n\r\n", 400),
    ],
)
def test_protocol_errors_also_use_the_json_envelope(
    demo_server: DemoServer, request_bytes: bytes, status: int
) -> None:
    host, port = demo_server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request_bytes)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"\r\nx-request-id: " in head
    envelope = json.loads(body)
    assert envelope["statusCode"] == status
    assert envelope["message"]
