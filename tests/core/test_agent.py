"""A request as StackOne's agent SDK sends it: both ways, and what differs from ours."""

from __future__ import annotations

from explorer.core.agent import (
    agent_envelope,
    agent_http_headers,
    differences,
    flat_arguments,
    request_from_arguments,
    split_arguments,
)
from explorer.core.request import DefenderConfig, RpcRequest


def candidate() -> RpcRequest:
    return RpcRequest(
        action="greenhouse_create_candidate",
        account_id="acct_greenhouse_demo",
        headers={"x-trace": 7},
        body={"first_name": "Ada", "emails": [{"value": "a@x.example", "type": "work"}]},
        defender=DefenderConfig(block_high_risk=True),
        base_url="http://127.0.0.1:1",
    )


def test_flat_arguments_prefix_each_field_with_its_location() -> None:
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acct_1",
        path={"id": "7"},
        query={"page_size": 5},
        headers={"x-account-id": "acct_1", "x-trace": "t"},
        body={"first_name": "Ada"},
    )
    assert flat_arguments(request) == {
        "path_id": "7",
        "query_page_size": 5,
        "headers_x-trace": "t",
        "body_first_name": "Ada",
    }


def test_arguments_split_as_the_sdk_splits_them() -> None:
    parts = split_arguments(
        {"path_id": "7", "query": {"page_size": 2}, "first_name": "Ada", "body_last_name": "L"}
    )
    assert parts == {
        "path": {"id": "7"},
        "query": {"page_size": 2},
        "headers": {},
        "body": {"first_name": "Ada", "last_name": "L"},
    }


def test_the_round_trip_gives_the_same_call() -> None:
    request = candidate()
    back = request_from_arguments(request.action, flat_arguments(request), request)
    assert agent_envelope(back) == agent_envelope(request)
    assert back.account_id == request.account_id and back.base_url == request.base_url
    # The agent sends no Defender settings, so an imported call has none either.
    assert back.defender.is_unset()


def test_the_envelope_the_agent_sends() -> None:
    envelope = agent_envelope(candidate())
    assert envelope == {
        "action": "greenhouse_create_candidate",
        "body": {"first_name": "Ada", "emails": [{"value": "a@x.example", "type": "work"}]},
        "headers": {"x-account-id": "acct_greenhouse_demo", "x-trace": "7"},
    }
    empty = agent_envelope(RpcRequest(action="a_list_b", account_id="acct", path={}, query={}))
    assert empty == {"action": "a_list_b", "body": {}, "headers": {"x-account-id": "acct"}}
    headers = dict(agent_http_headers(candidate()))
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert headers["Authorization"] == "<redacted>"


def test_differences_are_said_in_words() -> None:
    notes = "\n".join(differences(candidate()))
    assert "x-account-id is also sent inside the envelope's headers" in notes
    assert "text: x-trace" in notes
    assert "No Defender settings" in notes
    assert "Accept-Encoding: gzip, deflate" in notes
    minimal = "\n".join(differences(RpcRequest(action="a_list_b", account_id="acct")))
    assert "body is always sent" in minimal
    assert "Defender" not in minimal


def test_a_flat_tool_schema_becomes_the_envelope_schema_again() -> None:
    from explorer.core.agent import envelope_schema
    from explorer.demo.actions import ACTIONS
    from explorer.demo.mcp import flat_schema

    for spec in ACTIONS.values():
        nested = envelope_schema(flat_schema(spec.input_schema))
        # Same locations, fields and required lists as the action's own schema.
        original = spec.input_schema
        assert set(nested["properties"]) == set(original["properties"])
        for location, part in original["properties"].items():
            assert nested["properties"][location]["properties"].keys() == part["properties"].keys()
        wanted = {
            loc
            for loc in original.get("required", [])
            if original["properties"][loc].get("required")
        }
        assert set(nested.get("required", [])) == wanted
    # Keys without a location prefix are body fields; nested schemas pass through.
    assert envelope_schema({"properties": {"note": {"type": "string"}}, "required": ["note"]}) == {
        "type": "object",
        "properties": {
            "body": {
                "type": "object",
                "properties": {"note": {"type": "string"}},
                "required": ["note"],
            }
        },
        "required": ["body"],
    }
    already = {"type": "object", "properties": {"path": {"type": "object", "properties": {}}}}
    assert envelope_schema(already) is already
