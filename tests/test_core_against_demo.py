"""End to end: the real ``explorer.core`` client against the demo server over loopback sockets.

Every case of issue 2's demo catalogue goes through ``RpcClient.exchange`` exactly as the app
sends it, and each test asserts what the user would read in the response pane: the result and
its cursor, the error message and provider errors, the file name, ``Retry-After``, or the
transport failure. ``call`` also checks, for every response, that it carries an
``x-request-id`` and that any JSON body is one the spec allows for its status
(``tests.spec_schema.validate_response``), so no case can pass with an off-contract body.

Tests that need other server settings (a slow action that outlasts a cancel, a one-second
HiBob rate limit, a stopped server) start their own ``DemoServer``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from explorer.core.client import CancelToken, RpcClient
from explorer.core.errors import InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.request import DefenderConfig, RpcRequest
from explorer.core.response import ProviderError, RpcResponse, read_response
from explorer.core.wire import SentRequest
from explorer.demo import DEMO_ACCOUNT_ID, DemoServer
from tests.spec_schema import schema_fields, validate_response

BAMBOOHR = DEMO_ACCOUNT_ID
GREENHOUSE = "acct_greenhouse_demo"
HIBOB = "acct_hibob_demo"
DRIVE = "acct_drive_demo"
WORKDAY = "acct_workday_demo"
SUSPENDED = "acct_suspended"
EMPLOYEE_COUNT = 23
DATASYNC_FIELDS = schema_fields("ActionsSyncedDatasync")

Call = Callable[..., RpcResponse]


@pytest.fixture(scope="module")
def core() -> Iterator[RpcClient]:
    with RpcClient() as client:
        yield client


def checked(response: RpcResponse) -> RpcResponse:
    """What every demo response must satisfy, whatever the case."""
    assert response.request_id is not None and re.fullmatch(r"[0-9a-f]{32}", response.request_id)
    if not response.ok:
        # An error is always StackOne's envelope, never a bare status.
        assert response.kind == "json"
        assert response.error is not None and response.error.status_code == response.status
        assert response.result is None
    if response.kind == "json":
        validate_response(response.status, response.json)
    return response


def run(core: RpcClient, request: RpcRequest, api_key: str, **kwargs: Any) -> Exchange:
    """``core.exchange`` with the response (if any) checked against the contract."""
    exchange = core.exchange(request, api_key, **kwargs)
    if exchange.response is not None:
        checked(exchange.response)
    return exchange


@pytest.fixture
def call(core: RpcClient, demo_url: str, demo_key: str) -> Call:
    """``call(action, account_id, **request_fields)``: send through the core, get the response.

    ``base_url`` and ``api_key`` default to the session's demo server; a transport failure
    fails the test (cases that expect one use ``run`` directly).
    """

    def send(
        action: str,
        account_id: str = BAMBOOHR,
        *,
        api_key: str = demo_key,
        base_url: str = demo_url,
        **fields: Any,
    ) -> RpcResponse:
        request = RpcRequest(
            action=action, account_id=account_id, base_url=base_url, timeout=30, **fields
        )
        exchange = run(core, request, api_key)
        assert exchange.failure is None, exchange.failure.message
        assert exchange.response is not None
        return exchange.response

    return send


def wait_until(condition: Callable[[], bool], patience: float = 10.0) -> bool:
    """Poll ``condition``; ``patience`` only bounds a broken test, it is not asserted."""
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# -- the paginated list -----------------------------------------------------------------------


def test_list_employees_is_accepted_and_returns_a_page_and_its_cursor(call: Call) -> None:
    response = call("bamboohr_list_employees")

    assert response.status == 200
    assert response.kind == "json"
    assert response.result is not None
    employees = response.result.data
    assert len(employees) == 10  # the action's default page size
    assert all(e["id"] and e["display_name"] for e in employees)
    assert response.result.next_cursor


def test_following_the_cursor_pages_through_all_employees(call: Call) -> None:
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    for _ in range(EMPLOYEE_COUNT):  # a server that never ends paging must not hang the test
        query: dict[str, Any] = {"page_size": 5}
        if cursor is not None:
            query["next"] = cursor
        result = call("bamboohr_list_employees", query=query).result
        assert result is not None
        pages.append(result.data)
        cursor = result.next_cursor
        if cursor is None:
            break

    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    ids = [e["id"] for page in pages for e in page]
    assert len(set(ids)) == EMPLOYEE_COUNT
    assert cursor is None


# -- get by id ----------------------------------------------------------------------------------


def test_get_employee_by_path_id_returns_that_employee(call: Call) -> None:
    listed = call("bamboohr_list_employees").result
    assert listed is not None
    third = listed.data[2]

    response = call("bamboohr_get_employee", path={"id": third["id"]})

    assert response.status == 200
    assert response.result is not None
    assert response.result.data == third
    assert response.result.next_cursor is None


def test_unknown_employee_is_404_with_the_providers_error(call: Call) -> None:
    response = call("bamboohr_get_employee", path={"id": "99999"})

    assert response.status == 404
    assert response.error is not None
    assert "99999" in response.error.message
    (provider,) = response.error.provider_errors
    assert isinstance(provider, ProviderError)
    assert provider.status == 404
    assert provider.url is not None and provider.url.endswith("/employees/99999")
    assert isinstance(provider.raw, dict) and provider.raw["error"] == "Not Found"


# -- create with body validation --------------------------------------------------------------


def test_create_candidate_with_a_valid_body_returns_the_new_candidate(call: Call) -> None:
    body = {
        "first_name": "Zoë",
        "last_name": "Lovelace",
        "emails": [{"value": "zoe@example.com", "type": "personal"}],
    }
    response = call("greenhouse_create_candidate", GREENHOUSE, body=body)

    assert response.status == 200
    assert response.result is not None
    candidate = response.result.data
    assert candidate["id"]
    assert (candidate["first_name"], candidate["last_name"]) == ("Zoë", "Lovelace")
    assert candidate["emails"] == body["emails"]


def test_an_invalid_candidate_is_422_with_one_provider_error_per_problem(call: Call) -> None:
    body = {"first_name": "", "emails": [{"value": "not-an-email", "type": "mobile"}]}
    response = call("greenhouse_create_candidate", GREENHOUSE, body=body)

    assert response.status == 422
    assert response.error is not None
    assert response.error.message.startswith("Greenhouse rejected the candidate")
    problems = response.error.provider_errors
    assert all(isinstance(p, ProviderError) and p.status == 422 for p in problems)
    assert all(p.url is not None and p.url.endswith("/candidates") for p in problems)
    assert {p.raw["field"] for p in problems} == {
        "first_name",
        "last_name",
        "emails[0].value",
        "emails[0].type",
    }


# -- file download ------------------------------------------------------------------------------


@pytest.mark.parametrize("file_id", ["file_q1_overview", "file_onboarding"])
def test_download_file_comes_back_as_a_named_binary(call: Call, file_id: str) -> None:
    listing = call("google_drive_list_files", DRIVE).result
    assert listing is not None
    (listed,) = [f for f in listing.data if f["id"] == file_id]
    assert not listed["name"].isascii()  # the name only filename*= can carry

    response = call("documents_download_file", DRIVE, path={"id": file_id})

    assert response.status == 200
    assert response.kind == "binary"
    assert response.filename == listed["name"]
    assert response.size == listed["size"] > 0
    assert response.content_type.split(";")[0] == listed["mime_type"]
    assert response.result is None and response.error is None
    if listed["mime_type"] == "application/pdf":
        assert response.body.startswith(b"%PDF-")


# -- slow action: timeout and cancel ---------------------------------------------------------


def test_a_client_timeout_on_the_slow_action_is_a_timed_out_failure(
    core: RpcClient, demo_url: str, demo_key: str
) -> None:
    server_delay = 30.0
    request = RpcRequest(
        action="bamboohr_generate_report",
        account_id=BAMBOOHR,
        body={"seconds": server_delay},
        base_url=demo_url,
        timeout=0.3,
    )
    started = time.monotonic()
    exchange = run(core, request, demo_key)
    elapsed = time.monotonic() - started

    assert exchange.response is None
    assert exchange.failure is not None
    assert exchange.failure.kind == "TimedOut"
    assert demo_url in exchange.failure.message
    assert elapsed < server_delay / 3  # gave up on our timeout, not the server's answer


def test_cancelling_the_slow_action_from_another_thread_ends_it_promptly(
    core: RpcClient,
) -> None:
    with DemoServer(slow_seconds=30.0) as server:
        request = RpcRequest(
            action="bamboohr_generate_report",
            account_id=BAMBOOHR,
            base_url=server.url,
            timeout=120,
        )
        token = CancelToken()
        outcome: list[Exchange] = []
        durations: list[float] = []

        def worker() -> None:
            started = time.monotonic()
            outcome.append(run(core, request, server.api_key, cancel=token))
            durations.append(time.monotonic() - started)

        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        assert wait_until(lambda: server.active_requests == 1), "the slow action never started"

        token.cancel()
        thread.join(timeout=server.slow_seconds)

        assert not thread.is_alive()
        (exchange,) = outcome
        assert exchange.response is None
        assert exchange.failure is not None and exchange.failure.kind == "Cancelled"
        assert durations[0] < server.slow_seconds / 3
        # The socket really closed: the server noticed and stopped the work.
        assert wait_until(lambda: server.active_requests == 0)


# -- provider failure and rate limit --------------------------------------------------------


def test_a_provider_failure_is_502_with_the_providers_503(call: Call) -> None:
    response = call("workday_list_workers", WORKDAY)

    assert response.status == 502
    assert response.error is not None
    assert "Workday" in response.error.message
    (provider,) = response.error.provider_errors
    assert provider.status == 503
    assert isinstance(provider.raw, dict) and provider.raw["error"] == "Service Unavailable"
    assert provider.headers is not None and provider.headers["retry-after"] == "120"


def test_a_429_says_how_long_to_wait_and_the_retry_after_waiting_succeeds(
    call: Call,
) -> None:
    with DemoServer(rate_limit_retry_after=1) as server:
        first = call("hibob_search_employees", HIBOB, base_url=server.url, api_key=server.api_key)

        assert first.status == 429
        assert first.retry_after == 1.0
        assert first.error is not None
        (provider,) = first.error.provider_errors
        assert provider.status == 429

        time.sleep(first.retry_after)
        retry = call("hibob_search_employees", HIBOB, base_url=server.url, api_key=server.api_key)

    assert retry.status == 200
    assert retry.retry_after is None
    assert retry.result is not None and len(retry.result.data) == EMPLOYEE_COUNT


# -- Defender -------------------------------------------------------------------------------------


def test_defender_flags_the_injected_note_by_default(call: Call) -> None:
    response = call("bamboohr_list_employee_notes")

    assert response.status == 200
    assert response.result is not None
    finding = response.result.extra["metadata"]["defender"]
    assert finding["risk_level"] == "high"
    assert finding["allowed"] is True
    assert "ignore_previous" in finding["detections"]
    # Flagged, not removed: the user still sees the note that triggered it.
    (location,) = finding["patterns_by_field"]
    match = re.fullmatch(r"\[(\d+)\]\.content", location)
    assert match is not None
    assert "previous instructions" in response.result.data[int(match.group(1))]["content"].lower()


def test_defender_refuses_the_result_with_block_high_risk(call: Call) -> None:
    response = call("bamboohr_list_employee_notes", defender=DefenderConfig(block_high_risk=True))

    assert response.status == 403
    assert response.error is not None
    assert "Defender" in response.error.message


def test_defender_disabled_returns_the_notes_unscanned(call: Call) -> None:
    flagged = call("bamboohr_list_employee_notes").result
    response = call("bamboohr_list_employee_notes", defender=DefenderConfig(enabled=False))

    assert response.status == 200
    assert response.result is not None and flagged is not None
    assert "metadata" not in response.result.extra
    assert response.result.data == flagged.data


# -- StackOne's request checks -----------------------------------------------------------------


def test_a_wrong_key_is_401_unauthorized(call: Call) -> None:
    response = call("bamboohr_list_employees", api_key="not_the_demo_key")

    assert response.status == 401
    assert response.error is not None and response.error.message == "Unauthorized"
    assert response.header("WWW-Authenticate") == 'Basic realm="StackOne"'


def test_a_missing_account_id_is_refused_by_the_core_before_sending(
    core: RpcClient, demo_url: str, demo_key: str
) -> None:
    request = RpcRequest(action="bamboohr_list_employees", account_id="", base_url=demo_url)
    sent: list[SentRequest] = []

    with pytest.raises(InvalidRequest) as refused:
        core.send(request, demo_key, on_sent=sent.append)

    assert [issue.field for issue in refused.value.issues] == ["account_id"]
    assert "x-account-id" in str(refused.value)
    assert sent == []


def test_without_the_account_header_stackone_answers_its_exact_400(
    demo_url: str, demo_key: str
) -> None:
    # The core will not send this, so a plain client shows what the server says to one that does.
    raw = httpx.post(
        f"{demo_url}/actions/rpc",
        auth=(demo_key, ""),
        json={"action": "bamboohr_list_employees"},
        timeout=30,
    )
    response = checked(read_response(raw.status_code, list(raw.headers.multi_items()), raw.content))

    assert response.status == 400
    assert response.error is not None
    assert response.error.message == "Missing x-account-id header in request"


def test_an_unknown_account_is_404(call: Call) -> None:
    response = call("bamboohr_list_employees", "acct_does_not_exist")

    assert response.status == 404
    assert response.error is not None and "acct_does_not_exist" in response.error.message


def test_a_suspended_account_is_412(call: Call) -> None:
    response = call("bamboohr_list_employees", SUSPENDED)

    assert response.status == 412
    assert response.error is not None
    assert SUSPENDED in response.error.message and "suspended" in response.error.message


def test_an_unknown_action_is_a_clear_4xx(call: Call) -> None:
    response = call("bamboohr_launch_rocket")

    assert 400 <= response.status < 500
    assert response.error is not None
    assert "bamboohr_launch_rocket" in response.error.message
    assert "bamboohr_list_employees" in response.error.message  # what is available instead


def test_a_connector_profile_of_another_connector_is_400(call: Call) -> None:
    response = call("bamboohr_list_employees", connector_profile_id="cp_greenhouse_default")

    assert response.status == 400
    assert response.error is not None
    assert "cp_greenhouse_default" in response.error.message
    assert BAMBOOHR in response.error.message


def test_a_connector_profile_of_the_accounts_connector_is_accepted(call: Call) -> None:
    response = call("bamboohr_list_employees", connector_profile_id="cp_bamboohr_sandbox")

    assert response.status == 200


# -- sync and debug ---------------------------------------------------------------------------


def test_sync_returns_the_datasync_block_with_its_six_fields(call: Call) -> None:
    response = call("bamboohr_list_employees", sync=True)

    assert response.status == 200
    assert response.result is not None
    assert response.result.datasync is not None
    assert set(response.result.datasync) == DATASYNC_FIELDS
    assert response.result.datasync["request_id"] == response.request_id
    assert len(response.result.data) == 10


def test_debug_returns_the_debug_block(call: Call) -> None:
    response = call("bamboohr_get_employee", path={"id": "40001"}, debug=True)

    assert response.status == 200
    assert response.result is not None
    debug = response.result.debug
    assert debug["action"] == "bamboohr_get_employee"
    assert debug["account_id"] == BAMBOOHR
    assert debug["provider_requests"][0]["url"].endswith("/employees/40001")
    assert response.result.data["id"] == "40001"


# -- no server ------------------------------------------------------------------------------------


def test_a_stopped_server_is_a_connect_failure_naming_the_base_url(core: RpcClient) -> None:
    with DemoServer() as server:
        url, key = server.url, server.api_key

    exchange = run(
        core, RpcRequest(action="bamboohr_list_employees", account_id=BAMBOOHR, base_url=url), key
    )

    assert exchange.response is None
    assert exchange.failure is not None
    assert exchange.failure.kind == "ConnectFailed"
    assert url in exchange.failure.message
