"""``validate`` with object fields already checked says exactly what it says without.

An editor keeps each JSON field's ``object_field_issues`` while its text is unchanged, so a
key typed in another field does not walk a big body again; the issues, and their order (the
first one is what the editor says over the form), must be those of a fresh ``validate``.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.request import OBJECT_FIELDS, RpcRequest, object_field_issues, validate
from explorer.core.secrets import REDACTED
from tests.strategies import json_values

HIDDEN = f"signed {REDACTED}"

# A request with a problem of every kind validate says about objects, in several fields.
EVERYTHING_WRONG = RpcRequest(
    action="bamboohr_list_employees",
    account_id=HIDDEN,
    connector_profile_id=HIDDEN,
    path={"id": HIDDEN},
    query={"page_size": math.inf, "cursor": [1, {"x": HIDDEN}]},
    headers={"bad header": "1", "x-token": HIDDEN, "x-ok": "é\n"},
    body=[{"note": HIDDEN}],  # type: ignore[arg-type]  # not an object: a request from code
)


def all_checked(request: RpcRequest, fields: tuple[str, ...] = OBJECT_FIELDS) -> dict[str, Any]:
    return {name: object_field_issues(name, getattr(request, name)) for name in fields}


def test_checked_fields_change_nothing_said_or_its_order() -> None:
    issues = validate(EVERYTHING_WRONG)
    assert {issue.field for issue in issues} >= {*OBJECT_FIELDS, "account_id"}
    assert validate(EVERYTHING_WRONG, all_checked(EVERYTHING_WRONG)) == issues
    for name in OBJECT_FIELDS:
        assert validate(EVERYTHING_WRONG, all_checked(EVERYTHING_WRONG, (name,))) == issues


def test_the_order_is_each_kind_the_headers_then_each_secret_hidden() -> None:
    """As ``validate`` said it before fields could be checked apart: each field's kind, the
    headers, then the hidden secrets, text fields first."""
    said = [(issue.field, issue.message) for issue in validate(EVERYTHING_WRONG)]
    expected = [
        ("query", "page_size is Infinity"),
        ("body", "must be a JSON object"),
        ("headers", "'bad header' is not a valid header name"),
        ("headers", "the value of 'x-token' was not kept"),
        ("headers", "the value of 'x-ok' must not contain line breaks"),
        ("account_id", f"account_id holds {REDACTED}"),
        ("connector_profile_id", f"connector_profile_id holds {REDACTED}"),
        ("path", f"path.id holds {REDACTED}"),
        ("query", f"query.cursor[1].x holds {REDACTED}"),
        ("body", f"body[0].note holds {REDACTED}"),
    ]
    assert len(said) == len(expected)
    for (field, message), (want_field, want_start) in zip(said, expected, strict=True):
        assert field == want_field and message.startswith(want_start), (field, message)


@given(
    st.dictionaries(st.text(max_size=8), json_values, max_size=4), st.sampled_from(OBJECT_FIELDS)
)
def test_any_object_checked_is_said_as_unchecked(value: dict[str, Any], name: str) -> None:
    request = RpcRequest(action="a", account_id="b").copy(**{name: value})
    assert validate(request, all_checked(request)) == validate(request)
