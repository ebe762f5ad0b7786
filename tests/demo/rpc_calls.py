"""Calling the demo server from tests: an RPC caller that checks each JSON body against the spec."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from explorer.demo import DemoServer
from tests.spec_schema import validate_response

Rpc = Callable[..., httpx.Response]


def is_json(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip() == "application/json"


def make_rpc(client: httpx.Client) -> Rpc:
    """``rpc(body, account=..., params=..., headers=...)``: POST /actions/rpc, spec-checked.

    Every response must carry an ``x-request-id``, and every JSON body must be what the spec
    allows for its status, so each test also checks the contract without saying so.
    """

    def rpc(
        body: Any,
        account: str | None = "acct_bamboohr_demo",
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if account is not None:
            sent["x-account-id"] = account
        response = client.post("/actions/rpc", json=body, params=params, headers=sent)
        assert len(response.headers["x-request-id"]) == 32
        if is_json(response):
            validate_response(response.status_code, response.json())
        return response

    return rpc


def client_for(server: DemoServer, **kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` on ``server`` with its API key (Basic auth, empty password)."""
    kwargs.setdefault("timeout", 30)
    return httpx.Client(base_url=server.url, auth=(server.api_key, ""), **kwargs)
