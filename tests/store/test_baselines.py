"""Pinned baselines and per-action ignore rules in the data directory; sharing a baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.compare import DEFAULT_IGNORED_HEADERS, IgnoreRules, compare_exchanges
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.store.baselines import BaselineStore
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths


def _exchange(account: str, body: object, action: str = "bamboohr_list_employees") -> Exchange:
    response = read_response(
        200, [("content-type", "application/json")], json.dumps(body).encode(), reason="OK"
    )
    return Exchange(request=RpcRequest(action=action, account_id=account), response=response)


@pytest.fixture
def store(tmp_path: Path) -> BaselineStore:
    return BaselineStore(AppPaths(tmp_path).baselines_dir)


def test_a_pinned_baseline_is_kept_per_action_and_account(
    store: BaselineStore, tmp_path: Path
) -> None:
    first = store.pin(_exchange("acct_1", {"data": [1]}))
    store.pin(_exchange("acct_2", {"data": [2]}))
    store.pin(_exchange("acct_1", {"data": [3]}, action="bamboohr_get_employee"))
    assert first.pinned_at

    again = BaselineStore(AppPaths(tmp_path).baselines_dir)  # after a restart
    baseline = again.get("bamboohr_list_employees", "acct_1")
    assert baseline is not None and baseline.exchange.response is not None
    assert baseline.exchange.response.json == {"data": [1]}
    assert [(b.action, b.account_id) for b in again.list()] == [
        ("bamboohr_get_employee", "acct_1"),
        ("bamboohr_list_employees", "acct_1"),
        ("bamboohr_list_employees", "acct_2"),
    ]
    # Pinning again replaces; the comparison with it is what the window shows.
    store.pin(_exchange("acct_1", {"data": [1, 4]}))
    today = _exchange("acct_1", {"data": [1, 5]})
    pinned = store.get("bamboohr_list_employees", "acct_1")
    assert pinned is not None
    result = compare_exchanges(pinned.exchange, today)
    assert [c.path for c in result.body] == ["data[1]"]

    assert store.unpin("bamboohr_list_employees", "acct_1")
    assert not store.unpin("bamboohr_list_employees", "acct_1")
    assert store.get("bamboohr_list_employees", "acct_1") is None


def test_only_a_response_can_be_pinned(store: BaselineStore) -> None:
    failed = Exchange(request=RpcRequest(action="a", account_id="b"), failure=Failure("T", "x"))
    with pytest.raises(ValueError, match="got none"):
        store.pin(failed)


def test_accounts_that_look_alike_do_not_share_a_file(store: BaselineStore) -> None:
    store.pin(_exchange("Acct 1", {"n": 1}))
    store.pin(_exchange("acct-1", {"n": 2}))
    one, two = (
        store.get("bamboohr_list_employees", "Acct 1"),
        store.get("bamboohr_list_employees", "acct-1"),
    )
    assert one is not None and two is not None
    assert one.exchange.response is not None and one.exchange.response.json == {"n": 1}


def test_ignore_rules_are_kept_per_action(store: BaselineStore, tmp_path: Path) -> None:
    assert store.ignore_rules("x").headers == list(DEFAULT_IGNORED_HEADERS)
    store.set_ignore_rules("x", IgnoreRules(body=["$..updated_at"], headers=["date"]))
    again = BaselineStore(AppPaths(tmp_path).baselines_dir)
    assert again.ignore_rules("x") == IgnoreRules(body=["$..updated_at"], headers=["date"])
    assert again.ignore_rules("y") == IgnoreRules()


def test_a_damaged_ignore_file_is_reported_and_kept_before_a_save(tmp_path: Path) -> None:
    directory = AppPaths(tmp_path).baselines_dir
    directory.mkdir(parents=True)
    (directory / "ignore.json").write_text("{not json")
    store = BaselineStore(directory)
    assert store.load_error and "ignore.json" in store.load_error
    store.set_ignore_rules("x", IgnoreRules(body=["$.next"]))
    assert (directory / "ignore.json.corrupt").read_text() == "{not json"
    assert BaselineStore(directory).ignore_rules("x").body == ["$.next"]


def test_a_damaged_baseline_reads_as_none_with_a_reason(store: BaselineStore) -> None:
    store.pin(_exchange("acct_1", {"n": 1}))
    [path] = store.directory.glob("*--*.json")
    path.write_text('{"format": "something else"}')
    assert store.get("bamboohr_list_employees", "acct_1") is None
    assert store.load_error and path.name in store.load_error
    assert store.list() == []


def test_a_baseline_is_shared_through_a_collection_scrubbed(
    store: BaselineStore, tmp_path: Path
) -> None:
    collections = CollectionStore.create(tmp_path / "shared", "Shared")
    collections.save_request(
        SavedRequest("List", RpcRequest(action="bamboohr_list_employees", account_id="acct_1"))
    )
    store.pin(_exchange("acct_1", {"data": [{"email": "ada@example.com"}]}))

    def clean(exchange: Exchange) -> Exchange:
        assert exchange.response is not None
        body = exchange.response.body.replace(b"ada@example.com", b"<email 1>")
        data = exchange.to_dict()
        data["response"]["body_text"] = body.decode()
        return Exchange.from_dict(data)

    path = store.export("bamboohr_list_employees", "acct_1", collections.root, clean=clean)
    assert path.parent == collections.root / "baselines"
    assert b"ada@example.com" not in path.read_bytes()
    # The collection still loads, with no problem about the new folder.
    collection, problems = CollectionStore(collections.root).load()
    assert problems == [] and [r.name for r in collection.requests()] == ["List"]
    with pytest.raises(KeyError):
        store.export("nothing", "acct_1", collections.root, clean=clean)
