"""The one secrets policy, tested directly: what is secret, how it is hidden, what stays."""

from __future__ import annotations

import json
import socket

import pytest

from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.core.secrets import (
    MIN_TEXT_LENGTH,
    REDACTED,
    Redactor,
    is_template,
    key_hint,
    redact_exchange,
    redact_header_object,
    redact_headers,
)
from explorer.core.wire import SentRequest
from tests.canaries import LONG, SHORT
from tests.core.conftest import RawServer, StartServer, read_http_request


@pytest.mark.parametrize(
    "value",
    [
        "{{token}}",
        " {{ token }} ",
        "Bearer {{token}}",
        "{{a}}{{b}}",
        "Token {{customer.id}}",
        "$STACKONE_API_KEY",
        "${STACKONE_API_KEY}",
        "Bearer $TOKEN",
    ],
)
def test_references_are_templates(value: str) -> None:
    assert is_template(value)


@pytest.mark.parametrize(
    "value", ["sk_live_123", "sk_{{suffix}}", "{{user}}:{{password}}", "{{unclosed", "$", "", None]
)
def test_anything_with_a_literal_part_is_not_a_template(value: object) -> None:
    assert not is_template(value)


def test_secret_headers_are_replaced_whole_and_templates_kept() -> None:
    headers = {"x-api-token": "ab", "Authorization": "{{auth}}", "x-trace": "ab"}
    assert redact_header_object(headers) == {
        "x-api-token": REDACTED,
        "Authorization": "{{auth}}",
        "x-trace": "ab",  # not secret by its name, and "ab" is nobody's secret here
    }
    assert redact_headers([("Set-Cookie", "s=1"), ("Authorization", "$STACKONE_API_KEY")]) == [
        ("Set-Cookie", REDACTED),
        ("Authorization", "$STACKONE_API_KEY"),
    ]


def test_a_whole_field_is_replaced_whatever_the_secrets_length() -> None:
    hide = Redactor(["ab", LONG])
    assert hide.field("ab") == REDACTED
    assert hide.field(" ab ") == REDACTED
    assert hide.field(LONG) == REDACTED
    assert hide.data({"id": "ab", "list": ["ab", 1, None], "ab": "key kept"}) == {
        "id": REDACTED,
        "list": [REDACTED, 1, None],
        "ab": "key kept",
    }


def test_free_text_hides_every_occurrence_from_three_characters() -> None:
    assert MIN_TEXT_LENGTH == 3
    hide = Redactor(["ab", SHORT, LONG])
    text = f"Account {LONG} not found; employee {SHORT}{SHORT} has ab"
    assert hide.text(text) == (
        f"Account {REDACTED} not found; employee {REDACTED}{REDACTED} has ab"  # "ab" too short
    )
    # A message that is the short secret and nothing else is a whole field.
    assert hide.field("ab") == REDACTED


def test_the_longest_secret_wins_where_two_overlap() -> None:
    hide = Redactor(["abc", "abcdef"])
    assert hide.text("xabcdefx") == f"x{REDACTED}x"


def test_templates_stay_as_written_even_when_they_name_a_secret() -> None:
    hide = Redactor(["token", "STACKONE"])
    assert hide.text("use {{token}} and $STACKONE_API_KEY, not token") == (
        f"use {{{{token}}}} and $STACKONE_API_KEY, not {REDACTED}"
    )
    # A secret that starts like a template is still a secret.
    assert Redactor(["$ecretPass"]).text("pw=$ecretPass") == f"pw={REDACTED}"


def test_json_text_hides_escaped_forms_and_short_secrets_as_whole_values() -> None:
    quoted = 'pa"ss\\word'
    unicode = "clé-ünïcode"
    hide = Redactor([quoted, unicode, "ab"])
    document = json.dumps({"a": quoted, "b": unicode, "c": "ab", "ab": 1, "d": "cab"})
    ascii_document = json.dumps({"b": unicode})
    assert json.loads(hide.json_text(document)) == {
        "a": REDACTED,
        "b": REDACTED,
        "c": REDACTED,
        "ab": 1,  # a key is structure, not a value
        "d": "cab",
    }
    assert json.loads(hide.json_text(ascii_document)) == {"b": REDACTED}
    assert hide.json_text(json.dumps({"b": unicode}, ensure_ascii=False)) == '{"b": "<redacted>"}'


def test_bodies_are_hidden_as_bytes_binary_or_not() -> None:
    hide = Redactor([LONG])
    binary = b"\x00\xff" + LONG.encode() + b"\xfe"
    assert hide.body(binary) == b"\x00\xff" + REDACTED.encode() + b"\xfe"
    clean = b"nothing to hide \xff"
    assert hide.body(clean) is clean  # unchanged bodies are not copied


def test_nothing_to_hide_returns_the_same_objects() -> None:
    exchange = _exchange(b'{"data": []}', account="acct_1")
    assert Redactor([]).exchange(exchange) is exchange
    assert Redactor(["not-in-it"]).exchange(exchange) is exchange
    assert not Redactor(["", "   "])


def _exchange(body: bytes, *, account: str, failure: str | None = None) -> Exchange:
    request = RpcRequest(
        action="bamboohr_get_employee",
        account_id=account,
        path={"id": account},
        headers={"x-api-token": "literal-token-value", "x-tenant": "{{tenant}}"},
    )
    sent = SentRequest(
        "POST",
        "https://api.example/actions/rpc",
        [("x-account-id", account), ("Authorization", "Basic c2s6")],
        json.dumps(request.rpc_body()),
    )
    if failure is not None:
        return Exchange(request=request, sent=sent, failure=Failure("TimedOut", failure))
    response = read_response(
        404,
        [("content-type", "application/json"), ("x-echo", account)],
        body,
        reason="Not Found",
        timing=Timing(total_ms=12.0, ttfb_ms=10.0),
    )
    return Exchange(request=request, sent=sent, response=response)


def test_an_exchange_loses_every_secret_and_keeps_everything_else() -> None:
    body = json.dumps({"message": f"Account {LONG} not found", "id": "ab"}).encode()
    exchange = _exchange(body, account=LONG)
    before = json.dumps(exchange.to_dict())
    assert LONG in before  # the exchange really carried the secret

    clean = redact_exchange(exchange, [LONG, "ab"])
    after = json.dumps(clean.to_dict())
    assert LONG not in after
    assert clean.request.account_id == REDACTED
    assert clean.request.path == {"id": REDACTED}
    assert clean.request.headers == {"x-api-token": REDACTED, "x-tenant": "{{tenant}}"}
    assert clean.sent is not None and dict(clean.sent.headers)["x-account-id"] == REDACTED
    assert json.loads(clean.sent.body)["path"] == {"id": REDACTED}
    assert clean.response is not None
    assert json.loads(clean.response.body) == {
        "message": f"Account {REDACTED} not found",
        "id": REDACTED,
    }
    assert dict(clean.response.headers)["x-echo"] == REDACTED
    # Everything else is as it was.
    assert (clean.id, clean.started_at, clean.response.status) == (
        exchange.id,
        exchange.started_at,
        404,
    )
    assert clean.response.timing.total_ms == 12.0


def test_a_failure_message_is_free_text() -> None:
    exchange = _exchange(b"", account="acct_1", failure=f"could not reach host {SHORT}.example")
    clean = redact_exchange(exchange, [SHORT])
    assert clean.failure is not None
    assert clean.failure.message == f"could not reach host {REDACTED}.example"


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        ("v1.eu1.AbCdEfGhIjKlMnOpQrStUvWx1234", "v1.e…1234"),
        ("sk_live_0123456789", "sk_…789"),
        ("short", "…"),
        ("", ""),
    ],
)
def test_a_key_hint_never_shows_the_key(secret: str, expected: str) -> None:
    assert key_hint(secret) == expected
    if secret:
        assert secret not in key_hint(secret)


def test_one_placeholder_and_one_rule_in_the_whole_package() -> None:
    """grep finds no other placeholder or threshold for secrets outside core/secrets.py."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "explorer"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "secrets.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        for marker in ('"<redacted>"', '"<secret>"', '"***"', "MIN_SECRET_LENGTH", "MASK ="):
            if marker in text:
                offenders.append(f"{path.relative_to(root)}: {marker}")
    assert offenders == []


def test_the_api_key_never_comes_back_out_of_the_client(raw_server: StartServer) -> None:
    """A server (or a proxy) that echoes the Authorization header: the exchange the window
    shows and the history keeps has the key hidden."""
    import base64

    from explorer.core.client import RpcClient

    key = LONG

    def echo(conn: socket.socket, server: RawServer) -> None:
        request = read_http_request(conn).decode()
        auth = next(line for line in request.split("\r\n") if line.lower().startswith("authoriz"))
        token = auth.split()[-1]
        sent_key = base64.b64decode(token).decode().rstrip(":")
        server.reply(conn, 401, json.dumps({"message": f"bad key {sent_key}"}).encode())

    server = raw_server(echo)
    with RpcClient() as client:
        exchange = client.exchange(RpcRequest(action="a", account_id="b", base_url=server.url), key)
    assert exchange.response is not None and exchange.response.status == 401
    assert exchange.response.json == {"message": f"bad key {REDACTED}"}
    assert key not in json.dumps(exchange.to_dict())
