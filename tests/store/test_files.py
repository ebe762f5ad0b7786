"""Atomic writes and readable JSON errors: a failed save never costs the user a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.store import files
from explorer.store.files import (
    StoreFileError,
    StoreFileMissing,
    dump_json,
    read_json,
    write_atomic,
)
from explorer.store.settings import Settings


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert os.listdir(tmp_path) == ["data.json"]  # no temporary file left behind


def test_failure_midway_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "profiles.json"
    write_atomic(target, '{"old": true}\n')

    def disk_gone(fd: int) -> None:
        raise OSError(28, "No space left on device")

    # The new bytes are already in the temporary file when the flush to disk fails.
    monkeypatch.setattr(os, "fsync", disk_gone)
    with pytest.raises(StoreFileError) as info:
        write_atomic(target, '{"new": true, "padding": "' + "x" * 10_000 + '"}')
    monkeypatch.undo()

    assert target.read_text() == '{"old": true}\n'
    assert os.listdir(tmp_path) == ["profiles.json"]
    assert "profiles.json" in str(info.value)
    assert "No space left on device" in str(info.value)


def test_unserialisable_value_leaves_settings_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set("history_limit", 50)
    settings.save()
    before = path.read_bytes()

    settings.set("window_state", object())
    with pytest.raises(TypeError):
        settings.save()
    assert path.read_bytes() == before
    assert Settings(path).get("history_limit") == 50


def test_new_files_are_private_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    write_atomic(fresh, "{}")
    assert fresh.stat().st_mode & 0o777 == 0o600
    shared = tmp_path / "shared.json"
    shared.write_text("{}")
    shared.chmod(0o644)
    write_atomic(shared, "[]")
    assert shared.stat().st_mode & 0o777 == 0o644


def test_read_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "a": 1,\n  "b": ,\n}\n')
    with pytest.raises(StoreFileError) as info:
        read_json(path)
    error = info.value
    assert (error.path, error.line, error.column) == (path, 3, 8)
    assert str(path) in str(error) and "line 3, column 8" in str(error)


def test_read_json_refuses_nan_that_could_never_be_saved_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{\n  "history_limit": NaN\n}\n')
    with pytest.raises(StoreFileError) as info:
        read_json(path)
    assert (info.value.line, info.value.column) == (2, 20)
    assert "NaN is not a JSON number" in str(info.value)


def test_read_json_missing_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(StoreFileMissing):
        read_json(tmp_path / "nope.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(StoreFileError, match="not UTF-8"):
        read_json(binary)


def test_dump_json_is_stable_and_readable() -> None:
    text = dump_json({"b": 1, "a": "été"})
    assert text == '{\n  "a": "été",\n  "b": 1\n}\n'
    with pytest.raises(ValueError):
        dump_json({"x": float("nan")})


def test_a_store_file_is_missing_unreadable_or_damaged_and_only_damaged_is_kept(
    tmp_path: Path,
) -> None:
    """The one decision every store (settings, profiles, collection.json...) takes on start."""
    missing = files.load_store_file(tmp_path / "none.json")
    assert missing.missing and missing.error is None and not missing.damaged

    (tmp_path / "folder.json").mkdir()  # the disk refuses the read: nothing to keep aside
    unreadable = files.load_store_file(tmp_path / "folder.json")
    assert unreadable.error is not None and not unreadable.damaged

    (tmp_path / "merge.json").write_text('{"a": 1,\n<<<<<<< HEAD\n')
    broken = files.load_store_file(tmp_path / "merge.json")
    assert broken.damaged and broken.error is not None and broken.error.line == 2

    (tmp_path / "list.json").write_text("[1, 2]\n")
    not_object = files.load_store_file(tmp_path / "list.json")
    assert not_object.damaged and "JSON object" in str(not_object.error)
    assert not_object.data == {}

    (tmp_path / "good.json").write_text('{"a": [1]}\n')
    assert files.load_store_file(tmp_path / "good.json").data == {"a": [1]}
