"""Pretty JSON and highlighted HTML: readable, faithful to what the server sent, and safe on
huge bodies."""

from __future__ import annotations

import json
import re

import pytest

from explorer.core.json_scanner import is_json, loads_in_steps
from explorer.core.render import (
    HIGHLIGHT_LIMIT,
    TextLines,
    display_lines,
    highlight_html,
    json_colours,
    json_line_spans,
    layout_body,
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


def rows(lines: TextLines) -> list[str]:
    return [lines.row(i) for i in range(lines.row_count)]


def test_display_lines_cut_long_lines_but_keep_the_text() -> None:
    text = "short\n" + "x" * 25 + "\n\nend"
    lines = display_lines(text, width=10)
    assert rows(lines) == ["short", "x" * 10, "x" * 10, "x" * 5, "", "end"]
    assert lines.longest == 10
    assert lines.span(0, 3) == "short\n" + "x" * 25
    assert lines.row_of(text.index("end")) == 5
    assert rows(display_lines("")) == [""]
    assert rows(display_lines("a\n")) == ["a", ""]


def test_layout_body_formats_small_bodies_with_colours_and_big_ones_as_rows() -> None:
    small = layout_body(
        b'{"a":1}', "utf-8", is_json=True, dark=False, rich_limit=100, plain_limit=10
    )
    assert small.pretty == '{\n  "a": 1\n}' and small.html and small.pretty_index is None
    assert small.raw_index is None  # 7 characters: a text edit shows them
    body = json.dumps({"data": [{"n": i} for i in range(100)]}).encode()
    big = layout_body(body, "utf-8", is_json=True, dark=False, rich_limit=100, plain_limit=10)
    assert big.html is None and big.pretty is not None and big.pretty_index and big.raw_index
    pretty = TextLines.build(big.pretty, big.pretty_index)
    assert rows(pretty)[:3] == ["{", '  "data": [', "    {"] and rows(pretty)[-1] == "}"
    text = layout_body(
        b"a\nb" * 50, "latin-1", is_json=False, dark=True, rich_limit=10, plain_limit=10
    )
    assert text.pretty is None and text.pretty_index == text.raw_index  # Pretty is Raw


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


def test_a_line_of_json_is_split_into_coloured_tokens() -> None:
    line = '    "name": "Zo\\"e", "n": -1.5e3, "ok": true, "x": null,'
    kinds = [(line[start:end], kind) for start, end, kind in json_line_spans(line)]
    assert kinds == [
        ('"name"', "key"),
        ('"Zo\\"e"', "string"),
        ('"n"', "key"),
        ("-1.5e3", "number"),
        ('"ok"', "key"),
        ("true", "constant"),
        ('"x"', "key"),
        ("null", "constant"),
    ]
    light, dark = json_colours(dark=False), json_colours(dark=True)
    assert set(light) == set(dark) == {"key", "string", "number", "constant"}
    assert light["key"] != dark["key"]  # each theme its own palette
