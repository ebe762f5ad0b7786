"""One request across many accounts, against the demo over real sockets: a row per account
with its customer, status, time, request id, record count and error; throttled, Retry-After
obeyed, cancellable; exported as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from explorer.core.client import RpcClient
from explorer.core.discovery import Account, DiscoveryClient
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.run.accounts import (
    CANCELLED,
    ERROR,
    NOT_RUN,
    OK,
    RUNNING,
    AccountRow,
    AccountRun,
    providers,
    record_count,
    select_accounts,
    to_csv,
    to_json,
)


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(rate_limit_retry_after=1, slow_seconds=30) as demo:
        yield demo


def accounts_of(server: DemoServer) -> list[Account]:
    with DiscoveryClient(RpcClient()) as discovery:
        return list(discovery.list_accounts(server.url, server.api_key))


def request(server: DemoServer, action: str, **fields: object) -> RpcRequest:
    return RpcRequest(action=action, base_url=server.url, **fields)  # type: ignore[arg-type]


def test_one_action_across_every_bamboohr_account(server: DemoServer) -> None:
    bamboo = select_accounts(accounts_of(server), provider="bamboohr")
    seen: list[tuple[int, str]] = []
    lock = threading.Lock()

    def progress(index: int, row: AccountRow) -> None:
        with lock:
            seen.append((index, row.outcome))

    with RpcClient() as client:
        rows = AccountRun(
            client,
            request(server, "bamboohr_list_employees"),
            bamboo,
            api_key=server.api_key,
            progress=progress,
        ).run()
    by_id = {row.account_id: row for row in rows}
    assert [r.account_id for r in rows] == [a.id for a in bamboo]  # the accounts' order
    demo = by_id["acct_bamboohr_demo"]
    assert (demo.outcome, demo.status, demo.records, demo.customer) == (
        OK,
        200,
        10,
        "Acme Demo Ltd",
    )
    assert demo.request_id and demo.time_ms is not None and demo.exchange is not None
    assert (by_id["acct_bamboohr_globex"].records, by_id["acct_bamboohr_globex"].customer) == (
        8,
        "Globex Corporation",
    )
    assert by_id["acct_bamboohr_sandbox"].account_type == "test"
    initech = by_id["acct_bamboohr_initech"]
    assert (initech.outcome, initech.status, initech.customer) == (ERROR, 412, "Initech")
    assert "reconnect" in initech.error
    # Each row reported when it started and when it ended.
    for index in range(len(rows)):
        outcomes = [outcome for i, outcome in seen if i == index]
        assert outcomes[0] == RUNNING and outcomes[-1] == rows[index].outcome


def test_a_429_pauses_the_run_for_its_retry_after_and_is_tried_again(server: DemoServer) -> None:
    with RpcClient() as client:
        [row] = AccountRun(
            client,
            request(server, "hibob_search_employees"),
            ["acct_hibob_demo"],
            api_key=server.api_key,
        ).run()
    assert (row.outcome, row.status, row.attempts) == (OK, 200, 2)
    assert row.exchange is not None and row.exchange.response is not None


def test_requests_are_spaced_under_the_rate_limit(server: DemoServer) -> None:
    ids = [a.id for a in select_accounts(accounts_of(server), provider="bamboohr")][:4]
    begin = datetime.now(UTC)
    with RpcClient() as client:
        rows = AccountRun(
            client,
            request(server, "bamboohr_get_employee", path={"id": "40001"}),
            ids,
            api_key=server.api_key,
            per_minute=300,  # one every 0.2 s
            workers=4,
        ).run()
    starts = sorted(
        datetime.fromisoformat(r.exchange.started_at)  # type: ignore[union-attr]
        for r in rows
    )
    # The k-th send waits for the k-th slot, 0.2 s apart: it starts no sooner, however late
    # a busy machine lets each thread run (a gap between two late starts can be short).
    after = [(start - begin).total_seconds() for start in starts]
    assert all(s >= 0.2 * k - 0.01 for k, s in enumerate(after)), after


def test_cancel_stops_what_is_in_flight_and_runs_no_more(server: DemoServer) -> None:
    sandbox = ["acct_bamboohr_sandbox"] * 3
    started = threading.Event()

    def progress(index: int, row: AccountRow) -> None:
        if row.outcome == RUNNING:
            started.set()

    with RpcClient() as client:
        run = AccountRun(
            client,
            request(server, "bamboohr_generate_report", body={"seconds": 30}),
            sandbox,
            api_key=server.api_key,
            workers=1,
            progress=progress,
        )
        worker = threading.Thread(target=run.run)
        worker.start()
        assert started.wait(10)
        run.cancel.cancel()
        worker.join(10)
    assert not worker.is_alive()  # well before the 30 s the report takes
    assert [r.outcome for r in run.rows] == [CANCELLED, NOT_RUN, NOT_RUN]


def test_results_export_as_csv_and_json(server: DemoServer) -> None:
    with RpcClient() as client:
        rows = AccountRun(
            client,
            request(server, "bamboohr_list_employees"),
            [a for a in accounts_of(server) if a.id in ("acct_bamboohr_demo", "acct_suspended")],
            api_key=server.api_key,
        ).run()
    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert [(t["account_id"], t["customer"], t["status"], t["records"]) for t in table] == [
        ("acct_bamboohr_demo", "Acme Demo Ltd", "200", "10"),
        ("acct_suspended", "Acme Demo Ltd", "412", ""),
    ]
    assert table[1]["error"] and table[1]["outcome"] == ERROR
    report = json.loads(to_json(rows, {"action": "bamboohr_list_employees"}))
    assert report["action"] == "bamboohr_list_employees"
    assert [r["request_id"] for r in report["results"]] == [r.request_id for r in rows]
    assert server.api_key not in to_csv(rows) + to_json(rows)


def test_choosing_accounts() -> None:
    accounts = [
        Account("a1", provider="bamboohr", provider_name="BambooHR", origin_owner_name="Acme"),
        Account("a2", provider="bamboohr", origin_owner_name="Globex", status="inactive"),
        Account("a3", provider="hibob", origin_owner_id="org_acme", status="active", type="test"),
    ]
    assert [a.id for a in select_accounts(accounts, provider="BambooHR")] == ["a1", "a2"]
    assert [a.id for a in select_accounts(accounts, owner="acme")] == ["a1", "a3"]
    accounts[0].status, accounts[0].type = "active", "production"
    assert [a.id for a in select_accounts(accounts, status="ACTIVE", account_type="test")] == ["a3"]
    assert [a.id for a in select_accounts(accounts, status="inactive")] == ["a2"]
    assert {k: [a.id for a in v] for k, v in providers(accounts).items()} == {
        "bamboohr": ["a1", "a2"],
        "hibob": ["a3"],
    }
    assert (record_count([1, 2]), record_count({"id": 1}), record_count(None)) == (2, 1, None)
