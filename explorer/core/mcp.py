"""A small MCP client: list a linked account's tools the way StackOne's agent SDK does.

StackOne serves every linked account's actions as MCP tools at ``POST {base}/mcp`` (JSON-RPC
2.0 over MCP's streamable HTTP transport). ``stackone-ai`` discovers actions only this way,
asking with ``?param-style=flat_prefixed``: each tool's ``inputSchema`` then has flat keys
(``path_id``, ``query_page_size``, ``body_first_name``), which ``explorer.core.agent`` maps back
to the RPC envelope. The explorer uses the tools as a second schema source for "Fill from
schema" when the catalogue (``GET /actions``) has no details for an action.

Only what that needs is spoken: ``initialize``, ``notifications/initialized``, ``tools/list``
(paged by ``nextCursor``) and ``DELETE`` to end the session. Answers may come as
``application/json`` or as a ``text/event-stream``; both are read. The official ``mcp`` package
would bring an async stack and a server framework a desktop app does not need.

Every request goes through ``RpcClient.send_http``, so it is cancelled, times out and fails
exactly like an RPC call.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer import __version__
from explorer.core import errors
from explorer.core.client import CancelToken
from explorer.core.discovery import Listing, ServiceClient, check_base_url
from explorer.core.response import RpcResponse
from explorer.core.wire import service_headers

if TYPE_CHECKING:
    pass

JsonObject = dict[str, Any]

PROTOCOL_VERSION = "2025-06-18"
PARAM_STYLE = "flat_prefixed"
SESSION_HEADER = "Mcp-Session-Id"


class McpError(errors.ExplorerError):
    """The MCP endpoint answered, but with a JSON-RPC error or something that is not MCP."""

    def __init__(self, method: str, message: str, code: int | None = None) -> None:
        self.method = method
        self.code = code
        where = f" (JSON-RPC error {code})" if code is not None else ""
        super().__init__(f"StackOne's MCP endpoint refused {method}: {message}{where}")


@dataclass(frozen=True)
class McpTool:
    """One tool of ``tools/list``: an RPC action name and its input schema as MCP gives it."""

    name: str
    title: str = ""
    description: str = ""
    input_schema: JsonObject | None = None

    @classmethod
    def from_json(cls, data: Any) -> McpTool | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        name = data["name"].strip()
        if not name:
            return None
        schema = data.get("inputSchema")
        title = data.get("title")
        description = data.get("description")
        return cls(
            name=name,
            title=title if isinstance(title, str) else "",
            description=description if isinstance(description, str) else "",
            input_schema=schema if isinstance(schema, dict) else None,
        )


def sse_messages(text: str) -> list[Any]:
    """The JSON messages of a ``text/event-stream`` body (``data:`` lines joined per event)."""
    messages: list[Any] = []
    data: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line:
            if data:
                # A keep-alive or a message that does not parse is not ours: skip it.
                with contextlib.suppress(ValueError):
                    messages.append(json.loads("\n".join(data)))
                data = []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    return messages


class McpClient(ServiceClient):
    """Lists an account's MCP tools; share the app's ``RpcClient`` or pass a ``transport``."""

    def list_tools(
        self,
        base_url: str,
        api_key: str,
        account_id: str,
        *,
        param_style: str = PARAM_STYLE,
        cancel: CancelToken | None = None,
    ) -> Listing[McpTool]:
        """Every tool of ``account_id``, following ``nextCursor``; the session is ended after.

        Raises:
            InvalidRequest: ``base_url`` is not an http(s) URL (nothing is sent).
            TransportError: no complete response arrived (including ``Cancelled``).
            RemoteError: the endpoint answered an HTTP error status (e.g. 401, 404).
            McpError: a JSON-RPC error, or an answer that is not MCP.
        """
        session = _Session(self, check_base_url(base_url), api_key, account_id, param_style)
        session.request("initialize", _initialize_params(), cancel)
        try:
            session.notify("notifications/initialized", cancel)
            tools: list[McpTool] = []
            seen: set[str] = set()
            cursor: str | None = None
            for _ in range(self.max_pages):
                params = {"cursor": cursor} if cursor else {}
                result = session.request("tools/list", params, cancel)
                items = result.get("tools")
                if not isinstance(items, list):
                    raise McpError("tools/list", "the answer has no tools list")
                tools += [t for t in map(McpTool.from_json, items) if t is not None]
                next_cursor = result.get("nextCursor")
                if not isinstance(next_cursor, str) or not next_cursor:
                    return Listing(tools)
                if next_cursor in seen:
                    return Listing(tools, complete=False)
                seen.add(next_cursor)
                cursor = next_cursor
            return Listing(tools, complete=False)
        finally:
            session.end()


def _initialize_params() -> JsonObject:
    return {
        "protocolVersion": PROTOCOL_VERSION,
        "capabilities": {},
        "clientInfo": {"name": "stackone-explorer", "version": __version__},
    }


class _Session:
    """One MCP session: its id, the next request id, and how to reach the endpoint."""

    def __init__(
        self, owner: McpClient, root: str, api_key: str, account_id: str, param_style: str
    ) -> None:
        self._owner = owner
        self._root = root
        self._api_key = api_key
        self._account_id = account_id.strip()
        self._param_style = param_style
        self._session_id: str | None = None
        self._protocol = PROTOCOL_VERSION
        self._next_id = 0

    def request(self, method: str, params: JsonObject, cancel: CancelToken | None) -> JsonObject:
        self._next_id += 1
        message_id = self._next_id
        body = {"jsonrpc": "2.0", "id": message_id, "method": method, "params": params}
        response = self._send("POST", body, cancel)
        response.raise_for_error()
        if method == "initialize":
            self._session_id = (response.header(SESSION_HEADER) or "").strip() or None
        reply = _find_reply(response, message_id, method)
        if "error" in reply:
            error = reply["error"] if isinstance(reply["error"], dict) else {}
            code = error.get("code")
            raise McpError(
                method,
                str(error.get("message") or "no message"),
                code if isinstance(code, int) else None,
            )
        result = reply.get("result")
        if not isinstance(result, dict):
            raise McpError(method, "the answer has no result object")
        if method == "initialize" and isinstance(result.get("protocolVersion"), str):
            self._protocol = result["protocolVersion"]
        return result

    def notify(self, method: str, cancel: CancelToken | None) -> None:
        response = self._send("POST", {"jsonrpc": "2.0", "method": method}, cancel)
        response.raise_for_error()

    def end(self) -> None:
        """Say goodbye (``DELETE``) so the server can free the session; failures don't matter."""
        if self._session_id is None:
            return
        with contextlib.suppress(errors.ExplorerError):
            self._send("DELETE", None, CancelToken())

    def _send(
        self, method: str, body: JsonObject | None, cancel: CancelToken | None
    ) -> RpcResponse:
        import httpx

        headers = [
            *service_headers(self._api_key, "application/json, text/event-stream"),
            ("x-account-id", self._account_id),
            ("MCP-Protocol-Version", self._protocol),
        ]
        if self._session_id:
            headers.append((SESSION_HEADER, self._session_id))
        content = None
        if body is not None:
            headers.append(("Content-Type", "application/json"))
            content = json.dumps(body, separators=(",", ":")).encode()
        request = httpx.Request(
            method,
            self._root + "/mcp",
            params={"param-style": self._param_style},
            headers=headers,
            content=content,
        )
        return self._owner._client.send_http(
            request, base_url=self._root, timeout=self._owner.timeout, cancel=cancel
        )


def _find_reply(response: RpcResponse, message_id: int, method: str) -> JsonObject:
    """The JSON-RPC response to ``message_id`` in a JSON or event-stream body."""
    mime = response.content_type.split(";", 1)[0].strip().lower()
    if mime == "text/event-stream":
        candidates = sse_messages(response.text())
    elif response.kind == "json":
        candidates = [response.json]
    else:
        shown = response.content_type or "no content type"
        raise McpError(method, f"the answer is {shown}, not JSON-RPC")
    for message in candidates:
        if isinstance(message, dict) and message.get("id") == message_id:
            return message
    raise McpError(method, "no JSON-RPC response to the request came back")
