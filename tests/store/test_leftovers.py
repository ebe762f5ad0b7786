"""What crashes and odd text leave behind: nothing lost, nothing left over.

Issue 9 items 1, 6 and 8: a damaged history line is kept in a side file when the index is
rewritten; text the disk cannot encode (a lone surrogate) is stored escaped and kept;
``.tmp`` files and history entry files nothing points to are cleaned at start once they are
older than a minute, never a file another process is still writing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import pytest

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.files import LEFTOVER_AGE, hold_lock, remove_leftovers, write_atomic
from explorer.store.history import DAMAGED_NAME, INDEX_NAME, HistoryStore
from tests.store.legacy_home import LegacyHome


def _exchange(body: dict[str, object] | None = None, action: str = "hris_list") -> Exchange:
    exchange = Exchange(request=RpcRequest(action=action, account_id="a", body=body))
    exchange.response = read_response(200, [("content-type", "application/json")], b"{}")
    return exchange


def _age(path: Path, seconds: float = LEFTOVER_AGE + 5) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_lone_surrogate_in_a_body_is_kept_in_the_history(tmp_path: Path) -> None:
    """The wire sends ``"\\ud800"`` escaped on purpose; the history used to fail the add."""
    history = HistoryStore(tmp_path)
    entry = history.add(_exchange({"name": "\ud800 half an emoji"}, action="act\udfff"))
    reopened = HistoryStore(tmp_path)
    assert [e.id for e in reopened.entries()] == [entry.id]
    assert reopened.entries()[0].action == "act\udfff"
    request = reopened.load(entry.id).request
    assert request.body == {"name": "\ud800 half an emoji"}


def test_a_saved_request_named_with_a_lone_surrogate_is_saved(tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "c", "Smoke \ud800")
    saved = store.save_request(SavedRequest("Name \udc00", RpcRequest(action="a")))
    collection, problems = CollectionStore(tmp_path / "c").load()
    assert problems == []
    assert collection.name == "Smoke \ud800"
    assert [r.name for r in collection.requests()] == [saved.name]


def test_damaged_index_lines_are_kept_aside_when_the_old_index_is_moved(tmp_path: Path) -> None:
    old = LegacyHome(tmp_path)
    first = old.add(_exchange())
    second = old.add(_exchange())
    damaged = b'{"id": "torn", "started_at'
    deep = b"[" * 100_000 + b"]" * 100_000
    old.append(damaged + b"\n" + deep + b"\n")

    reopened = HistoryStore(tmp_path)  # moves the index into the database
    assert reopened.load_error is not None and DAMAGED_NAME in reopened.load_error
    assert {e.id for e in reopened.entries()} == {first, second}
    kept = (tmp_path / DAMAGED_NAME).read_bytes().splitlines()
    assert kept == [damaged, deep]
    assert not (tmp_path / INDEX_NAME).exists()


def test_start_up_removes_old_leftovers_but_not_fresh_or_locked_files(tmp_path: Path) -> None:
    history = HistoryStore(tmp_path)
    kept_entry = history.add(_exchange())
    old_tmp = tmp_path / ".index.jsonl.abcd1234.tmp"
    fresh_tmp = tmp_path / ".x.json.efgh5678.tmp"
    locked_tmp = tmp_path / ".y.json.ijkl9012.tmp"
    orphan = tmp_path / ("a" * 32 + ".json")  # an exchange file of the old layout
    orphan_body = tmp_path / ("a" * 32 + ".body")
    fresh_orphan = tmp_path / ("b" * 32 + ".body")
    not_ours = tmp_path / "notes.tmp"
    for path in (old_tmp, fresh_tmp, locked_tmp, orphan, orphan_body, fresh_orphan, not_ours):
        path.write_text("{}")
    for path in (old_tmp, locked_tmp, orphan, orphan_body, not_ours):
        _age(path)
    # Another process still writing: it holds the lock (write_atomic takes it).
    with open(locked_tmp, "ab") as writer:
        hold_lock(writer.fileno())
        reopened = HistoryStore(tmp_path)
        assert locked_tmp.exists()
    assert not old_tmp.exists() and not orphan.exists() and not orphan_body.exists()
    assert fresh_tmp.exists() and fresh_orphan.exists() and not_ours.exists()
    assert [e.id for e in reopened.entries()] == [kept_entry.id]
    assert reopened.load(kept_entry.id).request.action == "hris_list"


def test_write_atomic_temporary_file_is_locked_while_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash-left file can be told from one being written: only the latter is locked."""
    target = tmp_path / "settings.json"
    seen: list[list[str]] = []
    original = os.fsync

    def spy(fd: int) -> None:
        names = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
        for name in names:
            _age(tmp_path / name)
        seen.append(remove_leftovers(tmp_path, now=time.time()))
        original(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write_atomic(target, '{"a": 1}')
    monkeypatch.undo()
    assert seen and seen[0] == []  # the file being written was not taken
    assert json.loads(target.read_text()) == {"a": 1}


def test_collections_clean_their_leftovers_when_loaded() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "c"
        CollectionStore.create(root, "C")
        leftover = root / ".collection.json.zzzz1111.tmp"
        leftover.write_text("{")
        _age(leftover)
        CollectionStore(root).load()
        assert not leftover.exists()
