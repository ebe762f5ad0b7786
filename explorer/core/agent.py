"""A request "as an agent sends it": MCP tool arguments <-> the RPC envelope, and what differs.

StackOne's Python agent SDK (``stackone-ai``) lists tools over MCP with
``param-style=flat_prefixed``, so a model calls a tool with flat keys (``path_id``,
``query_page_size``, ``body_first_name``). The SDK splits them back into the RPC envelope by
their prefix (a nested ``path``/``query``/``headers``/``body`` object is taken as it is, any
other key goes to ``body``) and posts ``/actions/rpc`` with an envelope of its own: ``body``
always present (``{}`` when empty), ``x-account-id`` repeated inside ``headers`` with every
header value a string, ``path``/``query`` only when non-empty, and no Defender settings. Its
HTTP client asks for ``gzip, deflate``.

Support engineers see these calls in logs and need to replay them; developers want to know
whether their request means the same thing. Both ways are here, as plain data.
"""

from __future__ import annotations

import re
from typing import Any

from explorer.core.request import OBJECT_FIELDS, JsonObject, RpcRequest
from explorer.core.secrets import REDACTED

_FLAT_KEY = re.compile(r"^(path|query|headers|body)_(.+)$")
# What stackone-ai 2.10.1 sends besides the envelope (its executor's headers, httpx's default
# encodings, to which httpx adds br/zstd when their decoders are installed).
AGENT_USER_AGENT = "stackone-python/1.0.0"
AGENT_ACCEPT_ENCODING = "gzip, deflate"


def flat_arguments(request: RpcRequest) -> JsonObject:
    """The request as a model's ``tools/call`` arguments under ``flat_prefixed``."""
    arguments: JsonObject = {}
    for location in OBJECT_FIELDS:
        for name, value in (getattr(request, location) or {}).items():
            if location == "headers" and name.lower() == "x-account-id":
                continue  # the SDK adds it from the account, never from the model
            arguments[f"{location}_{name}"] = value
    return arguments


def split_arguments(arguments: JsonObject) -> dict[str, JsonObject]:
    """Tool arguments split into the four envelope objects, by the SDK's rule."""
    parts: dict[str, JsonObject] = {location: {} for location in OBJECT_FIELDS}
    for key, value in arguments.items():
        match = _FLAT_KEY.match(key)
        if match:
            parts[match.group(1)].setdefault(match.group(2), value)
        elif key in OBJECT_FIELDS and isinstance(value, dict):
            for name, inner in value.items():
                parts[key].setdefault(name, inner)
        else:
            parts["body"][key] = value
    return parts


def request_from_arguments(
    action: str, arguments: JsonObject, template: RpcRequest | None = None
) -> RpcRequest:
    """An editable request for ``action`` called with ``arguments`` (``tools/call``).

    ``template`` supplies what the arguments do not carry (account, base URL, timeout); its
    Defender and query-string switches are cleared, because the agent sends none.
    """
    base = template.copy() if template is not None else RpcRequest()
    parts = split_arguments(arguments)
    headers = {
        name: value for name, value in parts["headers"].items() if name.lower() != "x-account-id"
    }
    return base.copy(
        action=action.strip(),
        path=parts["path"] or None,
        query=parts["query"] or None,
        headers=headers or None,
        body=parts["body"] or None,
        defender=type(base.defender)(),
        defender_enabled=None,
        sync=False,
        debug=False,
    )


def envelope_schema(schema: JsonObject) -> JsonObject:
    """A ``flat_prefixed`` tool schema turned back into the nested envelope schema.

    ``path_id`` becomes ``path.properties.id`` and so on (other keys are body fields); a
    location is required when one of its fields is. A schema that is already nested (it
    has ``path``/``query``/``headers``/``body`` objects) is returned as it is.
    """
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {"type": "object", "properties": {}}
    if any(
        key in OBJECT_FIELDS and isinstance(value, dict) and value.get("type") == "object"
        for key, value in properties.items()
    ):
        return schema
    required = {str(name) for name in schema.get("required") or () if isinstance(name, str)}
    parts: dict[str, JsonObject] = {}
    needed: dict[str, list[str]] = {}
    for key, field_schema in properties.items():
        match = _FLAT_KEY.match(str(key))
        location, name = (match.group(1), match.group(2)) if match else ("body", str(key))
        part = parts.setdefault(location, {"type": "object", "properties": {}})
        part["properties"][name] = field_schema if isinstance(field_schema, dict) else {}
        if key in required:
            needed.setdefault(location, []).append(name)
    for location, names in needed.items():
        parts[location]["required"] = names
    nested: JsonObject = {
        "type": "object",
        "properties": {loc: parts[loc] for loc in OBJECT_FIELDS if loc in parts},
    }
    if needed:
        nested["required"] = [loc for loc in OBJECT_FIELDS if loc in needed]
    return nested


def agent_envelope(request: RpcRequest) -> JsonObject:
    """The ``/actions/rpc`` body ``stackone-ai`` sends for the same call."""
    headers: JsonObject = {}
    if request.account_id.strip():
        headers["x-account-id"] = request.account_id.strip()
    for name, value in (request.headers or {}).items():
        if value is not None:
            headers[str(name)] = value if isinstance(value, str) else _as_text(value)
    headers.pop("Authorization", None)
    envelope: JsonObject = {"action": request.action, "body": dict(request.body or {})}
    envelope["headers"] = headers
    if request.path:
        envelope["path"] = dict(request.path)
    if request.query:
        envelope["query"] = dict(request.query)
    return envelope


def agent_http_headers(request: RpcRequest) -> list[tuple[str, str]]:
    """The HTTP headers of the agent's call (the key redacted)."""
    return [
        ("Authorization", REDACTED),
        ("User-Agent", AGENT_USER_AGENT),
        ("x-account-id", request.account_id.strip()),
        ("Accept-Encoding", AGENT_ACCEPT_ENCODING),
        ("Content-Type", "application/json"),
    ]


def _as_text(value: Any) -> str:
    # Python's str(), as the SDK applies it: True becomes "True", a dict its repr.
    return str(value)


def differences(request: RpcRequest) -> list[str]:
    """What the agent sends differently from the explorer for this request, in words."""
    notes: list[str] = []
    ours = request.rpc_body()
    theirs = agent_envelope(request)
    if request.account_id.strip():
        notes.append(
            "x-account-id is also sent inside the envelope's headers (the HTTP header is the same)."
        )
    if "body" not in ours:
        notes.append("body is always sent: {} when empty (the explorer leaves it out).")
    for location in ("path", "query"):
        if location in ours and location not in theirs:
            notes.append(f"An empty {location} object is left out.")
    if request.headers and "headers" in ours:
        notes += _header_differences(request.headers)
    if "defender_config" in ours or "defender_enabled" in ours:
        notes.append(
            "No Defender settings are sent: the project's defaults apply to the agent's call."
        )
    if request.sync or request.debug:
        switches = " and ".join(n for n in ("sync", "debug") if getattr(request, n))
        notes.append(f"The agent does not send {switches}=true in the URL.")
    if request.connector_profile_id.strip():
        notes.append("No x-connector-profile-id header: the account's own profile is used.")
    notes.append(
        f"Its HTTP client sends Accept-Encoding: {AGENT_ACCEPT_ENCODING} and "
        f"User-Agent: {AGENT_USER_AGENT}."
    )
    return notes


def _header_differences(headers: dict[str, Any]) -> list[str]:
    """How the agent's text-only provider headers differ from the JSON ones we send."""
    notes = []
    changed = [
        str(name)
        for name, value in headers.items()
        if value is not None and not isinstance(value, str)
    ]
    if changed:
        notes.append("Header values are sent as text: " + ", ".join(changed) + " (Python's str()).")
    if any(value is None for value in headers.values()):
        notes.append("Headers whose value is null are left out.")
    return notes
