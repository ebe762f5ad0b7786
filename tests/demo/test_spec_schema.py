"""The spec validator itself: it must reject what the contract forbids, or the demo's
"valid against the spec" checks would prove nothing."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from tests.spec_schema import validate_request, validate_response

ENVELOPE = {"statusCode": 404, "message": "Not Found", "timestamp": "2026-02-24T06:00:00.000Z"}
DATASYNC = {
    "last_full_run_id": "run_1",
    "last_run_id": "run_1",
    "request_id": "req",
    "synced_at": "2026-02-24T06:00:00.000Z",
    "sync_expires_at": "2026-02-25T06:00:00.000Z",
    "params_hash": "abc",
}


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"data": [], "next": None}),
        (200, {"data": {"id": "1"}}),
        (200, {"data": [{"id": "1"}], "datasync": DATASYNC}),
        (200, {"data": None, "datasync": DATASYNC}),  # nullable data
        (404, ENVELOPE),
        (400, {**ENVELOPE, "statusCode": 400, "provider_errors": None, "data": None}),
        (400, {**ENVELOPE, "statusCode": 400, "provider_errors": [{"status": 400, "raw": None}]}),
        (412, {**ENVELOPE, "statusCode": 412}),  # not in the spec: the plain envelope applies
    ],
)
def test_accepts_what_the_contract_allows(status: int, body: Any) -> None:
    validate_response(status, body)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, [1, 2]),  # a bare array is not a response object
        (200, {"data": [], "datasync": {"request_id": "x"}}),  # datasync misses its fields
        (200, {"data": "text", "datasync": DATASYNC}),  # synced data must be an array
        (404, {"statusCode": 404, "message": "x"}),  # no timestamp
        (404, {**ENVELOPE, "message": ["a", "b"]}),  # message must be a string
        (404, {**ENVELOPE, "timestamp": "yesterday"}),  # not a date-time
        (404, {**ENVELOPE, "statusCode": 400}),  # statusCode must match the HTTP status
        (400, {**ENVELOPE, "statusCode": 400, "provider_errors": [{"status": "bad"}]}),
        (400, {**ENVELOPE, "statusCode": 400, "provider_errors": {"status": 400}}),
    ],
)
def test_rejects_what_the_contract_forbids(status: int, body: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate_response(status, body)


def test_request_schema() -> None:
    validate_request({"action": "x", "path": None, "query": {"page_size": 5}})
    validate_request(
        {"action": "x", "defender_config": {"enabled": None}, "defender_enabled": True}
    )
    bad: dict[str, Any]
    for bad in (
        {"path": {}},
        {"action": 1},
        {"action": "x", "body": []},
        {"action": "x", "defender_config": {"enabled": "yes"}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate_request(bad)
