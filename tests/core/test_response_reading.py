"""Reading StackOne's answers: results, files, the error envelope and what proxies send."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from explorer.core.errors import RemoteError
from explorer.core.response import (
    LAZY_JSON_SIZE,
    RpcResponse,
    filename_from_disposition,
    parse_retry_after,
    read_response,
    status_meaning,
)

JSON = [("Content-Type", "application/json; charset=utf-8")]


def read_json(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> RpcResponse:
    return read_response(status, JSON + (headers or []), json.dumps(body).encode())


# -- success ------------------------------------------------------------------------------------


def test_a_page_of_results_with_next() -> None:
    response = read_json(200, {"data": [{"id": "e1"}, {"id": "e2"}], "next": "cur_2"})
    assert response.ok and response.kind == "json"
    assert response.result is not None and response.error is None
    assert response.result.data == [{"id": "e1"}, {"id": "e2"}]
    assert response.result.next_cursor == "cur_2"
    assert response.status_class == "2xx"
    assert response.reason == "OK"


def test_next_cursor_spelling_is_accepted_too() -> None:
    response = read_json(200, {"data": [], "next_cursor": "abc"})
    assert response.result is not None and response.result.next_cursor == "abc"


@pytest.mark.parametrize("cursor", [None, ""])
def test_last_page_has_no_cursor(cursor: str | None) -> None:
    response = read_json(200, {"data": [], "next": cursor})
    assert response.result is not None and response.result.next_cursor is None


def test_unknown_top_level_fields_are_kept_for_the_user() -> None:
    body = {"data": {"id": "e1"}, "next": None, "raw": {"x": 1}, "meta": {"took": 3}}
    result = read_json(200, body).result
    assert result is not None
    assert result.data == {"id": "e1"}
    assert result.extra == {"raw": {"x": 1}, "meta": {"took": 3}}


@pytest.mark.parametrize(
    "datasync",
    [
        {
            "last_full_run_id": "r0",
            "last_run_id": "r1",
            "request_id": "q1",
            "synced_at": "2026-01-01T00:00:00Z",
            "sync_expires_at": "2026-01-02T00:00:00Z",
            "params_hash": "h",
        },
        {
            "run_id": "r1",
            "request_id": "q1",
            "path_params_hash": "h",
            "synced_at": "2026-01-01T00:00:00Z",
            "sync_expires_at": "2026-01-02T00:00:00Z",
        },
    ],
    ids=["spec", "older-sdk"],
)
def test_both_datasync_field_sets_are_kept_whole(datasync: dict[str, str]) -> None:
    result = read_json(200, {"data": [1], "datasync": datasync}).result
    assert result is not None
    assert result.datasync == datasync
    assert result.data == [1]


def test_a_bare_array_body_is_the_data() -> None:
    result = read_json(200, [{"id": 1}]).result
    assert result is not None and result.data == [{"id": 1}]


def test_vendor_json_types_are_json_and_charsets_are_honoured() -> None:
    body = json.dumps({"data": {"name": "Zoë"}}).encode("latin-1")
    response = read_response(
        200, [("content-type", "application/vnd.api+json; charset=ISO-8859-1")], body
    )
    assert response.kind == "json"
    assert response.json == {"data": {"name": "Zoë"}}


def test_an_empty_body_is_empty() -> None:
    response = read_response(204, [], b"")
    assert response.kind == "empty" and response.ok and response.reason == "No Content"


# -- files -------------------------------------------------------------------------------------


def test_a_file_download_is_binary_and_named_by_rfc5987_first() -> None:
    pdf = b"%PDF-1.7\n\x00\xff binary"
    response = read_response(
        200,
        [
            ("Content-Type", "application/pdf"),
            (
                "Content-Disposition",
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''na%C3%AFve%20plan.pdf",
            ),
        ],
        pdf,
    )
    assert response.kind == "binary"
    assert response.filename == "naïve plan.pdf"
    assert response.body == pdf and response.size == len(pdf)
    assert response.result is None


def test_an_attachment_with_a_text_type_is_still_a_file() -> None:
    response = read_response(
        200,
        [("Content-Type", "text/csv"), ("Content-Disposition", 'attachment; filename="e.csv"')],
        b"id,name\n1,Ada\n",
    )
    assert response.kind == "binary" and response.filename == "e.csv"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="report.pdf"', "report.pdf"),
        ("attachment; filename=report.pdf", "report.pdf"),
        ('attachment; filename="say \\"hi\\".txt"', 'say "hi".txt'),
        ("attachment; filename*=iso-8859-1'en'%E9t%E9.txt", "été.txt"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ("attachment; filename*=UTF-8''..%2F..%2F.ssh%2Fauthorized_keys", "authorized_keys"),
        ('attachment; filename="..\\\\..\\\\boot.ini"', "boot.ini"),
        ('attachment; filename=".."', None),
        ("attachment", None),
        (None, None),
    ],
)
def test_file_names_never_carry_directories(header: str | None, name: str | None) -> None:
    assert filename_from_disposition(header) == name


# -- text and errors ---------------------------------------------------------------------------


def test_a_body_claiming_json_that_is_not_is_shown_as_text() -> None:
    response = read_response(200, JSON, b"{not json")
    assert response.kind == "text"
    assert response.text() == "{not json"
    assert response.result is None


def test_stackone_error_envelope_with_provider_errors() -> None:
    body = {
        "statusCode": 422,
        "message": "The provider rejected the payload",
        "timestamp": "2026-05-01T10:00:00.000Z",
        "errorCode": "PROVIDER_VALIDATION",
        "data": {"statusCode": 422, "message": "Unprocessable", "headers": {}},
        "provider_errors": [
            {
                "status": 422,
                "url": "https://api.bamboohr.com/employees",
                "raw": {"error": "firstName required"},
                "headers": {"x-req": "1"},
            },
            "a provider that answered a bare string",
        ],
    }
    response = read_json(422, body, [("x-request-id", "req_123")])
    error = response.error
    assert error is not None and response.result is None
    assert error.status_code == 422
    assert error.message == "The provider rejected the payload"
    assert error.error_code == "PROVIDER_VALIDATION"
    assert error.timestamp == "2026-05-01T10:00:00.000Z"
    assert error.data == {"statusCode": 422, "message": "Unprocessable", "headers": {}}
    first, second = error.provider_errors
    assert (first.status, first.url) == (422, "https://api.bamboohr.com/employees")
    assert first.raw == {"error": "firstName required"}
    assert second.raw == "a provider that answered a bare string"
    assert response.request_id == "req_123"
    with pytest.raises(RemoteError, match=r"^HTTP 422: The provider rejected the payload$"):
        response.raise_for_error()


def test_validation_messages_sent_as_a_list_are_joined() -> None:
    error = read_json(400, {"statusCode": 400, "message": ["action must be a string", "x"]}).error
    assert error is not None and error.message == "action must be a string; x"


def test_a_proxys_html_502_still_explains_itself() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    response = read_response(502, [("Content-Type", "text/html")], page)
    assert response.kind == "text"
    assert response.error is not None
    assert response.error.status_code == 502
    assert "502 Bad Gateway" in response.error.message
    assert "provider" in status_meaning(502)
    with pytest.raises(RemoteError, match="HTTP 502"):
        response.raise_for_error()


def test_an_error_without_a_body_uses_the_reason() -> None:
    response = read_response(503, [], b"")
    assert response.error is not None and response.error.message == "Service Unavailable"


def test_json_errors_that_are_not_the_envelope_fall_back_to_the_reason() -> None:
    response = read_json(404, {"detail": "nope"})
    assert response.error is not None and response.error.message == "Not Found"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 501, 502])
def test_every_documented_status_has_its_own_explanation(status: int) -> None:
    assert status_meaning(status) not in ("", status_meaning(418), status_meaning(599))


def test_status_classes_outside_the_table_are_still_explained() -> None:
    assert status_meaning(201) == "Success."
    assert "rejected" in status_meaning(418)
    assert "retry" in status_meaning(599)


# -- Retry-After and request id ----------------------------------------------------------------


def test_retry_after_in_seconds() -> None:
    response = read_json(429, {"statusCode": 429, "message": "Too many"}, [("Retry-After", "30")])
    assert response.retry_after == 30.0


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 5, 1, 10, 0, 0, tzinfo=UTC)
    response = read_response(408, [("Retry-After", "Fri, 01 May 2026 10:02:00 GMT")], b"", now=now)
    assert response.retry_after == 120.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("Fri, 01 May 2026 09:00:00 GMT", 0.0), ("-5", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_in_the_past_or_unreadable(value: str | None, seconds: float | None) -> None:
    now = datetime(2026, 5, 1, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, now) == seconds


def test_header_lookup_is_case_insensitive() -> None:
    response = read_response(200, [("X-Request-Id", "abc")], b"")
    assert response.request_id == "abc"
    assert response.header("x-REQUEST-id") == "abc"
    assert response.header("missing") is None


# -- big success bodies: checked on arrival, parsed on first use ------------------------------


def test_a_big_success_body_reads_like_a_small_one() -> None:
    body = {
        "data": [{"id": f"e{i}", "pay": 1.5} for i in range(LAZY_JSON_SIZE // 20)],
        "next": "c2",
    }
    raw = json.dumps(body).encode()
    assert len(raw) > LAZY_JSON_SIZE
    response = read_response(200, JSON, raw)
    assert response.kind == "json" and response.ok and response.error is None
    assert response.result is not None
    assert response.result.next_cursor == "c2"
    assert response.result.data[-1] == body["data"][-1]
    assert response.json == body
    assert response == read_response(200, JSON, raw)  # same values, however it was read


def test_a_big_body_that_claims_json_but_is_not_is_text() -> None:
    raw = b'{"data": "' + b"x" * LAZY_JSON_SIZE + b'"'  # cut short
    response = read_response(200, JSON, raw)
    assert response.kind == "text"
    assert response.json is None and response.result is None


def test_a_big_error_body_is_still_read_as_the_error_envelope() -> None:
    body = {
        "statusCode": 502,
        "message": "Provider failed",
        "provider_errors": [{"raw": "y" * LAZY_JSON_SIZE}],
    }
    response = read_json(502, body)
    assert response.error is not None and response.error.message == "Provider failed"
    assert response.json == body
