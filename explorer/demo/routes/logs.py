"""``GET /requests/logs``, ``/requests/logs/steps``, ``/requests/logs/{id}`` and
``/requests/platform-logs``: the demo's logs.

As StackOne's TypeScript SDK models them: lists are ``{data: [...Partial], next}`` paged by an
opaque ``next`` cursor and ``page_size``; one log is ``{data: UnifiedLogs}`` whose
``step_requests`` (the provider calls, with bodies) come with ``include=step_logs`` (or
``advanced_logs``). Filters arrive flat (``request_ids=...``), as the SDK sends them, or as
``filter[request_ids]=...``; each takes a comma-separated list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from explorer.demo.actions import ApiError, encode_cursor
from explorer.demo.logs import partial
from explorer.demo.routes.context import (
    Answer,
    DemoRequest,
    filter_param,
    int_param,
    offset_cursor,
    text_param,
)

DEFAULT_PAGE_SIZE = 25
LOG_INCLUDES = ("step_logs", "advanced_logs")
_ORDER_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "eventDatetime": lambda e: e.get("event_datetime") or e.get("start_time") or "",
    "provider": lambda e: e.get("provider") or "",
    "service": lambda e: e.get("service") or "",
    "status": lambda e: e.get("status") or 0,
    "duration": lambda e: e.get("duration") or 0,
}
# (filter name, field it matches)
_FILTERS = (
    ("request_ids", "request_id"),
    ("account_ids", "account_id"),
    ("actions", "action"),
    ("providers", "provider"),
    ("http_methods", "http_method"),
    ("resources", "resource"),
    ("services", "service"),
    ("source_types", "source_type"),
)


# The platform logs' filters (``StackoneListPlatformLogsQueryParamFilter``).
_PLATFORM_FILTERS = (
    ("request_ids", "request_id"),
    ("account_ids", "account_id"),
    ("actions", "action"),
    ("categories", "category"),
    ("http_methods", "http_method"),
    ("resources", "resource"),
    ("source_ids", "source_id"),
    ("source_types", "source_type"),
    ("source_values", "source_value"),
)


def _criteria(
    params: dict[str, list[str]], filters: tuple[tuple[str, str], ...] = _FILTERS
) -> Callable[[dict[str, Any]], bool]:
    """The filters of the query as one test, each checked before any log is read."""
    wanted = [(key, filter_param(params, name)) for name, key in filters]
    wanted.append(("status", filter_param(params, "status_codes")))
    success = filter_param(params, "success")
    flag: bool | None = None
    if success:
        if success[-1].lower() not in ("true", "false"):
            raise ApiError(400, f"success must be true or false, got {success[-1]!r}")
        flag = success[-1].lower() == "true"

    def matches(entry: dict[str, Any]) -> bool:
        for key, values in wanted:
            if values and str(entry.get(key) or "") not in values:
                return False
        return flag is None or bool(entry.get("success")) == flag

    return matches


def _ordered(entries: list[dict[str, Any]], params: dict[str, list[str]]) -> list[dict[str, Any]]:
    order_by = text_param(params, "order_by") or text_param(params, "filter[order_by]")
    direction = text_param(params, "order_direction") or text_param(
        params, "filter[order_direction]"
    )
    if order_by and order_by not in _ORDER_KEYS:
        raise ApiError(400, f"order_by must be one of {', '.join(_ORDER_KEYS)}, got {order_by!r}")
    if direction and direction not in ("asc", "desc"):
        raise ApiError(400, f"order_direction must be asc or desc, got {direction!r}")
    key = _ORDER_KEYS[order_by or "eventDatetime"]
    return sorted(entries, key=key, reverse=(direction or "desc") == "desc")


def _page(request: DemoRequest, items: list[dict[str, Any]]) -> Answer:
    size = int_param(request.params, "page_size", DEFAULT_PAGE_SIZE, minimum=1, maximum=100)
    cursor = text_param(request.params, "next")
    start = offset_cursor(cursor, len(items)) if cursor else 0
    end = start + size
    return Answer.json(
        200, {"data": items[start:end], "next": encode_cursor(end) if end < len(items) else None}
    )


def _include(request: DemoRequest) -> bool:
    include = text_param(request.params, "include")
    if include and include not in LOG_INCLUDES:
        raise ApiError(400, f"include must be one of {', '.join(LOG_INCLUDES)}, got {include!r}")
    return bool(include)


def list_logs(request: DemoRequest) -> Answer:
    """``GET /requests/logs``: newest first unless ordered otherwise."""
    request.demo.check_rate(request.api_key)
    with_steps = _include(request)
    matches = _criteria(request.params)
    entries = [e for e in request.demo.logs.all() if matches(e)]
    items = []
    for entry in _ordered(entries, request.params):
        item = partial(entry)
        if not with_steps:
            item.pop("step_requests", None)
        items.append(item)
    return _page(request, items)


def list_steps(request: DemoRequest) -> Answer:
    """``GET /requests/logs/steps``: every provider call, without bodies."""
    request.demo.check_rate(request.api_key)
    matches = _criteria(request.params)
    steps = [s for s in request.demo.logs.steps() if matches(s)]
    return _page(request, [partial(step) for step in _ordered(steps, request.params)])


def get_log(request: DemoRequest) -> Answer:
    """``GET /requests/logs/{id}``: one log; its steps with ``include=step_logs``."""
    request.demo.check_rate(request.api_key)
    with_steps = _include(request)
    request_id = request.path_params.get("id", "")
    entry = request.demo.logs.get(request_id)
    if entry is None:
        raise ApiError(
            404,
            f"Request log {request_id} not found: logs are kept 90 days, and only for this "
            "project's requests",
        )
    log = dict(entry)
    if not with_steps:
        log.pop("step_requests", None)
    return Answer.json(200, {"data": log})


def _period(params: dict[str, list[str]]) -> Callable[[dict[str, Any]], bool]:
    """``start_date`` and ``end_date`` (ISO 8601, as the SDK sends them) as one test on a
    log's event time."""
    bounds: list[datetime | None] = []
    for name in ("start_date", "end_date"):
        values = filter_param(params, name)
        try:
            moment = datetime.fromisoformat(values[-1].replace("Z", "+00:00")) if values else None
        except ValueError:
            raise ApiError(
                400, f"{name} must be an ISO 8601 date-time, got {values[-1]!r}"
            ) from None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        bounds.append(moment)
    start, end = bounds

    def within(entry: dict[str, Any]) -> bool:
        text = entry.get("event_datetime")
        if not isinstance(text, str) or (start is None and end is None):
            return True
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (start is None or moment >= start) and (end is None or moment <= end)

    return within


def list_platform_logs(request: DemoRequest) -> Answer:
    """``GET /requests/platform-logs``: the calls to the platform API (accounts, the
    catalogue, action search, MCP), newest first unless ordered otherwise."""
    request.demo.check_rate(request.api_key)
    matches = _criteria(request.params, _PLATFORM_FILTERS)
    within = _period(request.params)
    entries = [e for e in request.demo.logs.platform() if matches(e) and within(e)]
    return _page(request, _ordered(entries, request.params))
