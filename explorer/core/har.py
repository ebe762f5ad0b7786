"""Exports of exchanges: HAR 1.2 (for browsers' and proxies' tools) and our own JSON format.

Both are pure functions of ``Exchange`` objects, so the history window, the command-line
runner and the tests share them. Secrets never appear: every header ``is_secret_header``
names (``Authorization`` first of all) is redacted here again, whatever the exchange holds.

HAR notes (http://www.softwareishard.com/blog/har-12-spec/):
- ``time`` is the sum of the non-negative ``timings``; we know the time to first byte
  (``wait``) and the total, so ``send`` is 0 and ``receive`` is the rest.
- An exchange that got no response (refused, timed out, cancelled) is still an entry, with
  ``response.status`` 0 and the failure in the custom field ``_error``, as browsers do.
- ``bodySize`` is the size on the wire; when the response was compressed we only have the
  decoded body, so it is -1 ("unknown") and ``content.size`` carries the decoded size.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from explorer.core.errors import InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import RpcResponse
from explorer.core.secrets import redact_headers
from explorer.core.wire import SentRequest, build_headers, encode_body

HAR_VERSION = "1.2"
CREATOR_NAME = "StackOne RPC Explorer"
HTTP_VERSION = "HTTP/1.1"  # httpx speaks HTTP/1.1 unless HTTP/2 is enabled, which we do not
EXPORT_FORMAT = "stackone-explorer-history"
EXPORT_VERSION = 1


def to_har(exchanges: list[Exchange], *, creator_version: str) -> dict[str, Any]:
    """A HAR 1.2 document (``{"log": {...}}``) with one entry per exchange, in the given order."""
    return {
        "log": {
            "version": HAR_VERSION,
            "creator": {"name": CREATOR_NAME, "version": creator_version},
            "entries": [_entry(exchange) for exchange in exchanges],
        }
    }


def _entry(exchange: Exchange) -> dict[str, Any]:
    sent = exchange.sent or _unsent(exchange.request)
    response = exchange.response
    if response is not None:
        wait = max(0.0, response.timing.ttfb_ms)
        receive = max(0.0, response.timing.total_ms - wait)
    else:
        wait = receive = 0.0
    entry: dict[str, Any] = {
        "startedDateTime": exchange.started_at,
        "time": wait + receive,
        "request": _request(sent),
        "response": _response(response) if response is not None else _no_response(exchange),
        "cache": {},
        "timings": {
            "blocked": -1,
            "dns": -1,
            "connect": -1,
            "ssl": -1,
            "send": 0,
            "wait": wait,
            "receive": receive,
        },
        "comment": exchange.request.action,
        "_stackone": {
            "id": exchange.id,
            "action": exchange.request.action,
            "account_id": exchange.request.account_id,
            "profile": exchange.profile,
        },
    }
    if exchange.note or exchange.tags:
        # The user's note about the call (plain text they typed), where HAR viewers show it.
        tags = " ".join(f"#{tag}" for tag in exchange.tags)
        entry["comment"] = " ".join(filter(None, [exchange.request.action, exchange.note, tags]))
        entry["_stackone"].update(note=exchange.note, tags=list(exchange.tags))
    return entry


def _unsent(request: RpcRequest) -> SentRequest:
    """What would have gone on the wire, for an exchange recorded without it."""
    headers = redact_headers(build_headers(request, api_key=""))
    try:
        body = encode_body(request).decode("utf-8")
    except InvalidRequest:
        # NaN or Infinity in a request that was never sent: record it as the user wrote it.
        body = json.dumps(request.rpc_body(), ensure_ascii=False, separators=(",", ":"))
    return SentRequest(method="POST", url=request.url(), headers=headers, body=body)


def _headers(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in redact_headers(pairs)]


def _header(pairs: list[tuple[str, str]], name: str) -> str | None:
    for key, value in pairs:
        if key.lower() == name:
            return value
    return None


def _request(sent: SentRequest) -> dict[str, Any]:
    query = urlsplit(sent.url).query
    request: dict[str, Any] = {
        "method": sent.method,
        "url": sent.url,
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _headers(sent.headers),
        "queryString": [
            {"name": name, "value": value}
            for name, value in parse_qsl(query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(sent.body.encode("utf-8")),
    }
    if sent.body:
        request["postData"] = {
            "mimeType": _header(sent.headers, "content-type") or "application/json",
            "text": sent.body,
        }
    return request


def _response(response: RpcResponse) -> dict[str, Any]:
    content: dict[str, Any] = {
        "size": response.size,
        "mimeType": response.content_type or "x-unknown",
    }
    if response.over_limit:
        content["comment"] = OVER_LIMIT_NOTE.format(size=response.size)
    elif response.body:
        text = _as_text(response)
        if text is None:
            content["text"] = base64.b64encode(response.body).decode("ascii")
            content["encoding"] = "base64"
        else:
            content["text"] = text
    compressed = _header(response.headers, "content-encoding") not in (None, "", "identity")
    return {
        "status": response.status,
        "statusText": response.reason,
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _headers(response.headers),
        "content": content,
        "redirectURL": _header(response.headers, "location") or "",
        "headersSize": -1,
        "bodySize": response.wire_size
        if response.wire_size is not None
        else (-1 if compressed else response.size),
    }


# What exports say instead of a body over the body limit (kept in the history, not inlined).
OVER_LIMIT_NOTE = (
    "The body ({size} bytes) is over the body size limit: it is kept in the explorer's "
    "history and saved whole with Save body, not inlined in exports."
)


def _as_text(response: RpcResponse) -> str | None:
    """The body as text when it is text; ``None`` means "store it as base64"."""
    if response.kind == "binary":
        return None
    try:
        return response.body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _no_response(exchange: Exchange) -> dict[str, Any]:
    failure = exchange.failure
    return {
        "status": 0,
        "statusText": "",
        "httpVersion": "",
        "cookies": [],
        "headers": [],
        "content": {"size": 0, "mimeType": "x-unknown"},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
        "_error": failure.message if failure else "No response was received.",
        "_errorKind": failure.kind if failure else "",
    }


def history_export(exchanges: list[Exchange]) -> dict[str, Any]:
    """Our own lossless format: every exchange's ``to_dict()`` (bodies included, secrets not)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exchanges": [exchange.to_dict() for exchange in exchanges],
    }


def history_import(data: Any) -> list[Exchange]:
    """Read a ``history_export`` document back.

    Raises:
        ValueError: ``data`` is not such a document (or from a newer, unknown version).
    """
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError("not a StackOne Explorer history export")
    version = data.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise ValueError(
            f"history export version {version!r} is newer than this explorer understands; "
            "update the explorer"
        )
    items = data.get("exchanges")
    if not isinstance(items, list):
        raise ValueError("the history export has no list of exchanges")
    return [Exchange.from_dict(item) for item in items if isinstance(item, dict)]
