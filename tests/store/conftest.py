"""Exchanges made the way the app makes them: ``RpcClient.exchange`` over an httpx transport.

A ``MockTransport`` plays StackOne (httpx's own testing approach): the request still goes
through validation, header building and redaction exactly as in the app.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from explorer.core.client import RpcClient
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest

# A key nobody uses; tests grep every written file for it.
CANARY_KEY = "sk_canary_5f3e9a7c1d2b4e6f8a0c"

MakeExchange = Callable[..., Exchange]


def stackone(status: int = 200, body: bytes | None = None, **headers: str) -> httpx.MockTransport:
    """A fake StackOne answering every request with ``status`` and ``body``."""

    def handler(request: httpx.Request) -> httpx.Response:
        payload = (
            body
            if body is not None
            else json.dumps({"data": [{"id": "e1"}], "next": None}).encode()
        )
        return httpx.Response(
            status,
            content=payload,
            headers={"content-type": "application/json", "x-request-id": "req-123", **headers},
        )

    return httpx.MockTransport(handler)


@pytest.fixture
def canary_key() -> str:
    """The API key every ``make_exchange`` request is sent with."""
    return CANARY_KEY


@pytest.fixture
def make_exchange() -> MakeExchange:
    """``make_exchange(action=..., status=..., body=..., fail=...)`` -> a finished Exchange."""

    def make(
        action: str = "bamboohr_list_employees",
        *,
        account_id: str = "acc_1",
        status: int = 200,
        body: bytes | None = None,
        fail: bool = False,
        profile: str = "prod",
        headers: dict[str, str] | None = None,
    ) -> Exchange:
        if fail:

            def refuse(request: httpx.Request) -> httpx.Response:
                raise httpx.ConnectError("connection refused", request=request)

            transport: httpx.BaseTransport = httpx.MockTransport(refuse)
        else:
            content_type = "application/json" if body is None else "application/octet-stream"
            transport = stackone(status, body, **{"content-type": content_type})
        request = RpcRequest(
            action=action,
            account_id=account_id,
            base_url="https://api.stackone.test",
            headers=headers,
        )
        with RpcClient(transport=transport) as client:
            return client.exchange(request, CANARY_KEY, profile=profile)

    return make
