"""``POST /actions/search``: find actions by what they do ("onboard a new hire").

StackOne's SDKs read two result shapes: ``stackone-ai`` takes ``results[].id``, a versioned id
such as ``slack_1.0.0_slack_send_message_global`` that names the action ``slack_send_message``,
with ``similarity_score``; other readers take ``action_name``, ``connector_key`` and ``label``.
Both are read; a result naming neither is skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import DEFAULT_TIMEOUT, check_base_url
from explorer.core.wire import service_headers

# connector _ version _ action name _ scope (``global``, or a project's).
_VERSIONED_ID = re.compile(r"^([a-z][a-z0-9]*(?:_[a-z0-9]+)*?)_\d+(?:\.\d+)+_(.+)_[a-z0-9]+$")


@dataclass(frozen=True)
class ActionMatch:
    """One search result: the action name ``/actions/rpc`` takes, and how well it matched."""

    name: str
    connector_key: str = ""
    label: str = ""
    description: str = ""
    score: float | None = None
    raw_id: str = ""

    @classmethod
    def from_json(cls, data: Any) -> ActionMatch | None:
        if not isinstance(data, dict):
            return None
        raw_id = _text(data, "id")
        name = _text(data, "action_name")
        connector = _text(data, "connector_key")
        if not name and raw_id:
            connector_from_id, name = action_name(raw_id)
            connector = connector or connector_from_id
        if not name.strip():
            return None
        score = data.get("similarity_score", data.get("score"))
        label = data.get("label")
        description = data.get("description")
        return cls(
            name=name.strip(),
            connector_key=connector,
            label=label if isinstance(label, str) else "",
            description=description if isinstance(description, str) else "",
            score=float(score)
            if isinstance(score, int | float) and not isinstance(score, bool)
            else None,
            raw_id=raw_id,
        )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def action_name(result_id: str) -> tuple[str, str]:
    """``(connector, action name)`` of a versioned search id; a plain id is its own name."""
    match = _VERSIONED_ID.match(result_id.strip())
    if match is None:
        return "", result_id.strip()
    return match.group(1), match.group(2)


def search_actions(
    client: RpcClient,
    base_url: str,
    api_key: str,
    query: str,
    *,
    connector: str | None = None,
    top_k: int | None = None,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[ActionMatch]:
    """The best matches for ``query``, best first, each action once.

    Raises:
        InvalidRequest: ``base_url`` is not an http(s) URL (nothing is sent).
        TransportError: no complete response arrived (including ``Cancelled``).
        RemoteError: StackOne answered an error status.
        BadResponse: the answer has no ``results`` list.
    """
    import httpx

    root = check_base_url(base_url)
    payload: dict[str, Any] = {"query": query}
    if connector and connector.strip():
        payload["connector"] = connector.strip()
    if top_k is not None:
        payload["top_k"] = max(1, top_k)
    request = httpx.Request(
        "POST",
        root + "/actions/search",
        headers=[*service_headers(api_key), ("Content-Type", "application/json")],
        content=json.dumps(payload).encode(),
    )
    response = client.send_http(request, base_url=root, timeout=timeout, cancel=cancel)
    response.raise_for_error()
    body = response.json if response.kind == "json" else None
    results = body.get("results", body.get("data")) if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise errors.BadResponse(root, "POST /actions/search answered no results list")
    matches: list[ActionMatch] = []
    seen: set[str] = set()
    for match in map(ActionMatch.from_json, results):
        if match is not None and match.name not in seen:
            seen.add(match.name)
            matches.append(match)
    return matches
