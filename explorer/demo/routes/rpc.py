"""``POST /actions/rpc``: run an action on a linked account, as StackOne does.

Checks run in StackOne's order after authentication: request body, ``x-account-id``, account,
account status, connector profile, action, rate limit. The body is ``ActionsRpcRequestDto``; what
StackOne's own SDKs send beyond the minimum is accepted as they send it: ``stackone-ai`` repeats
``x-account-id`` inside ``headers`` and always sends ``body: {}``.

Every call that got past authentication lands in the request logs (``explorer.demo.logs``),
failures included, with the provider calls the action pretends to have made.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from explorer.core.defender import DefenderSettings
from explorer.demo.accounts import ACCOUNTS, CONNECTOR_PROFILES, Account
from explorer.demo.actions import ACTIONS, ApiError, Call, actions_for
from explorer.demo.execution import Options, Outcome, run
from explorer.demo.logs import LoggedRequest
from explorer.demo.records import content_disposition
from explorer.demo.routes.context import (
    JSON_TYPE,
    Answer,
    DemoRequest,
    bool_param,
    text_param,
)

RPC_FIELDS = frozenset(
    {"action", "path", "query", "headers", "body", "defender_enabled", "defender_config"}
)
DEFENDER_FLAGS = (
    "enabled",
    "block_high_risk",
    "use_tier1_classification",
    "use_tier2_classification",
)


def parse_rpc_body(raw: bytes) -> dict[str, Any]:
    """Validate ``ActionsRpcRequestDto`` the way StackOne's NestJS API does: 400 with a reason."""
    if not raw.strip():
        raise ApiError(400, 'Request body is required: a JSON object with at least "action"')
    try:
        request = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise ApiError(400, "Request body must be a JSON object (ActionsRpcRequestDto)")
    unknown = sorted(set(request) - RPC_FIELDS)
    if unknown:
        raise ApiError(400, "; ".join(f"property {name} should not exist" for name in unknown))
    action = request.get("action")
    if not isinstance(action, str) or not action.strip():
        raise ApiError(400, "action should not be empty; action must be a string")
    for name in ("path", "query", "headers", "body", "defender_config"):
        if request.get(name) is not None and not isinstance(request[name], dict):
            raise ApiError(400, f"{name} must be an object")
    _check_defender(request)
    return request


def _check_defender(request: dict[str, Any]) -> None:
    """``defender_enabled`` and ``defender_config``'s flags: true, false or null."""
    if request.get("defender_enabled") is not None and not isinstance(
        request["defender_enabled"], bool
    ):
        raise ApiError(400, "defender_enabled must be a boolean value")
    config = request.get("defender_config") or {}
    for flag in config:
        if flag not in DEFENDER_FLAGS:
            raise ApiError(400, f"defender_config.property {flag} should not exist")
        if config[flag] is not None and not isinstance(config[flag], bool):
            raise ApiError(400, f"defender_config.{flag} must be a boolean value")


def linked_account(account_id: str) -> Account:
    """The account an action runs on: 400 without an id, 404 unknown, 412 not active."""
    if not account_id:
        raise ApiError(400, "Missing x-account-id header in request")
    account = ACCOUNTS.get(account_id)
    if account is None:
        raise ApiError(404, f"Account {account_id} not found in this project")
    if account.status == "suspended":
        raise ApiError(
            412,
            f"The linked account {account_id} is suspended: ask its owner to reconnect it "
            "in StackOne, then retry.",
        )
    if account.status != "active":
        reasons = "; ".join(description for _code, description, _at in account.status_reasons)
        raise ApiError(
            412,
            f"The linked account {account_id} is {account.status}: reconnect it first."
            + (f" ({reasons})" if reasons else ""),
        )
    return account


@dataclass
class ActionCall:
    """One action to run: the envelope, where it came from, and how to record it."""

    account_id: str
    envelope: dict[str, Any]
    profile_id: str = ""
    sync: bool = False
    debug: bool = False
    run_id: str | None = None
    source_type: str = "api_key"


def execute(request: DemoRequest, action_call: ActionCall) -> Outcome:
    """Check the account, profile and action, run it, and log the call either way.

    Shared by ``/actions/rpc`` and MCP's ``tools/call``, which StackOne also runs as an RPC.

    Raises:
        ApiError: any StackOne error response (already logged).
    """
    started = time.monotonic()
    account = ACCOUNTS.get(action_call.account_id)
    try:
        outcome = _run(request, action_call)
    except ApiError as error:
        _log(request, action_call, account, started, error.status, Answer.error(error), error)
        raise
    if outcome.file is not None:
        answer = Answer(200, b"", outcome.file.mime_type)
    else:
        answer = Answer.json(200, outcome.json)
    _log(request, action_call, account, started, 200, answer, outcome)
    return outcome


def _run(request: DemoRequest, action_call: ActionCall) -> Outcome:
    account = linked_account(action_call.account_id)
    envelope = action_call.envelope
    if action_call.profile_id:
        profile_connector = CONNECTOR_PROFILES.get(action_call.profile_id)
        if profile_connector is None:
            raise ApiError(
                400, f"Connector profile {action_call.profile_id} does not exist in this project"
            )
        if profile_connector != account.provider:
            raise ApiError(
                400,
                f"Connector profile {action_call.profile_id} belongs to connector "
                f"{profile_connector}, but account {account.id} uses {account.provider}",
            )
    spec = ACTIONS.get(envelope["action"])
    if spec is None or spec.connector != account.provider:
        available = ", ".join(s.name for s in actions_for(account.provider))
        raise ApiError(
            404,
            f"Action {envelope['action']} not found for connector {account.provider} "
            f"(account {account.id}). Available: {available}",
        )
    request.demo.check_rate(request.api_key)
    query = envelope.get("query") or {}
    call = Call(
        action=spec.name,
        account=account,
        runtime=request.demo.runtime(request.connection, request.api_key),
        path=envelope.get("path") or {},
        query=query,
        headers=envelope.get("headers") or {},
        body=envelope.get("body") or {},
    )
    options = Options(
        sync=action_call.sync,
        debug=action_call.debug or query.get("debug") is True,
        run_id=action_call.run_id if action_call.sync else None,
        defender=DefenderSettings.from_request(
            envelope.get("defender_config"), envelope.get("defender_enabled")
        ),
        request_id=request.request_id,
    )
    return run(spec, call, options)


def _log(
    request: DemoRequest,
    action_call: ActionCall,
    account: Account | None,
    started: float,
    status: int,
    answer: Answer,
    result: Outcome | ApiError,
) -> None:
    envelope = action_call.envelope
    action = envelope.get("action") if isinstance(envelope.get("action"), str) else None
    spec = ACTIONS.get(action or "")
    body: Any = None
    if answer.content_type.startswith("application/json") and answer.body:
        body = json.loads(answer.body)
    elif isinstance(result, Outcome) and result.file is not None:
        body = f"<file {result.file.name}: {len(result.file.content)} bytes>"
    request.demo.logs.record(
        LoggedRequest(
            request_id=request.request_id,
            account_id=action_call.account_id or None,
            action=action,
            provider=account.provider if account else spec.connector if spec else None,
            resource=spec.resource if spec else None,
            url=request.url,
            path=request.path,
            query_params={k: v[-1] for k, v in request.params.items()},
            request_headers=_logged_headers(request, action_call),
            request_body=envelope or None,
            status=status,
            response_headers={"content-type": answer.content_type, **answer.headers},
            response_body=body,
            provider_errors=result.provider_errors if isinstance(result, ApiError) else None,
            calls=list(result.calls or []),
            started_at=request.started_at,
            elapsed_ms=(time.monotonic() - started) * 1000,
            source_type=action_call.source_type,
        )
    )


def _logged_headers(request: DemoRequest, action_call: ActionCall) -> dict[str, str]:
    """The request headers as StackOne logs them: the API key masked, nothing else added."""
    headers = {"authorization": "Basic ****", "x-account-id": action_call.account_id}
    for name in ("user-agent", "content-type", "accept-encoding", "x-connector-profile-id"):
        if value := request.header(name):
            headers[name] = value
    return headers


def call_action(request: DemoRequest) -> Answer:
    """``POST /actions/rpc``."""
    try:
        envelope = parse_rpc_body(request.body)
        sync = bool_param(request.params, "sync")
        debug = bool_param(request.params, "debug")
    except ApiError as error:
        # Refused before an action could run; StackOne still logs the attempt.
        envelope = {}
        action_call = ActionCall(request.header("x-account-id"), envelope)
        _log(request, action_call, None, time.monotonic(), error.status, Answer.error(error), error)
        raise
    outcome = execute(
        request,
        ActionCall(
            account_id=request.header("x-account-id"),
            envelope=envelope,
            profile_id=request.header("x-connector-profile-id"),
            sync=sync,
            debug=debug,
            run_id=text_param(request.params, "run_id") or None,
        ),
    )
    if outcome.file is not None:
        demo_file = outcome.file
        return Answer(
            200,
            demo_file.content,
            demo_file.mime_type,
            {"Content-Disposition": content_disposition(demo_file.name)},
        )
    return Answer(200, json.dumps(outcome.json, ensure_ascii=False).encode(), JSON_TYPE)
