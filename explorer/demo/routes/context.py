"""What a demo route receives and returns, and how it reads query parameters.

A route is a plain function ``(DemoRequest) -> Answer`` that raises ``ApiError`` for a StackOne
error response. The HTTP handler (``explorer.demo.server.handler``) does everything around it:
reading the body, authentication, compression, the ``x-request-id``, sending. Keeping routes free
of sockets lets each endpoint be read on its own page, as StackOne documents it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from typing import TYPE_CHECKING, Any

from explorer.demo.actions import ApiError

if TYPE_CHECKING:
    from explorer.demo.server.demo_server import DemoServer

JSON_TYPE = "application/json; charset=utf-8"


def timestamp(moment: datetime | None = None) -> str:
    """RFC 3339 with milliseconds and ``Z``, as StackOne writes times (and the SDK parses)."""
    moment = moment or datetime.now(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error_body(
    status: int,
    message: str,
    *,
    provider_errors: list[dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """StackOne's error envelope; ``data``/``provider_errors`` only when there is something."""
    body: dict[str, Any] = {"statusCode": status, "message": message, "timestamp": timestamp()}
    if data is not None:
        body["data"] = data
    if provider_errors is not None:
        body["provider_errors"] = provider_errors
    return body


@dataclass
class DemoRequest:
    """One authenticated request, as a route sees it.

    ``headers`` is the request's header mapping (case-insensitive ``get``); ``connection`` the
    client's socket, which slow actions watch to stop early when the client gives up.
    """

    demo: DemoServer
    method: str
    path: str
    params: dict[str, list[str]]
    headers: Message
    body: bytes
    api_key: str
    request_id: str
    connection: socket.socket
    url: str = ""
    path_params: dict[str, str] = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def header(self, name: str) -> str:
        value = self.headers.get(name)
        return value.strip() if isinstance(value, str) else ""


@dataclass
class Answer:
    """What to send: status, body bytes, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: Any, headers: dict[str, str] | None = None) -> Answer:
        payload = json.dumps(value, ensure_ascii=False).encode()
        return cls(status, payload, JSON_TYPE, dict(headers or {}))

    @classmethod
    def error(cls, error: ApiError) -> Answer:
        body = error_body(
            error.status, error.message, provider_errors=error.provider_errors, data=error.data
        )
        return cls.json(error.status, body, error.headers)


Endpoint = Callable[[DemoRequest], Answer]


# -- query parameters ----------------------------------------------------------------------------


def bool_param(params: dict[str, list[str]], name: str) -> bool:
    values = params.get(name)
    if not values:
        return False
    value = values[-1].strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ApiError(400, f"{name} must be a boolean value (true or false), got {values[-1]!r}")


def text_param(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name)
    return values[-1].strip() if values else ""


def list_param(params: dict[str, list[str]], name: str) -> list[str]:
    """``name[]=a&name[]=b``, ``name=a&name=b`` and ``name=a,b`` all mean ``[a, b]``."""
    values = params.get(name, []) + params.get(f"{name}[]", [])
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def filter_param(params: dict[str, list[str]], name: str) -> list[str]:
    """A filter sent deep-object style (``filter[name]=a,b``) or flat (``name=a,b``).

    StackOne's TypeScript SDK encodes ``GET /actions`` filters as ``filter[...]`` and the
    request-log filters form-style, which flattens the object into plain ``name=...`` pairs;
    both reach the same filter.
    """
    return list_param(params, f"filter[{name}]") + list_param(params, name)


def int_param(
    params: dict[str, list[str]],
    name: str,
    default: int,
    *,
    minimum: int,
    maximum: int | None = None,
) -> int:
    values = params.get(name)
    if not values:
        return default
    text = values[-1].strip()
    if not re.fullmatch(r"\d+", text) or int(text) < minimum or (maximum and int(text) > maximum):
        bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ApiError(400, f"{name} must be an integer {bounds}, got {values[-1]!r}")
    return int(text)


def offset_cursor(cursor: str, total: int) -> int:
    """The offset inside an opaque ``next`` cursor (see ``actions.encode_cursor``)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["offset"]
        if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= total:
            return offset
    except (binascii.Error, ValueError, KeyError, TypeError):
        pass
    raise ApiError(400, f"Invalid cursor {cursor!r}: pass the previous page's next value unchanged")


def json_object_body(raw: bytes, what: str) -> dict[str, Any]:
    """A JSON object request body, or a 400 naming what was expected."""
    if not raw.strip():
        raise ApiError(400, f"Request body is required: {what}")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ApiError(400, f"Request body must be a JSON object ({what})")
    return value
