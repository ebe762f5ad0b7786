"""The trace of a request: StackOne's log and provider steps from the demo over real sockets,
in time order, failures marked, bodies pretty, credentials masked, problems in words."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator

import pytest

from explorer.core import errors
from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from explorer.core.request_logs import RequestLog
from explorer.core.secrets import mask, mask_url
from explorer.core.trace import (
    Trace,
    build_trace,
    load_trace,
    parse_request_id,
    problem_words,
    secrets_of,
)
from explorer.core.wire import basic_auth
from explorer.demo import DEMO_ACTIONS_ONLY_KEY, DemoServer
from explorer.demo.provider_calls import BAMBOOHR_AUTH, GOOGLE_AUTH

KEY = "sk_TRACE_CANARY_31d9e4"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(api_key=KEY) as demo:
        yield demo


def trace_of(server: DemoServer, **fields: object) -> Trace:
    with RpcClient() as client:
        request = RpcRequest(base_url=server.url, **fields)  # type: ignore[arg-type]
        response = client.send(request, server.api_key)
        assert response.request_id
        return load_trace(client, server.url, server.api_key, response.request_id)


def every_text(trace: Trace) -> str:
    parts = [trace.summary()]
    for step in trace.steps:
        parts += [step.line(), step.request_text(), step.response_text(), step.curl()]
    return "\n".join(parts)


def test_steps_come_in_time_order_with_the_failing_one_marked(server: DemoServer) -> None:
    trace = trace_of(server, action="google_drive_list_files", account_id="acct_drive_demo")
    assert (trace.action, trace.account_id, trace.status) == (
        "google_drive_list_files",
        "acct_drive_demo",
        200,
    )
    assert [(s.number, s.method, s.status, s.failed) for s in trace.steps] == [
        (1, "GET", 401, True),
        (2, "POST", 200, False),
        (3, "GET", 200, False),
    ]
    assert [s.number for s in trace.failures] == [1]
    assert trace.summary().startswith("3 provider calls, 1 failed: step 1 GET https://")
    assert trace.steps[0].line().endswith("FAILED")
    # Google's error body, pretty-printed, under its status line and headers.
    assert trace.steps[0].response_head().startswith("HTTP 401\n")
    assert trace.steps[0].response_text().startswith(trace.steps[0].response_head() + "\n\n")
    body = trace.steps[0].response.body  # type: ignore[union-attr]
    assert '\n  "error": {\n' in body and json.loads(body)["error"]["code"] == 401


def test_credentials_in_the_log_are_masked_everywhere(server: DemoServer) -> None:
    text = every_text(
        trace_of(server, action="google_drive_list_files", account_id="acct_drive_demo")
    )
    text += every_text(
        trace_of(server, action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    for secret in (GOOGLE_AUTH.split()[1], BAMBOOHR_AUTH.split()[1], KEY, basic_auth(KEY)):
        assert secret not in text
    assert "authorization: <redacted>" in text
    # The token refresh's form body keeps its shape, not its token.
    assert "grant_type=refresh_token&refresh_token=<redacted>" in text


def test_provider_error_bodies_are_pretty_and_failures_counted(server: DemoServer) -> None:
    trace = trace_of(server, action="workday_list_workers", account_id="acct_workday_demo")
    assert trace.status == 502
    assert [s.failed for s in trace.steps] == [True, True]
    assert trace.summary().startswith("2 provider calls, 2 failed")
    response = trace.steps[0].response
    assert response is not None and "\n" in response.body  # indented, not one long line


def test_a_step_as_text_and_as_curl_without_the_stackone_key(server: DemoServer) -> None:
    trace = trace_of(
        server,
        action="greenhouse_create_candidate",
        account_id="acct_greenhouse_demo",
        body={"first_name": "", "last_name": "L", "emails": []},
    )
    step = trace.steps[0]
    assert step.request_text().startswith("POST https://harvest.greenhouse.io/v1/candidates\n")
    words = shlex.split(step.curl().replace("\\\n", " "))
    assert words[:4] == ["curl", "-X", "POST", "https://harvest.greenhouse.io/v1/candidates"]
    assert "--data-raw" in words
    assert KEY not in step.curl() and "STACKONE_API_KEY" not in step.curl()


def test_no_scope_and_an_old_id_are_said_in_words(server: DemoServer) -> None:
    with RpcClient() as client:
        with pytest.raises(errors.RemoteError) as missing:
            load_trace(client, server.url, server.api_key, "0123456789abcdef")
        words = problem_words(missing.value, "0123456789abcdef")
        assert "no log for request id 0123456789abcdef" in words and "90 days" in words

    with DemoServer(actions_only_key=DEMO_ACTIONS_ONLY_KEY) as demo, RpcClient() as client:
        with pytest.raises(errors.RemoteError) as forbidden:
            load_trace(client, demo.url, DEMO_ACTIONS_ONLY_KEY, "0123456789abcdef")
        assert "lacks the scope" in problem_words(forbidden.value, "0123456789abcdef")

    with RpcClient() as client, pytest.raises(errors.TransportError) as offline:
        load_trace(client, "http://127.0.0.1:9", KEY, "0123456789abcdef")
    assert problem_words(offline.value, "x").startswith("The request log could not be fetched")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("  4f2a9c0d1e2b3a4f  ", "4f2a9c0d1e2b3a4f"),
        ("x-request-id: 4f2a9c0d1e2b3a4f", "4f2a9c0d1e2b3a4f"),
        ("Request id: 4f2a9c0d1e2b3a4f (quote it to support)", "4f2a9c0d1e2b3a4f"),
        ('"req_01HZX9"', "req_01HZX9"),
        ("", None),
        ("no id here", None),
    ],
)
def test_a_pasted_request_id_is_found(text: str, found: str | None) -> None:
    assert parse_request_id(text) == found


def test_masking_rules() -> None:
    data = {
        "headers": {"Authorization": "Bearer abc.def.ghi", "Accept": "application/json"},
        "client_secret": "s3cr3t",
        "note": "sent Bearer zzzzzzzzzzzz to the provider with key sk_live_1",
        "nested": [{"refresh_token": "r"}, {"id": "40001"}],
        "empty_token": "",
    }
    masked = mask(data, ["sk_live_1"])
    assert masked["headers"] == {"Authorization": "<redacted>", "Accept": "application/json"}
    assert masked["client_secret"] == "<redacted>"
    assert masked["note"] == "sent Bearer <redacted> to the provider with key <redacted>"
    assert masked["nested"] == [{"refresh_token": "<redacted>"}, {"id": "40001"}]
    assert masked["empty_token"] == ""  # nothing there to hide
    assert mask_url("https://p.example/x?api_key=k1&page=2") == (
        "https://p.example/x?api_key=<redacted>&page=2"
    )
    assert set(secrets_of("k")) == {"k", basic_auth("k"), basic_auth("k").split()[1]}


def test_a_log_with_odd_parts_still_traces() -> None:
    log = RequestLog.from_json(
        {
            "request_id": "r1",
            "step_requests": [
                {"http_method": "post", "url": None, "status": None, "request": None},
                {"request": {"method": "GET", "url": "https://p.example/y", "body": "[1, 2"}},
            ],
        }
    )
    assert log is not None
    trace = build_trace(log)
    first, second = trace.steps
    assert first.method == "POST" and first.response is None and first.failed
    assert first.response_text().startswith("(no response")
    assert second.url == "https://p.example/y" and second.request.body == "[1, 2"
