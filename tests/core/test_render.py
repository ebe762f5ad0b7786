"""Pretty JSON and highlighted HTML: readable, faithful to what the server sent, and safe on
huge bodies."""

from __future__ import annotations

import json
import re

import pytest

from explorer.core.json_scanner import is_json, loads_in_steps
from explorer.core.render import (
    HIGHLIGHT_LIMIT,
    display_lines,
    highlight_html,
    pretty_json,
    style_colors,
    style_css,
)


def test_pretty_json_indents_by_two_and_keeps_unicode_readable() -> None:
    assert pretty_json('{"name":"Zo\\u00eb","tags":["a",{"b":null}],"e":{},"l":[]}') == (
        "{\n"
        '  "name": "Zoë",\n'
        '  "tags": [\n'
        '    "a",\n'
        "    {\n"
        '      "b": null\n'
        "    }\n"
        "  ],\n"
        '  "e": {},\n'
        '  "l": []\n'
        "}"
    )


def test_pretty_json_matches_the_standard_layout() -> None:
    value = {"data": [{"id": i, "ok": i % 2 == 0, "score": i / 4, "n": None} for i in range(5)]}
    assert pretty_json(json.dumps(value)) == json.dumps(value, indent=2, ensure_ascii=False)


def test_pretty_json_never_rewrites_the_servers_numbers_or_keys() -> None:
    text = '{"price": 1.10, "big": 1e400, "id": 12345678901234567890123, "k": 1, "k": 2}'
    pretty = pretty_json(text)
    assert '"price": 1.10' in pretty
    assert '"big": 1e400' in pretty  # not Infinity
    assert '"id": 12345678901234567890123' in pretty
    assert pretty.index('"k": 1') < pretty.index('"k": 2')  # duplicates kept, in order


def test_pretty_json_accepts_parsed_values_and_bytes() -> None:
    assert pretty_json({"a": [1, 2.5, True, None]}) == (
        '{\n  "a": [\n    1,\n    2.5,\n    true,\n    null\n  ]\n}'
    )
    assert pretty_json(b'{"a":"\xc3\xa9"}') == '{\n  "a": "é"\n}'
    assert pretty_json([]) == "[]"
    assert pretty_json("3") == "3"


@pytest.mark.parametrize("text", ["<html>502</html>", "{broken", "", "id,name\n1,Ada\n"])
def test_text_that_is_not_json_comes_back_untouched(text: str) -> None:
    assert pretty_json(text) == text


def test_deeply_nested_json_does_not_crash() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert pretty_json(text) == text


def test_highlight_colours_keys_and_values_with_inline_styles() -> None:
    html = highlight_html('{"name": "Ada", "age": 36}')
    assert 'class="highlight"' in html and "<pre" in html
    assert "<style" not in html  # inline styles: a QTextEdit needs no stylesheet
    spans = re.findall(r'<span style="([^"]+)">([^<]*)</span>', html)
    key_style = next(style for style, text in spans if text == '"name"')
    value_style = next(style for style, text in spans if text == '"Ada"')
    assert "color" in key_style and key_style != value_style


def test_highlight_escapes_markup_in_the_body() -> None:
    html = highlight_html('{"x": "<script>alert(1)</script>"}')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_dark_and_light_look_different() -> None:
    text = '{"name": "Ada"}'
    light, dark = highlight_html(text), highlight_html(text, dark=True)
    assert light != dark
    assert style_colors(True) != style_colors(False)
    background, _ = style_colors(True)
    assert f"background: {background}" in dark
    assert style_css(True) != style_css(False) and ".highlight" in style_css(True)


def test_other_lexers_and_unknown_ones() -> None:
    assert "<span" in highlight_html("<a href='x'>y</a>", lexer="html")
    plain = highlight_html("just <text>", lexer="no-such-lexer")
    assert "just &lt;text&gt;" in plain


def test_text_keeps_its_lines() -> None:
    html = highlight_html('{\n  "a": 1\n}\n\n', lexer="json")
    text = re.sub(r"<[^>]+>", "", html)
    assert text.startswith('{\n  "a": 1\n}\n\n')


def test_huge_input_falls_back_to_escaped_plain_text() -> None:
    big = '{"data": "' + "<&>" * (HIGHLIGHT_LIMIT // 3) + '"}'
    assert len(big) > HIGHLIGHT_LIMIT
    html = highlight_html(big, dark=True)
    assert "<span" not in html
    assert html.count("&lt;&amp;&gt;") == HIGHLIGHT_LIMIT // 3
    assert f"background: {style_colors(True)[0]}" in html


def test_ten_megabytes_of_json_pretty_print_correctly() -> None:
    rows = [{"id": i, "name": f"Employee {i}", "salary": 1000.5 + i} for i in range(180_000)]
    text = json.dumps({"data": rows})
    assert len(text) > 10_000_000
    pretty = pretty_json(text)
    assert json.loads(pretty) == {"data": rows}
    assert pretty.startswith('{\n  "data": [\n    {\n      "id": 0,')


def test_a_utf8_bom_does_not_hide_json() -> None:
    assert pretty_json(b'\xef\xbb\xbf{"a":1}') == '{\n  "a": 1\n}'


# -- big bodies: formatted in steps, cut into display lines ---------------------------------

DOCUMENTS = [
    '{"data": [{"id": 1, "n": 1.10, "d": {"a": [1, {"b": NaN}]}}, [], {}], "next": null}',
    '  [ 1 , "two" , {"k": "v", "k": "w"} , [ [ ] ] , -0.0, 1e400 ]  ',
    '"just a string"',
    "12",
    '{"a": {"b": {"c": {"d": [1, 2, 3]}}}}',
    '{"\\u00e9t\\u00e9": "\\ud83d\\ude00", "x": "a\\"b"}',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_stepwise_parsing_gives_what_json_loads_gives(text: str) -> None:
    assert loads_in_steps(text) == json.loads(text)
    pairs = loads_in_steps(text, object_pairs_hook=list, parse_float=str)
    assert pairs == json.loads(text, object_pairs_hook=list, parse_float=str)
    assert is_json(text)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1,}', "[1 2]", '{"a" 1}', "{'a': 1}", "[1] x", "", "[", '{"a": [1, }', "\ufeff[]"],
)
def test_stepwise_parsing_rejects_what_json_loads_rejects(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        loads_in_steps(text)
    assert not is_json(text)


def test_a_big_body_is_pretty_printed_record_by_record_with_the_same_text() -> None:
    records = [
        {"id": i, "salary": "1.10", "n": 1.10, "tags": ["a", {"b": None}]} for i in range(500)
    ]
    compact = json.dumps({"data": records, "next": None}, separators=(",", ":"))
    compact = compact.replace('"n":1.1', '"n":1.10')
    pretty = pretty_json(compact)
    assert pretty == json.dumps({"data": records, "next": None}, indent=2).replace(
        '"n": 1.1', '"n": 1.10'
    )
    assert pretty.count('"n": 1.10') == 500


def test_display_lines_cut_long_lines_but_keep_the_text() -> None:
    text = "short\n" + "x" * 25 + "\n\nend"
    lines = display_lines(text, width=10)
    assert lines.rows == ["short", "x" * 10, "x" * 10, "x" * 5, "", "end"]
    assert lines.longest == 10
    assert [
        text[s : s + len(r)] for s, r in zip(lines.starts, lines.rows, strict=True)
    ] == lines.rows
    assert lines.span(0, 3) == "short\n" + "x" * 25
    assert lines.row_of(text.index("end")) == 5
    assert display_lines("").rows == [""]
    assert display_lines("a\n").rows == ["a", ""]


def test_find_in_display_lines_ignores_case_and_wraps_around() -> None:
    text = "Needle one\nhay\nneedle two"
    lines = display_lines(text)
    first, second = 0, text.index("needle two")
    assert lines.find("NEEDLE", 0) == first
    assert lines.find("needle", first + 1) == second
    assert lines.find("needle", second + 1) == first  # wraps to the start
    assert lines.find("needle", first, backward=True) == second  # wraps to the end
    assert lines.find("needle", second, backward=True) == first
    assert lines.find("absent", 0) == -1
