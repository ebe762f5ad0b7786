"""StackOne's request logs: what StackOne did with an RPC call, step by step.

``GET /requests/logs/{id}?include=step_logs`` returns the log of one request (its id is the
RPC response's ``x-request-id``) with ``step_requests``: every HTTP call StackOne made to the
provider, with method, URL, status, duration, request and response. ``GET /requests/logs``
and ``GET /requests/logs/steps`` list logs and steps without bodies, paged by ``next``. Shapes
follow StackOne's TypeScript SDK (``UnifiedLogs``, ``StepLog``); every field may be missing or
``null``, so readers are tolerant, as in ``explorer.core.discovery``.

Bodies in logs may hold the customer's data and provider credentials: whoever shows them
masks secrets with the one policy, and nothing here stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import quote

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import (
    DEFAULT_TIMEOUT,
    MAX_PAGES,
    Listing,
    check_base_url,
    get_json,
    get_pages,
)

JsonObject = dict[str, Any]


def _text(data: JsonObject, key: str) -> str:
    value = data.get(key)
    return "" if value is None else value if isinstance(value, str) else str(value)


def _number(data: JsonObject, key: str) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _status(data: JsonObject) -> int | None:
    value = _number(data, "status")
    return int(value) if value is not None else None


def _url(value: Any) -> str:
    """A URL given as a string or as the SDK's ``{url, hostname, path, query_params}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value, "url") or _text(value, "path")
    return ""


@dataclass(frozen=True)
class LoggedExchange:
    """The request or response part of a log or step (``None`` parts were not logged)."""

    method: str = ""
    url: str = ""
    status: int | None = None
    headers: JsonObject = field(default_factory=dict)
    body: Any = None
    provider_errors: list[JsonObject] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> LoggedExchange | None:
        if not isinstance(data, dict):
            return None
        headers = data.get("headers")
        problems = data.get("provider_errors")
        status = data.get("status_code")
        return cls(
            method=_text(data, "method"),
            url=_url(data.get("url")),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            headers=headers if isinstance(headers, dict) else {},
            body=data.get("body"),
            provider_errors=[p for p in problems if isinstance(p, dict)]
            if isinstance(problems, list)
            else [],
        )


@dataclass(frozen=True, kw_only=True)
class LoggedCall:
    """One HTTP call as StackOne logged it: what a request log and each of its steps share."""

    provider: str = ""
    http_method: str = ""
    url: str = ""
    status: int | None = None
    success: bool | None = None
    duration_ms: float | None = None
    request: LoggedExchange | None = None
    response: LoggedExchange | None = None

    @classmethod
    def _read(cls, data: JsonObject, **own: Any) -> Self:
        """``cls`` from a log or a step: the shared fields read here, ``own`` the rest."""
        success = data.get("success")
        return cls(
            provider=_text(data, "provider"),
            http_method=_text(data, "http_method"),
            url=_text(data, "url"),
            status=_status(data),
            success=success if isinstance(success, bool) else None,
            duration_ms=_number(data, "duration"),
            request=LoggedExchange.from_json(data.get("request")),
            response=LoggedExchange.from_json(data.get("response")),
            **own,
        )


@dataclass(frozen=True)
class StepLog(LoggedCall):
    """One HTTP call StackOne made to the provider for a request."""

    id: str = ""
    request_id: str = ""
    start_time: str = ""
    end_time: str = ""

    @property
    def failed(self) -> bool:
        """A step that got no answer or an error status (whatever ``success`` claims)."""
        if self.success is False:
            return True
        return self.status is None or self.status >= 400

    @classmethod
    def from_json(cls, data: Any) -> StepLog | None:
        if not isinstance(data, dict):
            return None
        return cls._read(
            data,
            id=_text(data, "id"),
            request_id=_text(data, "request_id"),
            start_time=_text(data, "start_time"),
            end_time=_text(data, "end_time"),
        )


@dataclass(frozen=True)
class RequestLog(LoggedCall):
    """StackOne's log of one request, with its provider steps in time order."""

    request_id: str
    account_id: str = ""
    action: str = ""
    start_time: str = ""
    source_type: str = ""
    steps: list[StepLog] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> RequestLog | None:
        """``None`` for an entry without a request id: nothing could identify it."""
        if not isinstance(data, dict) or not _text(data, "request_id").strip():
            return None
        raw_steps = data.get("step_requests")
        steps = [s for s in map(StepLog.from_json, raw_steps or []) if s is not None]
        steps.sort(key=lambda s: s.start_time)  # stable: the server's order breaks ties
        return cls._read(
            data,
            request_id=_text(data, "request_id").strip(),
            account_id=_text(data, "account_id"),
            action=_text(data, "action"),
            start_time=_text(data, "start_time") or _text(data, "event_datetime"),
            source_type=_text(data, "source_type"),
            steps=steps if isinstance(raw_steps, list) else [],
        )


def fetch_log(
    client: RpcClient,
    base_url: str,
    api_key: str,
    request_id: str,
    *,
    steps: bool = True,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> RequestLog:
    """The log of ``request_id`` (an RPC response's ``x-request-id``), with its steps.

    Raises:
        InvalidRequest: ``base_url`` is not an http(s) URL (nothing is sent).
        TransportError: no complete response arrived (including ``Cancelled``).
        RemoteError: e.g. 404 for an unknown or expired id, 403 for a key without the scope.
        BadResponse: the answer is not a log.
    """
    root = check_base_url(base_url)
    path = "/requests/logs/" + quote(request_id.strip(), safe="")
    params = [("include", "step_logs")] if steps else []
    body = get_json(client, root, path, params, api_key, cancel, timeout)
    data = body.get("data") if isinstance(body, dict) else None
    log = RequestLog.from_json(data if isinstance(data, dict) else body)
    if log is None:
        raise errors.BadResponse(root, f"GET {path} answered no request log")
    return log


def _filters(**values: str | Sequence[str] | bool | None) -> list[tuple[str, str]]:
    """The SDK's flat filter parameters, lists comma-separated."""
    params: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params.append((name, "true" if value else "false"))
        elif isinstance(value, str):
            if value.strip():
                params.append((name, value.strip()))
        elif names := [v.strip() for v in value if v and v.strip()]:
            params.append((name, ",".join(names)))
    return params


def list_logs(
    client: RpcClient,
    base_url: str,
    api_key: str,
    *,
    request_ids: Sequence[str] | None = None,
    account_ids: Sequence[str] | None = None,
    actions: Sequence[str] | None = None,
    success: bool | None = None,
    page_size: int = 100,
    max_pages: int = MAX_PAGES,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Listing[RequestLog]:
    """Request logs, newest first, without bodies (fetch one with ``fetch_log`` for those)."""
    root = check_base_url(base_url)
    params = _filters(
        request_ids=request_ids, account_ids=account_ids, actions=actions, success=success
    )
    params.append(("page_size", str(max(1, page_size))))
    items, complete = get_pages(
        client, root, "/requests/logs", params, api_key, cancel, timeout, max_pages
    )
    logs = [log for log in map(RequestLog.from_json, items) if log is not None]
    return Listing(logs, complete=complete)


def list_steps(
    client: RpcClient,
    base_url: str,
    api_key: str,
    *,
    request_ids: Sequence[str] | None = None,
    success: bool | None = None,
    page_size: int = 100,
    max_pages: int = MAX_PAGES,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Listing[StepLog]:
    """Provider steps across requests, without bodies."""
    root = check_base_url(base_url)
    params = _filters(request_ids=request_ids, success=success)
    params.append(("page_size", str(max(1, page_size))))
    items, complete = get_pages(
        client, root, "/requests/logs/steps", params, api_key, cancel, timeout, max_pages
    )
    return Listing([s for s in map(StepLog.from_json, items) if s is not None], complete=complete)
