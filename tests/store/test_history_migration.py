"""Old homes move into the database with everything they hold; a damaged database is kept.

Issue 15 item 4: the one-file index became a SQLite database; old homes are migrated with
their entries, the damaged-line side file and the big-body files. The robustness rule holds:
every reader is total, and a damaged file is kept aside before anything replaces it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.exchange import Exchange
from explorer.store.files import StoreFileError
from explorer.store.history import (
    BODY_INLINE_LIMIT,
    DAMAGED_NAME,
    DB_NAME,
    INDEX_NAME,
    HistoryEntryMissing,
    HistoryStore,
)
from explorer.store.history_db import HistoryDatabase
from explorer.store.history_legacy import migrate
from tests.store.legacy_home import LegacyHome

MakeExchange = Callable[..., Exchange]


def snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime) for p in sorted(folder.iterdir())}


@pytest.fixture
def old_home(tmp_path: Path, make_exchange: MakeExchange) -> tuple[Path, dict[str, str]]:
    """An old history: entries of every kind, a big body, a deletion, damaged lines, a side
    file from an earlier rewrite, an entry whose file vanished, and a torn last line."""
    folder = tmp_path / "history"
    home = LegacyHome(folder)
    ids = {
        "ok": home.add(make_exchange("bamboohr_list_employees", account_id="acc_1")),
        "failed": home.add(make_exchange("greenhouse_list_jobs", fail=True)),
        "big": home.add(
            make_exchange("documents_download_file", body=b"%PDF" + b"x" * BODY_INLINE_LIMIT)
        ),
        "deleted": home.add(make_exchange("workday_list_workers")),
        "vanished": home.add(make_exchange("hibob_list_people")),
        "noted": home.add(
            make_exchange("personio_list_employees"), note="ticket 4711", tags=["customer-x"]
        ),
    }
    home.delete([ids["deleted"]])
    (folder / f"{ids['vanished']}.json").unlink()
    (folder / DAMAGED_NAME).write_bytes(b"{an earlier damaged line\n")
    home.append("{this is not json\n")
    home.append('{"id": "torn", "started_at": "2026-01-0')  # a power cut mid-append
    return folder, ids


def test_an_old_home_moves_in_with_everything_it_holds(
    old_home: tuple[Path, dict[str, str]],
) -> None:
    folder, ids = old_home
    big_body = (folder / f"{ids['big']}.body").read_bytes()

    store = HistoryStore(folder)
    assert [e.id for e in store.entries()] == [
        ids["noted"],
        ids["big"],
        ids["failed"],
        ids["ok"],
    ]
    assert store.load_error is not None
    assert "2 damaged line(s)" in store.load_error and "line 8, 9" in store.load_error
    assert "1 entry whose file is missing" in store.load_error
    ok = store.load(ids["ok"])
    assert ok.request.action == "bamboohr_list_employees" and ok.request.account_id == "acc_1"
    assert ok.response is not None and ok.response.json == {"data": [{"id": "e1"}], "next": None}
    failure = store.load(ids["failed"]).failure
    assert failure is not None and failure.kind == "ConnectFailed"
    big = store.load(ids["big"]).response
    assert big is not None and big.body == big_body
    noted = store.get(ids["noted"])
    assert noted is not None and (noted.note, noted.tags) == ("ticket 4711", ("customer-x",))
    assert store.rows()[0].id == ids["noted"]

    # The side file keeps what it held and gains the lines that did not load.
    assert (folder / DAMAGED_NAME).read_bytes().splitlines() == [
        b"{an earlier damaged line",
        b"{this is not json",
        b'{"id": "torn", "started_at": "2026-01-0',
    ]
    # The old index and exchange files are gone; the body file stays where it was.
    names = set(os.listdir(folder))
    assert INDEX_NAME not in names and not [n for n in names if n.endswith(".json")]
    assert f"{ids['big']}.body" in names and DB_NAME in names

    again = HistoryStore(folder)
    assert again.load_error is None
    assert [e.id for e in again.entries()] == [e.id for e in store.entries()]
    assert again.load(ids["big"]).response.body == big_body  # type: ignore[union-attr]


def test_an_interrupted_move_is_done_again_without_duplicates(
    old_home: tuple[Path, dict[str, str]],
) -> None:
    """A crash after the entries were committed but before the old files were removed."""
    folder, ids = old_home
    database = HistoryDatabase(folder / DB_NAME)
    migrate(folder, database, remove=False)
    database.close()
    assert (folder / INDEX_NAME).exists()

    store = HistoryStore(folder)
    assert [e.id for e in store.entries()] == [
        ids["noted"],
        ids["big"],
        ids["failed"],
        ids["ok"],
    ]
    assert not (folder / INDEX_NAME).exists()


def test_a_read_only_session_reads_an_old_home_and_changes_nothing(
    old_home: tuple[Path, dict[str, str]], make_exchange: MakeExchange
) -> None:
    folder, ids = old_home
    before = snapshot(folder)
    store = HistoryStore(folder, read_only=True)
    assert {e.id for e in store.entries()} == {ids["ok"], ids["failed"], ids["big"], ids["noted"]}
    assert store.load(ids["ok"]).request.action == "bamboohr_list_employees"
    store.add(make_exchange())  # kept nowhere
    with pytest.raises(StoreFileError):
        store.set_note(ids["ok"], "x", "")
    store.close()
    assert snapshot(folder) == before


def test_old_index_lines_edited_by_hand_are_read_with_sane_types(tmp_path: Path) -> None:
    """Numbers written as floats are whole again; a wrong type reads as missing, never as a
    crash or a bogus value (``true`` is not a size, ``Infinity`` not a status)."""
    (tmp_path / "a1.json").write_text("{}")
    (tmp_path / "a2.json").write_text("{}")
    (tmp_path / INDEX_NAME).write_text(
        '{"id":"a1","started_at":"2026-01-01T00:00:00Z","status":404.0,"size":true,'
        '"total_ms":12,"action":7,"status_class":"","request_id":["x"],"tags":"nope"}\n'
        '{"id":"a2","started_at":"2026-01-01T00:00:01Z","status":Infinity,"size":2048.0,'
        '"note":5,"tags":["#a b",3,"A"]}\n'
    )
    second, first = HistoryStore(tmp_path).entries()
    assert (first.status, first.size, first.total_ms) == (404, None, 12.0)
    assert (first.action, first.status_class, first.request_id, first.tags) == (
        "",
        "none",
        None,
        (),
    )
    assert (second.status, second.size, second.note, second.tags) == (None, 2048, "", ("a", "b"))


def test_two_damaged_lines_that_would_join_into_json_are_both_skipped(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    """The old index is parsed in one go for speed; lines that are not JSON on their own must
    still count as damaged even when, joined by a comma, they happen to form valid JSON."""
    home = LegacyHome(tmp_path)
    kept = home.add(make_exchange("kept_action"))
    home.append(f'{{"id":"{kept}","started_at":"x","action":"a\n')
    home.append('b"}\n')
    store = HistoryStore(tmp_path)
    assert [e.action for e in store.entries()] == ["kept_action"]
    assert store.load_error is not None and "2 damaged line(s)" in store.load_error


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"this is not a database, it is a note" * 200)
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 3 + 100])
    else:  # the b-tree pages overwritten, the header intact
        path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))


@pytest.mark.parametrize("how", ["garbage", "truncated", "pages"])
def test_a_damaged_database_is_kept_aside_and_a_new_history_starts(
    tmp_path: Path, make_exchange: MakeExchange, how: str
) -> None:
    folder = tmp_path / "history"
    store = HistoryStore(folder)
    for n in range(30):
        store.add(make_exchange(f"action_{n}"))
    big = store.add(make_exchange("big", body=b"y" * (BODY_INLINE_LIMIT + 1)))
    store.close()
    for leftover in ("-wal", "-shm"):  # a clean exit: everything is in the main file
        assert not (folder / (DB_NAME + leftover)).exists()
    _damage(folder / DB_NAME, how)
    damaged = (folder / DB_NAME).read_bytes()

    reopened = HistoryStore(folder)  # never raises
    assert reopened.entries() == []
    assert reopened.load_error is not None and "history.corrupt" in reopened.load_error
    kept = tmp_path / "history.corrupt"
    assert (kept / DB_NAME).read_bytes() == damaged
    assert (kept / f"{big.id}.body").read_bytes() == b"y" * (BODY_INLINE_LIMIT + 1)
    # The new history works, and a second damage does not overwrite the first one kept.
    fresh = reopened.add(make_exchange("after_the_damage"))
    reopened.close()
    third = HistoryStore(folder)
    assert [e.id for e in third.entries()] == [fresh.id]
    third.close()
    (folder / DB_NAME).write_bytes(b"garbage again" * 100)
    HistoryStore(folder)
    assert (kept / DB_NAME).read_bytes() == damaged
    assert (tmp_path / "history.corrupt-2" / DB_NAME).read_bytes() == b"garbage again" * 100


def test_a_damaged_exchange_names_the_database_and_the_entry(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute("UPDATE exchanges SET data = ?", (b'{"request": {"action": "x"},\n  oops}',))
    raw.close()
    with pytest.raises(StoreFileError) as info:
        store.load(entry.id)
    assert DB_NAME in str(info.value) and entry.id in str(info.value)
    assert info.value.line == 2
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute("DELETE FROM exchanges")
    raw.close()
    with pytest.raises(HistoryEntryMissing):
        store.load(entry.id)


def test_an_old_home_that_cannot_move_in_keeps_every_file(
    old_home: tuple[Path, dict[str, str]],
) -> None:
    """The database cannot be opened (here a folder is in its place): the old home stays
    whole for the next start, however old its files are."""
    folder, ids = old_home
    (folder / DB_NAME).mkdir()
    an_hour_ago = time.time() - 3600  # the leftover rule spares only files under a minute
    for path in folder.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    before = sorted(os.listdir(folder))

    store = HistoryStore(folder)
    assert store.entries() == []
    assert store.load_error is not None and "could not be opened" in store.load_error
    assert ".." not in store.load_error
    assert sorted(os.listdir(folder)) == before
    assert (folder / f"{ids['ok']}.json").exists()


def test_a_lazy_store_moves_an_old_home_in_where_it_reads_its_rows(
    old_home: tuple[Path, dict[str, str]],
) -> None:
    """The window's store is lazy: the move (over a second for 10,000 old entries) is done
    by ``load_rows``, on the thread that reads the rows, never while the window is built."""
    folder, ids = old_home
    store = HistoryStore(folder, lazy=True)
    assert store.moving_old_home
    assert (folder / INDEX_NAME).exists() and (folder / f"{ids['ok']}.json").exists()
    assert store.load_error is None  # nothing read yet

    store.load_rows()
    assert not store.moving_old_home
    assert [row.id for row in store.rows()] == [ids["noted"], ids["big"], ids["failed"], ids["ok"]]
    assert store.load_error is not None and "2 damaged line(s)" in store.load_error
    assert not (folder / INDEX_NAME).exists()
    assert not [name for name in os.listdir(folder) if name.endswith(".json")]
    noted = store.get(ids["noted"])
    assert noted is not None and (noted.note, noted.tags) == ("ticket 4711", ("customer-x",))
    big = store.load(ids["big"]).response
    assert big is not None and big.size > BODY_INLINE_LIMIT
