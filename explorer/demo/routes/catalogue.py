"""``GET /actions`` (the catalogue) and ``POST /actions/search`` (semantic action search).

The catalogue has the TypeScript SDK's shape (``ActionsMetaPaginated``): connectors with their
actions, each action's input schema in ``operation_details`` when asked with ``include``. The
sources disagree on the ``include`` value (the SDK: ``operation_details``; the docs:
``action_details``); the demo takes both unless started with ``include_values`` narrowed, which
plays a server that refuses the docs' value. Some connectors' details are not published yet
(``details_published=False``): their actions come without details, and a client has to find the
schema elsewhere (MCP's ``tools/list``).

Search answers both result shapes StackOne's SDKs read: ``stackone-ai`` reads ``id`` (a
versioned id, ``bamboohr_1.0.0_bamboohr_list_employees_global``) and ``similarity_score``; other
readers take ``action_name``, ``connector_key`` and ``label``. The score is word overlap, a
deterministic stand-in for StackOne's embeddings.
"""

from __future__ import annotations

import re
from typing import Any

from explorer.demo.accounts import ACCOUNTS, CONNECTORS
from explorer.demo.actions import ActionSpec, ApiError, actions_for, encode_cursor
from explorer.demo.routes.context import (
    Answer,
    DemoRequest,
    int_param,
    json_object_body,
    list_param,
    offset_cursor,
    text_param,
)

DEFAULT_MIN_SIMILARITY = 0.4
DEFAULT_TOP_K = 10
_WORD = re.compile(r"[a-z0-9]+")


def _authentication(connector_key: str) -> list[dict[str, str]]:
    kind = "oauth2" if connector_key in ("google_drive", "hibob") else "custom"
    return [{"key": f"{connector_key}_{kind}", "label": "Default", "type": kind}]


def _action_item(spec: ActionSpec, details: bool) -> dict[str, Any]:
    item = spec.to_json(details=details)
    item["authentication"] = _authentication(spec.connector)
    return item


def list_actions(request: DemoRequest) -> Answer:
    request.demo.check_rate(request.api_key)
    params = request.params
    connectors = list_param(params, "filter[connectors]")
    account_ids = list_param(params, "filter[account_ids]")
    action_keys = list_param(params, "filter[action_key]")
    include = list_param(params, "include")
    for value in include:
        if value not in request.demo.include_values:
            allowed = ", ".join(request.demo.include_values)
            raise ApiError(
                400, f"include must be one of the following values: {allowed}; got {value!r}"
            )
    search = text_param(params, "search").casefold()
    page_size = int_param(params, "page_size", 25, minimum=1, maximum=100)
    details = bool(include)
    wanted = set(connectors) if connectors else set(CONNECTORS)
    if account_ids:
        wanted &= {ACCOUNTS[a].provider for a in account_ids if a in ACCOUNTS}

    metas = []
    for connector in CONNECTORS.values():
        if connector.key not in wanted:
            continue
        specs = [
            s
            for s in actions_for(connector.key)
            if (not action_keys or s.name in action_keys)
            and (
                not search
                or search in s.name.casefold()
                or search in s.label.casefold()
                or search in s.description.casefold()
            )
        ]
        if (search or action_keys) and not specs:
            continue
        metas.append(
            {
                "key": connector.key,
                "name": connector.name,
                "description": connector.description,
                "icon": connector.icon(),
                "version": connector.version,
                "release_stage": connector.release_stage,
                "categories": list(connector.categories),
                "authentication": _authentication(connector.key),
                "actions": [
                    _action_item(s, details and connector.details_published) for s in specs
                ],
            }
        )
    cursor = text_param(params, "next")
    start = offset_cursor(cursor, len(metas)) if cursor else 0
    end = start + page_size
    return Answer.json(
        200,
        {"data": metas[start:end], "next": encode_cursor(end) if end < len(metas) else None},
    )


def versioned_id(spec: ActionSpec) -> str:
    """The id StackOne's search answers: connector, version, action name, scope."""
    return f"{spec.connector}_{CONNECTORS[spec.connector].version}_{spec.name}_global"


def _words(text: str) -> set[str]:
    words = set(_WORD.findall(text.casefold()))
    # "employee" finds "employees": a crude stem is enough for a stand-in.
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


def _score(query: set[str], spec: ActionSpec) -> float:
    """Mostly how much of the query the action covers, a little how much of its name the
    query covers (so "list employees" ranks list_employees above list_employee_notes)."""
    if not query:
        return 0.0
    name = _words(spec.name.replace("_", " "))
    haystack = name | _words(" ".join((spec.label, spec.description, " ".join(spec.tags))))
    recall = len(query & haystack) / len(query)
    return round(0.85 * recall + 0.15 * len(query & name) / len(name), 4)


def search_actions(request: DemoRequest) -> Answer:
    """``POST /actions/search`` {query, connector?, top_k?, min_similarity?, project_id?}."""
    request.demo.check_rate(request.api_key)
    body = json_object_body(request.body, '{"query": "..."}')
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ApiError(400, "query should not be empty; query must be a string")
    connector = body.get("connector")
    if connector is not None and not isinstance(connector, str):
        raise ApiError(400, "connector must be a string")
    top_k = body.get("top_k", DEFAULT_TOP_K)
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 50:
        raise ApiError(400, f"top_k must be an integer between 1 and 50, got {top_k!r}")
    floor = body.get("min_similarity", DEFAULT_MIN_SIMILARITY)
    if isinstance(floor, bool) or not isinstance(floor, int | float) or not 0 <= floor <= 1:
        raise ApiError(400, f"min_similarity must be a number between 0 and 1, got {floor!r}")
    words = _words(query)
    scored = []
    for key in CONNECTORS:
        if connector and key != connector:
            continue
        for spec in actions_for(key):
            score = _score(words, spec)
            if score >= floor and score > 0:
                scored.append((score, spec))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    results = [
        {
            "id": versioned_id(spec),
            "action_name": spec.name,
            "connector_key": spec.connector,
            "label": spec.label,
            "description": spec.description,
            "similarity_score": score,
        }
        for score, spec in scored[:top_k]
    ]
    return Answer.json(
        200,
        {
            "results": results,
            "total_count": len(results),
            "query": query,
            "connector_filter": connector,
            "project_filter": body.get("project_id"),
        },
    )
