"""Response filters: RFC 9535 JSONPath (the captures' language) and jq, with typed errors."""

from __future__ import annotations

import json
import pickle

import pytest

from explorer.core.filters import (
    JQ,
    JSONPATH,
    MAX_MATCHES,
    FilterError,
    FilterEvaluationError,
    FilterInputError,
    FilterSyntaxError,
    FilterUnavailable,
    JsonPath,
    Match,
    check,
    filter_for_display,
    jq_available,
    run_filter,
)
from tests.big_bodies import big_body

BODY = json.dumps(
    {
        "data": [
            {"id": "e1", "name": "Ada", "salary": 10, "emails": [{"value": "ada@example.com"}]},
            {"id": "e2", "name": "Lukas", "salary": 30, "emails": []},
            {"id": "e3", "name": "Zoë", "salary": 20},
        ],
        "next": None,
    },
    ensure_ascii=False,
).encode()


@pytest.mark.parametrize(
    ("expression", "paths", "values"),
    [
        ("$.data[*].name", ["$['data'][0]['name']", "$['data'][1]['name']", "$['data'][2]['name']"],
         ["Ada", "Lukas", "Zoë"]),
        ("$.data[?@.salary > 15].id", ["$['data'][1]['id']", "$['data'][2]['id']"], ["e2", "e3"]),
        ("$..value", ["$['data'][0]['emails'][0]['value']"], ["ada@example.com"]),
        ("$.data[-1].name", ["$['data'][2]['name']"], ["Zoë"]),
        ("$.data[?length(@.emails) > 0].id", ["$['data'][0]['id']"], ["e1"]),
        ("$.data[?match(@.name, 'L.*')].id", ["$['data'][1]['id']"], ["e2"]),
        ("$.next", ["$['next']"], [None]),
        ("$.nothing", [], []),
        ("  $.data[0].id  ", ["$['data'][0]['id']"], ["e1"]),  # typed spaces are forgiven
    ],
)  # fmt: skip
def test_jsonpath_selects_with_normalized_paths(
    expression: str, paths: list[str], values: list[object]
) -> None:
    result = run_filter(JSONPATH, expression, BODY)
    assert [m.path for m in result.matches] == paths
    assert result.values == values


@pytest.mark.parametrize(
    ("expression", "position", "words"),
    [
        ("data[0]", 0, "starts with $"),
        ("$.data[0] | $.next", 10, "unexpected token '|'"),  # python-jsonpath's union: not RFC
        ("$.data.~", 7, "'~'"),  # keys selector: an extension, not RFC 9535
        ("$.data[?@.id == ]", 16, "end of expression"),
        ("$.data[#]", 7, "'#'"),
        ("  $.data[", 9, ""),  # the position counts the leading spaces the user typed
    ],
)
def test_jsonpath_errors_say_where(expression: str, position: int, words: str) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        run_filter(JSONPATH, expression, BODY)
    assert caught.value.position == position
    assert words in str(caught.value)
    assert check(JSONPATH, expression) is not None


def test_an_empty_expression_asks_for_one() -> None:
    error = check(JSONPATH, "   ")
    assert isinstance(error, FilterSyntaxError) and "$.data" in str(error)
    assert check(JSONPATH, "$.data") is None


def test_a_body_that_is_not_json_is_said_so() -> None:
    with pytest.raises(FilterInputError, match="not JSON"):
        run_filter(JSONPATH, "$.x", b"<html>oops</html>")
    with pytest.raises(FilterInputError, match="not UTF-8"):
        run_filter(JQ, ".x", b"\xff\xfe")
    with pytest.raises(FilterInputError, match="empty"):
        run_filter(JQ, ".x", b"  ")


def test_the_stable_api_for_captures() -> None:
    path = JsonPath("$.data[0].id")
    data = json.loads(BODY)
    assert path.expression == "$.data[0].id"
    assert path.find(data) == [Match("$['data'][0]['id']", "e1")]
    assert path.first(data) == "e1"
    assert JsonPath("$.missing").first(data) is None
    with pytest.raises(FilterSyntaxError):
        JsonPath("$[")


def test_result_text_is_the_values_as_json() -> None:
    result = run_filter(JSONPATH, "$.data[*].id", BODY)
    assert json.loads(result.text()) == ["e1", "e2", "e3"]
    assert result.summary() == "3 matches"
    assert run_filter(JSONPATH, "$.no", BODY).summary() == "no match"


def test_errors_and_results_survive_a_helper_process() -> None:
    """The window runs big filters in another process: both come back whole."""
    with pytest.raises(FilterSyntaxError) as caught:
        run_filter(JSONPATH, "$.data[", BODY)
    error = pickle.loads(pickle.dumps(caught.value))
    assert (type(error), error.position, error.expression) == (
        FilterSyntaxError,
        caught.value.position,
        "$.data[",
    )
    assert str(error) == str(caught.value)
    result = run_filter(JSONPATH, "$.data[0]", BODY)
    assert pickle.loads(pickle.dumps(result)) == result


def test_too_deep_a_document_is_an_error_not_a_crash() -> None:
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(FilterError):
        run_filter(JSONPATH, "$..*", deep)


def test_unknown_language() -> None:
    with pytest.raises(FilterUnavailable):
        run_filter("xpath", "//a", BODY)


# -- jq ----------------------------------------------------------------------------------


def test_jq_is_part_of_the_build() -> None:
    assert jq_available()


def test_jq_filters_and_transforms() -> None:
    result = run_filter(JQ, ".data[] | select(.salary > 15) | .name", BODY)
    assert result.values == ["Lukas", "Zoë"]
    assert all(m.path == "" for m in result.matches)
    assert run_filter(JQ, "[.data[].salary] | add", BODY).values == [60]


@pytest.mark.parametrize(
    ("expression", "position", "words"),
    [
        (".data[", 5, "syntax error"),  # jq points at the "[" left open
        (".data | nosuch", 8, "nosuch/0 is not defined"),
    ],
)
def test_jq_syntax_errors_say_where(expression: str, position: int, words: str) -> None:
    error = check(JQ, expression)
    assert isinstance(error, FilterSyntaxError)
    assert error.position == position
    assert words in str(error) and "compile error" not in str(error)


def test_jq_runtime_errors_are_evaluation_errors() -> None:
    with pytest.raises(FilterEvaluationError, match="cannot be added"):
        run_filter(JQ, ".data[0].name + 1", BODY)


@pytest.mark.parametrize(
    ("language", "expression"),
    [
        (JSONPATH, "$.data[?@.id == 'emp_012345'].work_email"),
        (JQ, '.data[] | select(.id == "emp_012345") | .work_email'),
    ],
)
def test_a_10_mb_body_is_filtered(language: str, expression: str) -> None:
    result = run_filter(language, expression, big_body())
    assert result.values == ["person12345@example.com"]


def test_an_endless_jq_generator_and_a_huge_selection_are_cut_short_and_say_so() -> None:
    endless = run_filter(JQ, "repeat(1)", b"1")
    assert len(endless.matches) == MAX_MATCHES and endless.truncated
    assert "there are more" in endless.summary()
    every = run_filter(JSONPATH, "$..*", json.dumps({"a": list(range(MAX_MATCHES + 5))}))
    assert every.truncated and len(every.matches) == MAX_MATCHES
    assert not run_filter(JSONPATH, "$.data[*].id", BODY).truncated


def test_the_window_gets_the_text_it_copies_and_its_rows() -> None:
    shown = filter_for_display(JSONPATH, "$.data[?@.salary > 15].id", BODY)
    assert json.loads(shown.text) == ["e2", "e3"]
    assert (shown.count, shown.summary, shown.truncated) == (2, "2 matches", False)
    assert len(shown.index.starts) == len(shown.text.split("\n"))
    with_paths = filter_for_display(JSONPATH, "$.data[?@.salary > 15].id", BODY, paths=True)
    assert json.loads(with_paths.text) == {"$['data'][1]['id']": "e2", "$['data'][2]['id']": "e3"}
    jq_paths = filter_for_display(JQ, ".data[1].id", BODY, paths=True)  # jq has none: values
    assert json.loads(jq_paths.text) == ["e2"]
    assert pickle.loads(pickle.dumps(shown)) == shown
