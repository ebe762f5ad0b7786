"""The history database's guarantees: crash safety, several writers, total readers.

Issue 15 item 4 changed the storage; these are the promises the one-file index made, checked
on the database: kill -9 during writes loses nothing acknowledged, several processes writing
lose nothing, and whatever the file holds, opening it never raises.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.store.files import StoreFileError
from explorer.store.history import DB_NAME, HistoryEntryMissing, HistoryStore
from explorer.store.history_db import HistoryDatabaseDamaged

ROOT = Path(__file__).resolve().parents[2]

# Adds entries forever (every fifth with a body file), printing each id once ``add`` returned.
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from explorer.core.exchange import Exchange
    from explorer.core.request import RpcRequest
    from explorer.core.response import Timing, read_response
    from explorer.store.history import HistoryStore

    store = HistoryStore(Path(sys.argv[1]), limit=int(sys.argv[2]))
    count = int(sys.argv[3])
    number = 0
    while count < 0 or number < count:
        body = (b"%08d" % number) * (40_000 if number % 5 == 0 else 100)
        exchange = Exchange(request=RpcRequest(action=f"{sys.argv[4]}_{number}"))
        exchange.response = read_response(
            200, [], body, timing=Timing(total_ms=1.0, ttfb_ms=1.0)
        )
        entry = store.add(exchange)
        print(entry.id, number, flush=True)
        number += 1
    """
)


def writer(
    folder: Path, *, limit: int = 100_000, count: int = -1, name: str = "action"
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), str(limit), str(count), name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_kill_9_while_writing_loses_nothing_acknowledged(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    process = writer(folder)
    acknowledged: dict[str, int] = {}
    assert process.stdout is not None
    for line in process.stdout:
        entry_id, written = line.split()
        acknowledged[entry_id] = int(written)
        if len(acknowledged) == 60:
            break
    process.send_signal(signal.SIGKILL)  # in the middle of the next add
    process.wait(timeout=30)
    process.stdout.close()

    store = HistoryStore(folder, limit=100_000)
    assert store.load_error is None
    kept = {entry.id for entry in store.entries()}
    assert set(acknowledged) <= kept
    assert len(kept) - len(acknowledged) <= 1  # the add that was cut short, if committed
    for entry_id, number in acknowledged.items():
        response = store.load(entry_id).response
        assert response is not None
        assert response.body == (b"%08d" % number) * (40_000 if number % 5 == 0 else 100)


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    processes = [writer(folder, count=25, name=name) for name in ("first", "second")]
    written: list[str] = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        written += [line.split()[0] for line in out.splitlines()]
    store = HistoryStore(folder)
    assert store.load_error is None
    assert sorted(entry.id for entry in store.entries()) == sorted(written)
    actions = {store.load(entry_id).request.action for entry_id in written}
    assert len(actions) == 50


def test_values_edited_into_the_database_read_with_sane_types(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    from explorer.core.exchange import Exchange
    from explorer.core.request import RpcRequest

    entry = store.add(Exchange(request=RpcRequest(action="a")))
    store.close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute(
            "UPDATE entries SET status = 'lots', size = 1.5, total_ms = 'fast', action = 42, "
            "tags = x'66f09f' WHERE id = ?",
            (entry.id,),
        )
    raw.close()
    row = HistoryStore(tmp_path).rows()[0]
    assert (row.status, row.size, row.total_ms, row.action) == (None, None, None, "42")
    assert isinstance(row.tag_text, str)


@functools.cache
def _template() -> bytes:
    """A small, valid history database, as bytes."""
    from explorer.core.exchange import Exchange
    from explorer.core.request import RpcRequest
    from explorer.core.response import read_response

    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder))
        for number in range(6):
            exchange = Exchange(request=RpcRequest(action=f"action_{number}"))
            exchange.response = read_response(200, [], b'{"n": %d}' % number)
            entry = store.add(exchange)
            store.set_note(entry.id, f"note {number}", f"tag{number}")
        store.close()
        return (Path(folder) / DB_NAME).read_bytes()


@given(
    offset=st.integers(min_value=0, max_value=40_000),
    damage=st.binary(min_size=1, max_size=64),
    cut=st.booleans(),
)
@example(offset=0, damage=b"x" * 64, cut=False)
@example(offset=100, damage=b"\xff" * 64, cut=False)
@example(offset=5_000, damage=b"\x00", cut=True)
@example(offset=4_104, damage=b"\x00" * 8, cut=False)  # an id read as NULL
@example(offset=8_200, damage=b"\x00" * 8, cut=False)  # the index of ids misses entries
@example(offset=12_292, damage=b"\x00", cut=True)  # damage only a new entry's write meets
def test_any_damage_to_the_database_opens_total(offset: int, damage: bytes, cut: bool) -> None:
    """Flipped or cut bytes anywhere: the store opens (or keeps the file aside), every read
    raises only the documented errors, and the history works again by the start after the
    one that met the damage."""
    template = _template()
    offset %= len(template)
    broken = (
        template[:offset] if cut else template[:offset] + damage + template[offset + len(damage) :]
    )
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder) / "history"
        directory.mkdir()
        (directory / DB_NAME).write_bytes(broken)
        store = HistoryStore(directory)  # never raises
        for row in store.rows():
            try:
                store.load(row.id)
                store.load_request(row.id)
                store.set_note(row.id, "x", "y")
            except (HistoryEntryMissing, StoreFileError, ValueError):
                pass
        with contextlib.suppress(StoreFileError):
            store.delete([row.id for row in store.rows()])
        store.close()
        # Whatever happened, the next start has a history that works (unless the damage
        # made it look written by a newer explorer: that one is left alone, never replaced),
        # or, when only its first write meets the damage, the start after it: damage found
        # while running is kept aside when the explorer next starts.
        for start in ("next", "after"):
            again = HistoryStore(directory)
            if again.load_error and "newer explorer" in again.load_error:
                return
            try:
                entry = again.add(Exchange(request=RpcRequest(action="after")))
            except HistoryDatabaseDamaged:
                assert start == "next", "the damage was met again: it was not kept aside"
                again.close()
                continue
            assert entry.id in {row.id for row in again.rows()}
            assert again.load(entry.id).request.action == "after"
            again.close()
            return


def test_a_lazy_store_opens_without_its_rows_and_reads_them_when_needed(
    tmp_path: Path,
) -> None:
    """The window opens a lazy store: counting, the newest page and the action names come
    from the database; the rows come with ``load_rows`` (or whatever needs them), and only
    then is the history trimmed to its limit."""
    store = HistoryStore(tmp_path)
    added = [store.add(Exchange(request=RpcRequest(action=f"action_{n % 3}"))) for n in range(5)]
    store.close()

    lazy = HistoryStore(tmp_path, lazy=True, limit=3)
    assert not lazy.rows_loaded
    assert len(lazy) == 5  # not trimmed before its rows are read
    assert [row.id for row in lazy.newest(2)] == [added[4].id, added[3].id]
    assert lazy.actions() == ["action_0", "action_1", "action_2"]
    assert lazy.load(added[0].id).request.action == "action_0"  # no rows needed
    assert not lazy.rows_loaded

    lazy.load_rows()
    assert lazy.rows_loaded and len(lazy) == 3
    assert [row.id for row in lazy.rows()] == [e.id for e in added[:1:-1]]
    assert [row.id for row in lazy.newest(2)] == [added[4].id, added[3].id]

    other = HistoryStore(tmp_path, lazy=True)
    entry = other.add(Exchange(request=RpcRequest(action="added")))  # reads the rows first
    assert other.rows_loaded and other.rows()[0].id == entry.id and len(other) == 4
