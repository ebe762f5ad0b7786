"""Request skeletons: built from the demo's real input schemas (fetched from the demo server)
and sent back to it, plus the schema shapes the demo does not use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from explorer.core.client import RpcClient
from explorer.core.discovery import DiscoveryClient
from explorer.core.request import RpcRequest
from explorer.core.skeleton import skeleton_from_schema, with_skeleton
from explorer.demo import DemoServer
from explorer.demo.actions import DEMO_ACTION_ACCOUNTS


@pytest.fixture(scope="module")
def schemas(demo_server: DemoServer) -> dict[str, Any]:
    """Every demo action's input schema, as ``GET /actions?include=action_details`` serves it."""
    with DiscoveryClient() as discovery:
        actions = discovery.list_actions(demo_server.url, demo_server.api_key)
    return {a.name: a.input_schema for a in actions}


@pytest.fixture
def rpc() -> Iterator[RpcClient]:
    with RpcClient() as client:
        yield client


def request_for(action: str, demo_url: str, schemas: dict[str, Any]) -> RpcRequest:
    """What the UI builds when the user picks ``action``: its demo account and skeleton."""
    blank = RpcRequest(action=action, account_id=DEMO_ACTION_ACCOUNTS[action], base_url=demo_url)
    return with_skeleton(blank, skeleton_from_schema(schemas[action]))


# -- the demo's schemas, round trip -----------------------------------------------------------


def test_demo_skeletons_put_each_input_where_the_action_reads_it(schemas: dict[str, Any]) -> None:
    assert skeleton_from_schema(schemas["greenhouse_create_candidate"]) == {
        "body": {"first_name": "", "last_name": "", "emails": []}
    }
    assert skeleton_from_schema(schemas["bamboohr_get_employee"]) == {"path": {"id": ""}}
    assert skeleton_from_schema(schemas["bamboohr_list_employees"]) == {
        "query": {"page_size": 10, "next": None}
    }
    assert skeleton_from_schema(schemas["bamboohr_generate_report"]) == {"body": {"seconds": 0}}
    # A body property called "query" stays in the body.
    assert skeleton_from_schema(schemas["hibob_search_employees"]) == {"body": {"query": ""}}


def test_the_candidate_skeleton_sent_unchanged_names_the_empty_fields(
    schemas: dict[str, Any], demo_url: str, demo_key: str, rpc: RpcClient
) -> None:
    request = request_for("greenhouse_create_candidate", demo_url, schemas)

    response = rpc.send(request, demo_key)

    assert response.status == 422
    assert response.error is not None
    assert "first_name must be a non-empty string" in response.error.message
    assert "last_name must be a non-empty string" in response.error.message
    assert [e.raw["field"] for e in response.error.provider_errors] == ["first_name", "last_name"]


def test_the_candidate_skeleton_filled_in_creates_the_candidate(
    schemas: dict[str, Any], demo_url: str, demo_key: str, rpc: RpcClient
) -> None:
    request = request_for("greenhouse_create_candidate", demo_url, schemas)
    assert request.body is not None
    request.body.update(first_name="Ada", last_name="Lovelace")

    response = rpc.send(request, demo_key)

    assert response.status == 200
    assert response.result is not None
    assert response.result.data["first_name"] == "Ada"
    assert response.result.data["emails"] == []


def test_a_list_skeleton_runs_as_it_is(
    schemas: dict[str, Any], demo_url: str, demo_key: str, rpc: RpcClient
) -> None:
    # The default page size and a null cursor: the first page, with nothing to fill in.
    response = rpc.send(request_for("bamboohr_list_employees", demo_url, schemas), demo_key)
    assert response.status == 200
    assert response.result is not None and len(response.result.data) == 10


def test_a_get_skeleton_asks_for_its_id(
    schemas: dict[str, Any], demo_url: str, demo_key: str, rpc: RpcClient
) -> None:
    request = request_for("bamboohr_get_employee", demo_url, schemas)
    response = rpc.send(request, demo_key)
    assert response.status == 400
    assert response.error is not None and "path.id is required" in response.error.message

    assert request.path is not None
    request.path["id"] = "40001"
    assert rpc.send(request, demo_key).status == 200


def test_with_skeleton_leaves_nothing_of_the_previous_action() -> None:
    previous = RpcRequest(
        action="greenhouse_create_candidate",
        account_id="acct_1",
        body={"first_name": "Ada"},
        headers={"X-Trace": "1"},
    )
    skeleton = {"path": {"id": ""}}

    request = with_skeleton(previous.copy(action="bamboohr_get_employee"), skeleton)

    assert (request.path, request.query, request.headers, request.body) == (
        {"id": ""},
        None,
        None,
        None,
    )
    assert request.account_id == "acct_1"
    assert request.path is not None
    request.path["id"] = "changed"
    assert skeleton == {"path": {"id": ""}}  # the skeleton is copied, not shared


# -- other schema shapes ------------------------------------------------------------------------


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def test_a_flat_schema_goes_in_the_body_required_first() -> None:
    schema = obj(
        {
            "note": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "active": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "meta": {"type": "object"},
            "name": {"type": "string"},
        },
        ["name", "active"],
    )
    skeleton = skeleton_from_schema(schema)
    assert skeleton == {
        "body": {
            "name": "",
            "active": False,
            "note": "",
            "count": 0,
            "ratio": 0,
            "tags": [],
            "meta": {},
        }
    }
    assert list(skeleton["body"]) == ["name", "active", "note", "count", "ratio", "tags", "meta"]
    assert skeleton_from_schema(schema, include_optional=False) == {
        "body": {"name": "", "active": False}
    }


def test_a_flat_query_string_is_not_mistaken_for_the_query_group() -> None:
    schema = obj({"query": {"type": "string"}, "limit": {"type": "integer"}}, ["query"])
    assert skeleton_from_schema(schema) == {"body": {"query": "", "limit": 0}}


def test_grouped_headers_and_empty_groups() -> None:
    schema = obj(
        {
            "action": {"type": "string"},
            "headers": obj({"X-Idempotency-Key": {"type": "string"}}),
            "query": obj({}),
            "body": {"type": ["object", "null"], "properties": {"text": {"type": "string"}}},
        }
    )
    assert skeleton_from_schema(schema) == {
        "headers": {"X-Idempotency-Key": ""},
        "body": {"text": ""},
    }


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"enum": ["work", "personal"]}, "work"),
        ({"type": "string", "default": "asc"}, "asc"),
        ({"const": "v2"}, "v2"),
        ({"type": "integer", "minimum": 1}, 1),
        ({"type": "integer", "exclusiveMinimum": 0}, 1),
        ({"type": "number", "minimum": 0.5}, 0.5),
        ({"type": "integer", "maximum": -1}, -1),
        ({"type": ["string", "null"]}, ""),  # required: a value, not null
        ({"anyOf": [{"type": "null"}, {"type": "boolean"}]}, False),
        ({"oneOf": [{"type": "array"}, {"type": "string"}]}, []),
        ({"properties": {"a": {"type": "string"}}, "required": ["a"]}, {"a": ""}),
        ({"items": {"type": "string"}}, []),
        ({"description": "anything"}, None),
    ],
)
def test_required_placeholders_by_type(schema: dict[str, Any], expected: Any) -> None:
    assert skeleton_from_schema(obj({"x": schema}, ["x"])) == {"body": {"x": expected}}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"type": "integer", "nullable": True},
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
    ],
)
def test_optional_nullable_properties_start_null(schema: dict[str, Any]) -> None:
    assert skeleton_from_schema(obj({"x": schema})) == {"body": {"x": None}}


def test_nested_objects_get_only_their_required_properties() -> None:
    address = obj(
        {"street": {"type": "string"}, "city": {"type": "string"}, "zip": {"type": "string"}},
        ["city"],
    )
    schema = obj({"body": obj({"address": address, "extra": obj({"x": {"type": "string"}})})})
    assert skeleton_from_schema(schema) == {"body": {"address": {"city": ""}, "extra": {}}}


def test_refs_and_all_of_are_followed() -> None:
    schema = {
        "$defs": {
            "Email": obj({"value": {"type": "string"}, "type": {"enum": ["work"]}}, ["type"]),
            "Named": obj({"first~name": {"type": "string"}}, ["first~name"]),
        },
        "definitions": {"Id": {"type": "string"}},
        "type": "object",
        "properties": {
            "path": obj({"id": {"$ref": "#/definitions/Id"}}, ["id"]),
            "body": {
                "allOf": [
                    {"$ref": "#/$defs/Named"},
                    obj({"email": {"$ref": "#/$defs/Email"}}, ["email"]),
                ],
                "type": "object",
            },
        },
    }
    assert skeleton_from_schema(schema) == {
        "path": {"id": ""},
        "body": {"first~name": "", "email": {"type": "work"}},
    }


def test_recursive_and_broken_refs_end() -> None:
    node = obj({"child": {"$ref": "#/$defs/Node"}}, ["child"])
    schema = {
        "$defs": {"Node": node, "Loop": {"$ref": "#/$defs/Loop"}},
        **obj(
            {
                "tree": {"$ref": "#/$defs/Node"},
                "loop": {"$ref": "#/$defs/Loop"},
                "missing": {"$ref": "#/$defs/Nowhere"},
                "remote": {"$ref": "https://example.com/schema.json"},
            },
            ["tree", "loop", "missing", "remote"],
        ),
    }
    body = skeleton_from_schema(schema)["body"]
    depth = 0
    tree = body["tree"]
    while isinstance(tree, dict):
        tree = tree["child"]
        depth += 1
    assert tree is None and 1 < depth < 20
    assert (body["loop"], body["missing"], body["remote"]) == (None, None, None)


@pytest.mark.parametrize("schema", [None, {}, {"type": "object"}, obj({"body": obj({})})])
def test_nothing_to_fill_gives_no_groups(schema: Any) -> None:
    assert skeleton_from_schema(schema) == {}


def test_defaults_are_copied_not_shared() -> None:
    default: list[str] = ["a"]
    schema = obj({"tags": {"type": "array", "default": default}})
    skeleton_from_schema(schema)["body"]["tags"].append("b")
    assert default == ["a"]
