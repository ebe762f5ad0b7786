"""Fixtures for the demo server's tests, on the session's shared ``demo_server``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from explorer.demo import DemoServer
from tests.demo.rpc_calls import Rpc, client_for, make_rpc


@pytest.fixture
def client(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with client_for(demo_server) as c:
        yield c


@pytest.fixture
def rpc(client: httpx.Client) -> Rpc:
    return make_rpc(client)
