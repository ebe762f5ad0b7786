"""``GET /accounts`` and ``GET /actions``: what the explorer offers in its pickers."""

from __future__ import annotations

import httpx
import jsonschema
import pytest

from explorer.demo import DEMO_ACTION_ACCOUNTS, DEMO_ACTIONS, EXAMPLE_REQUEST
from tests.demo.rpc_calls import Rpc

ACCOUNT_KEYS = {
    "id",
    "provider",
    "provider_name",
    "origin_owner_id",
    "origin_owner_name",
    "origin_username",
    "label",
    "status",
    "status_reasons",
    "type",
    "created_at",
    "updated_at",
}


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()]


def test_accounts_is_a_bare_array_of_account_items(client: httpx.Client) -> None:
    response = client.get("/accounts")
    assert response.headers["x-request-id"]
    accounts = response.json()
    assert isinstance(accounts, list)
    assert {a["id"] for a in accounts} >= {
        "acct_bamboohr_demo",
        "acct_greenhouse_demo",
        "acct_hibob_demo",
        "acct_drive_demo",
        "acct_workday_demo",
        "acct_suspended",
    }
    for account in accounts:
        assert ACCOUNT_KEYS <= set(account) <= ACCOUNT_KEYS | {"credentials", "setup_information"}
        # Lower case, as the TypeScript SDK's LinkedAccountType names them.
        assert account["type"] in ("production", "test")
        assert account["origin_owner_name"]
    suspended = next(a for a in accounts if a["id"] == "acct_suspended")
    assert suspended["status"] == "suspended"
    assert suspended["status_reasons"][0]["code"]


def test_accounts_cover_what_support_needs_to_see(client: httpx.Client) -> None:
    """A production and a test account of one customer, an inactive one with its reasons,
    one in error, and one that comes with credentials a client must not keep."""
    by_id = {a["id"]: a for a in client.get("/accounts").json()}
    assert by_id["acct_bamboohr_demo"]["type"] == "production"
    assert by_id["acct_bamboohr_sandbox"]["type"] == "test"
    assert (
        by_id["acct_bamboohr_demo"]["origin_owner_name"]
        == by_id["acct_bamboohr_sandbox"]["origin_owner_name"]
    )
    initech = by_id["acct_bamboohr_initech"]
    assert initech["status"] == "inactive"
    assert initech["origin_owner_name"] == "Initech"
    assert [r["code"] for r in initech["status_reasons"]] == [
        "token_expired",
        "reconnect_requested",
    ]
    assert by_id["acct_hibob_umbrella"]["status"] == "error"
    assert "refresh_token" in by_id["acct_drive_demo"]["credentials"]
    owners = {a["origin_owner_name"] for a in by_id.values() if a["provider"] == "bamboohr"}
    assert len(owners) >= 3  # one action run across BambooHR accounts reaches 3 customers


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"providers[]": "bamboohr"},
            [
                "acct_bamboohr_demo",
                "acct_bamboohr_globex",
                "acct_bamboohr_sandbox",
                "acct_bamboohr_initech",
                "acct_suspended",
            ],
        ),
        (
            {"providers": "hibob,workday"},
            ["acct_hibob_demo", "acct_hibob_umbrella", "acct_hibob_sandbox", "acct_workday_demo"],
        ),
        ({"status[]": "suspended"}, ["acct_suspended"]),
        ({"status": ["inactive", "error"]}, ["acct_bamboohr_initech", "acct_hibob_umbrella"]),
        ({"status": "some_future_status"}, []),  # an open enum: any string filters
        ({"account_ids[]": ["acct_drive_demo", "acct_missing"]}, ["acct_drive_demo"]),
        ({"page_size": "2", "page": "2"}, ["acct_bamboohr_sandbox", "acct_bamboohr_initech"]),
        ({"origin_owner_id": "org_globex"}, ["acct_bamboohr_globex"]),
    ],
)
def test_accounts_filters_and_pages(
    client: httpx.Client, params: dict[str, str], expected: list[str]
) -> None:
    assert _ids(client.get("/accounts", params=params)) == expected


@pytest.mark.parametrize("params", [{"page_size": "101"}, {"page": "0"}, {"page_size": "x"}])
def test_accounts_rejects_bad_filters(client: httpx.Client, params: dict[str, str]) -> None:
    response = client.get("/accounts", params=params)
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400


def test_discovery_needs_the_api_key(demo_url: str) -> None:
    with httpx.Client(base_url=demo_url) as anonymous:
        assert anonymous.get("/accounts").status_code == 401
        assert anonymous.get("/actions").status_code == 401


def test_actions_lists_connectors_with_their_actions(client: httpx.Client) -> None:
    body = client.get("/actions").json()
    assert body["next"] is None
    by_key = {c["key"]: c for c in body["data"]}
    assert set(by_key) == {"bamboohr", "greenhouse", "hibob", "google_drive", "workday"}
    for connector in by_key.values():
        assert {"key", "name", "description", "icon", "version", "release_stage", "categories"} <= (
            set(connector)
        )
        for action in connector["actions"]:
            assert {"id", "label", "description", "schema_type", "tags", "required_scopes"} <= set(
                action
            )
            assert "operation_details" not in action
    assert [a["id"] for a in by_key["google_drive"]["actions"]] == [
        "google_drive_list_files",
        "documents_download_file",
    ]


@pytest.mark.parametrize("include", ["operation_details", "action_details"])
def test_details_carry_valid_input_schemas(client: httpx.Client, include: str) -> None:
    """Both include values are taken; the answer has the TypeScript SDK's shape."""
    body = client.get("/actions", params={"include": include}).json()
    actions = [action for connector in body["data"] for action in connector["actions"]]
    assert all("action_details" not in action for action in actions)
    schemas = {
        action["id"]: action["operation_details"]["input_schema"]
        for action in actions
        if "operation_details" in action
    }
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    # Workday's details are not published yet: its actions come without them.
    assert "workday_list_workers" not in schemas
    assert len(schemas) == len(actions) - 1
    # The request the app pre-fills in demo mode fits its action's schema...
    example = {k: v for k, v in EXAMPLE_REQUEST.items() if k != "account_id"}
    jsonschema.validate(example, schemas["bamboohr_list_employees"])
    # ...and a get without its id does not.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"action": "bamboohr_get_employee"}, schemas["bamboohr_get_employee"])


def test_an_unknown_include_value_is_refused(client: httpx.Client) -> None:
    response = client.get("/actions", params={"include": "everything"})
    assert response.status_code == 400
    assert "include" in response.json()["message"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filter[connectors]": "bamboohr,hibob"}, {"bamboohr", "hibob"}),
        ({"filter[account_ids]": "acct_drive_demo"}, {"google_drive"}),
        ({"filter[account_ids]": "acct_unknown"}, set()),
        ({"search": "DOWNLOAD"}, {"google_drive"}),
        ({"filter[action_key]": "workday_list_workers"}, {"workday"}),
    ],
)
def test_actions_filters(client: httpx.Client, params: dict[str, str], expected: set[str]) -> None:
    body = client.get("/actions", params=params).json()
    assert {c["key"] for c in body["data"]} == expected


def test_actions_search_keeps_only_matching_actions(client: httpx.Client) -> None:
    [drive] = client.get("/actions", params={"search": "Download File"}).json()["data"]
    assert [a["id"] for a in drive["actions"]] == ["documents_download_file"]


def test_actions_pages_with_next(client: httpx.Client) -> None:
    keys: list[str] = []
    params: dict[str, str] = {"page_size": "2"}
    while True:
        body = client.get("/actions", params=params).json()
        keys += [c["key"] for c in body["data"]]
        if body["next"] is None:
            break
        params["next"] = body["next"]
    assert len(keys) == len(set(keys)) == 5
    assert client.get("/actions", params={"next": "bogus"}).status_code == 400


def test_every_demo_action_runs_on_its_demo_account(rpc: Rpc) -> None:
    # DEMO_ACTIONS is what the UI offers: each entry must at least reach its handler (no 404).
    assert len(DEMO_ACTIONS) == len({name for name, _ in DEMO_ACTIONS}) >= 9
    for name, description in DEMO_ACTIONS:
        assert description and "\n" not in description
        response = rpc({"action": name, "body": {"seconds": 0}}, account=DEMO_ACTION_ACCOUNTS[name])
        assert response.status_code != 404 or "provider_errors" in response.text, name
