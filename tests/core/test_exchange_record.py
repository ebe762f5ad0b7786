"""The exchange record: what history and exports keep of one Send, and what they never keep."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from explorer.core.client import RpcClient
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED

KEY = "sk_live_do_not_store"


def run(
    handler: Callable[[httpx.Request], httpx.Response], request: RpcRequest | None = None
) -> Exchange:
    request = request or RpcRequest(action="hibob_search_employees", account_id="acc_1")
    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        return client.exchange(request, KEY, profile="Production")


def through_json(record: Exchange, **kwargs: bool) -> Exchange:
    return Exchange.from_dict(json.loads(json.dumps(record.to_dict(**kwargs))))


def test_a_json_exchange_round_trips() -> None:
    record = run(
        lambda r: httpx.Response(
            200, json={"data": [{"id": "e1"}], "next": "c2"}, headers={"x-request-id": "r1"}
        )
    )
    loaded = through_json(record)
    assert loaded.id == record.id and loaded.started_at == record.started_at
    assert loaded.profile == "Production"
    assert loaded.request == record.request
    assert loaded.sent == record.sent
    assert loaded.response is not None and record.response is not None
    assert loaded.response.status == 200
    assert loaded.response.body == record.response.body
    assert loaded.response.result is not None and loaded.response.result.next_cursor == "c2"
    assert loaded.response.request_id == "r1"
    assert loaded.response.timing == record.response.timing
    assert loaded.failure is None


def test_a_binary_download_round_trips_byte_for_byte() -> None:
    payload = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    record = run(
        lambda r: httpx.Response(
            200,
            content=payload,
            headers={
                "content-type": "image/png",
                "content-disposition": "attachment; filename*=UTF-8''photo%20%C3%A9.png",
            },
        )
    )
    stored = record.to_dict()
    assert "body_base64" in stored["response"] and "body_text" not in stored["response"]
    loaded = Exchange.from_dict(json.loads(json.dumps(stored)))
    assert loaded.response is not None
    assert loaded.response.body == payload
    assert loaded.response.kind == "binary"
    assert loaded.response.filename == "photo é.png"


def test_text_bodies_stay_readable_in_the_file() -> None:
    record = run(lambda r: httpx.Response(200, json={"data": {"name": "Zoë"}}))
    stored = record.to_dict()
    assert json.loads(stored["response"]["body_text"]) == {"data": {"name": "Zoë"}}


def test_body_can_be_stored_elsewhere_and_given_back() -> None:
    record = run(lambda r: httpx.Response(200, json={"data": [1, 2, 3]}))
    assert record.response is not None
    stored = json.loads(json.dumps(record.to_dict(include_body=False)))
    assert "body_text" not in stored["response"] and "body_base64" not in stored["response"]
    assert stored["response"]["size"] == record.response.size
    loaded = Exchange.from_dict(stored, body=record.response.body)
    assert loaded.response is not None and loaded.response.json == {"data": [1, 2, 3]}


def test_a_failure_round_trips() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    record = run(refuse)
    assert record.failure is not None and record.failure.kind == "ConnectFailed"
    loaded = through_json(record)
    assert loaded.failure == record.failure
    assert loaded.response is None and loaded.status_class == "none"


def test_the_key_is_nowhere_in_the_stored_record() -> None:
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acc_1",
        headers={"Authorization": "Bearer provider-token", "X-Trace": "t1"},
    )
    record = run(lambda r: httpx.Response(200, json={"data": []}), request)
    text = json.dumps(record.to_dict())
    assert KEY not in text
    assert "provider-token" not in text
    stored = json.loads(text)
    assert stored["request"]["headers"] == {"Authorization": REDACTED, "X-Trace": "t1"}
    sent_headers = {k.lower(): v for k, v in stored["sent"]["headers"]}
    assert sent_headers["authorization"] == REDACTED
    # The record in memory is untouched: only its stored form is redacted.
    assert record.request.headers == {"Authorization": "Bearer provider-token", "X-Trace": "t1"}


def test_provider_tokens_and_cookies_are_nowhere_in_the_stored_record() -> None:
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acc_1",
        headers={"X-Auth-Token": "provider-token", "token": "bare-token", "X-Trace": "t1"},
    )
    record = run(
        lambda r: httpx.Response(200, json={"data": []}, headers={"Set-Cookie": "sid=cookie-1"}),
        request,
    )
    text = json.dumps(record.to_dict())
    assert "provider-token" not in text and "bare-token" not in text
    assert "cookie-1" not in text
    stored = json.loads(text)
    assert stored["request"]["headers"] == {
        "X-Auth-Token": REDACTED,
        "token": REDACTED,
        "X-Trace": "t1",
    }


def test_a_sparse_or_old_record_still_loads() -> None:
    loaded = Exchange.from_dict({"request": {"action": "x_list"}, "failure": {"kind": "TimedOut"}})
    assert loaded.request.action == "x_list"
    assert loaded.sent is None and loaded.response is None
    assert loaded.failure == Failure("TimedOut", "")
    assert loaded.id and loaded.started_at
