"""HAR 1.2 export checked field by field against the spec, and our own history export.

Spec: http://www.softwareishard.com/blog/har-12-spec/ (required fields and their types).
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from typing import Any

import httpx
import pytest

from explorer.core.client import RpcClient
from explorer.core.exchange import Exchange, Failure
from explorer.core.har import history_export, history_import, to_har
from explorer.core.request import RpcRequest

KEY = "sk_har_canary_0123456789abcdef"
NUMBER = (int, float)

# Required members of each HAR 1.2 object and their JSON types.
REQUIRED: dict[str, dict[str, type | tuple[type, ...]]] = {
    "log": {"version": str, "creator": dict, "entries": list},
    "creator": {"name": str, "version": str},
    "entry": {
        "startedDateTime": str,
        "time": NUMBER,
        "request": dict,
        "response": dict,
        "cache": dict,
        "timings": dict,
    },
    "request": {
        "method": str,
        "url": str,
        "httpVersion": str,
        "cookies": list,
        "headers": list,
        "queryString": list,
        "headersSize": int,
        "bodySize": int,
    },
    "response": {
        "status": int,
        "statusText": str,
        "httpVersion": str,
        "cookies": list,
        "headers": list,
        "content": dict,
        "redirectURL": str,
        "headersSize": int,
        "bodySize": int,
    },
    "content": {"size": int, "mimeType": str},
    "postData": {"mimeType": str},
    "timings": {"send": NUMBER, "wait": NUMBER, "receive": NUMBER},
    "nameValue": {"name": str, "value": str},
}


def check(kind: str, obj: Any) -> None:
    assert isinstance(obj, dict), kind
    for key, expected in REQUIRED[kind].items():
        assert key in obj, f"{kind}.{key} is required"
        assert isinstance(obj[key], expected), f"{kind}.{key} has type {type(obj[key]).__name__}"
        assert not isinstance(obj[key], bool), f"{kind}.{key} must not be a boolean"


def check_entry(entry: dict[str, Any]) -> None:
    check("entry", entry)
    # ISO 8601 with a time zone, as HAR requires.
    assert datetime.fromisoformat(entry["startedDateTime"]).tzinfo is not None
    request, response, timings = entry["request"], entry["response"], entry["timings"]
    check("request", request)
    check("response", response)
    check("content", response["content"])
    check("timings", timings)
    for pair in request["headers"] + request["queryString"] + response["headers"]:
        check("nameValue", pair)
    if "postData" in request:
        check("postData", request["postData"])
        assert isinstance(request["postData"]["text"], str)
    # send/wait/receive may not be -1; the optional ones may (meaning "not available").
    assert all(timings[k] >= 0 for k in ("send", "wait", "receive"))
    assert all(timings.get(k, -1) >= -1 for k in ("blocked", "dns", "connect", "ssl"))
    total = sum(v for v in timings.values() if v != -1)
    assert entry["time"] == pytest.approx(total)


def exchange_with(handler: Any, request: RpcRequest | None = None) -> Exchange:
    request = request or RpcRequest(
        action="bamboohr_list_employees",
        account_id="acc_1",
        base_url="https://api.stackone.test",
        query={"page_size": 25},
        sync=True,
        debug=True,
    )
    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        return client.exchange(request, KEY, profile="prod")


def json_ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        json={"data": [{"id": "e1", "name": "Zoë"}], "next": "c2"},
        headers={"x-request-id": "req-1"},
    )


def pdf_file(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        content=b"%PDF-1.7\x00\xff\xfe binary",
        headers={
            "content-type": "application/pdf",
            "content-disposition": 'attachment; filename="cv.pdf"',
        },
    )


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_har_log_structure() -> None:
    exchanges = [exchange_with(json_ok), exchange_with(pdf_file), exchange_with(refused)]
    har = to_har(exchanges, creator_version="1.2.3")
    assert set(har) == {"log"}
    log = har["log"]
    check("log", log)
    assert log["version"] == "1.2"
    check("creator", log["creator"])
    assert log["creator"] == {"name": "StackOne RPC Explorer", "version": "1.2.3"}
    assert len(log["entries"]) == 3
    for entry in log["entries"]:
        check_entry(entry)
    json.dumps(har, allow_nan=False)  # a HAR file is JSON


def test_har_json_entry_content() -> None:
    exchange = exchange_with(json_ok)
    entry = to_har([exchange], creator_version="0")["log"]["entries"][0]
    request, response = entry["request"], entry["response"]
    assert request["method"] == "POST"
    assert request["url"] == "https://api.stackone.test/actions/rpc?sync=true&debug=true"
    assert request["queryString"] == [
        {"name": "sync", "value": "true"},
        {"name": "debug", "value": "true"},
    ]
    assert request["postData"]["mimeType"] == "application/json"
    body = json.loads(request["postData"]["text"])
    assert body == {"action": "bamboohr_list_employees", "query": {"page_size": 25}}
    assert request["bodySize"] == len(request["postData"]["text"].encode())
    assert {"name": "x-account-id", "value": "acc_1"} in request["headers"]
    assert request["headersSize"] == -1 and request["cookies"] == []

    assert response["status"] == 200 and response["statusText"] == "OK"
    assert json.loads(response["content"]["text"])["data"][0]["name"] == "Zoë"
    assert response["content"]["mimeType"] == "application/json"
    assert exchange.response is not None
    assert response["content"]["size"] == response["bodySize"] == exchange.response.size
    assert {"name": "x-request-id", "value": "req-1"} in response["headers"]
    assert entry["startedDateTime"] == exchange.started_at
    assert entry["cache"] == {}


def test_har_binary_body_is_base64() -> None:
    content = to_har([exchange_with(pdf_file)], creator_version="0")["log"]["entries"][0][
        "response"
    ]["content"]
    assert content["encoding"] == "base64"
    assert base64.b64decode(content["text"]) == b"%PDF-1.7\x00\xff\xfe binary"
    assert content["mimeType"] == "application/pdf"


def test_har_failure_is_an_entry_with_error() -> None:
    exchange = exchange_with(refused)
    entry = to_har([exchange], creator_version="0")["log"]["entries"][0]
    response = entry["response"]
    assert response["status"] == 0
    assert "Could not connect" in response["_error"]
    assert response["_errorKind"] == "ConnectFailed"
    assert entry["request"]["url"].endswith("/actions/rpc?sync=true&debug=true")


def test_har_of_an_unsent_request_holding_nan_still_exports() -> None:
    # Such a request can never be sent (encoding refuses NaN), but a hand-edited history
    # may hold one: the export records it rather than failing.
    exchange = Exchange(
        request=RpcRequest(action="a_b", account_id="acc_9", body={"rate": float("nan")}),
        failure=Failure("Cancelled", "The request was cancelled."),
    )
    entry = to_har([exchange], creator_version="0")["log"]["entries"][0]
    check_entry(entry)
    assert '"rate":NaN' in entry["request"]["postData"]["text"]


def test_har_without_sent_request_rebuilds_it_redacted() -> None:
    """An exchange recorded before sending (e.g. imported) still exports its request."""
    exchange = Exchange(
        request=RpcRequest(action="a_b", account_id="acc_9"),
        failure=Failure("Cancelled", "The request was cancelled."),
    )
    entry = to_har([exchange], creator_version="0")["log"]["entries"][0]
    check_entry(entry)
    assert {"name": "Authorization", "value": "<redacted>"} in entry["request"]["headers"]


def test_compressed_body_size_is_unknown() -> None:
    def gzipped(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=gzip.compress(b'{"data": []}'),
            headers={"content-type": "application/json", "content-encoding": "gzip"},
        )

    response = to_har([exchange_with(gzipped)], creator_version="0")["log"]["entries"][0][
        "response"
    ]
    assert response["bodySize"] == -1
    assert response["content"]["size"] == len(b'{"data": []}')


def test_no_provider_token_or_cookie_in_any_export() -> None:
    def set_cookie(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True}, headers={"Set-Cookie": "sid=cookie-1"})

    exchange = exchange_with(
        set_cookie,
        RpcRequest(
            action="slack_send_message",
            account_id="acc_1",
            headers={"x-api-token": "provider-token", "X-Webhook-Secret": "whsec-1"},
        ),
    )
    for document in (to_har([exchange], creator_version="0"), history_export([exchange])):
        text = json.dumps(document)
        assert "provider-token" not in text and "whsec-1" not in text and "cookie-1" not in text


def test_no_secret_in_any_export() -> None:
    def echo_auth_header_name(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True}, headers={"Authorization": "Basic xyz"})

    exchange = exchange_with(
        echo_auth_header_name,
        RpcRequest(
            action="slack_send_message",
            account_id="acc_1",
            headers={"Authorization": f"Bearer {KEY}"},
        ),
    )
    basic = base64.b64encode(f"{KEY}:".encode()).decode()
    for document in (to_har([exchange], creator_version="0"), history_export([exchange])):
        text = json.dumps(document)
        assert KEY not in text and basic not in text and "Basic xyz" not in text
    headers = to_har([exchange], creator_version="0")["log"]["entries"][0]["request"]["headers"]
    assert {"name": "authorization", "value": "<redacted>"} in headers


def test_history_export_round_trip() -> None:
    exchanges = [exchange_with(json_ok), exchange_with(pdf_file), exchange_with(refused)]
    document = json.loads(json.dumps(history_export(exchanges)))
    assert document["format"] == "stackone-explorer-history"
    assert document["version"] == 1
    assert len(document["exchanges"]) == 3
    back = history_import(document)
    assert [e.id for e in back] == [e.id for e in exchanges]
    assert back[1].response is not None and back[1].response.body == b"%PDF-1.7\x00\xff\xfe binary"
    assert back[2].failure is not None and back[2].failure.kind == "ConnectFailed"
    with pytest.raises(ValueError, match="newer"):
        history_import({**document, "version": 99})
    with pytest.raises(ValueError):
        history_import({"log": {}})
