"""The account context beside the account field and in an exchange's details: customer,
provider, status with reasons, type, last update, from the demo's accounts over a socket."""

from __future__ import annotations

import pytest

from explorer.core.account_context import (
    context_line,
    context_lines,
    context_text,
    unknown_context,
    when,
)
from explorer.core.client import RpcClient
from explorer.core.discovery import Account, DiscoveryClient
from explorer.demo import DemoServer


@pytest.fixture(scope="module")
def accounts(demo_server: DemoServer) -> dict[str, Account]:
    with DiscoveryClient(RpcClient()) as discovery:
        return {a.id: a for a in discovery.list_accounts(demo_server.url, demo_server.api_key)}


def test_an_inactive_production_account_says_who_what_and_why(
    accounts: dict[str, Account],
) -> None:
    initech = accounts["acct_bamboohr_initech"]
    assert context_lines(initech) == [
        ("Customer", "Initech (org_initech)"),
        ("Provider", "BambooHR (bamboohr)"),
        ("Type", "PRODUCTION"),
        ("Status", "inactive"),
        (
            "Reason",
            "token_expired: BambooHR rejected the stored API key (401) on the last three "
            "calls; the customer must reconnect the account. (2026-02-21 03:12 UTC)",
        ),
        (
            "Reason",
            "reconnect_requested: A reconnect link was emailed to it-admin@initech.example. "
            "(2026-02-21 09:00 UTC)",
        ),
        ("Label", "Initech - BambooHR"),
        ("Connected by", "it-admin@initech.example"),
        ("Last update", "2026-02-21 03:12 UTC"),
    ]
    assert context_line(initech) == (
        "Initech · BambooHR · PRODUCTION · inactive (token_expired, reconnect_requested) · "
        "updated 2026-02-21 03:12 UTC"
    )


def test_an_active_test_account(accounts: dict[str, Account]) -> None:
    sandbox = accounts["acct_bamboohr_sandbox"]
    assert context_line(sandbox) == (
        "Acme Demo Ltd · BambooHR · test · active · updated 2026-02-20 10:00 UTC"
    )
    assert "Status: active" in context_text(sandbox)


def test_what_stackone_did_not_send_is_left_out() -> None:
    bare = Account("acct_1")
    assert context_lines(bare) == [("Type", "not given"), ("Status", "not given")]
    assert context_line(bare) == ""
    assert when("yesterday") == "yesterday"
    assert when("2026-02-21T03:12:00") == "2026-02-21 03:12"
    assert unknown_context("acct_1", "the account list could not be read") == (
        "acct_1: customer, type and status unknown (the account list could not be read)"
    )
    assert unknown_context("  ", "x") == ""
