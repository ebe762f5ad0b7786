"""The demo's request logs: every RPC call it served, with the provider calls behind it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from explorer.demo import DemoServer
from tests.demo.rpc_calls import Rpc, client_for, make_rpc


@pytest.fixture
def fresh() -> Iterator[tuple[DemoServer, httpx.Client, Rpc]]:
    """A private server, so the logs hold only this test's calls."""
    with DemoServer(rate_limit_retry_after=0) as server, client_for(server) as client:
        yield server, client, make_rpc(client)


def log_of(client: httpx.Client, request_id: str, include: str | None = "step_logs") -> Any:
    params = {"include": include} if include else {}
    response = client.get(f"/requests/logs/{request_id}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_a_successful_call_is_logged_with_its_provider_call(
    fresh: tuple[DemoServer, httpx.Client, Rpc],
) -> None:
    _server, client, rpc = fresh
    response = rpc({"action": "bamboohr_get_employee", "path": {"id": "40002"}})
    log = log_of(client, response.headers["x-request-id"])
    assert log["request_id"] == response.headers["x-request-id"]
    assert (log["account_id"], log["action"], log["provider"]) == (
        "acct_bamboohr_demo",
        "bamboohr_get_employee",
        "bamboohr",
    )
    assert (log["http_method"], log["path"], log["status"], log["success"]) == (
        "POST",
        "/actions/rpc",
        200,
        True,
    )
    assert log["request"]["body"]["path"] == {"id": "40002"}
    assert log["request"]["headers"]["authorization"] == "Basic ****"  # never the key
    assert log["response"]["body"]["data"]["first_name"] == "Lukas"
    [step] = log["step_requests"]
    assert step["http_method"] == "GET"
    assert step["url"].endswith("/employees/40002")
    assert (step["status"], step["success"]) == (200, True)
    assert step["response"]["body"]["first_name"] == "Lukas"
    assert step["duration"] > 0 and step["start_time"] <= step["end_time"]


def test_failing_provider_steps_carry_the_providers_answer(
    fresh: tuple[DemoServer, httpx.Client, Rpc],
) -> None:
    _server, client, rpc = fresh
    missing = rpc({"action": "bamboohr_get_employee", "path": {"id": "99999"}})
    down = rpc({"action": "workday_list_workers"}, account="acct_workday_demo")
    limited = rpc({"action": "hibob_search_employees"}, account="acct_hibob_demo")
    assert (missing.status_code, down.status_code, limited.status_code) == (404, 502, 429)

    [step] = log_of(client, missing.headers["x-request-id"])["step_requests"]
    assert (step["status"], step["success"]) == (404, False)
    assert step["response"]["body"]["message"] == "Employee 99999 not found"

    workday = log_of(client, down.headers["x-request-id"])
    assert (workday["status"], workday["success"]) == (502, False)
    assert [s["status"] for s in workday["step_requests"]] == [503, 503]  # StackOne retried
    assert workday["response"]["provider_errors"][0]["status"] == 503

    [hibob] = log_of(client, limited.headers["x-request-id"])["step_requests"]
    assert hibob["status"] == 429 and hibob["response"]["headers"]["retry-after"] == "0"


def test_a_success_can_hide_a_failed_step(fresh: tuple[DemoServer, httpx.Client, Rpc]) -> None:
    _server, client, rpc = fresh
    response = rpc({"action": "google_drive_list_files"}, account="acct_drive_demo")
    steps = log_of(client, response.headers["x-request-id"])["step_requests"]
    assert [(s["http_method"], s["status"]) for s in steps] == [
        ("GET", 401),
        ("POST", 200),
        ("GET", 200),
    ]
    assert steps[1]["url"] == "https://oauth2.googleapis.com/token"
    # Steps run one after another.
    assert steps[0]["end_time"] <= steps[1]["start_time"] <= steps[2]["start_time"]
    # Provider credentials appear as StackOne sent them: a viewer must mask them.
    assert steps[0]["request"]["headers"]["authorization"].startswith("Bearer ")


def test_refused_calls_are_logged_without_steps(
    fresh: tuple[DemoServer, httpx.Client, Rpc],
) -> None:
    _server, client, rpc = fresh
    bad = rpc({"action": "bamboohr_get_employee"})  # no path.id
    inactive = rpc({"action": "bamboohr_list_employees"}, account="acct_bamboohr_initech")
    assert (bad.status_code, inactive.status_code) == (400, 412)
    for response in (bad, inactive):
        log = log_of(client, response.headers["x-request-id"])
        assert log["success"] is False and log["step_requests"] == []
        assert log["response"]["body"]["statusCode"] == response.status_code


def test_without_include_a_log_has_no_steps(fresh: tuple[DemoServer, httpx.Client, Rpc]) -> None:
    _server, client, rpc = fresh
    response = rpc({"action": "bamboohr_list_employees"})
    assert "step_requests" not in log_of(client, response.headers["x-request-id"], None)
    advanced = log_of(client, response.headers["x-request-id"], "advanced_logs")
    assert len(advanced["step_requests"]) == 1


def test_lists_are_newest_first_filtered_and_paged(
    fresh: tuple[DemoServer, httpx.Client, Rpc],
) -> None:
    _server, client, rpc = fresh
    ids = [
        rpc({"action": "bamboohr_get_employee", "path": {"id": str(40001 + n)}}).headers[
            "x-request-id"
        ]
        for n in range(3)
    ]
    rpc({"action": "google_drive_list_files"}, account="acct_drive_demo")

    body = client.get("/requests/logs", params={"page_size": 2}).json()
    assert len(body["data"]) == 2 and body["next"]
    assert "request" not in body["data"][0] and "step_requests" not in body["data"][0]
    rest = client.get("/requests/logs", params={"page_size": 2, "next": body["next"]}).json()
    assert rest["next"] is None
    listed = [e["request_id"] for e in body["data"] + rest["data"]]
    assert listed[1:] == ids[::-1]

    # Filters arrive flat, as the TypeScript SDK sends them, or as filter[...].
    for params in ({"actions": "bamboohr_get_employee"}, {"filter[providers]": "bamboohr"}):
        assert len(client.get("/requests/logs", params=params).json()["data"]) == 3
    one = client.get("/requests/logs", params={"request_ids": ids[0], "include": "step_logs"})
    [entry] = one.json()["data"]
    assert entry["request_id"] == ids[0]
    assert "request" not in entry["step_requests"][0]  # list forms carry no bodies
    oldest_first = client.get("/requests/logs", params={"order_direction": "asc"}).json()
    assert oldest_first["data"][0]["request_id"] == ids[0]


def test_steps_are_listed_across_logs(fresh: tuple[DemoServer, httpx.Client, Rpc]) -> None:
    _server, client, rpc = fresh
    rpc({"action": "google_drive_list_files"}, account="acct_drive_demo")
    rpc({"action": "workday_list_workers"}, account="acct_workday_demo")
    steps = client.get("/requests/logs/steps", params={"success": "false"}).json()["data"]
    assert sorted(s["status"] for s in steps) == [401, 503, 503]
    assert all("response" not in s for s in steps)
    by_provider = client.get("/requests/logs/steps", params={"providers": "google_drive"})
    assert len(by_provider.json()["data"]) == 3


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/requests/logs/not-a-request", {}, 404),
        ("/requests/logs", {"include": "everything"}, 400),
        ("/requests/logs", {"order_by": "colour"}, 400),
        ("/requests/logs", {"next": "garbage"}, 400),
        ("/requests/logs/steps", {"success": "maybe"}, 400),
    ],
)
def test_log_errors_use_the_envelope(
    client: httpx.Client, path: str, params: dict[str, str], status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json()["statusCode"] == status


def test_platform_calls_are_in_the_platform_logs_and_action_calls_are_not(
    fresh: tuple[DemoServer, httpx.Client, Rpc],
) -> None:
    server, client, rpc = fresh
    accounts = client.get("/accounts", headers={"x-account-id": "acct_bamboohr_demo"})
    refused = client.post("/actions/search", json={"query": ""})
    rpc({"action": "bamboohr_list_employees"})
    assert (accounts.status_code, refused.status_code) == (200, 400)

    response = client.get("/requests/platform-logs")
    assert response.status_code == 200, response.text
    logs = response.json()["data"]
    assert [(log["path"], log["status"], log["success"]) for log in logs] == [
        ("/actions/search", 400, False),
        ("/accounts", 200, True),
    ]
    newest, oldest = logs
    assert newest["request_id"] == refused.headers["x-request-id"]
    assert (newest["category"], newest["sub_resource"]) == ("actions", "search")
    assert oldest["account_id"] == "acct_bamboohr_demo"
    assert server.api_key not in response.text  # no key, no body, no header values
    only = client.get("/requests/platform-logs", params={"success": "true"}).json()["data"]
    assert [log["path"] for log in only] == ["/accounts"]
    bad = client.get("/requests/platform-logs", params={"start_date": "yesterday"})
    assert bad.status_code == 400 and "start_date" in bad.json()["message"]
