"""Every store reader is total: any byte content gives the data or the documented error.

Issue 9 item 1: ``settings.json``, ``profiles.json``, ``collection.json``, a
``*.request.json``, a history index line or entry file: whatever they hold (random bytes,
nesting 100,000 deep, 400- and 5,000-digit integers, wrong types everywhere), the app starts
and the runner runs. Each test states the only errors its reader may raise; hypothesis tries
hostile inputs (a small budget: see ``tests/conftest.py``) and the named cases from the issue
are always among them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from explorer.core.request import RpcRequest
from explorer.store.collections import (
    COLLECTION_FILE,
    REQUEST_SUFFIX,
    CollectionStore,
    SavedRequest,
)
from explorer.store.files import StoreFileError, read_json
from explorer.store.history import INDEX_NAME, HistoryEntryMissing, HistoryStore
from explorer.store.profiles import ProfileStore
from explorer.store.settings import DEFAULTS, KNOWN_TYPES, Settings
from tests.strategies import deep, file_bytes, json_values, objects_like

SETTINGS_EXAMPLE = {
    "history_limit": 10,
    "theme": "dark",
    "default_timeout": 30,
    "last_request": {"action": "x"},
    "splitters": {"outer": [1, 2]},
    "body_limit": 10_000_000,
}
COLLECTION_EXAMPLE = {
    "format": "stackone-explorer-collection",
    "version": 1,
    "id": "abc",
    "name": "Smoke",
    "folders": ["Employees"],
    "order": {"": ["first"]},
    "environments": {"dev": {"variables": {"a": "1"}, "secrets": ["b"]}},
}
REQUEST_EXAMPLE = {
    "name": "First",
    "description": "",
    "expected_status": 200,
    "request": {"action": "bamboohr_list_employees", "timeout": 30, "sync": False},
}
ENTRY_EXAMPLE = {
    "id": "e1",
    "started_at": "2024-01-01T00:00:00Z",
    "status": 200,
    "total_ms": 12.5,
    "size": 10,
    "action": "x",
}


@given(file_bytes(json_values) | file_bytes(objects_like(SETTINGS_EXAMPLE)))
@example(b'{"theme": []}')
@example(b'{"history_limit": ' + b"9" * 400 + b"}")
@example(b'{"default_timeout": ' + b"9" * 400 + b"}")
@example(deep(1_000).encode())
def test_any_settings_file_gives_settings(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_bytes(content)
        settings = Settings(path)  # never raises
        for key in DEFAULTS:
            value = settings.get(key)
            assert (isinstance(value, KNOWN_TYPES[key]) and not isinstance(value, bool)) or (
                value is DEFAULTS[key]
            )
        settings.set("theme", "dark")
        settings.save()
        assert Settings(path).get("theme") == "dark"
        if settings.load_error:
            assert (Path(folder) / "settings.json.corrupt").read_bytes() == content


@given(file_bytes(st.fixed_dictionaries({"profiles": st.lists(json_values, max_size=3)})))
@example(deep(1_000).encode())
@example(b'{"profiles": [{"name": "a", "base_url": ' + b"1" * 5000 + b"}]}")
def test_any_profiles_file_gives_profiles(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profiles.json"
        path.write_bytes(content)
        store = ProfileStore(path)  # never raises
        for profile in store.list():
            assert isinstance(profile.name, str) and isinstance(profile.base_url, str)
        store.save()
        assert isinstance(ProfileStore(path).list(), list)


@given(
    meta=file_bytes(objects_like(COLLECTION_EXAMPLE)),
    request=file_bytes(objects_like(REQUEST_EXAMPLE)),
)
@example(meta=b'{"folders": true}', request=b"{}")
@example(meta=deep(1_000).encode(), request=deep(100_000).encode())
@example(
    meta=b"{}",
    request=b'{"request": {"action": "a", "timeout": ' + b"9" * 400 + b"}}",
)
@example(meta=b"{}", request=b'{"request": {"action": "a", "timeout": 1e309}}')
def test_any_collection_files_load_or_are_reported(meta: bytes, request: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "smoke"
        root.mkdir()
        (root / COLLECTION_FILE).write_bytes(meta)
        (root / ("first" + REQUEST_SUFFIX)).write_bytes(request)
        store = CollectionStore(root)
        collection, problems = store.load()  # CollectionError only for a missing folder
        loaded = collection.requests()
        assert len(loaded) + sum(p.file.name.endswith(REQUEST_SUFFIX) for p in problems) == 1
        for saved in loaded:
            assert 0 < saved.request.timeout <= 600
        for problem in problems:
            assert problem.message and str(problem.file) in str(problem)
        # Saving afterwards works, and keeps a damaged collection.json aside first.
        store.save_request(SavedRequest("Another", RpcRequest(action="a")))
        if any(p.file.name == COLLECTION_FILE and p.line is not None for p in problems):
            assert (root / (COLLECTION_FILE + ".corrupt")).read_bytes() == meta


@given(
    lines=st.lists(
        file_bytes(objects_like(ENTRY_EXAMPLE)).map(lambda b: b.replace(b"\n", b" ")),
        max_size=4,
    ),
    entry=file_bytes(objects_like({"id": "e1", "response": {"status": 200}})),
)
@example(lines=[b'{"id": "e1", "started_at": "x", "total_ms": ' + b"9" * 400 + b"}"], entry=b"{}")
@example(lines=[deep(100_000).encode()], entry=b"{}")
@example(lines=[b'{"deleted": [[[1]]]}'], entry=deep(1_000).encode())
def test_any_history_index_and_entry_give_entries(lines: list[bytes], entry: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        good = json.dumps({"id": "e1", "started_at": "2024-01-01T00:00:00Z"}).encode()
        (directory / INDEX_NAME).write_bytes(b"\n".join([good, *lines]) + b"\n")
        (directory / "e1.json").write_bytes(entry)
        store = HistoryStore(directory)  # never raises
        for row in store.entries():
            assert row.total_ms is None or isinstance(row.total_ms, float)
            try:
                store.load(row.id)
                store.load_request(row.id)
            except (HistoryEntryMissing, StoreFileError):
                pass
        store.delete([row.id for row in store.entries()])  # rewrites the index


@given(file_bytes(json_values))
def test_read_json_raises_only_store_file_errors(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.json"
        path.write_bytes(content)
        try:
            read_json(path)
        except StoreFileError as exc:
            assert str(path) in str(exc)


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("{\n" + '"a":' + deep(1_000), 2, "nested deeper than 200"),
        ('{"n":\n ' + "1" * 5_000 + "}", 2, "5000 digits"),
        ('{"n": 1e400}', 1, "too large"),
    ],
)
def test_read_json_names_line_and_reason(tmp_path: Path, text: str, line: int, why: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text)
    with pytest.raises(StoreFileError) as caught:
        read_json(path)
    assert caught.value.line == line
    assert why in str(caught.value)


def test_a_pipe_in_place_of_a_store_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    path = tmp_path / "settings.json"
    os.mkfifo(path)
    with pytest.raises(StoreFileError, match="not a regular file"):
        read_json(path)
    assert Settings(path).load_error is not None
