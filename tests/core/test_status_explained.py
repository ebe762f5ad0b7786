"""A status is explained from what the response says, not only from its number."""

from __future__ import annotations

import json

from explorer.core.response import explain_status, read_response, status_meaning

JSON = [("content-type", "application/json")]


def test_a_429_with_provider_errors_is_the_provider_limiting_the_account() -> None:
    body = {
        "statusCode": 429,
        "message": "Too many requests",
        "provider_errors": [{"status": 429, "url": "https://api.hibob.com/v1/people/search"}],
    }
    text = explain_status(read_response(429, JSON, json.dumps(body).encode()))
    assert "api.hibob.com" in text and "account" in text
    assert "1000" not in text


def test_stackones_own_429_and_other_statuses_keep_their_meaning() -> None:
    own = read_response(429, JSON, b'{"statusCode": 429, "message": "Too many requests"}')
    assert explain_status(own) == status_meaning(429)
    assert explain_status(read_response(502, JSON, b'{"statusCode": 502}')) == status_meaning(502)


def test_an_exchange_knows_how_long_ago_its_answer_came() -> None:
    from datetime import UTC, datetime, timedelta

    from explorer.core.exchange import Exchange
    from explorer.core.request import RpcRequest
    from explorer.core.response import Timing

    started = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    response = read_response(429, JSON, b"{}", timing=Timing(total_ms=2000.0, ttfb_ms=1.0))
    exchange = Exchange(RpcRequest(), response=response, started_at=started.isoformat())
    assert exchange.seconds_since_response(started + timedelta(seconds=12)) == 10.0
    assert Exchange(RpcRequest(), started_at="not a time").seconds_since_response() == 0.0
