"""Credentials without a real keyring: clear refusals, no silent file fallback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import (
    KeyringCredentials,
    KeyringUnavailable,
    MemoryCredentials,
    move_secret,
)


class LockedKeyring(KeyringBackend):
    """A keyring whose collection stays locked (the user dismissed the unlock prompt)."""

    priority = 1
    viable = False  # keep keyring's auto-discovery (which sees every subclass) away from it

    def __init__(self) -> None:
        # Typed, so the tests may call it; named, because mypy does not apply the keyring
        # exclusion of untyped_calls_exclude (pyproject.toml) to a super() call.
        KeyringBackend.__init__(self)

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class PlaintextFileKeyring(LockedKeyring):
    """Stands in for keyrings.alt's file backend (not installed here): judged by its module."""

    __module__ = "keyrings.alt.file"


def test_no_keyring_raises_helpful_error(use_backend: Callable[[KeyringBackend], None]) -> None:
    use_backend(fail.Keyring())
    creds = KeyringCredentials()
    assert KeyringCredentials.available() is False
    calls: tuple[Callable[[], object], ...] = (
        lambda: creds.get("prod"),
        lambda: creds.set("prod", "k"),
        lambda: creds.delete("prod"),
    )
    for call in calls:
        with pytest.raises(KeyringUnavailable) as info:
            call()
        message = str(info.value)
        assert "GNOME Keyring" in message and "KWallet" in message
        assert "Keychain" in message and "Credential Manager" in message
        assert "in memory for this run" in message
    assert "no secure OS keyring" in creds.location()


def test_the_message_names_what_was_to_be_stored(
    use_backend: Callable[[KeyringBackend], None], tmp_path: Path
) -> None:
    """The same keyring holds profile keys and collection secret variables: a refusal says
    which, so a secret-variable warning does not talk about "the API key"."""
    use_backend(fail.Keyring())
    creds = KeyringCredentials()
    with pytest.raises(KeyringUnavailable) as key_error:
        creds.get("prod")
    assert "to store the API key" in str(key_error.value)

    store = CollectionStore.create(tmp_path / "c", "C", credentials=creds)
    store.set_environment(Environment("ci", secrets=["account"]))
    with pytest.raises(KeyringUnavailable) as variable_error:
        store.environment_values("ci")
    message = str(variable_error.value)
    assert "to store secret variable values" in message
    assert "API key" not in message and "in memory for this run" not in message
    assert "GNOME Keyring" in message  # the same advice on getting a keyring


def test_locked_keyring_is_unavailable(use_backend: Callable[[KeyringBackend], None]) -> None:
    """A keyring left locked (its prompt dismissed) says to unlock it, not to install one."""
    use_backend(LockedKeyring())
    creds = KeyringCredentials()
    with pytest.raises(KeyringUnavailable, match="KeyringLocked") as info:
        creds.set("prod", "sk_live_1")
    message = str(info.value)
    assert info.value.locked
    assert message.startswith("The OS keyring is locked, so the API key could not be")
    assert "unlock it" in message and "No secure OS keyring" not in message
    assert "in memory for this run" in message  # the key can still be kept for this run


def test_file_backend_is_never_used(use_backend: Callable[[KeyringBackend], None]) -> None:
    use_backend(PlaintextFileKeyring())
    assert KeyringCredentials.available() is False
    with pytest.raises(KeyringUnavailable):
        KeyringCredentials().set("prod", "sk_live_1")


def test_memory_credentials() -> None:
    creds = MemoryCredentials()
    assert creds.get("prod") is None
    creds.set("prod", "sk_live_1")
    assert creds.get("prod") == "sk_live_1"
    creds.delete("prod")
    creds.delete("prod")  # absent: no error
    assert creds.get("prod") is None
    assert "memory" in creds.location()


def test_move_secret_follows_a_rename() -> None:
    creds = MemoryCredentials({"prod": "sk_live_1"})
    move_secret(creds, "prod", "production")
    assert creds.get("production") == "sk_live_1"
    assert creds.get("prod") is None
    move_secret(creds, "absent", "other")
    assert creds.get("other") is None


def test_importing_the_store_leaves_keyring_for_the_first_use() -> None:
    """Start-up must not pay for the keyring library (~60 ms) before a key is needed."""
    code = "import sys, explorer.store.credentials; print('keyring' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
