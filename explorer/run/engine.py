"""Running saved requests in order and judging each against its expectation.

One engine for the window and ``stackone-explorer run``: both call ``run_requests``, so a
colleague gets the same results from either. A request meets its expectation when its status
is its ``expected_status`` (any 2xx when unset); one that cannot be judged (unresolved
variables, an invalid request, no response) is an error, and never stops the run.

Captures (``core.captures``) chain the requests: after a request meets its expectation, each
of its captures takes a value from its response, and the requests after it get that value as
``{{name}}``. Precedence: a value given from outside (``--var``, ``STACKONE_VAR_*``) over a
captured one over the environment's. A capture that takes nothing fails its request, saying
which path matched nothing; a request that needs the value then ends unresolved. Captured
values live only in the run: results carry them masked (a secret-looking capture is hidden
like a secret variable), and they are never written to a collection.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from explorer.core import errors
from explorer.core.captures import CaptureError, take_all
from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange
from explorer.core.replay import template_of
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.core.response import RpcResponse
from explorer.core.secrets import REDACTED, Redactor
from explorer.core.variables import UnresolvedVariables, resolve
from explorer.store.collections import SavedRequest
from explorer.store.profiles import Profile

PASSED = "passed"
FAILED = "failed"  # a response that missed the expectation
ERROR = "error"  # nothing to judge


@dataclass
class RunResult:
    """The outcome of one saved request.

    ``outcome`` is ``PASSED``, ``FAILED`` (a response that missed the expectation) or
    ``ERROR`` (nothing to judge: unresolved variables, invalid request, no response).
    """

    name: str
    folder: str
    action: str
    expected: str
    outcome: str
    status: int | None = None
    time_ms: float | None = None
    request_id: str | None = None
    message: str = ""
    # What was sent and received, for the window's history; never in a report (it holds the
    # resolved variables, secrets included). ``None`` when the run keeps no exchanges.
    exchange: Exchange | None = field(default=None, repr=False, compare=False)
    # Each capture's name and value as shown (a secret one ``REDACTED``), in the saved order.
    captured: list[tuple[str, str]] = field(default_factory=list)
    # The status met the expectation but a capture took nothing (the message says which).
    capture_failed: bool = False
    # The secret values captured, to hide from the history; never in a report.
    captured_secrets: list[str] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def not_judged(cls, saved: SavedRequest, message: str = "") -> RunResult:
        """An ``ERROR`` result for ``saved`` (filled in as far as the run gets)."""
        return cls(
            name=saved.name,
            folder=saved.folder,
            action=saved.request.action,
            expected=saved.expectation(),
            outcome=ERROR,
            message=message,
        )

    @classmethod
    def crashed(cls, saved: SavedRequest, exc: BaseException) -> RunResult:
        """The result of a request whose run hit a bug: the run still reports it and goes on
        (or ends visibly in the window)."""
        return cls.not_judged(saved, f"Unexpected error: {type(exc).__name__}: {exc}")

    @property
    def passed(self) -> bool:
        return self.outcome == PASSED

    @property
    def cancelled(self) -> bool:
        """Whether the request was aborted by a cancel (not sent, or its answer dropped)."""
        failure = self.exchange.failure if self.exchange is not None else None
        return failure is not None and failure.kind == errors.Cancelled.__name__

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "folder": self.folder,
            "action": self.action,
            "expected_status": self.expected,
            "outcome": self.outcome,
            "passed": self.passed,
            "status": self.status,
            "time_ms": None if self.time_ms is None else round(self.time_ms, 1),
            "request_id": self.request_id,
            "message": self.message,
            "captured": dict(self.captured),
        }


Progress = Callable[[int, SavedRequest, "RunResult | None"], None]


def run_requests(
    requests: Sequence[SavedRequest],
    *,
    client: RpcClient,
    api_key: str,
    values: Mapping[str, str],
    profile: Profile | None = None,
    base_url: str | None = None,
    masked: Iterable[str] = (),
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    keep_exchanges: bool = True,
    given: Iterable[str] = (),
) -> list[RunResult]:
    """Send each request in order and judge it. Never raises for a single request's problem.

    Args:
        values: the environment's variables (secrets included) for ``{{name}}`` placeholders.
        profile: supplies the base URL and account id where a request leaves them unset.
        base_url: overrides every request's base URL (``--base-url``).
        masked: secret values; a server message or action that echoes one (or the API key)
            shows ``REDACTED`` instead, so results can be printed and written anywhere.
        progress: called before (result ``None``) and after each request, on the calling
            thread (the window runs this on a worker and forwards it by signal).
        cancel: ``cancel()`` from another thread aborts the request in flight (it ends as an
            error, "Cancelled") and runs no further request; the results so far are returned.
        keep_exchanges: keep each request's ``Exchange`` (what was sent and received, the
            key hidden) in its result, for the window's history. The command line keeps
            none, and so spares each request that record and its redaction.
        given: the names in ``values`` given from outside the environment: no capture
            overrides them.
    """
    masked = [*masked, api_key]
    hide = Redactor(masked)
    fixed = set(given)
    captured: dict[str, str] = {}
    # Captured values over the given mapping (a ChainMap writes only to its first map).
    chained = ChainMap(captured, cast("MutableMapping[str, str]", values))
    results: list[RunResult] = []
    for index, saved in enumerate(requests):
        if cancel is not None and cancel.cancelled:
            break
        if progress is not None:
            progress(index, saved, None)
        taken: dict[str, str] = {}
        try:
            result, taken = _run_one(
                saved, client, api_key, chained, profile, base_url, cancel, keep_exchanges
            )
        except Exception as exc:  # one request's bug must not cost the run its report
            result = RunResult.crashed(saved, exc)
        if result.captured_secrets:
            masked.extend(result.captured_secrets)
            hide = Redactor(masked)
        captured.update({k: v for k, v in taken.items() if k not in fixed})
        # Where a resolved value or the key can come back: the action, a header and messages.
        result.action, result.message = hide.field(result.action), hide.field(result.message)
        result.captured = [(name, hide.field(value)) for name, value in result.captured]
        if result.request_id:
            result.request_id = hide.field(result.request_id)
        results.append(result)
        if progress is not None:
            progress(index, saved, result)
    return results


def target_request(
    saved: SavedRequest,
    values: Mapping[str, str],
    profile: Profile | None,
    base_url: str | None,
) -> tuple[RpcRequest | None, str]:
    """``saved`` as ``run_requests`` sends it: variables filled in, the profile's base URL and
    account where the request leaves them unset (``base_url`` overrides every request's).

    Returns the request and ``""``, or why it cannot be sent (the request is ``None`` when
    its variables could not be resolved).
    """
    try:
        request = resolve(saved.request, values)
    except UnresolvedVariables as exc:
        return None, str(exc)
    if base_url:
        request.base_url = base_url
    elif profile is not None and request.base_url == DEFAULT_BASE_URL:
        request.base_url = profile.base_url
    if not request.account_id.strip() and profile is not None:
        request.account_id = profile.account_id
    if not request.account_id.strip():
        return request, (
            "not sent: no account id. Set it in the request (or a {{variable}}), or run with "
            "a --profile that has a default account."
        )
    return request, ""


def _run_one(
    saved: SavedRequest,
    client: RpcClient,
    api_key: str,
    values: Mapping[str, str],
    profile: Profile | None,
    base_url: str | None,
    cancel: CancelToken | None,
    keep_exchange: bool,
) -> tuple[RunResult, dict[str, str]]:
    """One request sent and judged, and the values its captures took (none unless it passed)."""
    result = RunResult.not_judged(saved)
    request, problem = target_request(saved, values, profile, base_url)
    if request is not None:
        result.action = request.action
    if request is None or problem:
        result.message = problem
        return result, {}
    try:
        if keep_exchange:
            exchange = client.exchange(
                request, api_key, cancel=cancel, profile=profile.name if profile else ""
            )
            exchange.template = template_of(saved.request)  # the history's way back to secrets
            result.exchange = exchange
            response = exchange.response
            if exchange.failure is not None or response is None:
                result.message = exchange.failure.message if exchange.failure else "no response"
                return result, {}
        else:
            response = client.send(request, api_key, cancel=cancel)
    except errors.InvalidRequest as exc:
        result.message = f"not sent: {exc}"
        return result, {}
    except errors.TransportError as exc:  # as ``exchange`` records it (``Failure.message``)
        result.message = str(exc)
        return result, {}
    _judge(result, saved, response)
    if not result.passed or not saved.captures:
        return result, {}
    return result, _capture(result, saved, response)


def _capture(result: RunResult, saved: SavedRequest, response: RpcResponse) -> dict[str, str]:
    """Take ``saved``'s captures from its response into ``result`` (shown masked); a capture
    that takes nothing fails the request."""
    try:
        taken = take_all(saved.captures, response.json, is_json=response.json is not None)
    except CaptureError as exc:
        result.outcome = FAILED
        result.capture_failed = True
        result.message = str(exc)
        return {}
    secret = {c.name for c in saved.captures if c.secret}
    result.captured = [(k, REDACTED if k in secret else v) for k, v in taken.items()]
    result.captured_secrets = [v for k, v in taken.items() if k in secret]
    return taken


def _judge(result: RunResult, saved: SavedRequest, response: RpcResponse) -> None:
    result.status = response.status
    result.time_ms = response.timing.total_ms
    result.request_id = response.request_id
    if saved.expects(response.status):
        result.outcome = PASSED
        return
    result.outcome = FAILED
    detail = response.error.message if response.error and response.error.message else ""
    result.message = f"expected HTTP {result.expected}, got {response.status}" + (
        f": {detail}" if detail else ""
    )
