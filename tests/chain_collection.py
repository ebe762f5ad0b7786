"""The "Chain" collection: list employees, then get the first one, with no copy and paste.

One builder for the engine's, the command line's and the window's tests, so "the same results
from the window and the command line" is checked on one collection.
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.captures import Capture
from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest

# What the demo's first employee of acct_bamboohr_demo is.
FIRST_ID = "40001"
FIRST_NAME = "Amara Okafor"


def create_chain_collection(root: Path, *, first_path: str = "$.data[0].id") -> CollectionStore:
    """``List employees`` captures ``employee_id`` (``first_path``) and ``employee_name``;
    ``Get the first`` sends ``{{employee_id}}`` and expects 200."""
    store = CollectionStore.create(root, "Chain")
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(action="bamboohr_list_employees", query={"page_size": "3"}),
            captures=[
                Capture("employee_id", first_path),
                Capture("employee_name", "$.data[0].display_name"),
            ],
        )
    )
    store.save_request(
        SavedRequest(
            "Get the first",
            RpcRequest(action="bamboohr_get_employee", path={"id": "{{employee_id}}"}),
            expected_status=200,
        )
    )
    return store
