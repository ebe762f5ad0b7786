"""The explorer's own MCP client against the demo's MCP endpoint, and odd answers it survives."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from explorer.core import errors
from explorer.core.mcp import McpClient, McpError, sse_messages
from explorer.demo.actions import ACTIONS

BASE = "https://api.stackone.com"


def test_lists_an_accounts_tools_with_flat_prefixed_schemas(demo_url: str, demo_key: str) -> None:
    with McpClient() as client:
        tools = client.list_tools(demo_url, demo_key, "acct_bamboohr_demo")
    # Four BambooHR actions in pages of three: the cursor was followed.
    assert [t.name for t in tools] == [n for n, s in ACTIONS.items() if s.connector == "bamboohr"]
    assert tools.complete
    get = next(t for t in tools if t.name == "bamboohr_get_employee")
    assert get.input_schema is not None
    assert get.input_schema["required"] == ["path_id"]
    assert set(get.input_schema["properties"]) == {"path_id"}
    listing = next(t for t in tools if t.name == "bamboohr_list_employees")
    assert listing.input_schema is not None
    assert set(listing.input_schema["properties"]) == {"query_page_size", "query_next"}


def test_nested_param_style_keeps_the_envelope_schema(demo_url: str, demo_key: str) -> None:
    with McpClient() as client:
        tools = client.list_tools(demo_url, demo_key, "acct_workday_demo", param_style="nested")
    [workers] = tools
    assert workers.input_schema == ACTIONS["workday_list_workers"].input_schema


def test_sessions_are_ended_after_listing(demo_server: Any) -> None:
    before = len(demo_server.mcp_sessions._sessions)
    with McpClient() as client:
        client.list_tools(demo_server.url, demo_server.api_key, "acct_drive_demo")
    assert len(demo_server.mcp_sessions._sessions) == before


def test_an_unknown_account_is_a_remote_error(demo_url: str, demo_key: str) -> None:
    with McpClient() as client, pytest.raises(errors.RemoteError) as caught:
        client.list_tools(demo_url, demo_key, "acct_nobody")
    assert caught.value.response.status == 404


def test_a_wrong_key_is_a_remote_error(demo_url: str) -> None:
    with McpClient() as client, pytest.raises(errors.RemoteError) as caught:
        client.list_tools(demo_url, "wrong", "acct_bamboohr_demo")
    assert caught.value.response.status == 401


def mcp_server(
    answer: Callable[[dict[str, Any]], httpx.Response],
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(204)
        message = json.loads(request.content)
        if "id" not in message:
            return httpx.Response(202)
        return answer(message)

    return handler


def result(message: dict[str, Any], value: dict[str, Any], **kwargs: Any) -> httpx.Response:
    return httpx.Response(
        200, json={"jsonrpc": "2.0", "id": message["id"], "result": value}, **kwargs
    )


def test_event_stream_answers_are_read() -> None:
    def answer(message: dict[str, Any]) -> httpx.Response:
        if message["method"] == "initialize":
            return result(
                message, {"protocolVersion": "2025-06-18"}, headers={"mcp-session-id": "s1"}
            )
        reply = {
            "jsonrpc": "2.0",
            "id": message["id"],
            "result": {"tools": [{"name": "acme_list", "inputSchema": {"type": "object"}}]},
        }
        text = ": keep-alive\n\nevent: message\ndata: " + json.dumps(reply) + "\n\n"
        return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})

    with McpClient(transport=httpx.MockTransport(mcp_server(answer))) as client:
        [tool] = client.list_tools(BASE, "k", "acct")
    assert tool.name == "acme_list" and tool.input_schema == {"type": "object"}


def test_a_json_rpc_error_is_an_mcp_error() -> None:
    def answer(message: dict[str, Any]) -> httpx.Response:
        if message["method"] == "initialize":
            return result(message, {})
        error = {"code": -32601, "message": "Method not found"}
        return httpx.Response(200, json={"jsonrpc": "2.0", "id": message["id"], "error": error})

    transport = httpx.MockTransport(mcp_server(answer))
    with McpClient(transport=transport) as client, pytest.raises(McpError) as caught:
        client.list_tools(BASE, "k", "acct")
    assert caught.value.code == -32601
    assert "tools/list" in str(caught.value) and "Method not found" in str(caught.value)


def test_a_cursor_that_repeats_ends_the_listing_as_incomplete() -> None:
    def answer(message: dict[str, Any]) -> httpx.Response:
        if message["method"] == "initialize":
            return result(message, {})
        return result(message, {"tools": [{"name": "t", "junk": 1}, "junk"], "nextCursor": "same"})

    with McpClient(transport=httpx.MockTransport(mcp_server(answer))) as client:
        tools = client.list_tools(BASE, "k", "acct")
    assert [t.name for t in tools] == ["t", "t"]
    assert not tools.complete


@pytest.mark.parametrize(
    "body",
    [
        {"jsonrpc": "2.0", "id": 99, "result": {}},  # not our id
        {"jsonrpc": "2.0", "id": 2, "result": "tools"},  # no result object
        {"jsonrpc": "2.0", "id": 2, "result": {"tools": "none"}},
    ],
)
def test_answers_that_are_not_mcp_are_mcp_errors(body: dict[str, Any]) -> None:
    def answer(message: dict[str, Any]) -> httpx.Response:
        if message["method"] == "initialize":
            return result(message, {})
        return httpx.Response(200, json=body)

    with (
        McpClient(transport=httpx.MockTransport(mcp_server(answer))) as client,
        pytest.raises(McpError),
    ):
        client.list_tools(BASE, "k", "acct")


def test_an_html_page_is_an_mcp_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"})

    with (
        McpClient(transport=httpx.MockTransport(handler)) as client,
        pytest.raises(McpError, match="text/html"),
    ):
        client.list_tools(BASE, "k", "acct")


def test_sse_messages_join_data_lines_and_skip_noise() -> None:
    text = 'data: {"a":\ndata: 1}\n\ndata: not json\n\nid: 3\ndata:{"b":2}\n'
    assert sse_messages(text) == [{"a": 1}, {"b": 2}]
