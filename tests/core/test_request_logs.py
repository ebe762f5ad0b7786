"""Reading StackOne's request logs: against the demo's logs, and the shapes the SDK allows."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from explorer.core import errors
from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from explorer.core.request_logs import RequestLog, StepLog, fetch_log, list_logs, list_steps
from explorer.demo import DemoServer


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as demo:
        yield demo


def send(client: RpcClient, server: DemoServer, *, action: str, account_id: str) -> str:
    request = RpcRequest(base_url=server.url, action=action, account_id=account_id)
    response = client.send(request, server.api_key)
    assert response.request_id
    return response.request_id


def test_the_trace_of_a_call_comes_back_in_time_order(server: DemoServer) -> None:
    with RpcClient() as client:
        request_id = send(
            client, server, action="google_drive_list_files", account_id="acct_drive_demo"
        )
        log = fetch_log(client, server.url, server.api_key, request_id)
    assert (log.request_id, log.action, log.status, log.success) == (
        request_id,
        "google_drive_list_files",
        200,
        True,
    )
    assert [(s.http_method, s.status, s.failed) for s in log.steps] == [
        ("GET", 401, True),
        ("POST", 200, False),
        ("GET", 200, False),
    ]
    first = log.steps[0]
    assert first.request is not None and first.request.url.endswith("/drive/v3/files")
    assert first.response is not None and first.response.body["error"]["code"] == 401
    assert log.response is not None and log.response.status == 200


def test_failed_calls_list_and_filter(server: DemoServer) -> None:
    with RpcClient() as client:
        down = send(client, server, action="workday_list_workers", account_id="acct_workday_demo")
        send(client, server, action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
        failed = list_logs(client, server.url, server.api_key, success=False)
        assert [log.request_id for log in failed] == [down]
        assert failed[0].steps == []  # lists carry no steps
        steps = list_steps(client, server.url, server.api_key, request_ids=[down], page_size=1)
    assert [s.status for s in steps] == [503, 503]  # two pages of one
    assert steps.complete


def test_an_unknown_id_is_a_404_in_words(server: DemoServer) -> None:
    with RpcClient() as client, pytest.raises(errors.RemoteError) as caught:
        fetch_log(client, server.url, server.api_key, "0123456789abcdef")
    assert caught.value.response.status == 404
    assert caught.value.response.error is not None
    assert "90 days" in caught.value.response.error.message


def test_what_the_sdk_allows_is_read() -> None:
    # Every field of UnifiedLogs is optional and nullable; url may be an object.
    log = RequestLog.from_json(
        {
            "request_id": "r1",
            "status": None,
            "duration": "slow",
            "step_requests": [
                {"start_time": "2026-01-01T00:00:02Z", "status": 500, "url": None},
                None,
                {
                    "start_time": "2026-01-01T00:00:01Z",
                    "request": {"url": {"url": "https://p.example/x", "hostname": "p.example"}},
                    "response": {"status_code": 200, "provider_errors": None, "headers": None},
                },
            ],
        }
    )
    assert log is not None and log.status is None and log.duration_ms is None
    assert [s.status for s in log.steps] == [None, 500]  # ordered by start time
    assert log.steps[0].request is not None
    assert log.steps[0].request.url == "https://p.example/x"
    assert log.steps[0].failed  # no status: nothing came back
    assert RequestLog.from_json({"action": "x"}) is None
    assert StepLog.from_json("junk") is None


def test_a_log_without_data_is_a_bad_response() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"data": None}))
    with RpcClient(transport=transport) as client, pytest.raises(errors.BadResponse):
        fetch_log(client, "https://api.stackone.com", "k", "r1")
