"""Profiles: add, rename, delete, survive restarts, and never hold the API key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.request import DEFAULT_BASE_URL
from explorer.store.profiles import Profile, ProfileStore


def test_round_trip_in_insertion_order(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    store = ProfileStore(path)
    assert store.list() == [] and store.load_error is None
    store.upsert(Profile("prod", account_id="acc_live"))
    store.upsert(Profile("eu", base_url="https://api.eu1.stackone.com"))
    store.upsert(Profile("demo", base_url="http://127.0.0.1:8765"))
    store.save()

    loaded = ProfileStore(path)
    assert loaded.load_error is None
    assert [p.name for p in loaded.list()] == ["prod", "eu", "demo"]
    assert loaded.get("prod") == Profile("prod", DEFAULT_BASE_URL, "acc_live")
    assert loaded.get("eu") == Profile("eu", "https://api.eu1.stackone.com", "")


def test_edit_rename_and_delete(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.upsert(Profile("prod"))
    store.upsert(Profile("staging"))
    store.upsert(Profile("prod", account_id="acc_2"))  # edit in place
    assert [(p.name, p.account_id) for p in store.list()] == [("prod", "acc_2"), ("staging", "")]

    store.upsert(Profile("production", account_id="acc_2"), old_name="prod")  # rename
    assert [p.name for p in store.list()] == ["production", "staging"]
    assert store.get("prod") is None

    store.delete("staging")
    store.delete("never-existed")
    store.save()
    assert [p.name for p in ProfileStore(tmp_path / "profiles.json").list()] == ["production"]


def test_empty_and_duplicate_names_are_refused(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.upsert(Profile("prod"))
    store.upsert(Profile("staging"))
    with pytest.raises(ValueError, match="name"):
        store.upsert(Profile("   "))
    with pytest.raises(ValueError, match="already exists"):
        store.upsert(Profile("staging"), old_name="prod")
    # Keys are stored by name, and some keychains ignore case: "PROD" is "prod".
    with pytest.raises(ValueError, match="already exists"):
        store.upsert(Profile("PROD"), old_name="staging")
    assert [p.name for p in store.list()] == ["prod", "staging"]


def test_list_returns_copies(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.upsert(Profile("prod"))
    store.list()[0].account_id = "changed"
    assert store.get("prod") == Profile("prod")


def test_file_has_no_secret_fields(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.upsert(Profile("prod", account_id="acc_1"))
    store.save()
    saved = json.loads((tmp_path / "profiles.json").read_text())
    assert set(saved["profiles"][0]) == {"name", "base_url", "account_id"}


def test_corrupt_file_gives_empty_list_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text('{"profiles": [\n  {"name": "prod"\n]}')
    store = ProfileStore(path)
    assert store.list() == []
    assert store.load_error is not None and "line 3" in store.load_error

    store.upsert(Profile("fresh"))
    store.save()
    assert (tmp_path / "profiles.json.corrupt").read_text().startswith('{"profiles"')
    assert [p.name for p in ProfileStore(path).list()] == ["fresh"]


def test_bad_items_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(
        json.dumps({"profiles": [{"name": "ok"}, {"base_url": "x"}, "junk", {"name": "OK"}]})
    )
    store = ProfileStore(path)
    assert [p.name for p in store.list()] == ["ok"]
    assert store.load_error is not None
    assert "#2" in store.load_error and "#3" in store.load_error and "#4" in store.load_error


def test_a_transient_profile_is_listed_but_never_saved(tmp_path: Path) -> None:
    """``--demo``'s profile points at a server of this run: saving it leaves a dead profile."""
    path = tmp_path / "profiles.json"
    store = ProfileStore(path)
    store.upsert(Profile("Demo", base_url="https://my.demo.example", account_id="mine"))
    added = store.add_transient(Profile("Demo", base_url="http://127.0.0.1:5555"))
    assert added.name == "Demo 2"  # the user's own "Demo" is untouched
    assert store.names() == ["Demo", "Demo 2"]
    assert store.get("demo 2") == Profile("Demo 2", "http://127.0.0.1:5555", "")
    assert store.is_transient("Demo 2") and not store.is_transient("Demo")
    with pytest.raises(ValueError):
        store.upsert(Profile("Demo 2"))  # it cannot be saved by editing it either
    store.save()

    loaded = ProfileStore(path)
    assert loaded.list() == [Profile("Demo", "https://my.demo.example", "mine")]
    assert "127.0.0.1" not in path.read_text()
    store.delete("Demo 2")
    assert store.names() == ["Demo"]
