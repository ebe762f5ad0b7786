"""A comparison in brief and page by page: what the compare window gets from its helper
process instead of every change at once."""

from __future__ import annotations

import json
import pickle
import uuid
from typing import Any

import pytest

from explorer.core.compare import ADDED, CHANGED, REMOVED, IgnoreRules, parcel
from explorer.core.compare_pages import KEEP, PAGE_SIZE, Forgotten, View, brief, page
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import read_response

RECORDS = 1_300  # more changes than two pages hold


def _exchange(body: Any, content_type: str = "application/json") -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = read_response(200, [("content-type", content_type)], raw, reason="OK")
    return Exchange(request=RpcRequest(action="a", account_id="acct"), response=response)


def _runs() -> tuple[Exchange, Exchange]:
    """Every record's timestamp changed; one salary changed, one record gone, one new."""
    before = [{"id": f"e{i:05d}", "salary": i, "updated_at": "2025"} for i in range(RECORDS)]
    after = [dict(record, updated_at="2026") for record in before]
    after[700]["salary"] = -1
    after.pop(900)
    after.append({"id": "new"})
    return _exchange({"data": before}), _exchange({"data": after})


def _key() -> str:
    return uuid.uuid4().hex


def test_a_brief_holds_the_counts_of_every_change_and_only_the_first_page() -> None:
    left, right = _runs()
    key = _key()
    found = brief(parcel(left), parcel(right), key=key)
    comparison = found.comparison
    total = (RECORDS - 1) + 1 + 2  # the timestamps, the salary, the record gone and the new one
    assert comparison.counts() == {CHANGED: RECORDS, ADDED: 1, REMOVED: 1}
    assert comparison.summary() == f"{RECORDS:,} changed, 1 added, 1 removed"
    assert not comparison.identical
    assert len(comparison.body) == PAGE_SIZE == len(found.first.changes)
    assert found.first.matching == total and not found.complete
    assert comparison.body[0].path == "data[id=e00000].updated_at"
    # What crosses back to the window's process is the brief, not 1,300 changes.
    assert len(pickle.loads(pickle.dumps(found)).comparison.body) == PAGE_SIZE

    # The next pages go on in document order, up to the last change.
    second = page(key, View(), PAGE_SIZE)
    assert second.offset == PAGE_SIZE and len(second.changes) == PAGE_SIZE
    assert second.changes[0].path == f"data[id=e{PAGE_SIZE:05d}].updated_at"
    paths = [c.path for c in found.first.changes + second.changes]
    paths += [c.path for c in page(key, View(), 2 * PAGE_SIZE).changes]
    assert len(paths) == total == len(set(paths))
    assert paths[-1] == "data[id=new]"
    assert page(key, View(), total).changes == []


def test_a_view_filters_every_change_in_the_helper() -> None:
    left, right = _runs()
    key = _key()
    brief(parcel(left), parcel(right), key=key)
    salary = page(key, View.of("  SALARY "))
    assert [(c.kind, c.path, c.left, c.right) for c in salary.changes] == [
        (CHANGED, "data[id=e00700].salary", 700, -1)
    ]
    assert salary.matching == 1
    one_sided = page(key, View.of("", [ADDED, REMOVED]))
    assert [c.path for c in one_sided.changes] == ["data[id=e00900]", "data[id=new]"]
    # Typed before the comparison ended: its first page is of that view already.
    found = brief(parcel(left), parcel(right), key=_key(), view=View.of("salary"))
    assert found.first.matching == 1 and found.first.view == View.of("salary")
    assert not found.complete  # one of one matching, but the others are still in the helper
    assert found.comparison.counts()[CHANGED] == RECORDS  # the counts are of every change


def test_small_comparisons_come_whole_and_ignore_rules_apply() -> None:
    left, right = _runs()
    found = brief(
        parcel(left), parcel(right), key=_key(), ignore=IgnoreRules(body=["$..updated_at"])
    )
    assert found.complete
    assert [c.path for c in found.comparison.body] == [
        "data[id=e00700].salary",
        "data[id=e00900]",
        "data[id=new]",
    ]
    assert found.comparison.ignored == RECORDS - 1


def test_a_comparison_the_helper_let_go_asks_to_compare_again() -> None:
    left, right = _runs()
    keys = [_key() for _ in range(KEEP + 1)]
    for key in keys:
        brief(parcel(left), parcel(right), key=key)
    with pytest.raises(Forgotten, match="comparing again"):
        page(keys[0], View(), PAGE_SIZE)  # the oldest, beyond the last KEEP
    assert page(keys[-1], View(), PAGE_SIZE).changes
    with pytest.raises(Forgotten):
        page(_key(), View())


def test_a_text_diff_comes_laid_out_for_display() -> None:
    left = _exchange(b"one\ntwo\n" * 5_000, "text/plain")
    right = _exchange(b"one\nthree\n" * 5_000, "text/plain")
    found = brief(parcel(left), parcel(right), key=_key())
    assert found.comparison.text_diff == [] and found.comparison.text_differs
    assert not found.comparison.identical
    assert "body text differs" in found.comparison.summary()
    lines = found.text
    assert lines is not None
    rows = [lines.row(n) for n in range(lines.row_count)]
    assert rows[:2] == ["--- left", "+++ right"]
    assert "-two" in rows and "+three" in rows
