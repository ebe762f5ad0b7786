"""Importers and response parsers raise only their documented errors, whatever they are fed.

Issue 9 items 2 and 9: curl (``curl http://[::1`` gave ``ValueError``), Postman
(``"variable": true`` gave ``TypeError``), ``RpcRequest.from_dict`` (a ``1e309`` timeout was
silently infinite), saved exchanges and history exports, and ``read_response`` on any body
(100,000-deep JSON gave a bare ``RecursionError``). Hypothesis feeds each hostile input; the
cases named in the issue are always tried (``@example``).
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from explorer.core.curl import from_curl, reads_files
from explorer.core.errors import CurlImportError, InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.har import history_import
from explorer.core.postman import PostmanImportError, from_postman
from explorer.core.request import MAX_TIMEOUT, RpcRequest, parse_json, parse_json_object
from explorer.core.response import read_response
from tests.strategies import deep, deep_object, hostile_json_text, json_values, objects_like

RPC_URL = "https://api.stackone.com/actions/rpc"

curl_words = st.sampled_from(
    [
        "curl",
        "-X",
        "POST",
        RPC_URL,
        "http://[::1",
        "https://[/actions/rpc",
        "-H",
        "'x-account-id: a'",
        "-d",
        "--data-raw",
        '\'{"action": "a"}\'',
        "@/dev/zero",
        "@~nosuchuser/x",
        "@-",
        "--max-time",
        "inf",
        "nan",
        "1e309",
        "-u",
        "$'\\x'",
        '"',
        "\\\n",
        "^\n",
        "|",
        "--unknown",
        "-sSLk",
    ]
)
curl_commands = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(curl_words, st.text(max_size=10)), max_size=10).map(" ".join),
    hostile_json_text.map(lambda body: f"curl {RPC_URL} --data-raw '{body}'"),
)


@given(curl_commands)
@example("curl http://[::1")
@example(f"curl {RPC_URL} -d @/dev/zero")
@example(f"curl {RPC_URL} -d @/dev/stdin")
@example(f"curl {RPC_URL} -d @~nosuchuser/x")
@example(f'curl {RPC_URL} --max-time inf -d \'{{"action": "a"}}\'')
@example(f"curl {RPC_URL} -d '{deep(100_000)}'")
def test_curl_import_raises_only_curl_import_error(command: str) -> None:
    reads_files(command)  # never raises
    try:
        imported = from_curl(command)
    except CurlImportError as exc:
        assert str(exc)
        return
    assert math.isfinite(imported.request.timeout) and 0 < imported.request.timeout <= MAX_TIMEOUT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("@/dev/zero", "not a regular file"),
        ("@/dev/stdin", "not a regular file"),
        ("@~nosuchuser/x", "home folder that does not exist"),
    ],
)
def test_curl_reads_only_regular_body_files(data: str, message: str) -> None:
    with pytest.raises(CurlImportError, match=message):
        from_curl(f"curl {RPC_URL} -d {data}")


def test_curl_refuses_a_body_file_over_the_size_limit(tmp_path: Any) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"action": "a", "body": {"x": "' + "y" * 2_000 + '"}}')
    with pytest.raises(CurlImportError, match="over the size limit"):
        from_curl(f"curl {RPC_URL} -d @{body}", max_size=1_000)
    assert from_curl(f"curl {RPC_URL} -d @{body}").request.action == "a"
    assert reads_files(f"curl {RPC_URL} -d @{body}")
    assert not reads_files(f"curl {RPC_URL} --data-raw @{body}")


def test_curl_max_time_infinity_is_refused_and_a_huge_one_capped() -> None:
    with pytest.raises(CurlImportError, match="not a number of seconds"):
        from_curl(f'curl {RPC_URL} --max-time inf -d \'{{"action": "a"}}\'')
    imported = from_curl(f'curl {RPC_URL} --max-time 99999 -d \'{{"action": "a"}}\'')
    assert imported.request.timeout == MAX_TIMEOUT
    assert any("99999" in warning for warning in imported.warnings)


POSTMAN_EXAMPLE: dict[str, Any] = {
    "info": {"name": "P", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"},
    "variable": [{"key": "base_url", "value": "x"}],
    "item": [
        {
            "name": "Call",
            "request": {
                "method": "POST",
                "url": {"raw": RPC_URL, "host": ["api"], "path": ["actions", "rpc"]},
                "header": [{"key": "x-account-id", "value": "a"}],
                "body": {"mode": "raw", "raw": '{"action": "a"}'},
                "description": "Timeout: 1e309 s (StackOne RPC Explorer)",
            },
            "event": [{"listen": "test", "script": {"exec": [1, None]}}],
        }
    ],
}


@given(
    st.one_of(
        json_values,
        objects_like(POSTMAN_EXAMPLE),
        objects_like(POSTMAN_EXAMPLE["item"][0]["request"]).map(
            lambda request: {**POSTMAN_EXAMPLE, "item": [{"name": "x", "request": request}]}
        ),
    )
)
@example({**POSTMAN_EXAMPLE, "variable": True})
@example(
    {**POSTMAN_EXAMPLE, "item": [{"request": {"method": "POST", "url": "https://[/actions/rpc"}}]}
)
@example(
    {
        **POSTMAN_EXAMPLE,
        "item": [
            {
                "request": {
                    "method": "POST",
                    "url": RPC_URL,
                    "body": {"mode": "raw", "raw": deep_object(5_000)},
                }
            }
        ],
    }
)
def test_postman_import_raises_only_postman_import_error(data: Any) -> None:
    try:
        imported = from_postman(data)
    except PostmanImportError:
        return
    for saved in imported.requests:
        assert 0 < saved.request.timeout <= MAX_TIMEOUT


@given(st.one_of(json_values, objects_like(RpcRequest(action="a").to_dict())))
@example({"timeout": 1e309})
@example({"timeout": 10**400})
@example({"timeout": 10**5000})
@example({"timeout": math.inf})
def test_request_from_dict_gives_a_sane_request(data: Any) -> None:
    try:
        request = RpcRequest.from_dict(data)
    except ValueError:
        assert not isinstance(data, dict)
        return
    assert math.isfinite(request.timeout) and 0 < request.timeout <= MAX_TIMEOUT
    json.dumps(request.to_dict(), allow_nan=False)  # what the stores will write


EXCHANGE_EXAMPLE = {
    "id": "x",
    "request": {"action": "a"},
    "sent": {"method": "POST", "url": "u", "headers": [["a", "b"]], "body": "{}"},
    "response": {
        "status": 200,
        "headers": [["content-type", "application/json"]],
        "body_text": "{}",
        "timing": {"total_ms": 1, "ttfb_ms": 1},
    },
    "failure": None,
}


@given(st.one_of(json_values, objects_like(EXCHANGE_EXAMPLE)))
@example({"response": {"status": 200, "timing": {"total_ms": 10**400}}})
@example({"response": {"status": 200, "body_base64": "!!"}})
@example({"sent": {"body": deep(100_000)}})
def test_saved_exchanges_raise_only_value_error(data: Any) -> None:
    with contextlib.suppress(ValueError):
        Exchange.from_dict(data)
    with contextlib.suppress(ValueError):
        history_import({"format": "stackone-explorer-history", "version": 1, "exchanges": [data]})


@given(
    body=st.one_of(st.binary(max_size=300), hostile_json_text.map(str.encode)),
    status=st.sampled_from([200, 204, 400, 404, 500, 502, 599, 0, 999]),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/json; charset=latin-1",
            "application/json; charset=nope",
            "application/problem+json",
            "text/html",
            "application/octet-stream",
            "",
        ]
    ),
)
@example(body=deep(100_000).encode(), status=200, content_type="application/json")
@example(body=deep(100_000).encode(), status=500, content_type="application/json")
@example(body=("[" + "1" * 5_000 + "]").encode(), status=200, content_type="application/json")
def test_read_response_never_raises_and_keeps_the_body(
    body: bytes, status: int, content_type: str
) -> None:
    response = read_response(status, [("content-type", content_type)], body)
    assert response.body == body
    assert response.kind in ("json", "text", "binary", "empty")
    if response.kind == "json":
        response.result  # noqa: B018 - a lazy parse must not raise either
    if not response.ok:
        assert response.error is not None
    response.text()


def test_deep_json_response_is_text_with_a_typed_reason() -> None:
    body = deep(100_000).encode()
    response = read_response(200, [("content-type", "application/json")], body)
    assert response.kind == "text"
    assert response.json_problem is not None and "nested deeper" in response.json_problem
    assert response.text() == body.decode()


@given(hostile_json_text | json_values.map(lambda v: json.dumps(v)) | st.text(max_size=50))
def test_parse_json_raises_only_decode_errors(text: str) -> None:
    try:
        parse_json(text)
    except json.JSONDecodeError as exc:
        assert exc.lineno >= 1
    try:
        parse_json_object(text, "body")
    except InvalidRequest as exc:
        assert exc.issues[0].field == "body"


def test_a_big_deep_json_response_is_text_with_a_typed_reason() -> None:
    """Over 1 MB the body is checked in steps (lazily parsed): the same limit holds."""
    records = ",".join([f'{{"id": "e{n}"}}' for n in range(100_000)])
    body = ('{"data": [' + records + ", " + deep(300) + "]}").encode()
    assert len(body) > 1_000_000
    response = read_response(200, [("content-type", "application/json")], body)
    assert response.kind == "text"
    assert response.json_problem is not None and "nested deeper" in response.json_problem
