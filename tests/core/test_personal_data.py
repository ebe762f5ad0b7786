"""Personal-data scrubbing for shared cases: found by field and pattern, replaced consistently,
previewed exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from explorer.core.exchange import Exchange, Failure
from explorer.core.filters import FilterSyntaxError
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.core.secrets import ADDRESS, EMAIL, FIELD, NAME, PHONE, PersonalData
from explorer.core.wire import SentRequest

EMPLOYEES = {
    "data": [
        {
            "id": "40001",
            "first_name": "Amara",
            "last_name": "Okafor",
            "display_name": "Amara Okafor",
            "work_email": "amara.okafor@acme.example",
            "phone_numbers": [{"type": "mobile", "phone": "+44 20 7946 0958"}],
            "home_address": {"street_1": "221B Baker Street", "city": "London", "zip": "NW1"},
            "department": {"id": "d1", "name": "People"},
            "national_id": "AB123456C",
        },
        {
            "id": "40002",
            "firstName": "Lukas",
            "surname": "Schneider",
            "email": "lukas@acme.example",
            "mobile": 4930123456,
            "notes": [{"author": "Amara Okafor", "content": "Lukas met Amara in Berlin."}],
        },
    ],
    "next": None,
}


def _exchange(body: Any, *, request_body: Any = None, failure: str | None = None) -> Exchange:
    request = RpcRequest(action="hris_list_employees", account_id="acct_1", body=request_body or {})
    if failure is not None:
        return Exchange(request=request, failure=Failure("ConnectFailed", failure))
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    kind = "application/pdf" if isinstance(body, bytes) else "application/json"
    response = read_response(200, [("content-type", kind)], raw, reason="OK")
    sent = SentRequest("POST", "https://x/actions/rpc", [], json.dumps(request.rpc_body()))
    return Exchange(request=request, sent=sent, response=response)


def test_well_known_fields_and_patterns_are_found_with_consistent_placeholders() -> None:
    plan = PersonalData().plan([_exchange(EMPLOYEES)])
    found = {r.value: (r.kind, r.placeholder) for r in plan.replacements}
    assert found == {
        "Amara": (NAME, "<name 1>"),
        "Okafor": (NAME, "<name 2>"),
        "Amara Okafor": (NAME, "<name 3>"),
        "amara.okafor@acme.example": (EMAIL, "<email 1>"),
        "+44 20 7946 0958": (PHONE, "<phone 1>"),
        "221B Baker Street": (ADDRESS, "<address 1>"),
        "London": (ADDRESS, "<address 2>"),
        "NW1": (ADDRESS, "<address 3>"),
        "Lukas": (NAME, "<name 4>"),
        "Schneider": (NAME, "<name 5>"),
        "lukas@acme.example": (EMAIL, "<email 2>"),
        "4930123456": (PHONE, "<phone 2>"),
    }
    # A department's "name" is not a person's; ids and the national id (not asked for) stay.
    assert "People" not in found and "AB123456C" not in found


def test_the_scrub_replaces_everywhere_the_same_way() -> None:
    plan = PersonalData().plan([_exchange(EMPLOYEES)])
    scrubbed = plan.exchange(_exchange(EMPLOYEES))
    assert scrubbed.response is not None
    data = scrubbed.response.json
    first, second = data["data"]
    assert first["first_name"] == "<name 1>" and first["display_name"] == "<name 3>"
    assert first["home_address"] == {
        "street_1": "<address 1>",
        "city": "<address 2>",
        "zip": "<address 3>",
    }
    assert first["phone_numbers"][0]["phone"] == "<phone 1>"
    assert second["mobile"] == "<phone 2>"
    # Names found in fields are replaced inside free text too, as whole words.
    assert second["notes"][0] == {
        "author": "<name 3>",
        "content": "<name 4> met <name 1> in Berlin.",
    }
    assert first["department"]["name"] == "People" and first["id"] == "40001"
    text = scrubbed.response.body.decode()
    for value in ("Amara", "Okafor", "Lukas", "acme.example", "7946", "Baker"):
        assert value not in text


def test_whole_words_only_inside_text() -> None:
    plan = PersonalData().plan([_exchange({"data": [{"first_name": "Ann"}]})])
    assert plan.text("Ann, Anne and Joann met Ann.") == "<name 1>, Anne and Joann met <name 1>."


def test_the_same_value_has_one_placeholder_across_a_case() -> None:
    one = _exchange({"data": {"email": "ada@example.com"}})
    two = _exchange(b"", failure="could not notify ada@example.com or bob@example.com")
    plan = PersonalData().plan([one, two])
    assert [(r.value, r.placeholder) for r in plan.replacements] == [
        ("ada@example.com", "<email 1>"),
        ("bob@example.com", "<email 2>"),
    ]
    scrubbed = plan.exchange(two)
    assert scrubbed.failure is not None
    assert scrubbed.failure.message == "could not notify <email 1> or <email 2>"


def test_the_preview_lists_exactly_where_each_value_is() -> None:
    exchange = _exchange(EMPLOYEES, request_body={"filter": {"email": "lukas@acme.example"}})
    plan = PersonalData().plan([exchange])
    where = {r.value: r for r in plan.replacements}
    amara = where["Amara"]
    assert amara.count == 2
    assert amara.places == (
        'response body $["data"][0]["first_name"]',
        'response body $["data"][1]["notes"][0]["content"]',
    )
    assert where["lukas@acme.example"].places == (
        'request body $["filter"]["email"]',
        'response body $["data"][1]["email"]',
    )
    # Everything the preview lists is gone after the scrub, and nothing else changed.
    scrubbed = json.dumps(plan.exchange(exchange).to_dict(), ensure_ascii=False)
    for replacement in plan.replacements:
        assert json.dumps(replacement.value, ensure_ascii=False)[1:-1] not in scrubbed
    assert "People" in scrubbed and "AB123456C" in scrubbed


def test_unticked_values_are_kept() -> None:
    plan = PersonalData().plan([_exchange(EMPLOYEES)]).without(["London"])
    assert "London" not in [r.value for r in plan.replacements]
    scrubbed = plan.exchange(_exchange(EMPLOYEES))
    assert scrubbed.response is not None
    assert scrubbed.response.json["data"][0]["home_address"]["city"] == "London"
    assert scrubbed.response.json["data"][0]["home_address"]["zip"] == "<address 3>"


def test_custom_field_paths_and_chosen_kinds() -> None:
    plan = PersonalData(kinds=[EMAIL], fields=["$..national_id"]).plan([_exchange(EMPLOYEES)])
    assert {(r.kind, r.value) for r in plan.replacements} == {
        (FIELD, "AB123456C"),
        (EMAIL, "amara.okafor@acme.example"),
        (EMAIL, "lukas@acme.example"),
    }
    with pytest.raises(FilterSyntaxError):
        PersonalData(fields=["national_id"])


def test_a_binary_body_cannot_be_scrubbed_and_is_left_out() -> None:
    exchange = _exchange(b"%PDF-1.4 Amara Okafor")
    plan = PersonalData().plan([exchange, _exchange({"first_name": "Amara"})])
    scrubbed = plan.exchange(exchange)
    assert scrubbed.response is not None and scrubbed.response.body == b""


def test_the_sent_request_is_scrubbed_too() -> None:
    exchange = _exchange({}, request_body={"first_name": "Zoë", "last_name": "Martin"})
    plan = PersonalData().plan([exchange])
    scrubbed = plan.exchange(exchange)
    assert scrubbed.request.body == {"first_name": "<name 1>", "last_name": "<name 2>"}
    assert scrubbed.sent is not None
    assert json.loads(scrubbed.sent.body)["body"] == {
        "first_name": "<name 1>",
        "last_name": "<name 2>",
    }


def test_nothing_personal_changes_nothing() -> None:
    exchange = _exchange({"data": [{"id": 1, "status": "active"}]})
    plan = PersonalData().plan([exchange])
    assert not plan and plan.replacements == []
    assert plan.exchange(exchange) is exchange
