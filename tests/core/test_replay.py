"""Sending a history entry again: secrets come back through the template's variables, and the
placeholder a secret was hidden behind is never a value any send accepts."""

from __future__ import annotations

import pytest

from explorer.core.errors import InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.replay import SecretsNotKept, hidden_places, restore, template_of
from explorer.core.request import RpcRequest, check, validate
from explorer.core.secrets import REDACTED, redact_exchange
from explorer.core.variables import UnresolvedVariables, resolve
from explorer.core.wire import build_http_request

SECRET = "canary-replay-secret-4410"
WRITTEN = RpcRequest(
    action="bamboohr_update_employee",
    account_id="{{account}}",
    path={"id": "7"},
    headers={"x-provider-token": "{{token}}"},
    body={"note": "signed {{token}}", "items": [{"pin": "{{token}}"}, {"name": "{{name}}"}]},
)
VALUES = {"account": "acct_1", "token": SECRET, "name": "Ada"}


def history_copy(written: RpcRequest = WRITTEN) -> Exchange:
    """What the history keeps of a send of ``written``: scrubbed, with its template."""
    sent = Exchange(request=resolve(written, VALUES), template=template_of(written))
    return Exchange.from_dict(redact_exchange(sent, [SECRET]).to_dict())


def test_the_history_keeps_the_template_and_no_secret() -> None:
    kept = history_copy()
    assert SECRET not in str(kept.to_dict())
    assert kept.template == WRITTEN
    assert kept.request.body == {
        "note": f"signed {REDACTED}",
        "items": [{"pin": REDACTED}, {"name": "Ada"}],
    }
    assert hidden_places(kept.request) == [
        "headers.x-provider-token",
        "body.note",
        "body.items[0].pin",
    ]


def test_restore_puts_back_only_the_variables_of_hidden_values() -> None:
    kept = history_copy()
    again = restore(kept.request, kept.template)
    assert hidden_places(again) == []
    # As sent where nothing was hidden (the account and the name stay what was sent).
    assert again.account_id == "acct_1"
    assert again.body == {
        "note": "signed {{token}}",
        "items": [{"pin": "{{token}}"}, {"name": "Ada"}],
    }
    assert resolve(again, {"token": SECRET}).headers == {"x-provider-token": SECRET}


def test_without_a_template_the_placeholder_stays_and_nothing_accepts_it() -> None:
    kept = history_copy()
    again = restore(kept.request, None)
    assert hidden_places(again) == hidden_places(kept.request)
    issues = validate(again)
    assert {issue.field for issue in issues} >= {"headers", "body"}
    assert any("body.items[0].pin" in issue.message for issue in issues)
    with pytest.raises(InvalidRequest):
        check(again)
    with pytest.raises(InvalidRequest):
        build_http_request(again, "sk_key")


@pytest.mark.parametrize(
    "request_",
    [
        RpcRequest(action="a_list_b", account_id="acct", query={"token": REDACTED}),
        RpcRequest(action="a_list_b", account_id="acct", path={"id": f"x{REDACTED}"}),
        RpcRequest(action="a_list_b", account_id="acct", headers={"auth": f"Bearer {REDACTED}"}),
        RpcRequest(action="a_list_b", account_id=REDACTED),
    ],
)
def test_the_placeholder_is_refused_in_every_field(request_: RpcRequest) -> None:
    assert validate(request_)


def test_a_template_that_holds_the_placeholder_itself_gives_nothing_back() -> None:
    # A secret typed into the field (no variable): the template is scrubbed as well.
    written = RpcRequest(action="a_list_b", account_id="acct", body={"pin": SECRET})
    sent = Exchange(request=written.copy(), template=written.copy())
    kept = Exchange.from_dict(redact_exchange(sent, [SECRET]).to_dict())
    assert SECRET not in str(kept.to_dict())
    assert hidden_places(restore(kept.request, kept.template)) == ["body.pin"]


def test_template_of_a_request_without_variables_is_none() -> None:
    assert template_of(RpcRequest(action="a_list_b", account_id="acct")) is None
    assert template_of(WRITTEN) == WRITTEN


def test_the_refusal_names_the_places_and_what_to_do() -> None:
    plain = str(SecretsNotKept(["body.note"]))
    assert "body.note held a secret value, which the history never keeps" in plain
    assert "no {{variable}}" in plain and "Open the entry in the editor" in plain
    missing = str(SecretsNotKept(["body.note"], UnresolvedVariables({"token": ["body"]})))
    assert "{{token}}" in missing and "body.note" in missing
