"""Which value a place in a JSON text is in: what "Set variable…" on a response takes."""

from __future__ import annotations

import json

from explorer.core.filters import JsonPath
from explorer.core.json_position import PickedValue, path_text, value_at

DOC = {"data": [{"id": "40001", "n": 5, "ok": True, "first name": "A"}, {"id": "40002"}]}


def at(text: str, needle: str, shift: int = 1) -> PickedValue | None:
    return value_at(text, text.index(needle) + shift)


def test_a_value_or_its_members_name_gives_the_value_and_its_path() -> None:
    for text in (json.dumps(DOC, indent=2), json.dumps(DOC)):
        assert at(text, '"40001"') == PickedValue("id", "40001", "$.data[0].id")
        assert at(text, '"id"') == PickedValue("id", "40001", "$.data[0].id")
        assert at(text, "5", 0) == PickedValue("n", "5", "$.data[0].n")
        assert at(text, "true") == PickedValue("ok", "true", "$.data[0].ok")
        assert at(text, '"40002"') == PickedValue("id", "40002", "$.data[1].id")
        assert at(text, '"A"') == PickedValue("first name", "A", "$.data[0]['first name']")


def test_containers_punctuation_and_text_that_is_not_json_give_nothing() -> None:
    text = json.dumps(DOC, indent=2)
    assert at(text, '"data"') is None  # an array as a whole
    assert at(text, "[", 0) is None
    assert value_at("not json at all", 3) is None
    assert value_at('{"a": ', 2) is None


def test_paths_are_rfc_9535_jsonpath_that_finds_the_value_again() -> None:
    for key in ("first name", "it's", "back\\slash", "plain"):
        path = path_text([key, 0])
        assert JsonPath(path).first({key: ["found"]}) == "found"


def test_a_value_of_a_filter_result_has_its_path_in_the_response() -> None:
    from explorer.core.filters import JSONPATH, filter_for_display
    from explorer.core.json_position import value_in_result

    body = json.dumps({**DOC, "it's": {"line\nbreak": "odd"}})

    def picked(expression: str, needle: str, *, paths: bool = False) -> PickedValue | None:
        output = filter_for_display(JSONPATH, expression, body, paths=paths)
        found = value_in_result(
            output.text,
            output.text.rindex(needle) + 1,
            output.match_paths,
            by_path=output.by_path,
        )
        if found is not None and found.path:  # the path finds the very value in the body
            again = JsonPath(found.path).first(json.loads(body))
            assert found.value == (again if isinstance(again, str) else json.dumps(again))
        return found

    # A list of matches: named after the match's member, at the match's own path.
    assert picked("$.data[*].id", '"40002"') == PickedValue("id", "40002", "$['data'][1]['id']")
    # With paths: the object's keys are the paths; a key is no variable name.
    assert picked("$.data[*].id", '"40002"', paths=True) == PickedValue(
        "id", "40002", "$['data'][1]['id']"
    )
    # Inside a matched record: the match's path, then the rest.
    assert picked("$.data[*]", '"A"') == PickedValue(
        "first name", "A", "$['data'][0]['first name']"
    )
    assert picked("$.data[?@.n == 5]", "true", paths=True) == PickedValue(
        "ok", "true", "$['data'][0].ok"
    )
    # Escaped names survive the trip.
    assert picked("$..*", '"odd"') == PickedValue(
        "line\nbreak", "odd", "$['it\\'s']['line\\nbreak']"
    )
    # Punctuation is no value; jq has no paths, so the value comes without one.
    output = filter_for_display(JSONPATH, "$.data[*]", body)
    assert value_in_result(output.text, 0, output.match_paths, by_path=False) is None
    assert value_in_result('[\n  "40001"\n]', 5, (), by_path=False) == PickedValue("", "40001", "")
