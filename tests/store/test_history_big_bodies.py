"""Bodies over the body limit in the history: kept like any entry, read back from disk only.

Issue 9 item 4: a body over the limit streams to a file that History keeps like any entry,
within a total history size budget.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from explorer.core.body import BodySink
from explorer.core.exchange import Exchange
from explorer.core.limits import MB
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.store.history import HistoryStore

LIMIT = 1 * MB


def spooled_exchange(folder: Path, body: bytes) -> Exchange:
    """An exchange as the client makes one for a body over ``LIMIT``."""
    sink = BodySink(LIMIT, spool_dir=folder)
    for start in range(0, len(body), 64 * 1024):
        sink.write(body[start : start + 64 * 1024])
    held, on_disk = sink.finish()
    assert held == b"" and on_disk is not None
    exchange = Exchange(request=RpcRequest(action="hris_list", account_id="a"))
    exchange.response = read_response(
        200, [("content-type", "application/json")], b"", body_file=on_disk
    )
    return exchange


def test_a_body_over_the_limit_is_kept_and_read_back_from_disk(tmp_path: Path) -> None:
    body = b'{"data": "' + b"x" * (3 * MB) + b'"}'
    history = HistoryStore(tmp_path, body_limit=LIMIT)
    exchange = spooled_exchange(tmp_path, body)
    assert exchange.response is not None and exchange.response.body_file is not None
    spool = exchange.response.body_file.path
    entry = history.add(exchange)
    kept = tmp_path / f"{entry.id}.body"
    assert kept.read_bytes() == body
    if hasattr(os, "link"):
        assert os.stat(kept).st_ino == os.stat(spool).st_ino  # linked, not copied

    del exchange  # the window moves on: the temporary spool goes, the history's copy stays
    assert not spool.exists() and kept.exists()

    loaded = HistoryStore(tmp_path, body_limit=LIMIT).load(entry.id)
    response = loaded.response
    assert response is not None and response.over_limit and response.body == b""
    assert response.size == len(body)
    assert response.body_file is not None
    assert b"".join(response.body_file.chunks()) == body
    del loaded, response
    assert kept.exists()  # the history's file is only read, never deleted by a reader

    # With a higher limit the same entry is held in memory and analysed as JSON.
    big = HistoryStore(tmp_path, body_limit=10 * MB).load(entry.id)
    assert big.response is not None and big.response.json == {"data": "x" * (3 * MB)}


def test_the_history_keeps_within_its_size_budget(tmp_path: Path) -> None:
    history = HistoryStore(tmp_path, body_limit=LIMIT, budget=5 * MB)
    ids = [history.add(spooled_exchange(tmp_path, b"y" * (2 * MB))).id for _ in range(4)]
    kept = [entry.id for entry in history.entries()]
    assert kept == [ids[3], ids[2]]  # 4 MB of 5 MB; the oldest two went
    assert not (tmp_path / f"{ids[0]}.body").exists()
    # One body alone over the budget is still kept (the newest entry always is).
    history.budget = 1 * MB
    assert [entry.id for entry in history.entries()] == [ids[3]]


def test_an_entry_as_saved_names_its_body_file_and_compares_as_loaded(tmp_path: Path) -> None:
    """``load_saved``: what a comparison's helper process is given instead of the loaded
    exchange. It reads the body file there; the result is the same as comparing ``load``s."""
    import pytest

    from explorer.core.compare import compare_exchanges, compare_parcels
    from explorer.store.history import BODY_INLINE_LIMIT
    from explorer.store.history_read import HistoryEntryMissing

    def held(body: bytes) -> Exchange:
        exchange = Exchange(request=RpcRequest(action="hris_list", account_id="a"))
        exchange.response = read_response(200, [("content-type", "application/json")], body)
        return exchange

    history = HistoryStore(tmp_path, body_limit=LIMIT)
    records = [[{"id": i, "v": n * i} for i in range(20_000)] for n in (1, 2)]
    bodies = [json.dumps({"data": data}).encode() for data in records]
    assert all(BODY_INLINE_LIMIT < len(body) < LIMIT for body in bodies)
    big = [history.add(held(body)).id for body in bodies]
    small = history.add(held(b'{"a": 1}')).id

    record, body_file = history.load_saved(big[0])
    assert body_file == tmp_path / f"{big[0]}.body" and body_file.read_bytes() == bodies[0]
    assert record["response"]["status"] == 200 and "body_base64" not in record["response"]
    assert history.load_saved(small)[1] is None  # its body is inside the record

    parcels = [history.load_saved(entry) for entry in big]
    loaded = compare_exchanges(*(history.load(entry) for entry in big))
    assert compare_parcels(*parcels) == loaded and len(loaded.body) == 20_000 - 1
    narrow = HistoryStore(tmp_path, body_limit=BODY_INLINE_LIMIT)
    assert narrow.load_saved(big[0])[1] is None  # over the body limit: left out, as by load

    (tmp_path / f"{big[1]}.body").unlink()
    with pytest.raises(HistoryEntryMissing, match="send the request again"):
        history.load_saved(big[1])
