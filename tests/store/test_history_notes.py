"""Notes and tags on history entries: kept, searched, exported (issue 12 item 6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.exchange import Exchange
from explorer.core.har import history_export, history_import, to_har
from explorer.store.history import (
    NOTE_LIMIT,
    HistoryEntry,
    HistoryEntryMissing,
    HistoryFilter,
    HistoryStore,
)
from explorer.store.history_entry import parse_tags

MakeExchange = Callable[..., Exchange]


def test_a_note_and_tags_are_kept_with_the_entry(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange("bamboohr_list_employees"))
    other = store.add(make_exchange("hibob_list_people"))
    row = store.set_note(entry.id, "  ticket 4711\nthe customer sees a 500  ", "#customer-x, 4711")
    assert (row.note, row.tags) == ("ticket 4711\nthe customer sees a 500", ("customer-x", "4711"))
    assert store.rows()[1] == row  # the list's row is replaced too

    reopened = HistoryStore(tmp_path)
    kept = reopened.get(entry.id)
    assert kept is not None and kept.note.startswith("ticket 4711")
    assert kept.tags == ("customer-x", "4711")
    assert reopened.get(other.id) == other  # the others are untouched
    exchange = reopened.load(entry.id)
    assert (exchange.note, exchange.tags) == (kept.note, kept.tags)

    reopened.set_note(entry.id, "", [])  # emptied: gone
    cleared = HistoryStore(tmp_path).get(entry.id)
    assert cleared is not None and (cleared.note, cleared.tags) == ("", ())


def test_tags_as_typed() -> None:
    assert parse_tags("#customer-x, 4711  ##vip,,Customer-X") == ("customer-x", "4711", "vip")
    assert parse_tags("  ") == ()
    assert parse_tags("x" * 100) == ("x" * 64,)


def test_a_note_too_long_is_refused_with_the_reason_and_nothing_changes(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    store.set_note(entry.id, "kept", "a")
    with pytest.raises(ValueError, match="10,000 characters"):
        store.set_note(entry.id, "x" * (NOTE_LIMIT + 1), "b")
    kept = HistoryStore(tmp_path).get(entry.id)
    assert kept is not None and (kept.note, kept.tags) == ("kept", ("a",))


def test_a_note_on_a_deleted_entry_says_it_is_gone(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    HistoryStore(tmp_path).delete([entry.id])  # another window
    store.delete([entry.id])
    with pytest.raises(HistoryEntryMissing):
        store.set_note(entry.id, "too late", "")


def test_a_lone_surrogate_in_a_note_is_kept(tmp_path: Path, make_exchange: MakeExchange) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    store.set_note(entry.id, "half an emoji \ud83d", "tag\udfff")
    row = HistoryStore(tmp_path).rows()[0]
    assert (row.note, row.tags) == ("half an emoji \ud83d", ("tag\udfff",))


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ticket", True),  # plain words match the note
        ("TICKET 4711", True),
        ("4711", True),
        ("customer", True),  # and the tags
        ("#customer", True),  # a #word starts a tag
        ("#customer-x", True),
        ("#ustomer", False),  # ...and only starts it
        ("#ticket", False),  # a note is not a tag
        ("#", True),  # any tag
        ("bamboo #vip", True),
        ("greenhouse #vip", False),
        ("ticket#", False),
    ],
)
def test_the_filter_searches_notes_and_tags(query: str, found: bool) -> None:
    entry = HistoryEntry(
        id="a1",
        started_at="2026-01-01T00:00:00.000+00:00",
        action="bamboohr_list_employees",
        status=500,
        status_class="5xx",
        note="Ticket 4711: the customer sees a 500",
        tags=("Customer-X", "vip"),
    )
    assert HistoryFilter(text=query).accepts(entry.row()) is found
    assert entry.matches(query) is found
    untagged = HistoryEntry(id="a2", started_at="2026-01-01T00:00:00.000+00:00")
    assert not HistoryFilter(text="#").accepts(untagged.row())


def test_notes_and_tags_are_exported_as_the_user_typed_them(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    plain = store.add(make_exchange())
    store.set_note(entry.id, "ticket 4711", "customer-x")
    exchanges = [store.load(entry.id), store.load(plain.id)]
    document = history_export(exchanges)
    first, second = document["exchanges"]
    assert (first["note"], first["tags"]) == ("ticket 4711", ["customer-x"])
    assert "note" not in second and "tags" not in second
    back = history_import(document)
    assert (back[0].note, back[0].tags) == ("ticket 4711", ("customer-x",))
    har_entry = to_har(exchanges, creator_version="0")["log"]["entries"][0]
    assert har_entry["comment"] == "bamboohr_list_employees ticket 4711 #customer-x"
    assert har_entry["_stackone"]["tags"] == ["customer-x"]


def test_a_secret_typed_into_a_note_or_a_tag_never_reaches_the_disk(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    key = "sk_NOTECANARY_0123456789abcdef"
    store = HistoryStore(tmp_path)
    entry = store.add(make_exchange())
    row = store.set_note(
        entry.id, f"customer pasted {key} in the ticket", f"vip {key}", secrets=[key, "ab"]
    )
    assert row.note == "customer pasted <redacted> in the ticket"
    assert row.tags == ("vip", "<redacted>")
    store.close()
    # Nothing of it in any file of the history (the database, its journal, the body files).
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    again = HistoryStore(tmp_path)
    whole = again.set_note(entry.id, "ab", "", secrets=["ab"])  # a short secret, alone
    assert whole.note == "<redacted>"
