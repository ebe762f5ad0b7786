"""The demo's MCP endpoint at the JSON-RPC level, and its action search."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from explorer.demo import DemoServer

Mcp = Callable[..., httpx.Response]


@pytest.fixture
def mcp(client: httpx.Client) -> Mcp:
    """``mcp(message, account=..., session=..., style=...)``: one POST /mcp."""

    def post(
        message: Any,
        *,
        account: str = "acct_bamboohr_demo",
        session: str | None = None,
        style: str | None = "flat_prefixed",
    ) -> httpx.Response:
        headers = {"x-account-id": account, "Accept": "application/json, text/event-stream"}
        if session:
            headers["Mcp-Session-Id"] = session
        params = {"param-style": style} if style else {}
        return client.post("/mcp", params=params, headers=headers, json=message)

    return post


def open_session(mcp: Mcp, **kwargs: Any) -> str:
    response = mcp(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}},
        },
        **kwargs,
    )
    assert response.status_code == 200
    assert response.json()["result"]["protocolVersion"] == "2025-06-18"
    assert response.json()["result"]["capabilities"] == {"tools": {"listChanged": False}}
    return response.headers["mcp-session-id"]


def call(mcp: Mcp, session: str, name: str, arguments: dict[str, Any], **kwargs: Any) -> Any:
    message = {"jsonrpc": "2.0", "id": 7, "method": "tools/call"}
    message["params"] = {"name": name, "arguments": arguments}
    response = mcp(message, session=session, **kwargs)
    assert response.status_code == 200
    return response.json()["result"]


def test_tools_call_runs_the_action_from_flat_arguments(mcp: Mcp) -> None:
    session = open_session(mcp)
    initialized = mcp({"jsonrpc": "2.0", "method": "notifications/initialized"}, session=session)
    assert initialized.status_code == 202 and initialized.content == b""
    result = call(mcp, session, "bamboohr_get_employee", {"path_id": "40002"})
    assert result["isError"] is False
    assert result["structuredContent"]["data"]["first_name"] == "Lukas"
    assert json.loads(result["content"][0]["text"]) == result["structuredContent"]


def test_a_failing_action_is_an_error_result_not_a_protocol_error(mcp: Mcp) -> None:
    session = open_session(mcp)
    result = call(mcp, session, "bamboohr_get_employee", {"path_id": "99999"})
    assert result["isError"] is True
    assert result["structuredContent"]["statusCode"] == 404
    assert result["structuredContent"]["provider_errors"][0]["status"] == 404


def test_nested_arguments_and_files(mcp: Mcp) -> None:
    session = open_session(mcp, account="acct_drive_demo", style=None)
    result = call(
        mcp,
        session,
        "documents_download_file",
        {"path": {"id": "file_onboarding"}},
        account="acct_drive_demo",
        style=None,
    )
    text, resource = result["content"]
    assert "Onboarding" in text["text"]
    assert resource["resource"]["mimeType"].startswith("text/plain")


def test_mcp_calls_land_in_the_request_logs(demo_server: DemoServer, mcp: Mcp) -> None:
    session = open_session(mcp)
    call(mcp, session, "bamboohr_list_employees", {"query_page_size": 2})
    [entry] = [e for e in demo_server.logs.all()[:5] if e["source_type"] == "mcp"][:1]
    assert entry["action"] == "bamboohr_list_employees"
    assert entry["request"]["body"] == {
        "action": "bamboohr_list_employees",
        "query": {"page_size": 2},
    }


def test_sessions_are_required_and_can_be_ended(client: httpx.Client, mcp: Mcp) -> None:
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    assert mcp(listing).status_code == 400
    assert mcp(listing, session="made-up").status_code == 404
    session = open_session(mcp)
    assert mcp(listing, session=session).status_code == 200
    headers = {"x-account-id": "acct_bamboohr_demo", "Mcp-Session-Id": session}
    assert client.delete("/mcp", headers=headers).status_code == 204
    assert mcp(listing, session=session).status_code == 404
    assert client.delete("/mcp", headers=headers).status_code == 404
    # No server-to-client stream: GET is not offered.
    assert client.get("/mcp", headers=headers).status_code == 405


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"jsonrpc": "2.0", "id": 3, "method": "resources/list"}, -32601),
        ({"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {"cursor": "x"}}, -32602),
        ({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": 3}}, -32602),
    ],
)
def test_json_rpc_errors(mcp: Mcp, message: dict[str, Any], code: int) -> None:
    session = open_session(mcp)
    response = mcp(message, session=session)
    assert response.json()["error"]["code"] == code


def test_bad_requests_are_refused(client: httpx.Client, mcp: Mcp) -> None:
    assert (
        mcp({"jsonrpc": "2.0", "id": 1, "method": "initialize"}, style="curly").status_code == 400
    )
    assert (
        mcp({"jsonrpc": "2.0", "id": 1, "method": "initialize"}, account="nobody").status_code
        == 404
    )
    batch = mcp([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
    assert batch.status_code == 400 and batch.json()["error"]["code"] == -32600
    garbage = client.post("/mcp", content=b"{nope", headers={"x-account-id": "acct_bamboohr_demo"})
    assert garbage.json()["error"]["code"] == -32700


def test_search_answers_both_result_shapes(client: httpx.Client) -> None:
    body = client.post("/actions/search", json={"query": "create a candidate", "top_k": 2}).json()
    best = body["results"][0]
    assert best["id"] == "greenhouse_1.0.0_greenhouse_create_candidate_global"
    assert best["action_name"] == "greenhouse_create_candidate"
    assert best["connector_key"] == "greenhouse" and best["label"] == "Create Candidate"
    assert 0 < best["similarity_score"] <= 1
    assert body["total_count"] == len(body["results"]) <= 2
    assert body["query"] == "create a candidate"


@pytest.mark.parametrize(
    "payload",
    [{}, {"query": ""}, {"query": "x", "top_k": 0}, {"query": "x", "min_similarity": 2}],
)
def test_search_refuses_bad_input(client: httpx.Client, payload: dict[str, Any]) -> None:
    assert client.post("/actions/search", json=payload).status_code == 400
