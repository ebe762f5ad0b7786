"""Manage profiles says where the selected profile's key really is.

Issue 8, item 10: the demo profile said both "kept in memory" and "Stored in: Secret
Service".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.store.credentials import KeyringCredentials, MemoryCredentials
from explorer.store.profiles import Profile, ProfileStore
from explorer.ui.profiles.dialog import ProfilesDialog

pytestmark = pytest.mark.gui

DEMO = "Demo (built-in server)"


def test_a_key_kept_in_memory_is_not_said_to_be_in_the_keyring(
    qtbot: QtBot, tmp_path: Path
) -> None:
    profiles = ProfileStore(tmp_path / "profiles.json")
    profiles.upsert(Profile("Prod"))
    profiles.add_transient(Profile(DEMO, base_url="http://127.0.0.1:9"))
    session = MemoryCredentials()
    session.set(DEMO, "demo_live_key_0123456789")
    keyring = KeyringCredentials()  # only asked where it keeps keys, never for one here
    dialog = ProfilesDialog(profiles, keyring, session)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()

    assert dialog.select_profile(DEMO)
    assert "memory" in dialog.key_box.key_status.text()
    where = dialog.key_box.location_label.text()
    assert keyring.location() not in where
    assert "Stored in" not in where
    assert "memory" in where and "this run" in where
