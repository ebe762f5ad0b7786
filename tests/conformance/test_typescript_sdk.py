"""StackOne's official TypeScript SDK (4.28.0, generated from StackOne's OpenAPI) against the
demo: every answer must fit its zod models (no ``ResponseValidationError``), and every error
status must arrive as the SDK's typed error."""

from __future__ import annotations

from typing import Any

import httpx

from explorer.demo.accounts import ACCOUNTS
from explorer.demo.actions import ACTIONS
from explorer.demo.server import DemoServer
from tests.conformance.conftest import SdkCalls


def ok(result: dict[str, Any]) -> Any:
    assert result["ok"], result.get("error")
    return result["value"]


def test_accounts_fit_the_sdks_linked_account_model(sdk_calls: SdkCalls) -> None:
    results = sdk_calls(
        [
            {"name": "all", "op": "listAccounts", "args": {"request": {"pageSize": 100}}},
            {
                "name": "paged",
                "op": "listAccounts",
                "args": {"request": {"page": 2, "pageSize": 3, "providers": ["bamboohr"]}},
            },
            {
                "name": "inactive",
                "op": "listAccounts",
                "args": {"request": {"status": ["inactive"]}},
            },
        ]
    )
    accounts = ok(results["all"])
    assert [a["id"] for a in accounts] == list(ACCOUNTS)
    by_id = {a["id"]: a for a in accounts}
    assert by_id["acct_bamboohr_demo"]["type"] == "production"
    assert by_id["acct_bamboohr_sandbox"]["type"] == "test"
    assert by_id["acct_suspended"]["status"] == "suspended"  # open enum: kept as sent
    assert by_id["acct_bamboohr_initech"]["statusReasons"][0]["code"] == "token_expired"
    assert by_id["acct_drive_demo"]["hasCredentials"] is True
    assert [a["id"] for a in ok(results["paged"])] == ["acct_bamboohr_initech", "acct_suspended"]
    assert [a["id"] for a in ok(results["inactive"])] == ["acct_bamboohr_initech"]


def test_the_catalogue_fits_and_carries_operation_details(sdk_calls: SdkCalls) -> None:
    results = sdk_calls(
        [
            {
                "name": "details",
                "op": "listActions",
                "args": {"request": {"include": ["operation_details"], "pageSize": "2"}},
            },
            {
                "name": "drive",
                "op": "listActions",
                "args": {"request": {"filter": {"accountIds": "acct_drive_demo"}}},
            },
        ]
    )
    details = ok(results["details"])
    assert details["pages"] == 3  # five connectors, two a page: the SDK followed next
    actions = {a["id"]: a for c in details["connectors"] for a in c["actions"]}
    assert set(actions) == set(ACTIONS)
    assert (
        actions["bamboohr_get_employee"]["inputSchema"]
        == ACTIONS["bamboohr_get_employee"].input_schema
    )
    assert actions["workday_list_workers"]["hasDetails"] is False  # unpublished in the demo
    drive = ok(results["drive"])
    assert [c["key"] for c in drive["connectors"]] == ["google_drive"]
    assert not any(a["hasDetails"] for c in drive["connectors"] for a in c["actions"])


def test_rpc_calls_succeed_and_fail_with_the_sdks_typed_errors(sdk_calls: SdkCalls) -> None:
    def rpc(name: str, account: str, **body: Any) -> dict[str, Any]:
        return {"name": name, "op": "rpc", "args": {"account": account, "body": body}}

    results = sdk_calls(
        [
            rpc(
                "list",
                "acct_bamboohr_demo",
                action="bamboohr_list_employees",
                query={"page_size": 20},
            ),
            rpc("get", "acct_bamboohr_demo", action="bamboohr_get_employee", path={"id": "40002"}),
            rpc("no account", "", action="bamboohr_list_employees"),
            rpc(
                "unknown id", "acct_bamboohr_demo", action="bamboohr_get_employee", path={"id": "1"}
            ),
            rpc("rejected", "acct_greenhouse_demo", action="greenhouse_create_candidate", body={}),
            rpc("rate limited", "acct_hibob_demo", action="hibob_search_employees"),
            rpc("provider down", "acct_workday_demo", action="workday_list_workers"),
            rpc("inactive", "acct_bamboohr_initech", action="bamboohr_list_employees"),
        ]
    )
    listing = ok(results["list"])
    assert listing["status"] == 200 and len(listing["data"]) == 20 and listing["next"]
    # node's fetch asks for gzip, and a 20-employee page is worth compressing.
    assert listing["contentEncoding"] == "gzip"
    assert ok(results["get"])["status"] == 200
    expected = {
        "no account": ("BadRequestResponse", 400),
        "unknown id": ("NotFoundResponse", 404),
        "rejected": ("UnprocessableEntityResponse", 422),
        "rate limited": ("TooManyRequestsResponse", 429),
        "provider down": ("BadGatewayResponse", 502),
        # The SDK models no 412: its generic error class, with the status and our body.
        "inactive": ("SDKError", 412),
    }
    for name, (error_class, status) in expected.items():
        error = results[name]["error"]
        assert (error["class"], error["statusCode"]) == (error_class, status), error
    assert "first_name is required" in results["rejected"]["error"]["message"]
    assert "reconnect" in results["inactive"]["error"]["message"]


def test_an_unauthorized_key_is_the_sdks_unauthorized_response(sdk_calls: SdkCalls) -> None:
    results = sdk_calls([{"name": "accounts", "op": "listAccounts"}], api_key="someone-elses")
    assert results["accounts"]["error"]["class"] == "UnauthorizedResponse"


def test_request_logs_fit_the_sdks_models(sdk_calls: SdkCalls) -> None:
    first = sdk_calls(
        [
            {
                "name": "drive",
                "op": "rpc",
                "args": {
                    "account": "acct_drive_demo",
                    "body": {"action": "google_drive_list_files"},
                },
            },
            {
                "name": "down",
                "op": "rpc",
                "args": {
                    "account": "acct_workday_demo",
                    "body": {"action": "workday_list_workers"},
                },
            },
        ]
    )
    drive_id = ok(first["drive"])["requestId"]
    results = sdk_calls(
        [
            {"name": "log", "op": "getLog", "args": {"id": drive_id}},
            {"name": "logs", "op": "listLogs", "args": {"request": {"pageSize": 1}}},
            {
                "name": "failed steps",
                "op": "listStepLogs",
                "args": {"request": {"filter": {"success": False}}},
            },
            {"name": "missing", "op": "getLog", "args": {"id": "no-such-request"}},
        ]
    )
    log = ok(results["log"])
    assert (log["requestId"], log["action"], log["status"]) == (
        drive_id,
        "google_drive_list_files",
        200,
    )
    assert [(s["method"], s["status"]) for s in log["steps"]] == [
        ("GET", 401),
        ("POST", 200),
        ("GET", 200),
    ]
    logs = ok(results["logs"])
    assert len(logs["requestIds"]) == 1 and logs["next"]
    assert sorted(s["status"] for s in ok(results["failed steps"])) == [401, 503, 503]
    assert results["missing"]["error"]["class"] == "NotFoundResponse"


def test_platform_logs_fit_the_sdks_model_and_filter_as_it_sends_them(
    sdk_calls: SdkCalls, conformance_server: DemoServer
) -> None:
    made = sdk_calls(
        [
            {"name": "accounts", "op": "listAccounts"},
            {"name": "actions", "op": "listActions", "args": {"request": {"pageSize": "5"}}},
            {
                "name": "rpc",
                "op": "rpc",
                "args": {
                    "account": "acct_drive_demo",
                    "body": {"action": "google_drive_list_files"},
                },
            },
        ]
    )
    assert all(result["ok"] for result in made.values()), made
    # A platform call that fails: an action search without a query (400).
    refused = httpx.post(
        f"{conformance_server.url}/actions/search",
        json={},
        auth=(conformance_server.api_key, ""),
        headers={"User-Agent": "conformance-test"},
    )
    assert refused.status_code == 400
    results = sdk_calls(
        [
            {"name": "all", "op": "listPlatformLogs"},
            {
                "name": "accounts",
                "op": "listPlatformLogs",
                "args": {"request": {"filter": {"categories": "accounts"}}},
            },
            {
                "name": "failed",
                "op": "listPlatformLogs",
                "args": {"request": {"filter": {"success": False}}},
            },
            {"name": "first", "op": "listPlatformLogs", "args": {"request": {"pageSize": 1}}},
            {
                "name": "oldest first",
                "op": "listPlatformLogs",
                "args": {"request": {"orderBy": "eventDatetime", "orderDirection": "asc"}},
            },
            {
                "name": "none after",
                "op": "listPlatformLogs",
                "args": {"request": {"filter": {"startDate": "2999-01-01T00:00:00Z"}}},
            },
        ]
    )
    logs = ok(results["all"])["logs"]
    # Every platform call (the accounts list, the catalogue's pages, the refused search);
    # the action call is in the request logs, not here.
    paths = [log["path"] for log in logs]
    assert "/actions/rpc" not in paths
    assert {"/accounts", "/actions", "/actions/search"} <= set(paths)
    for log in logs:
        assert log["requestId"] and log["startTime"] and log["duration"] >= 1
        assert log["sourceValue"] is None  # never the key
        assert log["httpMethod"] == ("POST" if log["path"] == "/actions/search" else "GET")
    assert {log["category"] for log in ok(results["accounts"])["logs"]} == {"accounts"}
    [failed] = ok(results["failed"])["logs"]
    assert (failed["path"], failed["status"], failed["success"]) == ("/actions/search", 400, False)
    assert failed["subResource"] == "search"
    first = ok(results["first"])
    assert len(first["logs"]) == 1 and first["next"]
    assert ok(results["oldest first"])["logs"][0]["path"] == "/accounts"
    assert ok(results["none after"])["logs"] == []
