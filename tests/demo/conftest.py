"""Helpers for the demo server's tests: an RPC caller that checks every body against the spec."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from explorer.demo import DemoServer
from tests.spec_schema import validate_response

Rpc = Callable[..., httpx.Response]


def is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def make_rpc(client: httpx.Client) -> Rpc:
    """``rpc(body, account=..., params=..., headers=...)``: POST /actions/rpc, spec-checked."""

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
    kwargs.setdefault("timeout", 30)
    return httpx.Client(base_url=server.url, auth=(server.api_key, ""), **kwargs)


@pytest.fixture
def client(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with client_for(demo_server) as c:
        yield c


@pytest.fixture
def rpc(client: httpx.Client) -> Rpc:
    return make_rpc(client)
