"""Fixtures of the run package's tests."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from explorer.store.credentials import KeyringCredentials


@pytest.fixture
def no_keyring() -> Iterator[KeyringCredentials]:
    """The real keyring layer with keyring's "fail" backend: a machine without a keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield KeyringCredentials()
    keyring.set_keyring(previous)
