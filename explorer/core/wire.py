"""From ``RpcRequest`` to the exact HTTP request StackOne receives, and a redacted record of it
(by the rules of ``explorer.core.secrets``)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer import __version__
from explorer.core.body import ACCEPT_ENCODING
from explorer.core.errors import InvalidRequest, Issue
from explorer.core.request import OBJECT_FIELDS, RpcRequest, check, non_finite_issue
from explorer.core.secrets import is_secret_header, redact_header_object, redact_headers

# httpx (with the email and urllib machinery it loads, ~20-40 ms) is imported by the functions
# that build or send a request, not at start-up: the window imports this module but sends
# nothing before the first paint. Annotations only need the names.
if TYPE_CHECKING:
    import httpx

USER_AGENT = f"stackone-explorer/{__version__}"


def basic_auth(api_key: str) -> str:
    """StackOne's scheme: the key is the Basic username, the password is empty."""
    return "Basic " + base64.b64encode(f"{api_key}:".encode()).decode("ascii")


def encode_body(request: RpcRequest) -> bytes:
    """Compact UTF-8 JSON; ``\\u`` escapes only if the text holds a lone surrogate.

    A user can type ``"\\ud800"`` in an editor; that is valid JSON but not encodable UTF-8,
    and escaping it sends exactly what they typed instead of failing.

    Raises:
        InvalidRequest: an object holds NaN or an infinity; Python would write them as
            ``NaN``/``Infinity``, which is not JSON, so nothing is encoded at all.
    """
    body = request.rpc_body()
    try:
        try:
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            return text.encode()
        except UnicodeEncodeError:
            return json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        issues = [non_finite_issue(name, getattr(request, name)) for name in OBJECT_FIELDS]
        raise InvalidRequest([issue for issue in issues if issue is not None]) from None


def build_headers(request: RpcRequest, api_key: str) -> list[tuple[str, str]]:
    headers = [
        ("Authorization", basic_auth(api_key)),
        ("x-account-id", request.account_id.strip()),
    ]
    if request.connector_profile_id.strip():
        headers.append(("x-connector-profile-id", request.connector_profile_id.strip()))
    headers += [
        ("Content-Type", "application/json"),
        ("Accept", "application/json, */*"),
        # As StackOne's SDK clients do; only what ``core.body`` decodes (with its size cap).
        ("Accept-Encoding", ACCEPT_ENCODING),
        ("User-Agent", USER_AGENT),
    ]
    return headers


def service_headers(api_key: str, accept: str = "application/json") -> list[tuple[str, str]]:
    """The headers of every other StackOne call (accounts, catalogue, search, logs, MCP):
    the key, what we read, compression as the RPC call asks for it, and who we are."""
    return [
        ("Authorization", basic_auth(api_key)),
        ("Accept", accept),
        ("Accept-Encoding", ACCEPT_ENCODING),
        ("User-Agent", USER_AGENT),
    ]


def build_http_request(request: RpcRequest, api_key: str) -> httpx.Request:
    """The wire request.

    Raises:
        InvalidRequest: the request fails validation, or httpx refuses something validation
            let through (e.g. a host name that is not valid IDNA); never a bare httpx or
            Unicode error, which the UI would not know how to show.
    """
    import httpx

    check(request)
    headers = build_headers(request, api_key)
    content = encode_body(request)
    try:
        return httpx.Request("POST", request.url(), headers=headers, content=content)
    except httpx.InvalidURL as exc:
        issue = Issue("base_url", f"cannot be used ({exc}); check the host name")
    except UnicodeEncodeError as exc:
        issue = _unencodable_header(request, exc)
    except ValueError as exc:
        issue = Issue("headers", f"cannot be sent as HTTP ({exc}); check the header values")
    raise InvalidRequest([issue])


def _unencodable_header(request: RpcRequest, exc: UnicodeEncodeError) -> Issue:
    """Name the field whose header value httpx could not encode, and the character."""
    name = next(
        (
            field
            for field in ("account_id", "connector_profile_id")
            if getattr(request, field).strip() == exc.object
        ),
        "headers",
    )
    char = exc.object[exc.start : exc.start + 1]
    return Issue(
        name,
        f"holds {char!r} (U+{ord(char):04X}) at position {exc.start + 1}, which an HTTP "
        "header cannot carry; retype it",
    )


def redact_body(body: str) -> str:
    """Redact secret headers the action passes to the provider (the RPC body's ``headers``).

    A body without such headers is returned unchanged, byte for byte.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return body
    headers = data.get("headers") if isinstance(data, dict) else None
    if not isinstance(headers, dict) or not any(is_secret_header(k) for k in headers):
        return body
    redacted = redact_header_object(headers)
    if redacted == headers:  # only templates: nothing to hide
        return body
    data["headers"] = redacted
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass
class SentRequest:
    """What went on the wire, with secrets redacted: for the Request tab, history and HAR."""

    method: str
    url: str
    headers: list[tuple[str, str]]
    body: str

    @classmethod
    def from_http(cls, http_request: httpx.Request) -> SentRequest:
        return cls(
            method=http_request.method,
            url=str(http_request.url),
            headers=redact_headers(list(http_request.headers.multi_items())),
            body=redact_body(http_request.content.decode("utf-8", errors="replace")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": [list(h) for h in self.headers],
            "body": self.body,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentRequest:
        headers = data.get("headers")
        method, url, body = data.get("method"), data.get("url"), data.get("body")
        return cls(
            method=method if isinstance(method, str) else "POST",
            url=url if isinstance(url, str) else "",
            headers=redact_headers(
                [
                    (str(pair[0]), str(pair[1]))
                    for pair in (headers if isinstance(headers, list) else [])
                    if isinstance(pair, list | tuple) and len(pair) == 2
                ]
            ),
            body=redact_body(body if isinstance(body, str) else ""),
        )

    def text(self) -> str:
        """A readable HTTP/1.1-style dump."""
        lines = [f"{self.method} {self.url}"] + [f"{k}: {v}" for k, v in self.headers]
        return "\n".join(lines) + "\n\n" + self.body
