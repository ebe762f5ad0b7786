"""History: every Send is kept, found, re-opened, trimmed and deleted, and never leaks a key."""

from __future__ import annotations

import base64
import gc
import json
import os
import sqlite3
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core import collector
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.store.history import (
    BODY_INLINE_LIMIT,
    DB_NAME,
    HistoryEntry,
    HistoryEntryMissing,
    HistoryStore,
)
from explorer.store.history_db import HistoryDatabase

# What the database may leave beside itself while it is open (WAL mode).
DB_FILES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"}

MakeExchange = Callable[..., Exchange]  # the conftest fixture


def test_add_then_reload_and_load(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path)
    ok = store.add(make_exchange("bamboohr_list_employees", account_id="acc_1"))
    failed = store.add(make_exchange("greenhouse_list_jobs", fail=True))

    reopened = HistoryStore(tmp_path)
    assert reopened.load_error is None
    rows = reopened.entries()
    assert [r.id for r in rows] == [failed.id, ok.id]  # newest first
    assert rows[1].status == 200 and rows[1].status_class == "2xx"
    assert rows[1].request_id == "req-123" and rows[1].profile == "prod"
    assert rows[1].size is not None and rows[1].size > 0 and rows[1].total_ms is not None
    assert rows[0].status is None and rows[0].status_class == "none"
    assert rows[0].failure == "ConnectFailed"
    assert rows[0].base_url == "https://api.stackone.test"

    exchange = reopened.load(ok.id)
    assert exchange.request.action == "bamboohr_list_employees"
    assert exchange.response is not None and exchange.response.json == {
        "data": [{"id": "e1"}],
        "next": None,
    }
    assert exchange.sent is not None and exchange.sent.url.endswith("/actions/rpc")
    failure = reopened.load(failed.id).failure
    assert failure is not None and failure.kind == "ConnectFailed"


def test_trim_to_limit_removes_oldest_and_their_files(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path, limit=3)
    big = os.urandom(BODY_INLINE_LIMIT + 1)
    added = [store.add(make_exchange(f"action_{n}", body=big)) for n in range(5)]
    assert [e.action for e in store.entries()] == ["action_4", "action_3", "action_2"]
    for old in added[:2]:
        assert not (tmp_path / f"{old.id}.body").exists()
        with pytest.raises(HistoryEntryMissing):
            store.load(old.id)
    assert [e.action for e in HistoryStore(tmp_path, limit=3).entries()] == [
        "action_4",
        "action_3",
        "action_2",
    ]

    store.limit = 1  # the user lowers the limit in the settings
    assert [e.action for e in store.entries()] == ["action_4"]
    assert sorted(p.name for p in tmp_path.glob("*.body")) == [f"{added[4].id}.body"]
    with pytest.raises(ValueError):
        store.limit = -1


def test_delete_and_clear(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path)
    a, b, c = (store.add(make_exchange(f"action_{n}")) for n in range(3))
    store.delete([a.id, "unknown-id"])
    assert [e.id for e in store.entries()] == [c.id, b.id]
    with pytest.raises(HistoryEntryMissing):
        store.load(a.id)
    assert [e.id for e in HistoryStore(tmp_path).entries()] == [c.id, b.id]

    store.clear()
    assert store.entries() == []
    assert HistoryStore(tmp_path).entries() == []
    assert set(os.listdir(tmp_path)) <= DB_FILES
    # Nothing of the cleared entries stays readable in the database or its WAL.
    for name in os.listdir(tmp_path):
        assert b"action_1" not in (tmp_path / name).read_bytes(), name


def test_trimming_keeps_the_database_small(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path, limit=5)
    for n in range(120):
        store.add(make_exchange(f"action_{n}"))
    store.close()
    assert (tmp_path / DB_NAME).stat().st_size < 100_000  # freed pages are used again
    assert [e.action for e in HistoryStore(tmp_path, limit=5).entries()] == [
        f"action_{n}" for n in range(119, 114, -1)
    ]


def test_big_body_is_stored_beside(tmp_path: Path, make_exchange: MakeExchange) -> None:
    big = os.urandom(BODY_INLINE_LIMIT + 1)
    small = b"%PDF-1.7 small file"
    store = HistoryStore(tmp_path)
    big_entry = store.add(make_exchange("documents_download_file", body=big))
    small_entry = store.add(make_exchange("documents_download_file", body=small))

    beside = tmp_path / f"{big_entry.id}.body"
    assert beside.read_bytes() == big
    store.close()
    assert (tmp_path / DB_NAME).stat().st_size < BODY_INLINE_LIMIT  # not in the database
    assert not (tmp_path / f"{small_entry.id}.body").exists()

    reopened = HistoryStore(tmp_path)
    big_response = reopened.load(big_entry.id).response
    small_response = reopened.load(small_entry.id).response
    assert big_response is not None and big_response.body == big
    assert small_response is not None and small_response.body == small

    beside.unlink()
    with pytest.raises(HistoryEntryMissing, match="response body"):
        reopened.load(big_entry.id)


def test_an_entry_another_window_deleted_raises_clear_error(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    HistoryStore(tmp_path).clear()  # another window cleared the history
    with pytest.raises(HistoryEntryMissing) as info:
        store.load(entry.id)
    assert isinstance(info.value, ExplorerError)
    assert entry.id in str(info.value)


def test_unsafe_or_repeated_ids_get_fresh_ones(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path)
    exchange = make_exchange()
    exchange.id = "../../escape"
    entry = store.add(exchange)
    assert (
        entry.id != exchange.id and store.load(entry.id).request.action == exchange.request.action
    )
    again = store.add(make_exchange())
    duplicate = make_exchange()
    duplicate.id = again.id
    assert store.add(duplicate).id != again.id
    assert len(store.entries()) == 3
    assert not (tmp_path.parent / "escape.json").exists()


def test_ten_thousand_entries_reload(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path, limit=10_000)
    template = store.add(make_exchange("hibob_search_employees"))
    entry = store.get(template.id)
    assert entry is not None
    exchange = json.dumps(store.load(template.id).to_dict()).encode()
    store.close()
    # Grow the store directly, in one transaction (10,000 durable adds would only test the disk).
    ids = [uuid.uuid4().hex for _ in range(9_999)]
    database = HistoryDatabase(tmp_path / DB_NAME)
    copies = []
    for new_id in ids:
        copy = HistoryEntry(**{**entry.to_dict(), "id": new_id, "tags": ()})
        copies.append((copy, exchange.replace(template.id.encode(), new_id.encode())))
    assert database.insert_many(copies) == 9_999
    database.close()

    reopened = HistoryStore(tmp_path, limit=10_000)
    assert reopened.load_error is None
    rows = reopened.entries()
    assert len(rows) == 10_000
    assert rows[0].id == ids[-1] and rows[-1].id == template.id
    assert reopened.load(ids[5000]).request.action == "hibob_search_employees"
    assert sum(1 for r in rows if r.matches("HIBOB 2xx")) == 10_000

    fewer = HistoryStore(tmp_path, limit=100)  # a lower limit trims on open
    assert len(fewer.entries()) == 100
    assert len(HistoryStore(tmp_path, limit=10_000).entries()) == 100


def test_no_api_key_in_any_file(
    tmp_path: Path, make_exchange: MakeExchange, canary_key: str
) -> None:
    store = HistoryStore(tmp_path)
    store.add(
        make_exchange(
            headers={"Authorization": f"Bearer {canary_key}", "X-Trace": "visible"},
        )
    )
    store.add(make_exchange(fail=True, headers={"authorization": canary_key}))
    store.add(make_exchange(body=os.urandom(BODY_INLINE_LIMIT + 10)))
    forms = [
        canary_key.encode(),
        base64.b64encode(f"{canary_key}:".encode()),  # the Basic header as sent
    ]
    # The key is replaced, not dropped: the user still sees that a header was sent.
    saved = [store.load(r.id).to_dict() for r in store.entries()]
    store.close()  # everything in the database file itself (the WAL is folded in)
    written = [p for p in tmp_path.iterdir() if p.is_file()]
    assert len(written) == 2 and (tmp_path / DB_NAME) in written  # the database, 1 body
    for path in written:
        content = path.read_bytes()
        for form in forms:
            assert form not in content, f"API key leaked into {path.name}"
    with_header = next(
        s for s in saved if s["request"]["headers"] and "X-Trace" in s["request"]["headers"]
    )
    assert with_header["request"]["headers"] == {
        "Authorization": "<redacted>",
        "X-Trace": "visible",
    }
    assert ["authorization", "<redacted>"] in with_header["sent"]["headers"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("bamboo", True),
        ("BAMBOOHR_LIST", True),
        ("acc_42", True),
        ("req-9", True),
        ("404", True),
        ("4xx", True),
        ("staging", True),
        ("bamboo 4xx", True),
        ("bamboo 2xx", False),
        ("greenhouse", False),
    ],
)
def test_entry_matches(query: str, found: bool) -> None:
    entry = HistoryEntry(
        id="a1",
        started_at="2026-01-01T00:00:00.000+00:00",
        profile="staging",
        action="bamboohr_list_employees",
        account_id="acc_42",
        status=404,
        status_class="4xx",
        request_id="req-9",
    )
    assert entry.matches(query) is found


def test_limit_zero_keeps_nothing_on_disk(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path / "history", limit=0)
    entry = store.add(make_exchange())
    assert entry.action == "bamboohr_list_employees"
    assert store.entries() == []
    assert not (tmp_path / "history").exists()


def _inconsistencies(store: HistoryStore, *, limit: int) -> list[str]:
    """What one pass over the list, as the window reads it, finds wrong."""
    found_wrong = []
    for entry in store.entries():
        found = store.get(entry.id)
        if found is not None and found.id != entry.id:
            found_wrong.append(f"get({entry.id}) gave {found.id}")
        if len(store.entries()) > limit:
            found_wrong.append("more entries than the limit")
    return found_wrong


def test_reading_while_another_thread_adds_and_trims(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    """The window reads the list while the history thread adds (and trims to the limit):
    every read sees a consistent list, never an entry under another's id or a crash."""
    store = HistoryStore(tmp_path / "history", limit=5)
    exchanges = [make_exchange(status=200 + i % 5) for i in range(150)]
    problems: list[str] = []
    done = threading.Event()

    def write() -> None:
        try:
            for exchange in exchanges:
                store.add(exchange)
        finally:
            done.set()

    def read() -> None:
        while not done.is_set():
            try:
                problems.extend(_inconsistencies(store, limit=5))
            except Exception as exc:
                problems.append(repr(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible to provoke a race
    try:
        threads = [threading.Thread(target=write), threading.Thread(target=read)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert problems == []
    assert [e.id for e in store.entries()] == [e.id for e in exchanges[:-6:-1]]
    assert [e.id for e in HistoryStore(tmp_path / "history").entries()] == [
        e.id for e in exchanges[:-6:-1]
    ]


def test_the_request_of_a_big_entry_is_read_without_its_body(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    """Replaying needs the request only: it is read even when the body file is gone."""
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange("big_download", body=os.urandom(BODY_INLINE_LIMIT + 10)))
    (tmp_path / f"{entry.id}.body").unlink()
    request = store.load_request(entry.id)
    assert request.action == "big_download"
    with pytest.raises(HistoryEntryMissing):
        store.load(entry.id)
    store.delete([entry.id])
    with pytest.raises(HistoryEntryMissing):
        store.load_request(entry.id)


def _seed(folder: Path, count: int) -> list[HistoryEntry]:
    """``count`` entries written straight into the database, oldest first."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        HistoryEntry(id=f"e{n:05d}", started_at="2026-01-01T00:00:00+00:00", action=f"a{n % 7}")
        for n in range(count)
    ]
    database = HistoryDatabase(folder / DB_NAME)
    database.insert_many((entry, b'{"request": {"action": "x"}}') for entry in entries)
    database.close()
    return entries


def test_reading_the_rows_turns_the_garbage_collector_back_on(tmp_path: Path) -> None:
    """The collector is paused while the rows are made (see ``_read_rows``): after a read it
    runs again, every row is there, and nothing was frozen (only the app freezes)."""
    entries = _seed(tmp_path, 12_000)  # more than two batches
    frozen = gc.get_freeze_count()
    store = HistoryStore(tmp_path, lazy=True, limit=20_000)
    store.load_rows()
    assert [row.id for row in store.rows()] == [entry.id for entry in reversed(entries)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    store.close()


def test_a_read_that_fails_turns_the_garbage_collector_back_on(tmp_path: Path) -> None:
    _seed(tmp_path, 10)
    store = HistoryStore(tmp_path, lazy=True)
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute("DROP TABLE entries")  # the list's query now fails
    connection.close()
    store.load_rows()
    assert store.rows() == []
    assert store.load_error is not None
    assert gc.isenabled()
    store.close()


def test_a_read_during_start_up_leaves_the_collector_to_start_up(tmp_path: Path) -> None:
    """The app reads the rows on a thread while its start-up has the collector paused: the
    read ending must not turn it on for start-up."""
    _seed(tmp_path, 100)
    store = HistoryStore(tmp_path, lazy=True)
    collector.pause(collector.START_UP)
    try:
        reading = threading.Thread(target=store.load_rows)
        reading.start()
        reading.join()
        assert len(store.rows()) == 100
        assert not gc.isenabled()
    finally:
        collector.resume(collector.START_UP)
    assert gc.isenabled()
    store.close()


def test_a_caller_waiting_for_the_rows_stops_the_readers_pauses(tmp_path: Path) -> None:
    """The window's reader waits for the UI thread's turn between batches; if the UI thread
    itself then needs the rows (and waits for them), the reader must not wait for it again."""
    _seed(tmp_path, 6_000)  # three batches
    store = HistoryStore(tmp_path, lazy=True, limit=10_000)
    in_pause = threading.Event()
    release = threading.Event()
    pauses: list[int] = []

    def between() -> None:
        pauses.append(1)
        in_pause.set()
        release.wait(10)  # the UI thread's turn, which will not come while it waits below

    reader = threading.Thread(target=store.load_rows, kwargs={"between": between})
    reader.start()
    assert in_pause.wait(10)
    threading.Timer(0.3, release.set).start()
    assert len(store.rows()) == 6_000  # waits for the reader
    reader.join()
    assert pauses == [1]
    store.close()


def test_several_exchanges_are_kept_in_one_go_oldest_first_or_none_of_them(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    """A run across accounts writes its finished accounts together: in order, trimmed to
    the limit like single adds, and when the disk refuses one, none of the batch is kept
    (no entry, no body file) and the history is as it was."""
    store = HistoryStore(tmp_path, limit=4)
    first = store.add(make_exchange(account_id="acc_0"))
    batch = [make_exchange(account_id=f"acc_{n}") for n in range(1, 4)]
    added = store.add_many(batch)
    assert [entry.account_id for entry in added] == ["acc_1", "acc_2", "acc_3"]
    reopened = HistoryStore(tmp_path)
    assert [e.account_id for e in reopened.entries()] == ["acc_3", "acc_2", "acc_1", "acc_0"]
    reopened.close()

    # Past the limit by more than one: the oldest go, the newest four stay.
    store.add_many([make_exchange(account_id=f"acc_{n}") for n in range(4, 7)])
    assert [e.account_id for e in store.entries()] == ["acc_6", "acc_5", "acc_4", "acc_3"]
    assert first.id not in store

    big = make_exchange(account_id="acc_big", body=os.urandom(BODY_INLINE_LIMIT + 1))
    small_big = make_exchange(account_id="acc_8", body=os.urandom(BODY_INLINE_LIMIT + 1))
    (tmp_path / f"{big.id}.body").mkdir()  # the disk refuses this one's body file
    with pytest.raises(ExplorerError, match="could not be written"):
        store.add_many([small_big, make_exchange(account_id="acc_7"), big])
    assert [e.account_id for e in store.entries()] == ["acc_6", "acc_5", "acc_4", "acc_3"]
    assert not (tmp_path / f"{small_big.id}.body").exists()
    store.close()
    reopened = HistoryStore(tmp_path)
    assert [e.account_id for e in reopened.entries()] == ["acc_6", "acc_5", "acc_4", "acc_3"]
