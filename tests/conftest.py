"""Fixtures shared by every test package.

``demo_server`` is one demo server for the whole session, on a free loopback port. Tests that
need different settings (a short rate-limit window, a fast slow action) start their own
``DemoServer`` instead of changing this one. ``use_backend`` swaps the keyring backend for one
test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import keyring
import pytest
from hypothesis import HealthCheck, settings
from keyring.backend import KeyringBackend

from explorer.demo import DemoServer


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture
def use_backend() -> Iterator[Callable[[KeyringBackend], None]]:
    """``use_backend(b)`` installs keyring backend ``b`` for the test; the old one comes back."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def demo_url(demo_server: DemoServer) -> str:
    return demo_server.url


@pytest.fixture
def demo_key(demo_server: DemoServer) -> str:
    return demo_server.api_key


# Property-based tests: a small, fixed budget so the whole suite stays fast in CI; nothing
# is written to a ``.hypothesis`` folder (each run starts fresh, as CI does).
settings.register_profile(
    "explorer",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# HYPOTHESIS_PROFILE=thorough digs much deeper, for a local bug hunt.
settings.register_profile("thorough", settings.get_profile("explorer"), max_examples=1500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "explorer"))
