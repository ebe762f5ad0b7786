"""What StackOne adds around every action: Defender, ``sync=true``, ``debug=true``, and the
provider calls the request logs show.

``run`` takes an action of the catalogue (``explorer.demo.actions``) and a validated call, runs
its handler and wraps the answer as StackOne does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from explorer.demo.actions import ActionSpec, ApiError, Call, JsonObject, Reply
from explorer.demo.defender import DefenderSettings, blocked_message, scan
from explorer.demo.provider_calls import ProviderCall, derive
from explorer.demo.records import DemoFile


@dataclass(frozen=True)
class Options:
    """The per-request switches outside the action's own input."""

    sync: bool = False
    debug: bool = False
    run_id: str | None = None
    defender: DefenderSettings = field(default_factory=DefenderSettings)
    request_id: str = ""


@dataclass
class Outcome:
    """What the server sends for a successful call: a JSON body or a file, and the provider
    calls behind it (for the request logs)."""

    json: JsonObject | None = None
    file: DemoFile | None = None
    calls: list[ProviderCall] = field(default_factory=list)


def _datasync(call: Call, options: Options) -> JsonObject:
    """Deterministic datasync metadata: the same scope always hashes the same way."""
    scope = {k: v for k, v in call.query.items() if k not in ("page_size", "next")}
    canonical = json.dumps(
        {"action": call.action, "account": call.account.id, "query": scope, "path": call.path},
        sort_keys=True,
        separators=(",", ":"),
    )
    params_hash = hashlib.sha256(canonical.encode()).hexdigest()
    full_run = "run_" + hashlib.sha256(f"full:{call.account.id}".encode()).hexdigest()[:20]
    return {
        "last_full_run_id": full_run,
        "last_run_id": options.run_id or full_run,
        "request_id": options.request_id,
        "synced_at": "2026-02-24T06:00:00.000Z",
        "sync_expires_at": "2026-02-25T06:00:00.000Z",
        "params_hash": params_hash,
    }


def _calls(
    spec: ActionSpec, call: Call, reply: Reply | None, error: ApiError | None
) -> list[ProviderCall]:
    """The provider calls behind an answer: the handler's own list, else derived."""
    listed = reply.calls if reply is not None else error.calls if error is not None else None
    if listed is not None:
        return listed
    if error is not None and not error.provider_errors:
        return []  # refused before anything was sent to the provider
    url = (reply.provider_url if reply is not None else "") or spec.provider_url
    return derive(
        spec.provider_method,
        url,
        spec.provider_ms,
        data=reply.data if reply is not None else None,
        request_body=call.body or None,
        provider_errors=error.provider_errors if error is not None else None,
    )


def run(spec: ActionSpec, call: Call, options: Options) -> Outcome:
    """Run ``spec``'s handler and add Defender, datasync and debug blocks as StackOne does.

    Raises:
        ApiError: the action failed, or Defender blocked a high-risk result (403); its
            ``calls`` always say what reached the provider.
        RequestAborted: the server stopped or the client left while the action was running.
    """
    if options.sync and not spec.lists:
        raise ApiError(
            400,
            f"sync=true is only supported by list actions; {spec.name} does not return a list",
            calls=[],
        )
    try:
        reply = spec.handler(call)
    except ApiError as error:
        error.calls = _calls(spec, call, None, error)
        raise
    calls = _calls(spec, call, reply, None)
    if reply.file is not None:
        return Outcome(file=reply.file, calls=calls)
    body: JsonObject = {"data": reply.data}
    if spec.lists:
        body["next"] = reply.next
    report = scan(reply.data, options.defender, spec.name)
    if report is not None:
        if report.blocks:
            raise ApiError(403, blocked_message(spec.name, report), calls=calls)
        if report.worth_reporting:
            body["metadata"] = {"defender": report.to_json()}
    if options.sync:
        body["datasync"] = _datasync(call, options)
    if options.debug:
        body["debug"] = {
            "action": spec.name,
            "connector": spec.connector,
            "account_id": call.account.id,
            "request_id": options.request_id,
            "provider_requests": [
                {"method": c.method, "url": c.url, "status": c.status, "duration_ms": c.duration_ms}
                for c in calls
            ],
            "defender": "off" if not options.defender.active else "on",
            "duration_ms": sum(c.duration_ms for c in calls) + 14,
        }
    return Outcome(json=body, calls=calls)
