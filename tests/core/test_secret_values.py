"""What counts as a secret header value: a ``{{variable}}`` reference is kept as written,
a literal is redacted, and the redaction placeholder itself is never sent."""

from __future__ import annotations

import pytest

from explorer.core.errors import InvalidRequest
from explorer.core.request import RpcRequest, validate
from explorer.core.secrets import REDACTED, is_template, redact_header_object
from explorer.core.wire import build_http_request


@pytest.mark.parametrize(
    "value",
    ["{{token}}", " {{ token }} ", "Bearer {{token}}", "{{a}}{{b}}", "Token {{customer.id}}"],
)
def test_variable_references_are_templates(value: str) -> None:
    assert is_template(value)


@pytest.mark.parametrize(
    "value",
    ["sk_live_123", "sk_{{suffix}}", "{{user}}:{{password}}", "{{unclosed", "", None, 42],
)
def test_anything_with_a_literal_part_is_not(value: object) -> None:
    assert not is_template(value)


def test_redaction_keeps_references_and_hides_literals() -> None:
    headers = {"x-tenant-token": "{{tenant_token}}", "x-api-key": "sk_live_1", "x-trace": "t"}
    assert redact_header_object(headers) == {
        "x-tenant-token": "{{tenant_token}}",
        "x-api-key": REDACTED,
        "x-trace": "t",
    }


def test_the_placeholder_is_never_sent() -> None:
    request = RpcRequest(action="a", account_id="b", headers={"x-tenant-token": REDACTED})
    issues = [i for i in validate(request) if i.field == "headers"]
    assert issues and "x-tenant-token" in issues[0].message
    with pytest.raises(InvalidRequest):
        build_http_request(request, "key")
