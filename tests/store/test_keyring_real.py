"""The API key really goes into the OS keyring (Secret Service) and comes back out.

Run with a throw-away GNOME Keyring: ``scripts/with-keyring .venv/bin/python -m pytest -m
keyring tests/store -q``. Without a Secret Service these tests skip, unless
``STACKONE_REQUIRE_KEYRING=1`` (as in ``scripts/test`` and CI), where a skip would hide a
broken setup and so they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import SecretService

from explorer.store.credentials import KeyringCredentials, KeyringUnavailable

pytestmark = pytest.mark.keyring


@pytest.fixture
def secret_service() -> Iterator[KeyringCredentials]:
    # A service name of its own, so a run on a desktop never touches the user's real keys.
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


def test_set_get_delete_in_secret_service(secret_service: KeyringCredentials) -> None:
    creds = secret_service
    assert KeyringCredentials.available()
    assert creds.get("prod") is None
    creds.set("prod", "sk_live_real_keyring_0001")
    assert creds.get("prod") == "sk_live_real_keyring_0001"
    creds.set("prod", "sk_live_real_keyring_0002")  # replacing a key keeps one entry
    assert creds.get("prod") == "sk_live_real_keyring_0002"
    creds.delete("prod")
    assert creds.get("prod") is None
    creds.delete("prod")  # already gone: no error
    assert "Secret Service" in creds.location() and creds.service in creds.location()


def test_key_is_visible_to_other_secret_service_clients(
    secret_service: KeyringCredentials,
) -> None:
    """What we store is a normal Secret Service item (seahorse, secret-tool can see it)."""
    secret_tool = shutil.which("secret-tool")
    if secret_tool is None:
        pytest.skip("secret-tool (libsecret-tools) is not installed")
    secret_service.set("prod", "sk_live_seen_by_secret_tool")
    found = subprocess.run(
        [secret_tool, "lookup", "service", secret_service.service, "username", "prod"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout == "sk_live_seen_by_secret_tool"
