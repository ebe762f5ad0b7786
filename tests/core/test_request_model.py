"""The request model: what the editor refuses to send, and what StackOne receives."""

from __future__ import annotations

import json

import pytest

from explorer.core.errors import InvalidRequest
from explorer.core.request import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    DefenderConfig,
    RpcRequest,
    check,
    parse_json_object,
    validate,
)


def valid(**changes: object) -> RpcRequest:
    return RpcRequest(action="bamboohr_list_employees", account_id="acc_1").copy(**changes)


def messages(request: RpcRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for issue in validate(request):
        out.setdefault(issue.field, []).append(issue.message)
    return out


# -- validation ------------------------------------------------------------------------------


def test_a_complete_request_has_no_issues() -> None:
    assert validate(valid()) == []
    check(valid())  # does not raise


def test_empty_request_asks_for_action_and_account_with_examples() -> None:
    found = messages(RpcRequest())
    assert found["action"] == ["enter the action to run, e.g. bamboohr_list_employees"]
    assert "x-account-id" in found["account_id"][0]


@pytest.mark.parametrize("action", ["bamboohr list", " bamboohr_list_employees", "a\tb"])
def test_action_names_with_spaces_are_refused(action: str) -> None:
    assert messages(valid(action=action))["action"] == ["action names contain no spaces"]


@pytest.mark.parametrize("field", ["account_id", "connector_profile_id"])
@pytest.mark.parametrize("value", ["acc\n1", "acc\r1"])
def test_line_breaks_in_header_fields_are_refused(field: str, value: str) -> None:
    # A line break in a header value would let the text inject further headers.
    assert "must not contain line breaks" in messages(valid(**{field: value}))[field]


@pytest.mark.parametrize(
    ("field", "header"),
    [("account_id", "x-account-id"), ("connector_profile_id", "x-connector-profile-id")],
)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A zero-width space pasted from a web page or chat: invisible, so say so.
        (
            "acc_123456789012345\u200b",
            "has an invisible character U+200B (ZERO WIDTH SPACE) at position 20",
        ),
        ("accü_1", "has the character 'ü' (U+00FC) at position 4"),
        ("acc\x001", "has a control character U+0000 at position 4"),
        ("acc_1\x7f", "has a control character U+007F at position 6"),
        # Positions count what the user typed, including leading spaces that are trimmed.
        ("  acc\u00a01", "has an invisible character U+00A0 (NO-BREAK SPACE) at position 6"),
    ],
)
def test_ids_outside_printable_ascii_are_refused_naming_the_character(
    field: str, header: str, value: str, expected: str
) -> None:
    # Headers are ASCII: httpx cannot encode these, and the id would not match anyway.
    found = messages(valid(**{field: value}))[field]
    assert len(found) == 1
    assert found[0].startswith(expected + "; ")
    assert "retype the id" in found[0] and header in found[0]


@pytest.mark.parametrize("field", ["account_id", "connector_profile_id"])
def test_ids_with_spaces_around_them_are_fine_because_they_are_trimmed(field: str) -> None:
    assert validate(valid(**{field: " \tacc-1_x.y:z \t"})) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("caf\u20ac", "has the character '€' (U+20AC) at position 4"),
        ("t\u200bk", "has an invisible character U+200B (ZERO WIDTH SPACE) at position 2"),
        ("a\x00b", "has a control character U+0000 at position 2"),
        ("a\x85b", "has a control character U+0085 at position 2"),
    ],
)
def test_provider_header_values_a_header_cannot_carry_are_refused(
    value: str, expected: str
) -> None:
    found = messages(valid(headers={"X-Name": value}))["headers"]
    assert len(found) == 1
    assert found[0].startswith(f"the value of 'X-Name' {expected}")


def test_provider_header_values_in_latin_1_with_tabs_and_non_strings_are_fine() -> None:
    # HTTP field values may carry Latin-1 (RFC 9110 obs-text) and tabs; numbers are JSON's.
    headers = {"X-Name": "Müller\tÅse ©", "X-Count": 3, "X-Flag": True, "X-Empty": ""}
    assert validate(valid(headers=headers)) == []


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "id": 1,\n}', 3, 1),
        ('{"id": }', 1, 8),
        ("{\n\n  'id': 1}", 3, 3),
    ],
)
def test_invalid_json_reports_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_json_object(text, "path")
    (issue,) = caught.value.issues
    assert (issue.field, issue.line, issue.column) == ("path", line, column)
    assert issue.message.startswith("invalid JSON: ")
    assert f"(line {line}, column {column})" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("[1, 2]", "an array"), ('"id"', "a string"), ("42", "a number"), ("1.5", "a number")],
)
def test_json_that_is_not_an_object_names_what_it_is(text: str, kind: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_json_object(text, "query")
    expected = f"query: must be a JSON object {{...}}, not {kind} (line 1, column 1)"
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("text", "constant", "line", "column"),
    [
        ('{"rate": NaN}', "NaN", 1, 10),
        ('{\n  "note": "NaN is fine in a string",\n  "max": Infinity\n}', "Infinity", 3, 10),
        ('{"min": [1, -Infinity]}', "-Infinity", 1, 13),
    ],
)
def test_nan_and_infinity_are_not_json_and_say_where_they_are(
    text: str, constant: str, line: int, column: int
) -> None:
    # Python's json reads them, but StackOne's parser would refuse the body they produce.
    with pytest.raises(InvalidRequest) as caught:
        parse_json_object(text, "body")
    (issue,) = caught.value.issues
    assert (issue.field, issue.line, issue.column) == ("body", line, column)
    assert issue.message == (
        f'invalid JSON: {constant} is not a JSON number; use null or a string such as "{constant}"'
    )


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("body", {"pay": {"rates": [1.0, float("inf")]}}, "pay.rates[1] is Infinity"),
        ("query", {"min": float("-inf")}, "min is -Infinity"),
        ("path", {"id": float("nan")}, "id is NaN"),
    ],
)
def test_non_finite_numbers_set_in_code_are_refused_with_their_place(
    field: str, value: dict[str, object], where: str
) -> None:
    assert messages(valid(**{field: value}))[field] == [
        f"{where}, which JSON cannot carry; use null or a string"
    ]


def test_true_is_described_as_a_boolean() -> None:
    with pytest.raises(InvalidRequest, match="not true/false"):
        parse_json_object("true", "body")


@pytest.mark.parametrize("text", ["", "   \n", "null"])
def test_an_empty_editor_means_not_set(text: str) -> None:
    assert parse_json_object(text, "body") is None


def test_an_object_is_returned_as_parsed() -> None:
    assert parse_json_object('{"id": "e1", "n": [1]}', "path") == {"id": "e1", "n": [1]}


@pytest.mark.parametrize("field", ["path", "query", "headers", "body"])
def test_non_object_fields_set_in_code_are_refused(field: str) -> None:
    assert messages(valid(**{field: [1]}))[field] == ["must be a JSON object {...}"]


@pytest.mark.parametrize("name", ["Bad Header", "x:y", "é-header", ""])
def test_header_names_must_be_http_tokens(name: str) -> None:
    found = messages(valid(headers={name: "v"}))["headers"]
    assert found == [f"{name!r} is not a valid header name (letters, digits, - and _)"]


def test_header_names_with_token_punctuation_are_fine() -> None:
    assert validate(valid(headers={"X-Custom_1": "v", "If-Match": "*", "a.b~c": "1"})) == []


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "line\nbreak"])
def test_header_values_with_line_breaks_are_refused(value: str) -> None:
    found = messages(valid(headers={"X-Trace": value}))["headers"]
    assert found == ["the value of 'X-Trace' must not contain line breaks"]


@pytest.mark.parametrize(
    "base_url", ["api.stackone.com", "ftp://api.stackone.com", "https://", "", "file:///tmp/x"]
)
def test_base_url_must_be_http_or_https(base_url: str) -> None:
    assert messages(valid(base_url=base_url))["base_url"] == [
        "must be an http:// or https:// URL, e.g. https://api.stackone.com"
    ]


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080",
        "https://api.eu1.stackone.com/",
        "http://[::1]:8080",
        "https://gateway.example/stackone",  # a proxy that serves StackOne under a prefix
        "https://bücher.example",
    ],
)
def test_local_and_regional_base_urls_are_accepted(base_url: str) -> None:
    assert validate(valid(base_url=base_url)) == []


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        (
            "https://api.stackone.com/actions/rpc",
            "ends with /actions/rpc, which the explorer adds itself; "
            "enter only the host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com/actions/rpc/?sync=true",
            "ends with /actions/rpc, which the explorer adds itself; "
            "enter only the host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com?debug=true",
            "must not include a query (?...) or fragment (#...); use the Sync and Debug options "
            "for those, and enter only the host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com/#docs",
            "must not include a query (?...) or fragment (#...); use the Sync and Debug options "
            "for those, and enter only the host, e.g. https://api.stackone.com",
        ),
        (
            "https://me:s3cret@api.stackone.com",
            "must not include a user name or password: they would be saved in history with "
            "the URL; the API key belongs in the profile",
        ),
        (
            "https://[::1",
            "is not a valid URL (Invalid IPv6 URL); enter only the host, "
            "e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com:44x3",
            "is not a valid URL (the port must be a number from 1 to 65535); enter only the "
            "host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stack one.com",
            "has a space at position 18, which a URL cannot hold; enter only the host, "
            "e.g. https://api.stackone.com",
        ),
        (
            " https://api.stackone.com\u200b",
            "has an invisible character U+200B (ZERO WIDTH SPACE) at position 26, which a URL "
            "cannot hold; enter only the host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com\x00",
            "has a control character U+0000 at position 25, which a URL cannot hold; enter only "
            "the host, e.g. https://api.stackone.com",
        ),
        (
            "https://api.stackone.com:0",
            "is not a valid URL (the port must be a number from 1 to 65535); enter only the "
            "host, e.g. https://api.stackone.com",
        ),
    ],
)
def test_base_url_is_only_scheme_host_and_optional_path(base_url: str, expected: str) -> None:
    assert messages(valid(base_url=base_url))["base_url"] == [expected]


def test_base_url_with_spaces_around_it_is_accepted_and_trimmed_in_the_url() -> None:
    request = valid(base_url="  https://api.stackone.com/ \t")
    assert validate(request) == []
    assert request.url() == "https://api.stackone.com/actions/rpc"


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan")])
def test_timeout_must_be_positive(timeout: float) -> None:
    assert messages(valid(timeout=timeout))["timeout"] == ["must be a positive number of seconds"]


def test_check_reports_every_issue_at_once() -> None:
    with pytest.raises(InvalidRequest) as caught:
        check(RpcRequest(base_url="nope", timeout=0))
    fields = [issue.field for issue in caught.value.issues]
    assert fields == ["action", "account_id", "base_url", "timeout"]
    assert str(caught.value).count(";") == 3


# -- what StackOne receives --------------------------------------------------------------------


def test_rpc_body_holds_only_what_was_set() -> None:
    assert valid().rpc_body() == {"action": "bamboohr_list_employees"}


def test_rpc_body_keeps_objects_the_user_set_even_empty_ones() -> None:
    request = valid(path={"id": "e1"}, query={}, headers={"X-A": "1"}, body={"name": "Ada"})
    assert request.rpc_body() == {
        "action": "bamboohr_list_employees",
        "path": {"id": "e1"},
        "query": {},
        "headers": {"X-A": "1"},
        "body": {"name": "Ada"},
    }


@pytest.mark.parametrize(
    "flag", ["enabled", "block_high_risk", "use_tier1_classification", "use_tier2_classification"]
)
@pytest.mark.parametrize("value", [True, False])
def test_each_defender_flag_is_sent_alone_when_set(flag: str, value: bool) -> None:
    request = valid(defender=DefenderConfig(**{flag: value}))
    assert request.rpc_body()["defender_config"] == {flag: value}


def test_unset_defender_leaves_the_project_default() -> None:
    assert "defender_config" not in valid(defender=DefenderConfig()).rpc_body()


def test_all_defender_flags_false_is_sent_to_force_defender_off() -> None:
    off = DefenderConfig(False, False, False, False)
    assert valid(defender=off).rpc_body()["defender_config"] == {
        "enabled": False,
        "block_high_risk": False,
        "use_tier1_classification": False,
        "use_tier2_classification": False,
    }


@pytest.mark.parametrize("value", [True, False])
def test_deprecated_defender_enabled_is_sent_when_set(value: bool) -> None:
    assert valid(defender_enabled=value).rpc_body()["defender_enabled"] is value
    assert "defender_enabled" not in valid().rpc_body()


@pytest.mark.parametrize(
    ("sync", "debug", "url"),
    [
        (False, False, "https://api.stackone.com/actions/rpc"),
        (True, False, "https://api.stackone.com/actions/rpc?sync=true"),
        (False, True, "https://api.stackone.com/actions/rpc?debug=true"),
        (True, True, "https://api.stackone.com/actions/rpc?sync=true&debug=true"),
    ],
)
def test_url_carries_sync_and_debug_only_when_set(sync: bool, debug: bool, url: str) -> None:
    assert valid(sync=sync, debug=debug).url() == url


def test_url_joins_a_base_url_with_a_trailing_slash_cleanly() -> None:
    assert (
        valid(base_url="http://localhost:8080/v1/").url() == "http://localhost:8080/v1/actions/rpc"
    )


def test_copy_does_not_share_objects_with_the_original() -> None:
    original = valid(path={"id": "e1"}, body={"tags": ["a"]}, defender=DefenderConfig(True))
    clone = original.copy()
    assert clone is not original
    assert clone.path is not None and clone.body is not None
    clone.path["id"] = "e2"
    clone.body["tags"].append("b")
    clone.defender.enabled = False
    assert original.path == {"id": "e1"}
    assert original.body == {"tags": ["a"]}
    assert original.defender.enabled is True


# -- saving and loading ------------------------------------------------------------------------


def test_to_dict_from_dict_round_trip_through_json() -> None:
    request = RpcRequest(
        action="greenhouse_create_candidate",
        account_id="acc_9",
        connector_profile_id="cp_2",
        path={"id": "c1"},
        query={"page_size": 10},
        headers={"X-Trace": "t"},
        body={"first_name": "Zoë", "emails": [{"value": "z@example.com"}]},
        defender=DefenderConfig(True, None, False, None),
        defender_enabled=False,
        sync=True,
        debug=True,
        base_url="https://api.eu1.stackone.com",
        timeout=12.5,
    )
    stored = json.loads(json.dumps(request.to_dict()))
    assert RpcRequest.from_dict(stored) == request


def test_saved_form_has_no_place_for_a_key() -> None:
    keys = set(valid().to_dict())
    assert not {k for k in keys if "key" in k or "auth" in k or "secret" in k}


def test_from_dict_ignores_unknown_keys_and_bad_types() -> None:
    loaded = RpcRequest.from_dict(
        {
            "action": "hibob_search_employees",
            "account_id": 17,
            "path": [1, 2],
            "query": "page=1",
            "defender_config": {"enabled": "yes", "block_high_risk": True},
            "defender_enabled": 1,
            "sync": "true",
            "debug": 1,
            "base_url": "",
            "timeout": "fast",
            "from_the_future": {"x": 1},
        }
    )
    assert loaded == RpcRequest(
        action="hibob_search_employees",
        defender=DefenderConfig(block_high_risk=True),
    )
    assert loaded.base_url == DEFAULT_BASE_URL
    assert loaded.timeout == DEFAULT_TIMEOUT


@pytest.mark.parametrize("timeout", [True, 0, -5, None, "30"])
def test_from_dict_replaces_unusable_timeouts_with_the_default(timeout: object) -> None:
    assert RpcRequest.from_dict({"timeout": timeout}).timeout == DEFAULT_TIMEOUT


def test_from_dict_accepts_an_integer_timeout() -> None:
    assert RpcRequest.from_dict({"timeout": 5}).timeout == 5.0


@pytest.mark.parametrize("data", [None, [], "request"])
def test_from_dict_refuses_what_is_not_an_object(data: object) -> None:
    with pytest.raises(ValueError, match="must be a JSON object"):
        RpcRequest.from_dict(data)
