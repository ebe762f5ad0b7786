"""The API key really goes into the OS keyring (Secret Service) and comes back out.

Run with a throw-away GNOME Keyring: ``scripts/with-keyring .venv/bin/python -m pytest -m
keyring tests/store -q``. Without a Secret Service these tests skip, unless
``STACKONE_REQUIRE_KEYRING=1`` (as in ``scripts/test`` and CI), where a skip would hide a
broken setup and so they fail instead.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from explorer.store.credentials import KeyringCredentials

pytestmark = pytest.mark.keyring


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
