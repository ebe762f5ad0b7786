"""Placeholders: what a tester writes once and fills per environment."""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables, fill, find_variables, resolve


def _templated() -> RpcRequest:
    return RpcRequest(
        action="{{connector}}_get_employee",
        account_id="{{account}}",
        connector_profile_id="{{ profile }}",
        base_url="{{base_url}}",
        path={"id": "{{employee_id}}"},
        query={"fields": ["{{field}}", "name"], "page_size": 5},
        headers={"x-tenant": "tenant-{{tenant}}"},
        body={"nested": {"deeper": ["{{employee_id}}"]}, "{{not_a_var}}": 1},
    )


def test_core_modules_do_not_import_qt() -> None:
    # pytest-qt has already imported Qt in this process, so look from a fresh interpreter
    code = "import sys, explorer.core.variables; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_finds_placeholders_in_every_field_but_not_in_keys() -> None:
    assert find_variables(_templated()) == {
        "connector",
        "account",
        "profile",
        "base_url",
        "employee_id",
        "field",
        "tenant",
    }


def test_resolve_fills_every_field_and_leaves_the_original_untouched() -> None:
    request = _templated()
    values = {
        "connector": "bamboohr",
        "account": "acct_1",
        "profile": "prof_9",
        "base_url": "http://127.0.0.1:9",
        "employee_id": "42",
        "field": "email",
        "tenant": "eu",
        "unused": "x",
    }
    sent = resolve(request, values)
    assert sent.action == "bamboohr_get_employee"
    assert sent.account_id == "acct_1"
    assert sent.connector_profile_id == "prof_9"
    assert sent.base_url == "http://127.0.0.1:9"
    assert sent.path == {"id": "42"}
    assert sent.query == {"fields": ["email", "name"], "page_size": 5}
    assert sent.headers == {"x-tenant": "tenant-eu"}
    assert sent.body == {"nested": {"deeper": ["42"]}, "{{not_a_var}}": 1}
    # the saved request keeps its placeholders
    assert request.path == {"id": "{{employee_id}}"}


def test_a_whole_value_placeholder_stays_a_string() -> None:
    sent = resolve(RpcRequest(action="a", body={"limit": "{{limit}}"}), {"limit": "5"})
    assert sent.body == {"limit": "5"}


def test_values_are_inserted_once_not_rescanned() -> None:
    sent = resolve(RpcRequest(action="{{a}}"), {"a": "{{b}}"})
    assert sent.action == "{{b}}"


def test_unresolved_lists_every_missing_name_with_where_and_what_to_do() -> None:
    with pytest.raises(UnresolvedVariables) as info:
        resolve(_templated(), {"connector": "bamboohr"})
    err = info.value
    assert err.names == sorted(["account", "profile", "base_url", "employee_id", "field", "tenant"])
    assert err.locations["employee_id"] == ["path", "body"]
    message = str(err)
    assert "{{employee_id}} (in path, body)" in message
    assert "{{account}} (in account_id)" in message
    assert "environment" in message
    assert message.startswith("6 variables have no value")


def test_request_without_placeholders_resolves_to_an_equal_copy() -> None:
    request = RpcRequest(action="bamboohr_list_employees", account_id="acct", body={"a": [1]})
    assert find_variables(request) == set()
    sent = resolve(request, {})
    assert sent == request
    assert sent.body is not request.body


def test_fill_leaves_unknown_placeholders_for_the_reader() -> None:
    request = RpcRequest(action="a", account_id="{{account}}", headers={"x-token": "{{token}}"})
    filled = fill(request, {"account": "acct_1"})
    assert filled.account_id == "acct_1"
    assert filled.headers == {"x-token": "{{token}}"}
