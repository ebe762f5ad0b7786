"""The collection the collection tests share: built through the store, as a person would."""

from __future__ import annotations

from pathlib import Path

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import MemoryCredentials


def create_sample(root: Path, credentials: MemoryCredentials | None = None) -> CollectionStore:
    """Collection "Smoke tests": a request at the top level, one in "Employees" (expects
    200), one in "Candidates" (expects 422, a 15-second timeout), environment "staging"."""
    store = CollectionStore.create(
        root, "Smoke tests", description="BambooHR checks", credentials=credentials
    )
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(
                action="bamboohr_list_employees",
                account_id="{{account_id}}",
                query={"page_size": 25},
            ),
            description="First page",
        )
    )
    store.create_folder("Employees")
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(
                action="bamboohr_get_employee", account_id="{{account_id}}", path={"id": "1"}
            ),
            folder="Employees",
            expected_status=200,
        )
    )
    store.save_request(
        SavedRequest(
            "Create candidate",
            RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": "Ada"},
                timeout=15.0,
            ),
            folder="Candidates",
            expected_status=422,
        )
    )
    store.set_environment(Environment("staging", {"account_id": "acct_bamboohr_demo"}))
    return store


def files_in(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by its relative path: what git would see."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def reloaded(root: Path, credentials: MemoryCredentials | None = None) -> CollectionStore:
    """A second store on the same folder: a colleague after ``git pull``."""
    store = CollectionStore(root, credentials=credentials)
    store.load()
    return store
