"""Reading what StackOne sends back: success bodies, the error envelope, files, timings.

``read_response`` is pure: it takes the status, headers and body bytes and returns an
``RpcResponse`` that the UI, history and the runner all read the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from explorer.core.body import BodyFile
from explorer.core.errors import RemoteError
from explorer.core.json_scanner import json_problem, loads_in_steps
from explorer.core.limits import MAX_JSON_DEPTH, json_depth

Headers = list[tuple[str, str]]

# Success bodies above this many bytes are only checked to be JSON when they arrive; ``json``
# and ``result`` are parsed when first read. ``json.loads`` of 10 MB holds the GIL (freezing
# the window) for 0.2 s, and the tree of a million objects slows every garbage collection
# after - while the response view, history and exports only need the bytes.
LAZY_JSON_SIZE = 1_000_000

# What each status means for someone calling StackOne (from StackOne's documentation).
STATUS_MEANINGS: dict[int, str] = {
    400: "Bad request: StackOne rejected the request as malformed (e.g. a missing x-account-id "
    "header or an action input it could not use).",
    401: "Unauthorized: the API key is missing or wrong. Check the profile's API key.",
    403: "Forbidden: the API key lacks a scope for this action, or the request was blocked "
    "(for example by Defender or a missing User-Agent).",
    404: "Not found: the account id or the resource does not exist in this project.",
    408: "Request timeout: the action took longer than StackOne allows (60 s). Retry after the "
    "indicated delay.",
    409: "Conflict: the resource already exists or changed meanwhile.",
    412: "Precondition failed: the linked account is disabled, suspended or its credentials "
    "expired. Ask the customer to reconnect the account.",
    422: "Unprocessable: the provider rejected the payload. See the provider errors below.",
    429: "Too many requests: the API key hit its rate limit (1000 requests/minute). Wait for "
    "Retry-After, then retry.",
    500: "Internal server error at StackOne. Retry; if it persists, quote the request id to "
    "StackOne support.",
    501: "Not implemented: this action is not supported for this provider.",
    502: "Bad gateway: the provider behind StackOne failed. See the provider errors below.",
}


def status_meaning(status: int) -> str:
    """A sentence explaining ``status`` to a person."""
    if status in STATUS_MEANINGS:
        return STATUS_MEANINGS[status]
    if 200 <= status < 300:
        return "Success."
    if 400 <= status < 500:
        return "The request was rejected; read the message below."
    if status >= 500:
        return "The server failed; retry, and quote the request id if it persists."
    return ""


def explain_status(response: RpcResponse) -> str:
    """A sentence explaining this response's status, worded from what it says.

    A 429 carrying ``provider_errors`` is the provider (HiBob, BambooHR...) limiting the
    linked account, which StackOne passes on: blaming the API key's limit would send the user
    after the wrong quota.
    """
    error = response.error
    if response.status == 429 and error is not None and error.provider_errors:
        hosts = [urlsplit(p.url).hostname for p in error.provider_errors if p.url]
        provider = next((host for host in hosts if host), None)
        who = f"the provider ({provider})" if provider else "the provider"
        return (
            f"Too many requests: {who} is rate limiting this linked account, and StackOne "
            "passed its answer on (see the provider errors below). Wait for Retry-After, then "
            "retry; if it keeps happening, it is the provider's quota for this account that "
            "runs out."
        )
    return status_meaning(response.status)


def limits_the_key(response: RpcResponse) -> bool:
    """Whether a 429 is StackOne's own limit for the API key (every call with the key must
    wait for ``Retry-After``) rather than a provider limiting one linked account (a 429
    carrying ``provider_errors``, see ``explain_status``)."""
    error = response.error
    return response.status == 429 and not (error is not None and error.provider_errors)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


@dataclass
class ProviderError:
    """One entry of ``provider_errors``: what the SaaS provider itself answered."""

    status: int | None = None
    url: str | None = None
    raw: Any = None
    headers: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: Any) -> ProviderError:
        if not isinstance(data, dict):
            return cls(raw=data)
        status = data.get("status")
        return cls(
            status=int(status) if isinstance(status, int | float) else None,
            url=data.get("url") if isinstance(data.get("url"), str) else None,
            raw=data.get("raw"),
            headers=data.get("headers") if isinstance(data.get("headers"), dict) else None,
        )


@dataclass
class StackOneError:
    """StackOne's error envelope: ``{statusCode, message, timestamp, data?, provider_errors?}``."""

    status_code: int | None = None
    message: str = ""
    timestamp: str = ""
    error_code: str | None = None
    data: dict[str, Any] | None = None
    provider_errors: list[ProviderError] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> StackOneError | None:
        """``None`` when ``data`` does not look like the envelope at all."""
        if not isinstance(data, dict) or not ({"statusCode", "message"} & data.keys()):
            return None
        code = data.get("statusCode")
        message = data.get("message")
        if isinstance(message, list):  # NestJS validation errors come as a list of strings
            message = "; ".join(str(m) for m in message)
        raw_errors = data.get("provider_errors")
        return cls(
            status_code=int(code) if isinstance(code, int | float) else None,
            message=message if isinstance(message, str) else "",
            timestamp=str(data.get("timestamp") or ""),
            error_code=data.get("errorCode") if isinstance(data.get("errorCode"), str) else None,
            data=data.get("data") if isinstance(data.get("data"), dict) else None,
            provider_errors=[ProviderError.from_json(e) for e in raw_errors]
            if isinstance(raw_errors, list)
            else [],
        )


@dataclass
class RpcResult:
    """A successful JSON body: ``data`` plus its cursor, the datasync block and the rest."""

    data: Any = None
    next_cursor: str | None = None
    datasync: dict[str, Any] | None = None
    debug: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, body: Any) -> RpcResult:
        if not isinstance(body, dict):
            return cls(data=body)
        extra = {k: v for k, v in body.items() if k not in ("data", "next", "next_cursor")}
        cursor = body.get("next", body.get("next_cursor"))
        datasync = body.get("datasync")
        return cls(
            data=body.get("data"),
            next_cursor=str(cursor) if cursor not in (None, "") else None,
            datasync=datasync if isinstance(datasync, dict) else None,
            debug=body.get("debug"),
            extra=extra,
        )


@dataclass
class Timing:
    """Milliseconds: ``ttfb_ms`` until the response headers arrived, ``total_ms`` until the end."""

    total_ms: float = 0.0
    ttfb_ms: float = 0.0


@dataclass
class RpcResponse:
    """Everything about one HTTP response, already interpreted.

    ``kind`` is ``"json"`` (``json`` holds the parsed body), ``"binary"`` (a file download:
    see ``filename``), ``"text"`` (any other textual body) or ``"empty"``. A body that claims
    to be JSON but cannot be read as such (broken, or nested deeper than the explorer reads)
    is ``"text"``, shown as it came, with the reason in ``json_problem``.
    """

    status: int
    reason: str
    headers: Headers
    body: bytes
    content_type: str = ""
    kind: str = "empty"
    json: Any = None
    error: StackOneError | None = None
    result: RpcResult | None = None
    filename: str | None = None
    request_id: str | None = None
    retry_after: float | None = None
    timing: Timing = field(default_factory=Timing)
    json_problem: str | None = None
    # A body over the body limit is not held: ``body`` is empty and the body is in this file.
    body_file: BodyFile | None = None
    # Bytes received when the body came compressed (``None``: as it came, ``size`` bytes).
    wire_size: int | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def size(self) -> int:
        """The body's size as decoded: what is shown, kept and saved."""
        return self.body_file.size if self.body_file is not None else len(self.body)

    @property
    def over_limit(self) -> bool:
        """Whether the body was over the body limit: on disk only, not analysed."""
        return self.body_file is not None

    @property
    def content_encoding(self) -> str:
        return (self.header("content-encoding") or "").strip()

    @property
    def status_class(self) -> str:
        """``"2xx"``, ``"4xx"``, ... for filtering history."""
        return f"{self.status // 100}xx"

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def encoding(self) -> str:
        """The body's character set (from ``Content-Type``; UTF-8 when none is given)."""
        return _charset(self.header("content-type") or "")

    def text(self) -> str:
        """The body as text; for a body over the limit, only its beginning (``HEAD_SIZE``)."""
        body = self.body_file.head() if self.body_file is not None else self.body
        return body.decode(self.encoding, errors="replace")

    def raise_for_error(self) -> None:
        if not self.ok:
            raise RemoteError(self)


class _LazyJsonResponse(RpcResponse):
    """An ``RpcResponse`` whose big success body is parsed on the first read of ``json`` or
    ``result``, by whichever thread reads it; the values are those an eager parse gives.

    Built by ``read_response`` only after ``is_json`` confirmed the body parses, so ``kind``
    is exact from the start.
    """

    _pending = False  # a class default: the dataclass ``__init__`` assigns json/result first
    _json_value: Any = None
    _result_value: RpcResult | None = None

    def defer(self) -> None:
        self._pending = True

    def _load(self) -> None:
        if self._pending:
            value = loads_in_steps(self.body.decode(_charset(self.content_type)))
            self._json_value = value
            self._result_value = RpcResult.from_json(value)
            self._pending = False

    @property
    def json(self) -> Any:
        self._load()
        return self._json_value

    @json.setter
    def json(self, value: Any) -> None:
        self._load()
        self._json_value = value

    @property
    def result(self) -> RpcResult | None:
        self._load()
        return self._result_value

    @result.setter
    def result(self, value: RpcResult | None) -> None:
        self._load()
        self._result_value = value


def _parse(body: bytes, charset: str) -> tuple[Any, str | None]:
    """``(value, None)`` for a JSON body within the limits, else ``(None, why not)``."""
    try:
        text = body.decode(charset)
    except UnicodeDecodeError as exc:
        return None, f"not {charset} text ({exc.reason} at byte {exc.start})"
    try:
        value = json.loads(text)
    except RecursionError:
        return None, f"nested deeper than {MAX_JSON_DEPTH} levels"
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        return None, str(exc)
    if json_depth(text) > MAX_JSON_DEPTH:
        return None, f"nested deeper than {MAX_JSON_DEPTH} levels"
    return value, None


def _header(headers: Headers, name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def is_json_type(content_type: str) -> bool:
    """Only ``application/json`` and ``*+json`` are JSON (StackOne's file actions are not)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or mime.endswith("+json")


def is_text_type(content_type: str) -> bool:
    """Whether a body of this type is text a person can read (``text/*``, XML...)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return (
        mime.startswith("text/")
        or mime
        in (
            "application/xml",
            "application/javascript",
            "application/x-www-form-urlencoded",
        )
        or mime.endswith("+xml")
    )


def _charset(content_type: str) -> str:
    match = re.search(r"charset=\"?([\w.-]+)", content_type, re.I)
    if match:
        try:
            "".encode(match.group(1))
            return match.group(1)
        except LookupError:
            pass
    return "utf-8"


def filename_from_disposition(value: str | None) -> str | None:
    """The file name of a ``Content-Disposition`` header; ``filename*=`` (RFC 5987) wins."""
    if not value:
        return None
    star = re.search(r"filename\*\s*=\s*([^;]+)", value, re.I)
    if star:
        raw = star.group(1).strip().strip('"')
        charset, _, rest = raw.partition("'")
        _lang, _, encoded = rest.partition("'")
        if encoded:
            try:
                return _safe_name(unquote(encoded, encoding=charset or "utf-8", errors="strict"))
            except (LookupError, UnicodeDecodeError):
                return _safe_name(unquote(encoded, encoding="latin-1"))
    plain = re.search(r'filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)', value, re.I)
    if plain:
        name = plain.group(2) if plain.group(2) is not None else plain.group(1).strip()
        return _safe_name(re.sub(r"\\(.)", r"\1", name))
    return None


def _safe_name(name: str) -> str | None:
    """Never let a server choose a directory: keep the last path component only."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name if name not in ("", ".", "..") else None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils  # ~8 ms at start-up for one rare header form: imported when met

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _read_kind(response: RpcResponse, body: bytes, disposition: str | None) -> None:
    """Set what the body is (``kind``), and its JSON or why it is not JSON. A lazy response's
    body is only checked; the caller defers its parsing."""
    content_type = response.content_type
    attachment = bool(disposition and "attachment" in disposition.lower())
    if response.body_file is not None:
        readable = is_json_type(content_type) or is_text_type(content_type)
        response.kind = "binary" if attachment or not readable else "text"
    elif not body:
        response.kind = "empty"
    elif isinstance(response, _LazyJsonResponse):
        try:
            response.json_problem = json_problem(body.decode(_charset(content_type)))
        except UnicodeDecodeError as exc:
            response.json_problem = (
                f"not {_charset(content_type)} text ({exc.reason} at byte {exc.start})"
            )
        # Claiming JSON but not being JSON, it is shown as it came.
        response.kind = "json" if response.json_problem is None else "text"
    elif is_json_type(content_type):
        value, response.json_problem = _parse(body, _charset(content_type))
        if response.json_problem is None:
            response.json = value
            response.kind = "json"
        else:
            response.kind = "text"  # claims JSON but is not (or too deep): show it as it came
    elif attachment or not is_text_type(content_type):
        response.kind = "binary"
    else:
        response.kind = "text"


def read_response(
    status: int,
    headers: Headers,
    body: bytes,
    *,
    reason: str = "",
    timing: Timing | None = None,
    now: datetime | None = None,
    body_file: BodyFile | None = None,
    wire_size: int | None = None,
) -> RpcResponse:
    """Interpret one HTTP response from ``/actions/rpc``.

    A success JSON body over ``LAZY_JSON_SIZE`` bytes is checked in steps (other threads keep
    running) and parsed only when ``json`` or ``result`` is first read. A body over the body
    limit comes as ``body_file`` (``body`` empty): it is never parsed, its kind comes from
    its content type.
    """
    content_type = _header(headers, "content-type") or ""
    lazy = (
        body_file is None
        and 200 <= status < 300
        and len(body) > LAZY_JSON_SIZE
        and is_json_type(content_type)
    )
    response = (_LazyJsonResponse if lazy else RpcResponse)(
        status=status,
        reason=reason or reason_phrase(status),
        headers=list(headers),
        body=body,
        timing=timing or Timing(),
        body_file=body_file,
        wire_size=wire_size,
    )
    response.content_type = content_type
    response.request_id = response.header("x-request-id")
    response.retry_after = parse_retry_after(response.header("retry-after"), now)
    disposition = response.header("content-disposition")
    response.filename = filename_from_disposition(disposition)
    _read_kind(response, body, disposition)
    if isinstance(response, _LazyJsonResponse) and response.kind == "json":
        response.defer()  # checked: parsed when first read
        return response

    if response.kind == "json":
        if response.ok:
            response.result = RpcResult.from_json(response.json)
        else:
            response.error = StackOneError.from_json(response.json)
    if not response.ok and response.error is None:
        # A proxy or load balancer error page: still give the user something to read.
        snippet = response.text()[:300].strip() if response.kind == "text" else ""
        response.error = StackOneError(
            status_code=status, message=snippet or response.reason or f"HTTP {status}"
        )
    return response
