"""Captures: a name and an RFC 9535 JSONPath, evaluated on a response body."""

from __future__ import annotations

import pytest

from explorer.core.captures import Capture, CaptureError, take_all

LISTING = {"data": [{"id": "40001", "age": 41, "tags": ["a"]}, {"id": "40002"}], "next": None}


def test_a_capture_takes_the_first_value_its_path_selects() -> None:
    assert Capture("employee_id", "$.data[0].id").take(LISTING) == "40001"
    assert Capture("any_id", "$.data[*].id").take(LISTING) == "40001"


def test_values_other_than_strings_are_their_json_text() -> None:
    assert Capture("age", "$.data[0].age").take(LISTING) == "41"
    assert Capture("tags", "$.data[0].tags").take(LISTING) == '["a"]'
    assert Capture("next", "$.next").take(LISTING) == "null"


def test_a_path_that_selects_nothing_says_which_capture_and_path() -> None:
    with pytest.raises(CaptureError) as caught:
        Capture("employee_id", "$.data[0].employee_id").take(LISTING)
    message = str(caught.value)
    assert "'employee_id'" in message and "$.data[0].employee_id matched nothing" in message


def test_captures_of_a_body_that_is_not_json_fail_together() -> None:
    with pytest.raises(CaptureError, match="not JSON"):
        take_all([Capture("a", "$.a")], None, is_json=False)
    assert take_all([Capture("a", "$.data[1].id")], LISTING) == {"a": "40002"}


def test_declarations_are_checked_before_any_response() -> None:
    assert Capture("employee_id", "$.data[0].id").problem() is None
    assert "variable name" in (Capture("employee id", "$.a").problem() or "")
    assert "RFC 9535" in (Capture("a", "data[0]").problem() or "")  # no leading $


def test_secret_looking_captures_are_secret_by_name_or_path() -> None:
    assert Capture("token", "$.data.value").secret
    assert Capture("t", "$.data.access_token").secret
    assert not Capture("employee_id", "$.data[0].id").secret
