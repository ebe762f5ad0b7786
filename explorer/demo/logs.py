"""The demo's request logs: every action call it served, with the provider calls behind it,
and its platform logs: every other call to its API (accounts, the catalogue, action search,
MCP).

Shapes follow StackOne's TypeScript SDK (``UnifiedLogs``, ``StepLog`` and their ``...Partial``
list forms, and ``PlatformLog``): a log's ``request_id`` is the ``x-request-id`` of the
response, and an action's ``step_requests`` are the provider calls, each with method, URL,
status, duration, request and response. A platform log has no body and no steps: who called
what (method, path, category and resource), when, how long it took and how it ended. Logs live
in memory for the server's life (the newest ``MAX_LOGS`` of each kind), as the demo's stand-in
for StackOne's 90 days.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from explorer.demo.provider_calls import ProviderCall

MAX_LOGS = 2000
PROJECT_ID = "proj_acme_demo"
# StackOne's own work around the provider calls (auth, mapping, Defender), in milliseconds.
OVERHEAD_MS = 14


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _url_parts(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "url": url,
        "hostname": parts.hostname,
        "path": parts.path,
        "query_params": dict(parse_qsl(parts.query, keep_blank_values=True)),
    }


@dataclass
class LoggedRequest:
    """What the RPC route knows about one call it answered."""

    request_id: str
    account_id: str | None
    action: str | None
    provider: str | None
    resource: str | None
    url: str
    path: str
    query_params: dict[str, str]
    request_headers: dict[str, str]
    request_body: Any
    status: int
    response_headers: dict[str, str]
    response_body: Any
    provider_errors: list[dict[str, Any]] | None
    calls: list[ProviderCall] = field(default_factory=list)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_ms: float = 0.0
    source_type: str = "api_key"


def _about(log: LoggedRequest) -> dict[str, Any]:
    """What a request's log and each of its steps both say about the request."""
    return {
        "request_id": log.request_id,
        "account_id": log.account_id,
        "project_id": PROJECT_ID,
        "action": log.action,
        "provider": log.provider,
        "service": "actions",
        "resource": log.resource,
    }


def _step(log: LoggedRequest, call: ProviderCall, start: datetime) -> dict[str, Any]:
    """A ``StepLog``: one provider call with its request and response."""
    end = start + timedelta(milliseconds=call.duration_ms)
    response = None
    if call.status is not None:
        response = {
            "status_code": call.status,
            "headers": dict(call.response_headers),
            "body": call.response_body,
        }
    return {
        "id": "step_" + secrets.token_hex(8),
        **_about(log),
        "http_method": call.method,
        "url": call.url,
        "path": urlsplit(call.url).path,
        "status": call.status,
        "success": call.success,
        "duration": call.duration_ms,
        "start_time": _time(start),
        "end_time": _time(end),
        "is_worker": False,
        "request": {
            "id": "req_" + secrets.token_hex(8),
            "method": call.method,
            "url": _url_parts(call.url),
            "headers": dict(call.request_headers),
            "body": call.request_body,
        },
        "response": response,
    }


def build_log(log: LoggedRequest) -> dict[str, Any]:
    """A ``UnifiedLogs`` entry with its ``step_requests``, steps in the order they were made."""
    steps = []
    moment = log.started_at + timedelta(milliseconds=OVERHEAD_MS // 2)
    for call in log.calls:
        steps.append(_step(log, call, moment))
        moment += timedelta(milliseconds=call.duration_ms + 2)
    duration = max(round(log.elapsed_ms), sum(c.duration_ms for c in log.calls) + OVERHEAD_MS)
    end = log.started_at + timedelta(milliseconds=duration)
    return {
        **_about(log),
        "http_method": "POST",
        "path": log.path,
        "url": log.url,
        "status": log.status,
        "success": 200 <= log.status < 400,
        "duration": duration,
        "start_time": _time(log.started_at),
        "end_time": _time(end),
        "event_datetime": _time(log.started_at),
        "source_type": log.source_type,
        "source_id": None,
        "source_value": None,
        "is_worker": False,
        "request": {
            "id": log.request_id,
            "method": "POST",
            "url": _url_parts(log.url),
            "headers": dict(log.request_headers),
            "body": log.request_body,
        },
        "response": {
            "status_code": log.status,
            "headers": dict(log.response_headers),
            "body": log.response_body,
            "provider_errors": log.provider_errors,
        },
        "step_requests": steps,
    }


def partial(entry: dict[str, Any]) -> dict[str, Any]:
    """The list form (``UnifiedLogsPartial``/``StepLogPartial``): no bodies."""
    out = {k: v for k, v in entry.items() if k not in ("request", "response", "step_requests")}
    if "step_requests" in entry:
        out["step_requests"] = [partial(step) for step in entry["step_requests"]]
    return out


@dataclass
class PlatformCall:
    """What the server knows about one call to its platform API it answered."""

    request_id: str
    method: str
    url: str
    status: int
    account_id: str | None
    source_ip: str | None
    started_at: datetime
    elapsed_ms: float


# A platform path's category and resource (and sub-resource): ``/actions/search`` is the
# ``actions`` category's ``actions`` resource, ``search`` sub-resource.
_PLATFORM_PARTS = {
    "/accounts": ("accounts", "accounts", None),
    "/actions": ("actions", "actions", None),
    "/actions/search": ("actions", "actions", "search"),
    "/mcp": ("mcp", "mcp", None),
}


def is_platform_path(path: str) -> bool:
    """Whether a call to ``path`` goes into the platform logs (actions have request logs)."""
    return path in _PLATFORM_PARTS


def build_platform_log(call: PlatformCall) -> dict[str, Any]:
    """A ``PlatformLog`` for ``call``: no bodies, no headers, never the API key."""
    parts = urlsplit(call.url)
    category, resource, sub_resource = _PLATFORM_PARTS.get(parts.path, (None, None, None))
    duration = max(1, round(call.elapsed_ms))
    return {
        "request_id": call.request_id,
        "account_id": call.account_id,
        "project_id": PROJECT_ID,
        "action": None,
        "category": category,
        "resource": resource,
        "sub_resource": sub_resource,
        "child_resource": None,
        "http_method": call.method,
        "path": parts.path,
        "url": call.url,
        "status": call.status,
        "success": 200 <= call.status < 400,
        "duration": duration,
        "start_time": _time(call.started_at),
        "end_time": _time(call.started_at + timedelta(milliseconds=duration)),
        "event_datetime": _time(call.started_at),
        "source_type": "api_key",
        "source_id": None,
        "source_value": None,
        "source_ip": call.source_ip,
    }


class RequestLogStore:
    """The newest ``MAX_LOGS`` request logs and platform logs, newest first; safe to use from
    many threads."""

    def __init__(self, limit: int = MAX_LOGS) -> None:
        self._lock = threading.Lock()
        self._logs: deque[dict[str, Any]] = deque(maxlen=limit)
        self._platform: deque[dict[str, Any]] = deque(maxlen=limit)

    def record_platform(self, call: PlatformCall) -> dict[str, Any]:
        entry = build_platform_log(call)
        with self._lock:
            self._platform.appendleft(entry)
        return entry

    def platform(self) -> list[dict[str, Any]]:
        """Every platform log, newest first."""
        with self._lock:
            return list(self._platform)

    def record(self, log: LoggedRequest) -> dict[str, Any]:
        entry = build_log(log)
        with self._lock:
            self._logs.appendleft(entry)
        return entry

    def all(self) -> list[dict[str, Any]]:
        """Every log, newest first."""
        with self._lock:
            return list(self._logs)

    def get(self, request_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((e for e in self._logs if e["request_id"] == request_id), None)

    def steps(self) -> list[dict[str, Any]]:
        """Every step of every log, newest log first and each log's steps in order."""
        return [step for entry in self.all() for step in entry["step_requests"]]
