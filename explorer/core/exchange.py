"""One Send as plain data, and its JSON form (history, exports, HAR all start here)."""

from __future__ import annotations

import base64
import binascii
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from explorer.core import errors
from explorer.core.body import BodyFile
from explorer.core.request import RpcRequest
from explorer.core.response import RpcResponse, Timing, read_response
from explorer.core.secrets import redact_header_object, redact_headers
from explorer.core.wire import SentRequest

FORMAT_VERSION = 1


@dataclass
class Failure:
    """A transport failure as plain data: the error class name and its message."""

    kind: str
    message: str

    @classmethod
    def from_error(cls, error: errors.TransportError) -> Failure:
        return cls(kind=type(error).__name__, message=str(error))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Exchange:
    """One Send: the request as the user meant it, what went on the wire, and the outcome.

    Exactly one of ``response`` and ``failure`` is set once the exchange has finished.
    """

    request: RpcRequest
    sent: SentRequest | None = None
    response: RpcResponse | None = None
    failure: Failure | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: str = field(default_factory=_now)
    profile: str = ""
    # The user's own words about it, kept in the history and exported with it (plain text
    # the user typed: not secrets, not masked).
    note: str = ""
    tags: tuple[str, ...] = ()
    # The request as written, with its ``{{variables}}`` (never their values), when it used
    # any: the history's scrubbed copy of ``request`` lacks the secrets, and a replay takes
    # them from the environment again through it (``core.replay``).
    template: RpcRequest | None = None

    def seconds_since_response(self, now: datetime | None = None) -> float:
        """How long ago the answer arrived (start plus the time it took); 0 when unknown.

        A ``Retry-After`` counts from then: an entry re-opened from the history has usually
        waited long enough already.
        """
        try:
            started = datetime.fromisoformat(self.started_at)
        except ValueError:
            return 0.0
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        took = self.response.timing.total_ms / 1000 if self.response else 0.0
        return max(0.0, ((now or datetime.now(UTC)) - started).total_seconds() - took)

    @property
    def status_class(self) -> str:
        """``"2xx"``...``"5xx"``, or ``"none"`` when no response came back."""
        return self.response.status_class if self.response else "none"

    def to_dict(self, *, include_body: bool = True) -> dict[str, Any]:
        """Our JSON form. Secrets are redacted; ``include_body=False`` leaves the body out
        (the history store keeps large bodies in a file of their own)."""
        request = _request_dict(self.request)
        out: dict[str, Any] = {
            "id": self.id,
            "started_at": self.started_at,
            "profile": self.profile,
            "request": request,
            "sent": self.sent.to_dict() if self.sent else None,
            "response": None,
            "failure": {"kind": self.failure.kind, "message": self.failure.message}
            if self.failure
            else None,
        }
        if self.response is not None:
            r = self.response
            response: dict[str, Any] = {
                "status": r.status,
                "reason": r.reason,
                "headers": [list(h) for h in redact_headers(r.headers)],
                "size": r.size,
                "timing": {"total_ms": r.timing.total_ms, "ttfb_ms": r.timing.ttfb_ms},
            }
            if r.wire_size is not None:
                response["wire_size"] = r.wire_size
            if include_body and r.over_limit:
                response["body_omitted"] = "over the body size limit"
            elif include_body:
                response.update(encode_body(r.body))
            out["response"] = response
        if self.template is not None:
            out["template"] = _request_dict(self.template)
        if self.note:
            out["note"] = self.note
        if self.tags:
            out["tags"] = list(self.tags)
        return out

    @classmethod
    def from_dict(
        cls, data: Any, *, body: bytes | None = None, body_file: BodyFile | None = None
    ) -> Exchange:
        """Rebuild an exchange; ``body`` (or, for one over the body limit, ``body_file``)
        overrides the one inside ``data`` (if any).

        Tolerant of what a hand-edited or damaged file holds: a field of the wrong type reads
        as missing.

        Raises:
            ValueError: ``data`` is not an object, or its response cannot be read at all
                (e.g. a status that is not a number, a body that is not base64).
        """
        if not isinstance(data, dict):
            raise ValueError("a saved exchange must be a JSON object")
        sent = data.get("sent")
        failure = data.get("failure")
        raw = data.get("response")
        response = None
        if isinstance(raw, dict):
            timing = raw.get("timing")
            timing = timing if isinstance(timing, dict) else {}
            headers = raw.get("headers")
            response = read_response(
                _status(raw.get("status", 0)),
                [
                    (str(pair[0]), str(pair[1]))
                    for pair in (headers if isinstance(headers, list) else [])
                    if isinstance(pair, list | tuple) and len(pair) == 2
                ],
                b"" if body_file is not None else body if body is not None else decode_body(raw),
                reason=_text(raw.get("reason")),
                timing=Timing(
                    total_ms=_number(timing.get("total_ms")),
                    ttfb_ms=_number(timing.get("ttfb_ms")),
                ),
                body_file=body_file,
                wire_size=_size(raw.get("wire_size")),
            )
        request = data.get("request")
        template = data.get("template")
        tags = data.get("tags")
        return cls(
            request=RpcRequest.from_dict(request if isinstance(request, dict) else {}),
            sent=SentRequest.from_dict(sent) if isinstance(sent, dict) else None,
            response=response,
            failure=Failure(_text(failure.get("kind")), _text(failure.get("message")))
            if isinstance(failure, dict)
            else None,
            id=_text(data.get("id")) or uuid.uuid4().hex,
            started_at=_text(data.get("started_at")) or _now(),
            profile=_text(data.get("profile")),
            note=_text(data.get("note")),
            tags=tuple(t for t in tags if isinstance(t, str) and t)
            if isinstance(tags, list)
            else (),
            template=RpcRequest.from_dict(template) if isinstance(template, dict) else None,
        )


def _request_dict(request: RpcRequest) -> dict[str, Any]:
    """A request's JSON form with its secret-looking headers' values hidden."""
    out = request.to_dict()
    if isinstance(out.get("headers"), dict):
        out["headers"] = redact_header_object(out["headers"])
    return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float:
    """Milliseconds from any JSON value: 0.0 unless it is a finite number."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return 0.0
    try:
        number = float(value)
    except OverflowError:
        return 0.0
    return number if math.isfinite(number) else 0.0


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _status(value: Any) -> int:
    """An HTTP status from a saved exchange.

    Raises:
        ValueError: it is not a whole number from 0 to 999.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 999:
        raise ValueError("the saved response has no valid HTTP status")
    return value


def encode_body(body: bytes) -> dict[str, str]:
    """Text stays readable in the file; anything else is base64."""
    try:
        return {"body_text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def decode_body(data: dict[str, Any]) -> bytes:
    """The body ``encode_body`` wrote.

    Raises:
        ValueError: ``body_base64`` is not base64.
    """
    if isinstance(data.get("body_text"), str):
        # A lone surrogate (only a hand-edited file has one here) cannot be UTF-8.
        return str(data["body_text"]).encode("utf-8", errors="replace")
    if isinstance(data.get("body_base64"), str):
        try:
            return base64.b64decode(data["body_base64"])
        except binascii.Error as exc:
            raise ValueError(f"the saved body is not base64 ({exc})") from None
    return b""
