"""Fixtures shared by every test package.

``demo_server`` is one demo server for the whole session, on a free loopback port. Tests that
need different settings (a short rate-limit window, a fast slow action) start their own
``DemoServer`` instead of changing this one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.demo import DemoServer


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture
def demo_url(demo_server: DemoServer) -> str:
    return demo_server.url


@pytest.fixture
def demo_key(demo_server: DemoServer) -> str:
    return demo_server.api_key
