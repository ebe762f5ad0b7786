"""Postman v2.1 export/import: what a team moving to or from Postman relies on."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from explorer.core.postman import (
    SCHEMA_URL,
    PostmanImportError,
    PostmanRequest,
    from_postman,
    to_postman,
)
from explorer.core.request import DEFAULT_BASE_URL, DefenderConfig, RpcRequest

# The parts of the published v2.1.0 collection schema that our export uses: required keys,
# types and enums. (The schema itself is not fetched: tests never reach the internet.)
_KV = {
    "type": "object",
    "required": ["key", "value"],
    "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
}
_URL = {
    "type": "object",
    "properties": {
        "raw": {"type": "string"},
        "protocol": {"type": "string"},
        "host": {"type": ["string", "array"], "items": {"type": "string"}},
        "path": {"type": ["string", "array"], "items": {"type": "string"}},
        "port": {"type": "string"},
        "query": {"type": "array", "items": _KV},
    },
}
_REQUEST = {
    "type": "object",
    "required": ["method", "url"],
    "properties": {
        "method": {"enum": ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"]},
        "url": _URL,
        "header": {"type": "array", "items": _KV},
        "description": {"type": ["string", "object"]},
        "body": {
            "type": "object",
            "properties": {
                "mode": {"enum": ["raw", "urlencoded", "formdata", "file", "graphql"]},
                "raw": {"type": "string"},
                "options": {"type": "object"},
            },
        },
    },
}
_EVENT = {
    "type": "object",
    "required": ["listen"],
    "properties": {
        "listen": {"type": "string"},
        "script": {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "exec": {"type": ["array", "string"], "items": {"type": "string"}},
            },
        },
    },
}
POSTMAN_V21_SUBSET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["info", "item"],
    "definitions": {
        "items": {
            "anyOf": [
                {
                    "type": "object",
                    "required": ["request"],
                    "properties": {
                        "name": {"type": "string"},
                        "request": _REQUEST,
                        "response": {"type": "array"},
                        "event": {"type": "array", "items": _EVENT},
                    },
                },
                {
                    "type": "object",
                    "required": ["item"],
                    "properties": {
                        "name": {"type": "string"},
                        "item": {"type": "array", "items": {"$ref": "#/definitions/items"}},
                    },
                },
            ]
        }
    },
    "properties": {
        "info": {
            "type": "object",
            "required": ["name", "schema"],
            "properties": {
                "_postman_id": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": ["string", "object"]},
                "schema": {"const": SCHEMA_URL},
            },
        },
        "item": {"type": "array", "items": {"$ref": "#/definitions/items"}},
        "auth": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {
                    "enum": [
                        "apikey",
                        "awsv4",
                        "basic",
                        "bearer",
                        "digest",
                        "edgegrid",
                        "hawk",
                        "noauth",
                        "oauth1",
                        "oauth2",
                        "ntlm",
                    ]
                },
                "basic": {
                    "type": "array",
                    "items": {"type": "object", "required": ["key"]},
                },
            },
        },
        "variable": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "value": {},
                    "type": {"enum": ["string", "boolean", "any", "number"]},
                    "description": {"type": ["string", "object"]},
                },
            },
        },
    },
}


def _saved() -> list[PostmanRequest]:
    return [
        PostmanRequest(
            name="List employees",
            description="First page of employees",
            request=RpcRequest(
                action="bamboohr_list_employees",
                account_id="{{account_id}}",
                query={"page_size": "{{page_size}}"},
            ),
            expected_status=200,
        ),
        PostmanRequest(
            name="Get employee",
            folder="Employees",
            request=RpcRequest(
                action="bamboohr_get_employee",
                account_id="acct_bamboohr_demo",
                connector_profile_id="prof_1",
                path={"id": "1"},
                sync=True,
                debug=True,
                defender=DefenderConfig(enabled=True, block_high_risk=False),
                base_url="http://127.0.0.1:8123",
                timeout=15.0,
            ),
        ),
        PostmanRequest(
            name="Create candidate",
            folder="Candidates",
            request=RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": "Ada", "emails": [{"value": "ada@example.com"}]},
            ),
            expected_status=422,
        ),
    ]


def _export() -> dict[str, Any]:
    return to_postman(
        "Smoke tests",
        _saved(),
        description="Checks a BambooHR account",
        folders=["Employees", "Candidates", "Empty"],
        variables={"account_id": "acct_1", "page_size": "5", "tenant_token": "CANARY-SECRET"},
        secrets=["tenant_token"],
    )


def test_export_matches_the_v21_collection_structure() -> None:
    exported = _export()
    jsonschema.validate(exported, POSTMAN_V21_SUBSET)
    # it is JSON, not merely a dict of Python objects
    assert json.loads(json.dumps(exported)) == exported
    assert exported["info"]["schema"] == SCHEMA_URL


def test_export_shape_a_postman_user_sees() -> None:
    exported = _export()
    names = [item["name"] for item in exported["item"]]
    assert names == ["List employees", "Employees", "Candidates", "Empty"]
    first = exported["item"][0]["request"]
    assert first["method"] == "POST"
    assert first["url"]["raw"] == "{{base_url}}/actions/rpc"
    assert first["url"]["host"] == ["{{base_url}}"]
    assert first["url"]["path"] == ["actions", "rpc"]
    assert {"key": "x-account-id", "value": "{{account_id}}", "type": "text"} in first["header"]
    assert first["body"]["options"]["raw"]["language"] == "json"
    assert json.loads(first["body"]["raw"]) == {
        "action": "bamboohr_list_employees",
        "query": {"page_size": "{{page_size}}"},
    }
    get = exported["item"][1]["item"][0]["request"]
    assert get["url"]["raw"] == "http://127.0.0.1:8123/actions/rpc?sync=true&debug=true"
    assert get["url"]["host"] == ["127", "0", "0", "1"]
    assert get["url"]["port"] == "8123"
    assert get["url"]["query"] == [
        {"key": "sync", "value": "true"},
        {"key": "debug", "value": "true"},
    ]


def test_export_references_the_key_and_blanks_secret_variables() -> None:
    exported = _export()
    assert exported["auth"]["basic"][0] == {
        "key": "username",
        "value": "{{STACKONE_API_KEY}}",
        "type": "string",
    }
    variables = {v["key"]: v["value"] for v in exported["variable"]}
    assert variables["STACKONE_API_KEY"] == ""
    assert variables["tenant_token"] == ""
    assert variables["account_id"] == "acct_1"
    assert variables["base_url"] == DEFAULT_BASE_URL
    assert "CANARY-SECRET" not in json.dumps(exported)


def test_an_export_keeps_the_collections_id_in_postmans_uuid_form() -> None:
    """Exporting the same collection again gives the same Postman id, so a re-import in
    Postman updates the collection instead of adding a second copy."""
    ours = "0123456789abcdef0123456789abcdef"
    first = to_postman("Smoke", [], collection_id=ours)["info"]["_postman_id"]
    assert first == "01234567-89ab-cdef-0123-456789abcdef"
    assert to_postman("Smoke", [], collection_id=ours)["info"]["_postman_id"] == first
    # An id that is not ours (a collection imported from Postman keeps its own) stays as it is.
    assert to_postman("Smoke", [], collection_id="from-postman")["info"]["_postman_id"] == (
        "from-postman"
    )


def test_round_trip_keeps_every_request_field_folder_and_expectation() -> None:
    exported = json.loads(json.dumps(_export()))
    imported = from_postman(exported)
    assert imported.skipped == []
    assert imported.warnings == []
    assert imported.name == "Smoke tests"
    assert imported.description == "Checks a BambooHR account"
    originals = _saved()
    assert [r.name for r in imported.requests] == [r.name for r in originals]
    for got, want in zip(imported.requests, originals, strict=True):
        assert got.request == want.request
        assert got.folder == want.folder
        assert got.description == want.description
        assert got.expected_status == want.expected_status
    assert imported.variables == {
        "account_id": "acct_1",
        "page_size": "5",
        "tenant_token": "",
        "base_url": DEFAULT_BASE_URL,
    }


def test_a_per_request_timeout_travels_in_the_description() -> None:
    """Postman has no per-request timeout, and it drops fields it does not know; the
    description survives Postman, so the timeout goes there, readable by a person too."""
    saved = [
        PostmanRequest("Slow", RpcRequest(action="a_slow", timeout=2.5), description="Big page"),
        PostmanRequest("Quiet", RpcRequest(action="a_quiet", timeout=120.0)),
        PostmanRequest("Default", RpcRequest(action="a_default")),
    ]
    exported = json.loads(json.dumps(to_postman("T", saved)))
    requests = [item["request"] for item in exported["item"]]
    assert requests[0]["description"] == "Big page\n\nTimeout: 2.5 s (StackOne RPC Explorer)"
    assert requests[1]["description"] == "Timeout: 120 s (StackOne RPC Explorer)"
    assert "description" not in requests[2]

    imported = from_postman(exported)
    assert [r.request.timeout for r in imported.requests] == [2.5, 120.0, 60.0]
    assert [r.description for r in imported.requests] == ["Big page", "", ""]
    assert imported.warnings == []

    # Changed in Postman by hand: the new value is read; a value that is no timeout is
    # reported and left in the description for the person to see.
    requests[0]["description"] = "Big page\n\nTimeout: 30 s (StackOne RPC Explorer)\n"
    requests[1]["description"] = {"content": "Timeout: soon s (StackOne RPC Explorer)"}
    imported = from_postman(exported)
    assert [r.request.timeout for r in imported.requests] == [30.0, 60.0, 60.0]
    assert imported.requests[0].description == "Big page"
    assert imported.requests[1].description == "Timeout: soon s (StackOne RPC Explorer)"
    assert imported.warnings == [
        "'Quiet': the timeout in the description is not a positive number of seconds; "
        "the default (60 s) is used"
    ]


def _postman_file(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "info": {"name": "From Postman", "schema": SCHEMA_URL},
        "item": list(items),
        "variable": [{"key": "STACKONE_API_KEY", "value": "sk_live_should_not_import"}],
    }


def _rpc_item(name: str, **request: Any) -> dict[str, Any]:
    http = {
        "method": "POST",
        "url": "https://api.stackone.com/actions/rpc",
        "header": [{"key": "x-account-id", "value": "acct_9"}],
        "body": {"mode": "raw", "raw": json.dumps({"action": "hibob_list_employees"})},
    }
    http.update(request)
    return {"name": name, "request": http}


def test_import_reports_every_non_rpc_item_as_skipped_with_a_reason() -> None:
    data = _postman_file(
        _rpc_item("Good one"),
        {
            "name": "Accounts",
            "request": {"method": "GET", "url": "https://api.stackone.com/accounts"},
        },
        _rpc_item("Form post", body={"mode": "formdata", "formdata": []}),
        _rpc_item("No action", body={"mode": "raw", "raw": '{"path": {}}'}),
        _rpc_item("Broken JSON", body={"mode": "raw", "raw": '{\n  "action": x\n}'}),
        _rpc_item("NaN", body={"mode": "raw", "raw": '{"action": "a", "body": {"n": NaN}}'}),
        {"name": "Folder", "item": [{"name": "Just a URL", "request": "https://example.com"}]},
        {"name": "Nothing"},
    )
    imported = from_postman(data)
    assert [r.name for r in imported.requests] == ["Good one"]
    assert imported.requests[0].request.account_id == "acct_9"
    skipped = {s.name: s.reason for s in imported.skipped}
    assert set(skipped) == {
        "Accounts",
        "Form post",
        "No action",
        "Broken JSON",
        "NaN",
        "Folder / Just a URL",
        "Nothing",
    }
    assert (
        "GET https://api.stackone.com/accounts is not POST .../actions/rpc" in skipped["Accounts"]
    )
    assert "formdata" in skipped["Form post"]
    assert "no 'action'" in skipped["No action"]
    assert "line 2, column 13" in skipped["Broken JSON"]
    assert "NaN is not a JSON number" in skipped["NaN"]  # it could not be sent on as JSON
    assert "sk_live" not in json.dumps(imported.variables)
    assert any("never imported" in w for w in imported.warnings)


def test_import_of_a_hand_made_postman_request_keeps_what_matters() -> None:
    item = _rpc_item(
        "Hand made",
        url={
            "raw": "https://api.eu1.stackone.com/actions/rpc?sync=true&run_id=1",
            "protocol": "https",
            "host": ["api", "eu1", "stackone", "com"],
            "path": ["actions", "rpc"],
            "query": [{"key": "sync", "value": "true"}, {"key": "run_id", "value": "1"}],
        },
        header=[
            {"key": "x-account-id", "value": "acct_eu"},
            {"key": "X-Debug", "value": "1"},
            {"key": "x-connector-profile-id", "value": "old", "disabled": True},
        ],
        description={"content": "From the **EU** tenant", "type": "text/markdown"},
    )
    imported = from_postman(
        _postman_file({"name": "EU", "item": [{"name": "Deep", "item": [item]}]})
    )
    [saved] = imported.requests
    assert saved.folder == "EU - Deep"
    assert saved.description == "From the **EU** tenant"
    assert saved.request.base_url == "https://api.eu1.stackone.com"
    assert saved.request.sync is True
    assert saved.request.account_id == "acct_eu"
    assert saved.request.connector_profile_id == ""
    assert any("'run_id' dropped" in w for w in imported.warnings)
    assert any("'X-Debug' dropped" in w for w in imported.warnings)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"name": "env", "values": []},
        {
            "info": {
                "schema": "https://schema.getpostman.com/json/collection/v1.0.0/collection.json"
            },
            "item": [],
        },
    ],
)
def test_a_file_that_is_not_a_v2_collection_is_refused_with_advice(data: Any) -> None:
    with pytest.raises(PostmanImportError, match="Postman"):
        from_postman(data)
