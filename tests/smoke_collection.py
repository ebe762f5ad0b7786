"""The "Smoke" collection both runners are tested with: the command line and the window.

One builder, so that "the window gives the same results as ``explorer run``" is checked on the
collection the runner's own tests describe, not on a copy that has drifted from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import CredentialStore


def create_smoke_collection(
    root: Path,
    *,
    credentials: CredentialStore | None = None,
    list_headers: dict[str, Any] | None = None,
) -> CollectionStore:
    """Environment ``demo`` and three requests that meet their expectation on the demo server.

    In run order: ``List employees`` (no expectation; ``list_headers`` as its provider
    headers), ``Employees/Get employee`` (expects 200, needs ``{{employee}}`` from the
    environment) and ``Candidates/Reject bad candidate`` (expects the 422 it gets). Callers
    add what their tests need; a request saved later into an existing folder goes last in it.
    """
    store = CollectionStore.create(root, "Smoke", credentials=credentials)
    store.set_environment(Environment("demo", {"employee": "40001", "page_size": "3"}))
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(
                action="bamboohr_list_employees",
                query={"page_size": "{{page_size}}"},
                headers=list_headers,
            ),
        )
    )
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(action="bamboohr_get_employee", path={"id": "{{employee}}"}),
            folder="Employees",
            expected_status=200,
        )
    )
    store.save_request(
        SavedRequest(
            "Reject bad candidate",
            RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": ""},
            ),
            folder="Candidates",
            expected_status=422,
        )
    )
    return store
