"""The demo's MCP server side: sessions, tools from the action catalogue, flat-prefixed schemas.

StackOne serves each linked account's actions as MCP tools at ``POST /mcp`` (JSON-RPC 2.0 over
MCP's streamable HTTP transport): a tool's name is the RPC action name, its ``inputSchema`` the
action's input schema, and ``tools/call`` runs it as an RPC call. ``stackone-ai`` asks for
``?param-style=flat_prefixed``, which flattens the envelope into ``<location>_<field>`` keys
(``path_id``, ``query_page_size``, ``body_first_name``); without it the schema keeps the nested
``path``/``query``/``headers``/``body`` objects. Standard library only: the official ``mcp``
package brings a whole ASGI server stack the demo does not need.

The HTTP side (``explorer.demo.routes.mcp``) answers plain ``application/json``, which the
transport allows and every client (the ``mcp`` package, the TypeScript SDK) reads.
"""

from __future__ import annotations

import copy
import re
import secrets
import threading
from collections import OrderedDict
from typing import Any

from explorer.demo.actions import ActionSpec, actions_for

# What the demo speaks, oldest first; a client asking for another gets the newest.
PROTOCOL_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
SERVER_INFO = {"name": "stackone-demo-mcp", "version": "1.0.0"}
PARAM_STYLES = ("nested", "flat_prefixed")
# Small on purpose: an account's handful of tools still spans pages, so clients must follow
# ``nextCursor`` as they must at StackOne.
TOOLS_PAGE_SIZE = 3
LOCATIONS = ("path", "query", "headers", "body")
_FLAT_KEY = re.compile(r"^(path|query|headers|body)_(.+)$")
MAX_SESSIONS = 500

# JSON-RPC error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602


class JsonRpcError(Exception):
    """A JSON-RPC error response to one request."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class McpSessions:
    """Session ids handed out by ``initialize``; ``DELETE /mcp`` ends one.

    Bounded (oldest forgotten first), because a client that never says goodbye must not make
    the demo grow for ever.
    """

    def __init__(self, limit: int = MAX_SESSIONS) -> None:
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._limit = limit

    def open(self, account_id: str, protocol_version: str) -> str:
        session_id = secrets.token_hex(16)
        with self._lock:
            self._sessions[session_id] = {"account": account_id, "version": protocol_version}
            while len(self._sessions) > self._limit:
                self._sessions.popitem(last=False)
        return session_id

    def get(self, session_id: str) -> dict[str, str] | None:
        with self._lock:
            return self._sessions.get(session_id)

    def close(self, session_id: str) -> bool:
        with self._lock:
            return self._sessions.pop(session_id, None) is not None


def negotiate(requested: Any) -> str:
    """The protocol version to answer ``initialize`` with."""
    return requested if requested in PROTOCOL_VERSIONS else PROTOCOL_VERSIONS[-1]


def flat_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The action's nested input schema flattened the ``flat_prefixed`` way.

    A field is required when its location is required and the field is required inside it.
    """
    properties = schema.get("properties") or {}
    required_locations = set(schema.get("required") or ())
    flat: dict[str, Any] = {}
    required: list[str] = []
    for location in LOCATIONS:
        part = properties.get(location)
        if not isinstance(part, dict):
            continue
        inner_required = set(part.get("required") or ())
        for name, field_schema in (part.get("properties") or {}).items():
            key = f"{location}_{name}"
            field_copy = copy.deepcopy(field_schema) if isinstance(field_schema, dict) else {}
            field_copy.setdefault("description", f"{location}.{name} of the RPC call")
            flat[key] = field_copy
            if location in required_locations and name in inner_required:
                required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": flat}
    if required:
        out["required"] = required
    return out


def tool(spec: ActionSpec, param_style: str) -> dict[str, Any]:
    """One MCP tool: the action's name, description and input schema."""
    schema = copy.deepcopy(spec.input_schema)
    return {
        "name": spec.name,
        "title": spec.label,
        "description": spec.description,
        "inputSchema": flat_schema(schema) if param_style == "flat_prefixed" else schema,
        "annotations": {"readOnlyHint": spec.provider_method == "GET"},
    }


def tools_page(connector: str, param_style: str, cursor: Any) -> dict[str, Any]:
    """``tools/list``: one page of the account's tools and the cursor of the next."""
    specs = actions_for(connector)
    start = 0
    if cursor is not None:
        if not isinstance(cursor, str) or not cursor.isdigit() or int(cursor) > len(specs):
            raise JsonRpcError(INVALID_PARAMS, f"Invalid cursor {cursor!r}")
        start = int(cursor)
    end = start + TOOLS_PAGE_SIZE
    result: dict[str, Any] = {"tools": [tool(s, param_style) for s in specs[start:end]]}
    if end < len(specs):
        result["nextCursor"] = str(end)
    return result


def envelope(arguments: dict[str, Any], param_style: str) -> dict[str, dict[str, Any]]:
    """Tool arguments split back into the RPC envelope (what StackOne does with them).

    Flat keys go to their location; a nested location object is taken as it is; anything
    else is a body field (the same rule ``stackone-ai`` applies on its side).
    """
    parts: dict[str, dict[str, Any]] = {location: {} for location in LOCATIONS}
    for key, value in arguments.items():
        match = _FLAT_KEY.match(key) if param_style == "flat_prefixed" else None
        if match:
            parts[match.group(1)].setdefault(match.group(2), value)
        elif key in LOCATIONS and isinstance(value, dict):
            for name, inner in value.items():
                parts[key].setdefault(name, inner)
        else:
            parts["body"][key] = value
    return parts
