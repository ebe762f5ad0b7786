"""The provider calls a demo action pretends StackOne made: what its request logs show as steps.

StackOne's request logs (``GET /requests/logs/{id}?include=step_logs``) list, for each RPC
call, every HTTP request it sent to the provider (``StepLog``): method, URL, status, duration,
request and response. The demo has no provider, so each action says what it would have sent;
``derive`` covers the common case (one call, or one failed call per provider error) and a
handler lists its own calls where the story has more steps (a token refresh, retries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# A provider key as BambooHR takes it (Basic, the key as the user name). Fake, but shaped like
# a real one, so whoever shows these logs must mask provider credentials too.
BAMBOOHR_AUTH = "Basic ZGVtb19iYW1ib29faHJfa2V5XzdmM2E5YzpY"
GOOGLE_AUTH = "Bearer ya29.demo-access-token-not-real-4f9a"


@dataclass(frozen=True)
class ProviderCall:
    """One HTTP request to the provider and its answer; ``status`` ``None`` if none came."""

    method: str
    url: str
    status: int | None
    duration_ms: int
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: Any = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None

    @property
    def success(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def provider_headers(url: str) -> dict[str, str]:
    """The headers StackOne would send the provider at ``url`` (its credentials included)."""
    headers = {"accept": "application/json", "user-agent": "StackOne/1.0"}
    host = urlsplit(url).hostname or ""
    if "bamboohr" in host:
        headers["authorization"] = BAMBOOHR_AUTH
    elif "googleapis" in host:
        headers["authorization"] = GOOGLE_AUTH
    elif host:
        headers["authorization"] = "Bearer <token of the linked account>"
    return headers


def derive(
    method: str,
    url: str,
    duration_ms: int,
    *,
    data: Any = None,
    request_body: Any = None,
    provider_errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> list[ProviderCall]:
    """The calls of an action that made one request: answered, or one per provider error."""
    if provider_errors:
        return [
            ProviderCall(
                method=method,
                url=str(error.get("url") or url),
                status=error.get("status") if isinstance(error.get("status"), int) else None,
                duration_ms=duration_ms,
                request_headers=provider_headers(str(error.get("url") or url)),
                request_body=request_body,
                response_headers=dict(error.get("headers") or {}),
                response_body=error.get("raw"),
            )
            for error in provider_errors
        ]
    return [
        ProviderCall(
            method=method,
            url=url,
            status=status,
            duration_ms=duration_ms,
            request_headers=provider_headers(url),
            request_body=request_body,
            response_headers={"content-type": "application/json"},
            response_body=data,
        )
    ]
