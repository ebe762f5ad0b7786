"""The exact HTTP request StackOne receives, and the redacted record the user sees of it."""

from __future__ import annotations

import base64
import json

import pytest

from explorer import __version__
from explorer.core.errors import InvalidRequest
from explorer.core.request import RpcRequest, parse_json_object
from explorer.core.secrets import REDACTED, is_secret_header, redact_headers
from explorer.core.wire import SentRequest, basic_auth, build_http_request, encode_body

KEY = "v1.eu1.secret-key_123"


def request(**changes: object) -> RpcRequest:
    return RpcRequest(action="bamboohr_get_employee", account_id=" acc_1 ").copy(**changes)


def test_posts_to_actions_rpc_without_query_by_default() -> None:
    http = build_http_request(request(), KEY)
    assert http.method == "POST"
    assert str(http.url) == "https://api.stackone.com/actions/rpc"


@pytest.mark.parametrize(
    ("sync", "debug", "query"),
    [(True, False, "sync=true"), (False, True, "debug=true"), (True, True, "sync=true&debug=true")],
)
def test_sync_and_debug_are_query_parameters(sync: bool, debug: bool, query: str) -> None:
    http = build_http_request(request(sync=sync, debug=debug), KEY)
    assert http.url.query.decode() == query


def test_authorization_is_basic_with_the_key_as_username_and_empty_password() -> None:
    header = build_http_request(request(), KEY).headers["Authorization"]
    scheme, _, encoded = header.partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == KEY + ":"
    assert basic_auth(KEY) == header


def test_account_id_header_is_trimmed() -> None:
    assert build_http_request(request(), KEY).headers["x-account-id"] == "acc_1"


def test_connector_profile_header_only_when_set() -> None:
    assert "x-connector-profile-id" not in build_http_request(request(), KEY).headers
    with_profile = build_http_request(request(connector_profile_id="cp_7"), KEY)
    assert with_profile.headers["x-connector-profile-id"] == "cp_7"


def test_identifies_itself_with_a_user_agent() -> None:
    # StackOne may block requests without a User-Agent as suspicious.
    http = build_http_request(request(), KEY)
    assert http.headers["User-Agent"] == f"stackone-explorer/{__version__}"
    assert http.headers["Content-Type"] == "application/json"


def test_body_is_the_rpc_body_in_utf8_without_escapes() -> None:
    req = request(path={"id": "é-1"}, body={"note": "日本"})
    http = build_http_request(req, KEY)
    assert json.loads(http.content) == req.rpc_body()
    assert "é-1".encode() in http.content and "日本".encode() in http.content
    assert int(http.headers["Content-Length"]) == len(http.content)


def test_an_invalid_request_is_never_built() -> None:
    with pytest.raises(InvalidRequest, match="action"):
        build_http_request(RpcRequest(account_id="acc_1"), KEY)


@pytest.mark.parametrize("account_id", ["acc\u200b1", "accü", "acc\x00"])
def test_an_id_httpx_cannot_encode_is_an_invalid_request_not_a_crash(account_id: str) -> None:
    with pytest.raises(InvalidRequest, match="account_id: has"):
        build_http_request(request(account_id=account_id), KEY)


def test_a_url_httpx_refuses_after_validation_is_an_invalid_request() -> None:
    # Validation does not check IDNA rules; httpx does, and its refusal must not escape.
    with pytest.raises(InvalidRequest) as caught:
        build_http_request(request(base_url="https://\u2603.example"), KEY)
    (issue,) = caught.value.issues
    assert issue.field == "base_url"
    assert "IDNA" in issue.message and "check the host name" in issue.message


def test_encoding_a_body_with_nan_refuses_instead_of_sending_invalid_json() -> None:
    # ``encode_body`` is also used without validation (HAR of an unsent request): it must
    # never produce the non-JSON ``NaN`` token.
    with pytest.raises(InvalidRequest) as caught:
        encode_body(request(body={"rate": float("nan")}))
    assert [issue.field for issue in caught.value.issues] == ["body"]
    assert "NaN" in str(caught.value)


def test_sent_request_redacts_the_key_everywhere() -> None:
    sent = SentRequest.from_http(build_http_request(request(), KEY))
    assert {k.lower(): v for k, v in sent.headers}["authorization"] == REDACTED
    assert KEY not in sent.text()
    assert base64.b64encode(f"{KEY}:".encode()).decode() not in json.dumps(sent.to_dict())
    assert sent.text().startswith("POST https://api.stackone.com/actions/rpc\n")
    assert "x-account-id: acc_1" in sent.text()


def test_sent_request_round_trips_and_re_redacts_a_tampered_record() -> None:
    sent = SentRequest.from_http(build_http_request(request(body={"a": 1}), KEY))
    assert SentRequest.from_dict(json.loads(json.dumps(sent.to_dict()))) == sent
    tampered = sent.to_dict()
    tampered["headers"].append(["authorization", "Basic abc"])
    assert dict(SentRequest.from_dict(tampered).headers)["authorization"] == REDACTED


def test_every_secret_header_is_redacted_whatever_its_case() -> None:
    headers = [
        ("AUTHORIZATION", "Basic x"),
        ("Proxy-Authorization", "Basic y"),
        ("Cookie", "s=1"),
        ("X-API-Key", "k"),
        ("x-account-id", "acc_1"),
    ]
    assert redact_headers(headers) == [
        ("AUTHORIZATION", REDACTED),
        ("Proxy-Authorization", REDACTED),
        ("Cookie", REDACTED),
        ("X-API-Key", REDACTED),
        ("x-account-id", "acc_1"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "proxy-authorization",
        "Cookie",
        "Set-Cookie",
        "X-API-Key",
        "api-key",
        "api_key",
        "apikey",
        "X-Auth-Token",
        "x-api-token",
        "token",
        "x-access-token",
        "client-secret",
        "X-Webhook-Secret",
        "x-password",
        "Ocp-Apim-Subscription-Key",  # Azure API Management
        "x-functions-key",
        "x-amz-security-token",
        "X-Auth",
    ],
)
def test_headers_that_look_secret_are_secret(name: str) -> None:
    assert is_secret_header(name)


@pytest.mark.parametrize(
    "name",
    [
        "x-account-id",
        "x-connector-profile-id",
        "Content-Type",
        "Accept",
        "User-Agent",
        "X-Trace",
        "x-request-id",
        "WWW-Authenticate",  # a challenge, not a credential
        "Keep-Alive",
        "Idempotency-Key",  # needed to debug duplicates, and useless to a thief
        "X-RateLimit-Remaining",
    ],
)
def test_ordinary_headers_stay_readable(name: str) -> None:
    assert not is_secret_header(name)


def test_provider_secrets_beyond_authorization_are_redacted_in_the_record() -> None:
    provider = {"X-Auth-Token": "tok-1", "api-key": "key-2", "x-client-secret": "sec-3"}
    sent = SentRequest.from_http(build_http_request(request(headers=provider), KEY))
    assert json.loads(sent.body)["headers"] == dict.fromkeys(provider, REDACTED)
    assert not any(value in sent.text() for value in provider.values())
    assert redact_headers([("Set-Cookie", "sid=1"), ("x-api-token", "t")]) == [
        ("Set-Cookie", REDACTED),
        ("x-api-token", REDACTED),
    ]


def test_provider_secrets_in_the_rpc_headers_object_are_redacted_in_the_record() -> None:
    req = request(headers={"authorization": "Bearer provider-token", "X-Trace": "t1"})
    http = build_http_request(req, KEY)
    assert b"provider-token" in http.content  # StackOne must receive it...
    sent = SentRequest.from_http(http)
    assert "provider-token" not in sent.text()  # ...but the record never shows it
    assert json.loads(sent.body)["headers"] == {"authorization": REDACTED, "X-Trace": "t1"}


def test_a_body_without_secrets_is_recorded_exactly_as_sent() -> None:
    http = build_http_request(request(headers={"X-Trace": "t1"}, body={"n": "é"}), KEY)
    assert SentRequest.from_http(http).body == http.content.decode()


def test_a_lone_surrogate_typed_as_an_escape_is_sent_escaped() -> None:
    body = parse_json_object('{"name": "\\ud800 é"}', "body")
    http = build_http_request(request(body=body), KEY)
    assert json.loads(http.content)["body"]["name"] == "\ud800 é"
    assert b"\\ud800" in http.content
