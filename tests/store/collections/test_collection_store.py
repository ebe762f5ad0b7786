"""Collections on disk: what a tester sharing a folder through git relies on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.curl import from_curl
from explorer.core.postman import PostmanRequest, from_postman, to_postman
from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables, resolve
from explorer.store.collections import (
    COLLECTION_FILE,
    Collection,
    CollectionError,
    CollectionStore,
    SavedRequest,
    find_collections,
)
from explorer.store.credentials import MemoryCredentials
from tests.store.collections.sample import create_sample, files_in, reloaded

CANARY = "sk_CANARY_a8f3c1d9e2"


def _names_in(collection: Collection, folder: str) -> list[str]:
    found = collection.folder(folder)
    assert found is not None, f"no folder {folder!r}"
    return [r.name for r in found.requests]


def test_store_does_not_import_qt() -> None:
    code = "import sys, explorer.store.collections; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_load_gives_back_what_was_saved_in_order(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    original = create_sample(root).collection
    collection, problems = CollectionStore(root).load()
    assert problems == []
    assert collection.id == original.id
    assert (collection.name, collection.description) == ("Smoke tests", "BambooHR checks")
    assert collection.folder_names() == ["Employees", "Candidates"]
    assert [r.label for r in collection.requests()] == [
        "List employees",
        "Employees/Get employee",
        "Candidates/Create candidate",
    ]
    for got, want in zip(collection.requests(), original.requests(), strict=True):
        assert got.request == want.request
        assert got.expected_status == want.expected_status
        assert got.description == want.description
    assert collection.environments["staging"].variables == {"account_id": "acct_bamboohr_demo"}


def test_a_broken_file_is_reported_with_file_and_line_and_the_rest_loads(
    tmp_path: Path,
) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    broken = root / "Employees" / "get-employee.request.json"
    broken.write_text('{\n  "name": "Get employee",\n<<<<<<< HEAD\n}\n')
    (root / "Candidates" / "not-a-request.request.json").write_text("[1, 2]\n")
    collection, problems = CollectionStore(root).load()
    assert [r.name for r in collection.requests()] == ["List employees", "Create candidate"]
    by_file = {p.file: p for p in problems}
    assert by_file[broken].line == 3
    assert by_file[broken].column == 1
    assert f"{broken}, line 3, column 1" in str(by_file[broken])
    assert "JSON object" in by_file[root / "Candidates" / "not-a-request.request.json"].message


def test_a_broken_collection_file_is_kept_aside_before_it_is_rewritten(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    (root / COLLECTION_FILE).write_text('{"name": "Smoke",,}\n')
    store = CollectionStore(root)
    collection, problems = store.load()
    assert problems[0].file == root / COLLECTION_FILE
    assert problems[0].line == 1
    assert len(collection.requests()) == 3  # requests still load, folders found on disk
    store.create_folder("New")
    assert (root / (COLLECTION_FILE + ".corrupt")).read_text() == '{"name": "Smoke",,}\n'
    assert json.loads((root / COLLECTION_FILE).read_text())["folders"][-1] == "New"


def test_changes_on_disk_are_noticed_and_own_changes_are_not(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    store = create_sample(root)
    store.load()
    assert not store.changed_since_load()
    [saved] = store.collection.find("List employees")
    store.rename(saved, "All employees")
    store.duplicate(saved)
    assert not store.changed_since_load()
    # a colleague's change arriving by `git pull`
    other = reloaded(root)
    other.save_request(
        SavedRequest("Workers", RpcRequest(action="workday_list_workers", account_id="a"))
    )
    assert store.changed_since_load()
    store.load()
    assert "Workers" in [r.name for r in store.collection.requests()]
    assert not store.changed_since_load()


def test_an_edit_with_the_same_size_is_still_noticed(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    store = create_sample(root)
    path = root / "list-employees.request.json"
    text = path.read_text()
    path.write_text(text.replace("First page", "First PAGE"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert store.changed_since_load()


def test_rename_duplicate_move_delete_and_undo(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    store = create_sample(root)
    [listing] = store.collection.find("List employees")
    store.rename(listing, "Employees page 1")
    assert listing.path == root / "employees-page-1.request.json"
    assert not (root / "list-employees.request.json").exists()

    copy = store.duplicate(listing)
    assert copy.name == "Employees page 1 copy"
    assert _names_in(store.collection, "") == [
        "Employees page 1",
        "Employees page 1 copy",
    ]

    store.move(copy, "Employees", 0)
    assert copy.path == root / "Employees" / "employees-page-1-copy.request.json"
    assert _names_in(store.collection, "Employees") == [
        "Employees page 1 copy",
        "Get employee",
    ]
    assert [r.label for r in reloaded(root).collection.requests()] == [
        r.label for r in store.collection.requests()
    ]

    assert copy.path is not None
    content = copy.path.read_bytes()
    deleted = store.delete(copy)
    assert deleted.saved.path is not None and not deleted.saved.path.exists()
    assert "Employees page 1 copy" not in [r.name for r in reloaded(root).collection.requests()]
    store.restore(deleted)
    assert copy.path.read_bytes() == content
    employees = store.collection.folder("Employees")
    assert employees is not None and employees.requests[0] is copy

    gone = store.delete_folder("Employees")
    assert not (root / "Employees").exists()
    assert reloaded(root).collection.folder_names() == ["Candidates"]
    store.restore_folder(gone)
    again = reloaded(root).collection
    assert again.folder_names() == ["Employees", "Candidates"]
    assert _names_in(again, "Employees") == [
        "Employees page 1 copy",
        "Get employee",
    ]


def test_same_names_get_distinct_files(tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "c", "C")
    first = store.save_request(SavedRequest("Ping!", RpcRequest(action="a")))
    second = store.save_request(SavedRequest("ping", RpcRequest(action="b")))
    assert first.path is not None and second.path is not None
    assert (first.path.name, second.path.name) == ("ping.request.json", "ping-2.request.json")


def test_bad_folder_names_are_refused_with_a_reason(tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "c", "C")
    for name in ("", "a/b", ".hidden", "con:1"):
        with pytest.raises(CollectionError):
            store.create_folder(name)
    store.create_folder("Employees")
    with pytest.raises(CollectionError, match="already exists"):
        store.create_folder("employees")


def test_an_empty_folder_survives_a_git_clone(tmp_path: Path) -> None:
    """git does not keep empty directories: the folder list in collection.json does."""
    root = tmp_path / "c"
    store = CollectionStore.create(root, "C")
    store.create_folder("Later")
    (root / "Later").rmdir()
    assert reloaded(root).collection.folder_names() == ["Later"]


def test_secret_values_live_in_the_keyring_never_in_a_file(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    keyring = MemoryCredentials()
    store = create_sample(root, keyring)
    store.set_variable("staging", "tenant_token", CANARY, secret=True)
    store.set_variable("staging", "region", "eu", secret=False)
    store.save_request(
        SavedRequest(
            "With token",
            RpcRequest(
                action="x", account_id="a", headers={"Authorization": "Bearer {{tenant_token}}"}
            ),
        )
    )
    store.rename_environment("staging", "prod")
    for name, content in files_in(root).items():
        assert CANARY.encode() not in content, name
    meta = json.loads((root / COLLECTION_FILE).read_text())
    assert meta["environments"]["prod"] == {
        "secrets": ["tenant_token"],
        "variables": {"account_id": "acct_bamboohr_demo", "region": "eu"},
    }
    collection_id = meta["id"]
    assert keyring.get(f"collection:{collection_id}:prod:tenant_token") == CANARY
    assert keyring.get(f"collection:{collection_id}:staging:tenant_token") is None

    # a colleague's machine: same files, own keyring
    values = reloaded(root, keyring).environment_values("prod")
    assert values["tenant_token"] == CANARY
    colleague = reloaded(root, MemoryCredentials())
    assert colleague.missing_secrets("prod") == ["tenant_token"]
    [saved] = colleague.collection.find("With token")
    with pytest.raises(UnresolvedVariables, match="tenant_token"):
        resolve(saved.request, colleague.environment_values("prod"))

    store.delete_environment("prod")
    assert keyring.get(f"collection:{collection_id}:prod:tenant_token") is None


def test_secrets_given_elsewhere_need_no_keyring(tmp_path: Path) -> None:
    """The runner on CI: every secret comes from --var, so the keyring is never asked."""
    root = tmp_path / "smoke"
    create_sample(root, MemoryCredentials()).set_variable("staging", "token", CANARY, secret=True)
    without_keyring = CollectionStore(root)
    without_keyring.load()
    with pytest.raises(CollectionError, match="keyring"):
        without_keyring.environment_values("staging")
    values = without_keyring.environment_values("staging", skip={"token"})
    assert values == {"account_id": "acct_bamboohr_demo"}


def test_a_literal_secret_header_is_refused(tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "c", "C")
    request = RpcRequest(action="x", headers={"authorization": f"Bearer {CANARY}"})
    with pytest.raises(CollectionError, match="secret variable"):
        store.save_request(SavedRequest("Leaky", request))
    assert CANARY.encode() not in b"".join(files_in(tmp_path).values())


def test_resolving_with_an_environment(tmp_path: Path) -> None:
    store = create_sample(tmp_path / "smoke")
    [saved] = store.collection.find("employees/get employee")
    sent = resolve(saved.request, store.environment_values("staging"))
    assert sent.account_id == "acct_bamboohr_demo"


def test_find_collections_lists_only_collection_folders(tmp_path: Path) -> None:
    CollectionStore.create(tmp_path / "b", "B")
    CollectionStore.create(tmp_path / "a", "A")
    (tmp_path / "not-one").mkdir()
    assert find_collections(tmp_path) == [tmp_path / "a", tmp_path / "b"]


def test_pasted_curl_becomes_a_saved_request_without_the_key(tmp_path: Path) -> None:
    imported = from_curl(
        f"curl https://api.stackone.com/actions/rpc -u '{CANARY}:' "
        "-H 'x-account-id: acct_bamboohr_demo' -H 'Content-Type: application/json' "
        """--data-raw '{"action": "bamboohr_get_employee", "path": {"id": "1"}}'"""
    )
    assert imported.api_key == CANARY  # handed back for the keyring, not for the file
    store = CollectionStore.create(tmp_path / "c", "C")
    saved = store.save_request(SavedRequest("Get employee 1", imported.request))

    collection, problems = CollectionStore(tmp_path / "c").load()
    assert problems == []
    [loaded] = collection.requests()
    assert loaded.request.action == "bamboohr_get_employee"
    assert loaded.request.account_id == "acct_bamboohr_demo"
    assert loaded.request.path == {"id": "1"}
    assert saved.path is not None
    for path in (tmp_path / "c").rglob("*"):
        if path.is_file():
            assert CANARY not in path.read_text(), path


def test_a_postman_import_fills_a_new_collection(tmp_path: Path) -> None:
    """Every request in its folder with its expectation, the name and description, and the
    Postman variables as an environment (secret ones arrive blank: Postman never had them)."""
    exported = to_postman(
        "From Postman",
        [
            PostmanRequest("First", RpcRequest(action="bamboohr_list_employees")),
            PostmanRequest(
                "Get one",
                RpcRequest(action="bamboohr_get_employee", path={"id": "1"}),
                folder="Employees",
                expected_status=200,
            ),
        ],
        description="Shared by a colleague",
        variables={"account_id": "acct_1"},
    )
    store = CollectionStore.create(tmp_path / "c", "C")
    store.add_postman(from_postman(exported))

    collection, problems = CollectionStore(tmp_path / "c").load()
    assert problems == []
    assert (collection.name, collection.description) == ("From Postman", "Shared by a colleague")
    assert [(r.folder, r.name, r.expected_status) for r in collection.requests()] == [
        ("", "First", None),
        ("Employees", "Get one", 200),
    ]
    assert collection.environments["Postman"].variables["account_id"] == "acct_1"
