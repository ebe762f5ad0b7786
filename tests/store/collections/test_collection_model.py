"""The collection in memory: what the runner and the window ask of it, with no file involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.store.collections import (
    Collection,
    CollectionError,
    Folder,
    SavedRequest,
    check_folder_name,
    literal_secrets,
    requests_named,
    secret_headers_as_variables,
    slugify,
)


def _collection() -> Collection:
    return Collection(
        Path("smoke"),
        id="c1",
        name="Smoke",
        folders=[
            Folder("", [SavedRequest("List employees", RpcRequest(action="a"))]),
            Folder(
                "Candidates",
                [SavedRequest("Create candidate", RpcRequest(action="b"), folder="Candidates")],
            ),
        ],
    )


def test_selecting_requests_by_name_keeps_the_run_order() -> None:
    collection = _collection()
    chosen = requests_named(collection, ["candidates/create candidate", "List employees"])
    assert [r.label for r in chosen] == ["List employees", "Candidates/Create candidate"]
    with pytest.raises(CollectionError, match="Available: 'List employees'"):
        requests_named(collection, ["Nope"])


def test_the_expectation_is_any_2xx_unless_a_status_is_given() -> None:
    any_success = SavedRequest("a", RpcRequest())
    assert any_success.expectation() == "2xx"
    assert any_success.expects(204) and not any_success.expects(404)
    assert not any_success.expects(None)  # no response at all
    rejected = SavedRequest("b", RpcRequest(), expected_status=422)
    assert rejected.expectation() == "422"
    assert rejected.expects(422) and not rejected.expects(200)


def test_file_names_and_folder_names_work_on_every_os() -> None:
    assert slugify("List employees (page 1)") == "list-employees-page-1"
    assert slugify("Ünïcödé") == "unicode"
    assert slugify("???") == "request"
    assert check_folder_name("  Employees ") == "Employees"
    for bad in ("", "a/b", ".hidden", "con:1", "tab\there"):
        with pytest.raises(CollectionError):
            check_folder_name(bad)


def test_a_literal_secret_header_is_found_and_a_variable_is_not() -> None:
    request = RpcRequest(
        headers={"Authorization": "Bearer sk_live", "X-Api-Token": "{{token}}", "Accept": "*/*"}
    )
    assert literal_secrets(request) == ["Authorization"]


def test_secret_headers_become_variables_named_after_them() -> None:
    """Saving a request from the history into a collection: a secret header (its value
    ``<redacted>`` there) becomes a ``{{variable}}`` to give a secret value; a header that is
    already a variable, and one that is not secret, stay as they are."""
    sent = RpcRequest(
        headers={
            "Authorization": "<redacted>",
            "X-Tenant Token": "sk_live_x",
            "X-Api-Token": "{{token}}",
            "Accept": "*/*",
        }
    )
    request, names = secret_headers_as_variables(sent)
    assert names == ["authorization", "x-tenant_token"]
    assert request.headers == {
        "Authorization": "{{authorization}}",
        "X-Tenant Token": "{{x-tenant_token}}",
        "X-Api-Token": "{{token}}",
        "Accept": "*/*",
    }
    assert literal_secrets(request) == []
    untouched = RpcRequest(headers={"Accept": "*/*"})
    assert secret_headers_as_variables(untouched) == (untouched, [])
