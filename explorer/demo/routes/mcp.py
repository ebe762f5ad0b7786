"""``POST /mcp`` and ``DELETE /mcp``: MCP's streamable HTTP transport over the demo's actions.

One JSON-RPC message per POST. Requests get a JSON-RPC response as ``application/json``;
notifications get ``202 Accepted`` with no body. ``initialize`` opens a session
(``Mcp-Session-Id``), which every later message must carry; ``DELETE`` ends it. ``GET`` (a
server-to-client event stream) is not offered: 405, as the transport allows. The linked account
comes from ``x-account-id`` on every request, as StackOne takes it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from explorer.demo import mcp
from explorer.demo.accounts import ACCOUNTS, Account
from explorer.demo.actions import ApiError
from explorer.demo.mcp import JsonRpcError
from explorer.demo.routes.context import Answer, DemoRequest, error_body, text_param
from explorer.demo.routes.rpc import ActionCall, execute

SESSION_HEADER = "Mcp-Session-Id"


def _reply(
    message_id: Any, result: dict[str, Any], headers: dict[str, str] | None = None
) -> Answer:
    return Answer.json(200, {"jsonrpc": "2.0", "id": message_id, "result": result}, headers)


def _error(message_id: Any, error: JsonRpcError, status: int = 200) -> Answer:
    body = {
        "jsonrpc": "2.0",
        "id": message_id,
        "error": {"code": error.code, "message": error.message},
    }
    return Answer.json(status, body)


def _account(request: DemoRequest) -> Account:
    account_id = request.header("x-account-id")
    if not account_id:
        raise ApiError(400, "Missing x-account-id header in request")
    account = ACCOUNTS.get(account_id)
    if account is None:
        raise ApiError(404, f"Account {account_id} not found in this project")
    return account


def _param_style(request: DemoRequest) -> str:
    style = text_param(request.params, "param-style") or "nested"
    if style not in mcp.PARAM_STYLES:
        raise ApiError(
            400, f"param-style must be one of {', '.join(mcp.PARAM_STYLES)}, got {style!r}"
        )
    return style


def post(request: DemoRequest) -> Answer:
    request.demo.check_rate(request.api_key)
    account = _account(request)
    style = _param_style(request)
    try:
        message = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(None, JsonRpcError(mcp.PARSE_ERROR, f"Parse error: {exc}"), 400)
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        what = "batches are not supported" if isinstance(message, list) else "not JSON-RPC 2.0"
        return _error(None, JsonRpcError(mcp.INVALID_REQUEST, f"Invalid request: {what}"), 400)
    method = message.get("method")
    message_id = message.get("id")
    if not isinstance(method, str):
        # A response to a server request (the demo sends none) or garbage: nothing to answer.
        return Answer(202, b"", "")
    if method == "initialize":
        params = message.get("params") or {}
        version = mcp.negotiate(params.get("protocolVersion") if isinstance(params, dict) else None)
        session = request.demo.mcp_sessions.open(account.id, version)
        result = {
            "protocolVersion": version,
            "capabilities": {"tools": {"listChanged": False}},
            "serverInfo": mcp.SERVER_INFO,
            "instructions": f"Tools are the actions of linked account {account.id} "
            f"({account.provider}); each runs as POST /actions/rpc.",
        }
        return _reply(message_id, result, {SESSION_HEADER: session})
    session_id = request.header(SESSION_HEADER)
    if not session_id:
        return _error(message_id, JsonRpcError(mcp.INVALID_REQUEST, "Missing Mcp-Session-Id"), 400)
    if request.demo.mcp_sessions.get(session_id) is None:
        # 404 tells the client to start a new session.
        return _error(message_id, JsonRpcError(mcp.INVALID_REQUEST, "Unknown MCP session"), 404)
    if "id" not in message:
        return Answer(202, b"", "")  # a notification, e.g. notifications/initialized
    try:
        result = _call(request, account, style, method, message.get("params") or {})
    except JsonRpcError as error:
        return _error(message_id, error)
    return _reply(message_id, result)


def _call(
    request: DemoRequest, account: Account, style: str, method: str, params: Any
) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise JsonRpcError(mcp.INVALID_PARAMS, "params must be an object")
    if method == "ping":
        return {}
    if method == "tools/list":
        return mcp.tools_page(account.provider, style, params.get("cursor"))
    if method == "tools/call":
        return _tool_call(request, account, style, params)
    raise JsonRpcError(mcp.METHOD_NOT_FOUND, f"Method not found: {method}")


def _tool_call(
    request: DemoRequest, account: Account, style: str, params: dict[str, Any]
) -> dict[str, Any]:
    name = params.get("name")
    arguments = params.get("arguments") or {}
    if not isinstance(name, str) or not name:
        raise JsonRpcError(mcp.INVALID_PARAMS, "tools/call needs a tool name")
    if not isinstance(arguments, dict):
        raise JsonRpcError(mcp.INVALID_PARAMS, "arguments must be an object")
    parts = mcp.envelope(arguments, style)
    rpc_envelope: dict[str, Any] = {"action": name}
    rpc_envelope.update({location: value for location, value in parts.items() if value})
    try:
        outcome = execute(request, ActionCall(account.id, rpc_envelope, source_type="mcp"))
    except ApiError as error:
        body = error_body(
            error.status, error.message, provider_errors=error.provider_errors, data=error.data
        )
        return {
            "content": [{"type": "text", "text": json.dumps(body, ensure_ascii=False)}],
            "structuredContent": body,
            "isError": True,
        }
    if outcome.file is not None:
        demo_file = outcome.file
        resource = {
            "uri": f"stackone://files/{demo_file.id}",
            "mimeType": demo_file.mime_type,
            "blob": base64.b64encode(demo_file.content).decode("ascii"),
        }
        text = f"{demo_file.name} ({demo_file.mime_type}, {len(demo_file.content)} bytes)"
        return {
            "content": [{"type": "text", "text": text}, {"type": "resource", "resource": resource}],
            "isError": False,
        }
    body = outcome.json or {}
    return {
        "content": [{"type": "text", "text": json.dumps(body, ensure_ascii=False)}],
        "structuredContent": body,
        "isError": False,
    }


def delete(request: DemoRequest) -> Answer:
    """End a session; 404 for one the demo does not know (already ended or never opened)."""
    session_id = request.header(SESSION_HEADER)
    if not session_id or not request.demo.mcp_sessions.close(session_id):
        raise ApiError(404, "Unknown MCP session")
    return Answer(204, b"", "")
