"""The trace of one RPC call: what StackOne did with it, provider call by provider call.

Built from StackOne's request log (``explorer.core.request_logs``) for a request id (an RPC
response's ``x-request-id``, or one pasted from a ticket). The steps keep their time order; a
failing step is marked (``TraceStep.failed``, ``Trace.failures``) so a view can draw it first
to the eye without reordering the story. Bodies are pretty-printed (a provider's error body
often arrives as a JSON string), and every header, query parameter and body field that holds a
credential is masked before any text leaves this module: StackOne logs the provider's
credentials too. A step's request can be read as an HTTP message or copied as curl; neither
ever carries the StackOne API key.

Masking follows the one secrets policy: ``explorer.core.secrets.mask`` (credentials by field
name, ``Bearer``/``Basic`` tokens and form fields in logged text, and the known key).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import DEFAULT_TIMEOUT
from explorer.core.request_logs import LoggedExchange, RequestLog, StepLog, fetch_log
from explorer.core.secrets import MIN_TEXT_LENGTH, mask, mask_url
from explorer.core.wire import basic_auth

# How long StackOne keeps request logs (its docs): an older id answers 404.
LOG_RETENTION_DAYS = 90
# What a request id may contain: StackOne's are hex; be generous, refuse spaces and quotes.
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{3,127}")


def secrets_of(api_key: str) -> list[str]:
    """What counts as the StackOne key in a log: the key itself and its Basic header form."""
    if not api_key:
        return []
    header = basic_auth(api_key)
    return [api_key, header, header.split(" ", 1)[1]]


# -- text ---------------------------------------------------------------------------------


def decoded(body: Any) -> Any:
    """A logged body as data: a provider's JSON error often arrives as a string of JSON."""
    if isinstance(body, str) and body.strip()[:1] in ("{", "["):
        try:
            return json.loads(body)
        except ValueError:
            return body
    return body


def pretty(body: Any) -> str:
    """A body as a person reads it: JSON indented (also JSON sent as a string), else as is."""
    body = decoded(body)
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    try:
        return json.dumps(body, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(body)


def human_duration(ms: float | None) -> str:
    if ms is None:
        return ""
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"


@dataclass(frozen=True)
class TracePart:
    """A step's request or response, masked, with its body pretty-printed."""

    headers: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    provider_errors: str = ""


@dataclass(frozen=True)
class TraceStep:
    """One provider call StackOne made, ready to show: every text already masked."""

    number: int  # 1-based, in time order
    method: str
    url: str
    status: int | None
    failed: bool
    duration_ms: float | None
    start_time: str
    provider: str
    request: TracePart
    response: TracePart | None

    def line(self) -> str:
        """One line for a list: ``2  GET https://…  401  120 ms  failed``."""
        status = str(self.status) if self.status is not None else "no answer"
        facts = [f"{self.number}", self.method or "?", self.url, status]
        if self.duration_ms is not None:
            facts.append(human_duration(self.duration_ms))
        if self.failed:
            facts.append("FAILED")
        return "  ".join(facts)

    def request_text(self) -> str:
        """The provider request as an HTTP message: request line, headers, blank line, body."""
        lines = [f"{self.method or 'GET'} {self.url}"]
        lines += [f"{name}: {value}" for name, value in self.request.headers.items()]
        text = "\n".join(lines)
        return f"{text}\n\n{self.request.body}" if self.request.body else text

    def response_head(self) -> str:
        """The provider's status line and headers (``HTTP 401`` and one header a line)."""
        status = str(self.status) if self.status is not None else ""
        lines = [f"HTTP {status}".rstrip()]
        if self.response is not None:
            lines += [f"{name}: {value}" for name, value in self.response.headers.items()]
        return "\n".join(lines)

    def response_text(self) -> str:
        if self.response is None:
            return "(no response: the provider did not answer)"
        text = self.response_head()
        if self.response.body:
            text += "\n\n" + self.response.body
        if self.response.provider_errors:
            text += "\n\nprovider_errors:\n" + self.response.provider_errors
        return text

    def curl(self) -> str:
        """The provider request as a curl command. Credentials stay masked (``<redacted>``):
        put the provider's own credential in to replay it; the StackOne key is never in it."""
        parts = [f"curl -X {shlex.quote(self.method or 'GET')} {shlex.quote(self.url)}"]
        for name, value in self.request.headers.items():
            parts.append(f"-H {shlex.quote(f'{name}: {value}')}")
        if self.request.body:
            parts.append(f"--data-raw {shlex.quote(self.request.body)}")
        return " \\\n  ".join(parts)


@dataclass(frozen=True)
class Trace:
    """The story of one request: StackOne's log and each provider call, in time order."""

    request_id: str
    action: str
    account_id: str
    provider: str
    status: int | None
    duration_ms: float | None
    start_time: str
    steps: list[TraceStep]
    http_method: str = ""  # the RPC call's own, for a log without an action name
    source_type: str = ""  # how the call came in: "api_key", "mcp"...

    @property
    def failures(self) -> list[TraceStep]:
        return [s for s in self.steps if s.failed]

    def summary(self) -> str:
        """``3 provider calls, 1 failed: step 1 GET https://… answered 401``."""
        count = len(self.steps)
        if not count:
            return "StackOne made no provider call for this request."
        text = f"{count} provider call{'s' if count != 1 else ''}"
        failed = self.failures
        if not failed:
            return text + ", none failed."
        first = failed[0]
        status = f"answered {first.status}" if first.status is not None else "got no answer"
        return (
            f"{text}, {len(failed)} failed: step {first.number} {first.method} {first.url} "
            f"{status}."
        )


def _part(exchange: LoggedExchange | None, known: list[str]) -> TracePart | None:
    if exchange is None:
        return None
    problems = exchange.provider_errors
    return TracePart(
        headers=mask(dict(exchange.headers), known),
        body=pretty(mask(decoded(exchange.body), known)),
        provider_errors=pretty(mask(problems, known)) if problems else "",
    )


def _step(number: int, step: StepLog, known: list[str]) -> TraceStep:
    request = _part(step.request, known) or TracePart()
    url = step.url or (step.request.url if step.request else "")
    method = step.http_method or (step.request.method if step.request else "")
    return TraceStep(
        number=number,
        method=method.upper(),
        url=mask_url(url, known),
        status=step.status,
        failed=step.failed,
        duration_ms=step.duration_ms,
        start_time=step.start_time,
        provider=step.provider,
        request=request,
        response=_part(step.response, known),
    )


def build_trace(log: RequestLog, *, secrets: Iterable[str] = ()) -> Trace:
    """The trace of ``log`` with everything masked (``secrets``: e.g. ``secrets_of(key)``)."""
    known = sorted({s for s in secrets if s and len(s) >= MIN_TEXT_LENGTH}, key=len, reverse=True)
    return Trace(
        request_id=log.request_id,
        action=log.action,
        account_id=log.account_id,
        provider=log.provider,
        status=log.status,
        duration_ms=log.duration_ms,
        start_time=log.start_time,
        steps=[_step(n, s, known) for n, s in enumerate(log.steps, start=1)],
        http_method=log.http_method,
        source_type=log.source_type,
    )


def load_trace(
    client: RpcClient,
    base_url: str,
    api_key: str,
    request_id: str,
    *,
    cancel: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Trace:
    """Fetch the log of ``request_id`` with its steps and build its trace (blocking: call it
    off the UI thread).

    Raises:
        The errors of ``fetch_log``; ``problem_words`` says each in words.
    """
    log = fetch_log(client, base_url, api_key, request_id, cancel=cancel, timeout=timeout)
    return build_trace(log, secrets=secrets_of(api_key))


# -- request ids and problems -------------------------------------------------------------


def parse_request_id(text: str) -> str | None:
    """The request id in pasted text: a bare id, ``x-request-id: …``, or a line that quotes
    one (``Request id: abc123 (quote it to support)``); ``None`` when there is none."""
    cleaned = text.strip().strip("`'\"")
    if not cleaned:
        return None
    if ":" in cleaned and not _REQUEST_ID.fullmatch(cleaned):
        label, _, rest = cleaned.partition(":")
        if "id" in label.lower():
            cleaned = rest.strip()
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", cleaned)
    for word in words:
        if _REQUEST_ID.fullmatch(word) and any(c.isdigit() for c in word):
            return str(word)
    return None


def problem_words(error: BaseException, request_id: str, profile: str = "") -> str:
    """Why there is no trace, in words a support engineer can act on."""
    if isinstance(error, errors.RemoteError):
        status = error.response.status
        if status == 404:
            return (
                f"StackOne has no log for request id {request_id}. Logs are kept "
                f"{LOG_RETENTION_DAYS} days: an older request is gone. Check the id, and that "
                "it comes from this profile's project."
            )
        if status == 403:
            return (
                "This API key may not read request logs: it lacks the scope (a key with only "
                "the Actions scope cannot). Use a key with access to logs."
            )
        if status == 401:
            who = f" of profile '{profile}'" if profile else ""
            return f"StackOne did not accept the API key{who} (401): check it."
        if status == 429:
            wait = error.response.retry_after
            after = f" in {wait:.0f} s" if wait else " in a moment"
            return f"Rate limited by StackOne (429): try again{after}."
        return f"StackOne answered {status} for the request log: {error}"
    if isinstance(error, errors.Cancelled):
        return "Stopped."
    if isinstance(error, errors.TransportError):
        return f"The request log could not be fetched: {error.describe()}"
    if isinstance(error, errors.ExplorerError):
        return f"The request log could not be read: {error}"
    return f"Unexpected error while reading the request log: {error!r}"
