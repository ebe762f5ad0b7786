"""Hypothesis strategies for hostile input: what a hand-edited file, a bad merge, a broken
server or a customer's paste can hold.

Each strategy mixes plain random data with the shapes known to break readers: nesting far
deeper than Python's recursion limit, integers of hundreds or thousands of digits, numbers
that overflow a float, lone surrogates, NUL bytes, and values of the wrong JSON type in
every place.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Scalars that have broken readers: huge integers (400 digits overflow float(); 5,000
# exceed Python's int parsing limit when written as JSON), floats at the edges, text with
# a lone surrogate or a NUL.
nasty_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 0, -1, 10**20]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 5e-324, 0.0, -0.0]),
    st.text(max_size=30),
    st.sampled_from(["\ud800", "a\x00b", "", " ", "{{x}}", "../../etc", "💥" * 3]),
)

json_values = st.recursive(
    nasty_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=20,
)


def deep(depth: int, *, opener: str = "[", closer: str = "]", inner: str = "1") -> str:
    """JSON text nested ``depth`` levels deep."""
    return opener * depth + inner + closer * depth


def deep_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


# Text that is JSON but hostile (or nearly JSON): nesting past the recursion limit, numbers
# past every limit.
hostile_json_text = st.one_of(
    st.sampled_from(
        [
            deep(1_000),
            deep(100_000),
            deep_object(5_000),
            "1" * 5_000,
            "1" * 400,
            "1e400",
            "-1e400",
            "[" + "1" * 5_000 + "]",
            '{"a": ' + "9" * 400 + "}",
            '"\\ud800"',
            "NaN",
            "\ufeff{}",
            "",
        ]
    ),
    st.integers(min_value=150, max_value=2_000).map(deep),
)


def json_text(value: Any) -> str:
    """``value`` as JSON text; Python's own spelling of huge numbers included."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except ValueError:  # an int over Python's str conversion limit
        return "null"


def file_bytes(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """Bytes of a file: random bytes, hostile JSON text, or ``shape`` written as JSON (with
    lone surrogates escaped, as a person's editor may)."""
    return st.one_of(
        st.binary(max_size=200),
        hostile_json_text.map(lambda text: text.encode("utf-8", "backslashreplace")),
        shape.map(lambda value: json_text(value).encode("utf-8", "backslashreplace")),
    )


def objects_like(example: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with ``example``'s keys, each holding its example value or anything else."""
    return st.fixed_dictionaries(
        {},
        optional={
            key: st.one_of(st.just(value), json_values, hostile_values())
            for key, value in example.items()
        },
    )


def hostile_values() -> st.SearchStrategy[Any]:
    """Python values as ``json.loads`` returns them for hostile text (deep, huge)."""
    return st.sampled_from([json.loads(deep(150)), 10**400, 1e308, "\ud800"])
