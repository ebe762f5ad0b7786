"""Fixtures shared by every test package.

``demo_server`` is one demo server for the whole session, on a free loopback port. Tests that
need different settings (a short rate-limit window, a fast slow action) start their own
``DemoServer`` instead of changing this one. ``use_backend`` swaps the keyring backend for one
test; ``secret_service`` is the real OS keyring (tests marked ``keyring``, run through
``scripts/with-keyring``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import keyring
import pytest
from hypothesis import HealthCheck, settings
from keyring.backend import KeyringBackend
from keyring.backends import SecretService

from explorer.demo import DemoServer
from explorer.store.credentials import KeyringCredentials, KeyringUnavailable


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
def secret_service() -> Iterator[KeyringCredentials]:
    """The real OS keyring (Secret Service) under a service name of its own, so a run on a
    desktop never touches the user's real keys. Skips without one, unless
    ``STACKONE_REQUIRE_KEYRING=1`` (``scripts/test`` and CI), where a skip would hide a broken
    setup and so it fails instead."""
    creds = KeyringCredentials(service=f"stackone-explorer-test-{uuid.uuid4().hex[:8]}")
    try:
        backend: object = creds.backend()
    except KeyringUnavailable:
        backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        reason = (
            f"no Secret Service keyring (backend is {backend!r}); run the tests through "
            "scripts/with-keyring"
        )
        if os.environ.get("STACKONE_REQUIRE_KEYRING") == "1":
            pytest.fail(reason + " [STACKONE_REQUIRE_KEYRING=1]")
        pytest.skip(reason)
    yield creds
    creds.delete("prod")


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
