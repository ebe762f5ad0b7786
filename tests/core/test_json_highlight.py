"""Pretty JSON highlighted without pygments' lexer is byte for byte the HTML pygments makes,
in both themes, for every kind of value; anything else is left to pygments."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from explorer.core.json_highlight import highlight_pretty_json
from explorer.core.render import highlight_html, layout_body, pretty_json


def pygments_json(text: str, dark: bool) -> str:
    return highlight_html(text, lexer="json", dark=dark)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """Objects, arrays, strings with escapes and non-ASCII, numbers of every spelling."""
    choice = rng.randrange(9 if depth < 4 else 6)
    if choice == 0:
        return rng.choice([True, False, None])
    if choice == 1:
        return rng.randint(-(10**20), 10**20)
    if choice == 2:
        return rng.uniform(-1e6, 1e6) * rng.choice([1, 1e-12, 1e30])
    if choice in (3, 4, 5):
        alphabet = "ab <>&\"\\/\n\t\x01\u00e9\u2603\U0001f600'"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if choice in (6, 7):
        return {f'k{n}"<': random_value(rng, depth + 1) for n in range(rng.randrange(4))}
    return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]


@pytest.mark.parametrize("dark", [False, True])
def test_pretty_json_is_highlighted_exactly_as_pygments_does(dark: bool) -> None:
    rng = random.Random(15)
    bodies = [json.dumps(random_value(rng)) for _ in range(300)]
    bodies += ['{"n": 1.10, "e": -0, "big": 123456789012345678901234567890, "x": 1E+5}', "[]"]
    for body in bodies:
        pretty = pretty_json(body.encode())
        assert highlight_pretty_json(pretty, dark, pygments_json) == pygments_json(pretty, dark)
        layout = layout_body(
            body.encode(), "utf-8", is_json=True, dark=dark, rich_limit=10**6, plain_limit=10**6
        )
        assert layout.html == pygments_json(pretty, dark)


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "n": NaN\n}',  # Python's JSON reads it; pygments marks it
        "not json at all",
        '{\n  "k": 1\n}\r\n',
        "[1.]",
    ],
)
def test_what_the_fast_path_does_not_know_is_left_to_pygments(text: str) -> None:
    assert highlight_pretty_json(text, False, pygments_json) is None


@pytest.mark.parametrize(
    "text", ['{"n": NaN}', '{"a" "b"}', "not json at all", "[1.]", '{"k": 1} trailing']
)
def test_a_body_that_is_not_json_is_highlighted_by_pygments_as_before(text: str) -> None:
    layout = layout_body(
        text.encode(), "utf-8", is_json=True, dark=False, rich_limit=10**6, plain_limit=10**6
    )
    assert layout.html == pygments_json(pretty_json(text.encode()), False)
