"""Comparing two exchanges: JSON-aware body changes, records by id, ignore rules, headers."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from explorer.core.compare import (
    ADDED,
    CHANGED,
    MISSING,
    REMOVED,
    Change,
    IgnoreRules,
    RecordKey,
    compare_exchanges,
    compare_json,
    compare_parcels,
)
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.filters import FilterSyntaxError, JsonPath
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.store.history import BODY_INLINE_LIMIT, HistoryStore
from tests.big_bodies import big_document


def _exchange(
    body: Any,
    *,
    status: int = 200,
    headers: list[tuple[str, str]] | None = None,
    total_ms: float = 100.0,
    content_type: str = "application/json",
) -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = read_response(
        status,
        [("content-type", content_type), *(headers or [])],
        raw,
        reason="",
        timing=Timing(total_ms=total_ms, ttfb_ms=total_ms / 2),
    )
    return Exchange(request=RpcRequest(action="a", account_id="acct"), response=response)


def _brief(changes: list[Change]) -> list[tuple[str, str, Any, Any]]:
    return [(c.kind, c.path, c.left, c.right) for c in changes]


def test_fields_added_removed_and_changed_with_both_values() -> None:
    left = {"data": {"name": "Ada", "team": "core", "age": 36}, "next": None}
    right = {"data": {"name": "Ada", "age": 37, "email": "a@x"}, "next": None}
    changes, ignored = compare_json(left, right)
    assert _brief(changes) == [
        (REMOVED, "data.team", "core", MISSING),
        (CHANGED, "data.age", 36, 37),
        (ADDED, "data.email", MISSING, "a@x"),
    ]
    assert ignored == 0


def test_json_types_are_not_confused() -> None:
    changes, _ = compare_json({"a": True, "b": 1, "c": 1.0}, {"a": 1, "b": 1.0, "c": 1})
    assert _brief(changes) == [(CHANGED, "a", True, 1)]  # 1 and 1.0 are one JSON number
    deep = compare_json([{"id": 1, "on": [False]}], [{"id": 1, "on": [0]}])[0]
    assert _brief(deep) == [(CHANGED, "[id=1].on[0]", False, 0)]


def test_records_are_matched_by_id_not_position() -> None:
    left = {"data": [{"id": "e1", "salary": 10}, {"id": "e2", "salary": 20}, {"id": 3}]}
    right = {
        "data": [
            {"id": "e0", "salary": 5},  # inserted at the top
            {"id": "e1", "salary": 10},
            {"id": "e2", "salary": 25},
        ]
    }
    changes, _ = compare_json(left, right)
    assert _brief(changes) == [
        (CHANGED, "data[id=e2].salary", 20, 25),
        (REMOVED, "data[id=3]", {"id": 3}, MISSING),
        (ADDED, "data[id=e0]", MISSING, {"id": "e0", "salary": 5}),
    ]
    assert changes[0].segments == ("data", RecordKey("e2"), "salary")


def test_a_reordered_list_of_records_is_no_change() -> None:
    records = [{"id": i, "v": i} for i in range(5)]
    assert compare_json(records, list(reversed(records))) == ([], 0)


def test_arrays_without_ids_are_aligned_so_an_insert_is_one_change() -> None:
    left = {"tags": ["a", "b", "c", "d"]}
    right = {"tags": ["a", "x", "b", "c", "D"]}
    changes, _ = compare_json(left, right)
    assert _brief(changes) == [
        (ADDED, "tags[1]", MISSING, "x"),
        (CHANGED, "tags[4]", "d", "D"),
    ]


def test_duplicate_or_missing_ids_fall_back_to_positions() -> None:
    left = [{"id": 1, "v": "a"}, {"id": 1, "v": "b"}]
    right = [{"id": 1, "v": "a"}, {"id": 1, "v": "c"}]
    changes, _ = compare_json(left, right)
    assert _brief(changes) == [(CHANGED, "[1].v", "b", "c")]


def test_ignore_rules_leave_out_volatile_fields_and_count_them() -> None:
    left = {"data": [{"id": "e1", "updated_at": "1", "n": 1}], "next": "c1", "meta": {"t": 1}}
    right = {"data": [{"id": "e1", "updated_at": "2", "n": 2}], "next": "c2", "meta": {"t": 2}}
    changes, ignored = compare_json(left, right, ignore=["$..updated_at", "$.next", "$.meta"])
    assert _brief(changes) == [(CHANGED, "data[id=e1].n", 1, 2)]
    assert ignored == 3
    # An added field under an ignored path is ignored too.
    changes, ignored = compare_json({"meta": {}}, {"meta": {"x": 1}}, ignore=["$.meta"])
    assert (changes, ignored) == ([], 1)


def test_a_bad_ignore_query_is_reported_not_swallowed() -> None:
    rules = IgnoreRules(body=["$.ok", "updated_at"])
    assert [e.expression for e in rules.check()] == ["updated_at"]
    with pytest.raises(FilterSyntaxError):
        compare_json({}, {}, ignore=rules.body)


@pytest.mark.parametrize("name", ["it's", 'quo"te', "back\\slash", "new\nline", "späce key"])
def test_ignore_this_field_makes_a_query_that_selects_it(name: str) -> None:
    left = {"data": [{"id": 1, name: "a"}, {"id": 2, name: "b"}]}
    right = {"data": [{"id": 1, name: "A"}, {"id": 2, name: "B"}]}
    changes, _ = compare_json(left, right)
    query = changes[0].query()
    assert query.startswith("$.data[*][")
    assert JsonPath(query).find(right)[0].value == "A"
    assert compare_json(left, right, ignore=[query]) == ([], 2)


def test_exchanges_compare_status_headers_timing_and_body() -> None:
    left = _exchange(
        {"data": {"id": "e1", "status": "active"}},
        headers=[("Date", "Mon"), ("X-Request-Id", "r1"), ("X-Version", "1"), ("Old", "o")],
        total_ms=120,
    )
    right = _exchange(
        {"data": {"id": "e1", "status": "inactive"}},
        status=404,
        headers=[("date", "Tue"), ("x-request-id", "r2"), ("x-version", "2"), ("New", "n")],
        total_ms=340,
    )
    result = compare_exchanges(left, right, labels=("baseline", "today"))
    assert (result.left.status, result.right.status) == (200, 404)
    assert (result.left.total_ms, result.right.total_ms) == (120, 340)
    assert result.left.label == "baseline"
    assert _brief(result.headers) == [
        (ADDED, "new", MISSING, "n"),
        (REMOVED, "old", "o", MISSING),
        (CHANGED, "x-version", "1", "2"),
    ]
    assert result.ignored == 2  # date and x-request-id differ: ignored by default
    assert _brief(result.body) == [(CHANGED, "data.status", "active", "inactive")]
    assert result.summary() == "status 200 -> 404; 1 changed; 3 header(s) differ (2 ignored)"
    assert not result.identical


def test_identical_responses_say_so() -> None:
    result = compare_exchanges(_exchange({"a": 1}), _exchange({"a": 1}, total_ms=999))
    assert result.identical and result.summary() == "no differences"


def test_text_bodies_get_a_line_diff_and_binary_bodies_a_digest() -> None:
    text = compare_exchanges(
        _exchange(b"one\ntwo\n", content_type="text/plain"),
        _exchange(b"one\nthree\n", content_type="text/plain"),
    )
    assert text.body_kind == "text"
    assert "-two" in text.text_diff and "+three" in text.text_diff
    binary = compare_exchanges(
        _exchange(b"%PDF-1\x00\x01", content_type="application/pdf"),
        _exchange(b"%PDF-1\x00\x02", content_type="application/pdf"),
    )
    assert binary.body_kind == "binary"
    assert binary.body[0].kind == CHANGED and "sha256" in binary.body[0].left


def test_a_comparison_survives_a_helper_process() -> None:
    result = compare_exchanges(_exchange({"a": 1, "b": [1]}), _exchange({"b": [2], "c": 3}))
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert back.body[0].right is MISSING  # the removed "a": the marker itself comes back


def test_comparing_again_after_the_history_let_an_entry_go_says_so(tmp_path: Path) -> None:
    """The window compares again (an ignored field) from the entries as first read: a body
    file the history has since trimmed is named as gone, not "file not found"."""
    store = HistoryStore(tmp_path)
    big = {"data": ["x" * 1000] * (BODY_INLINE_LIMIT // 1000 + 1)}
    older = store.add(_exchange(big))
    newer = store.add(_exchange({**big, "next": "cursor_2"}))
    left, right = store.load_saved(older.id), store.load_saved(newer.id)
    assert isinstance(left[1], Path)  # a body over the inline limit: kept in its own file
    labels = ("10:00:01 · 200", "10:00:02 · 200")
    first = compare_parcels(left, right, labels=labels)
    assert [c.path for c in first.body] == ["next"]

    store.delete([older.id])
    with pytest.raises(ExplorerError, match=r"The 10:00:01 · 200 side's history entry is gone"):
        compare_parcels(left, right, labels=labels)


def test_two_10_mb_bodies_show_exactly_what_changed_with_progress() -> None:
    left = big_document()
    right = copy.deepcopy(left)
    records = right["data"]
    assert len(json.dumps(left)) >= 10 * 1024 * 1024
    records[500]["salary"] = -1
    removed = records.pop(1000)
    records.insert(20_000, {"id": "emp_new", "first_name": "New"})
    for record in records:
        record["updated_at"] = "2026-01-01T00:00:00Z"  # volatile, everywhere
    right["next"] = "cursor_2"
    seen: list[tuple[float, str]] = []
    result = compare_exchanges(
        _exchange(left),
        _exchange(right),
        ignore=IgnoreRules(body=["$.data[*].updated_at"]),
        progress=lambda fraction, stage: seen.append((fraction, stage)),
    )
    added = {"id": "emp_new", "first_name": "New", "updated_at": "2026-01-01T00:00:00Z"}
    assert _brief(result.body) == [
        (CHANGED, "data[id=emp_000500].salary", left["data"][500]["salary"], -1),
        (REMOVED, f"data[id={removed['id']}]", removed, MISSING),
        (ADDED, "data[id=emp_new]", MISSING, added),
        (CHANGED, "next", "cursor_1", "cursor_2"),
    ]
    assert result.ignored == len(records) - 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(seen) > 2 and {"comparing", "done"} <= {stage for _, stage in seen}


def _all_paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _all_paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _all_paths(item, (*at, index))
    return found


@pytest.mark.parametrize(
    "query",
    [
        "$..updated_at",
        "$.data[*].updated_at",
        "$.data.*.id",
        "$['data'][0]",
        "$..[1]",
        "$..*",
        "$.data..zip",
        '$["next"]',
        "$.data[*].*[0]",
        "$..data..city",
    ],
)
def test_simple_ignore_queries_select_what_the_jsonpath_engine_selects(query: str) -> None:
    """Simple queries are matched against paths instead of evaluated: the same nodes."""
    from explorer.core.compare import _simple_steps, _step_matches

    document = {
        "data": [
            {"id": 1, "updated_at": "x", "loc": {"city": "B", "zip": "1"}, "tags": ["a", "b"]},
            {"id": 2, "updated_at": "y", "data": {"city": "L"}, "tags": [["n"]]},
        ],
        "next": None,
        "updated_at": 0,
    }
    steps = _simple_steps(query)
    assert steps is not None
    matched = {p for p in _all_paths(document) if _step_matches(steps, p)}
    assert matched == set(JsonPath(query).locations(document))


@pytest.mark.parametrize(
    "query", ["$.data[?@.id > 1]", "$.data[-1]", "$.data[0:2]", "$['a\\'b']", "$.data[0,1]"]
)
def test_other_queries_are_evaluated(query: str) -> None:
    from explorer.core.compare import _simple_steps

    assert _simple_steps(query) is None
