"""The explorer's discovery reads whatever StackOne's TypeScript SDK models allow.

Each fixture is first checked with the SDK's own zod model (so it is a shape StackOne's client
accepts: fields missing or null, enum values the SDK has never heard of), then read by the
explorer's ``DiscoveryClient`` through a mock transport.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from explorer.core.discovery import DiscoveryClient
from tests.conformance.conftest import SdkCalls

MINIMAL_ACCOUNT = {
    "id": "acct_min",
    "provider": "bamboohr",
    "origin_owner_id": "org_1",
    "origin_owner_name": "Min Corp",
    "status": "active",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00+01:00",
}
NULLS_ACCOUNT = {
    **MINIMAL_ACCOUNT,
    "id": "acct_nulls",
    "label": None,
    "origin_username": None,
    "provider_name": None,
    "status_reasons": None,
    "type": None,
    "credentials": None,
    "setup_information": None,
}
NEW_ENUMS_ACCOUNT = {
    **MINIMAL_ACCOUNT,
    "id": "acct_future",
    "status": "paused_by_customer",
    "type": "sandbox_v2",
    "status_reasons": [{"timestamp": "2026-02-01T10:00:00Z", "code": None, "description": None}],
    "credentials": {"access_token": "secret-from-the-provider"},
}
CATALOGUE = {
    "data": [
        {"key": None, "name": None, "actions": None},
        {
            "key": "acme",
            "actions": [
                {"id": "acme_list_things", "operation_details": None, "tags": None},
                {
                    "id": "acme_get_thing",
                    "operation_details": {"input_schema": {"type": "object"}},
                    "authentication": None,
                },
                {"label": "an action without an id"},
            ],
        },
        {},
    ],
    "next": None,
}


@pytest.mark.parametrize("account", [MINIMAL_ACCOUNT, NULLS_ACCOUNT, NEW_ENUMS_ACCOUNT])
def test_accounts_the_sdk_accepts_are_read(sdk_calls: SdkCalls, account: dict[str, Any]) -> None:
    check = sdk_calls(
        [{"name": "v", "op": "validate", "args": {"model": "LinkedAccount", "value": account}}]
    )
    assert check["v"]["value"] == {"valid": True}

    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=[account]))
    with DiscoveryClient(transport=transport) as client:
        [read] = client.list_accounts("https://api.stackone.com", "k")
    assert read.id == account["id"]
    assert read.status == account["status"]
    assert read.type == (account.get("type") or "")
    assert read.origin_owner_name == account["origin_owner_name"]
    assert read.title() and read.describe()
    assert "secret-from-the-provider" not in repr(read)


def test_a_catalogue_the_sdk_accepts_is_read(sdk_calls: SdkCalls) -> None:
    check = sdk_calls(
        [
            {
                "name": "v",
                "op": "validate",
                "args": {"model": "ActionsMetaPaginated", "value": CATALOGUE},
            }
        ]
    )
    assert check["v"]["value"] == {"valid": True}

    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=CATALOGUE))
    with DiscoveryClient(transport=transport) as client:
        actions = client.list_actions("https://api.stackone.com", "k")
    assert [(a.name, a.input_schema) for a in actions] == [
        ("acme_list_things", None),
        ("acme_get_thing", {"type": "object"}),
    ]


def test_the_validator_does_reject_what_the_sdk_rejects(sdk_calls: SdkCalls) -> None:
    # Proof the check above can fail: created_at is required and must be a date-time.
    broken = {**MINIMAL_ACCOUNT, "created_at": "yesterday"}
    check = sdk_calls(
        [{"name": "v", "op": "validate", "args": {"model": "LinkedAccount", "value": broken}}]
    )
    assert check["v"]["value"]["valid"] is False
