"""Fixtures of the run package's tests.

``home`` needs a ``server`` fixture: each command-line module starts its own demo server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from explorer.demo import DemoServer
from explorer.store.credentials import KeyringCredentials
from explorer.store.profiles import Profile, ProfileStore


@pytest.fixture
def no_keyring(use_backend: Callable[[KeyringBackend], None]) -> KeyringCredentials:
    """The real keyring layer with keyring's "fail" backend: a machine without a keyring."""
    use_backend(fail.Keyring())
    return KeyringCredentials()


@pytest.fixture
def home(tmp_path: Path, server: DemoServer) -> Path:
    """An explorer home with one profile pointing at the module's demo server (not named
    "Demo": that name on loopback is the leftover demo profile, which the runner never picks by
    itself)."""
    home = tmp_path / "home"
    profiles = ProfileStore(home / "config" / "profiles.json")
    profiles.upsert(Profile("local", base_url=server.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    return home
