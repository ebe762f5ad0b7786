"""The collection files people commit to git: readable, diff-friendly, read strictly.

Request files a person edited by hand: a wrong field is reported, never "fixed" by a save.
Issue 4: "a corrupt or hand-broken file gives an error naming the file and line and leaves the
rest loaded". A value of the wrong type that loaded as a default would be written back as that
default by the next save, erasing what the person typed.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.store.collections import COLLECTION_FILE, CollectionStore, SavedRequest, key_places
from tests.store.collections.sample import create_sample, files_in, reloaded


def _collection(root: Path) -> CollectionStore:
    store = CollectionStore.create(root, "Smoke")
    store.save_request(SavedRequest("First", RpcRequest(action="bamboohr_list_employees")))
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(action="bamboohr_get_employee", path={"id": "1"}, timeout=15.0),
            folder="Employees",
        )
    )
    store.save_request(SavedRequest("Last", RpcRequest(action="bamboohr_list_employees")))
    return store


def _edit_request_file(path: Path, **fields: object) -> str:
    """Set fields of the file's ``request`` object as a person would, and return the text."""
    data = json.loads(path.read_text())
    data["request"].update(fields)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    path.write_text(text)
    return text


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("field", "value", "words", "key"),
    [
        ("query", [1], "must be a JSON object {...} or null, not an array", "query"),
        ("sync", "yes", "must be true or false, not a string", "sync"),
        ("action", 7, "must be a string, not a number", "action"),
        ("timeout", "x", "must be a positive number of seconds, not a string", "timeout"),
        ("timeout", 0, "must be a positive number of seconds", "timeout"),
        (
            "defender_config",
            {"block_high_risk": True, "enabled": "on"},
            '"request.defender_config.enabled": must be true, false or null, not a string',
            "enabled",
        ),
        ("defender_config", {"enabld": True}, "is not a Defender setting", "enabld"),
        ("defender_config", "on", "must be a JSON object {...} or null", "defender_config"),
        ("defender_enabled", 1, "must be true, false or null, not a number", "defender_enabled"),
        ("base_url", None, "must be a URL string", "base_url"),
    ],
)
def test_a_wrong_field_names_the_file_field_and_line_and_the_file_is_never_rewritten(
    tmp_path: Path, field: str, value: object, words: str, key: str
) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    broken = root / "Employees" / "get-employee.request.json"
    text = _edit_request_file(broken, **{field: value})

    store = CollectionStore(root)
    collection, [problem] = store.load()
    assert [r.name for r in collection.requests()] == ["First", "Last"]
    assert problem.file == broken
    assert problem.line == _line_of(text, f'"{key}":')
    assert f'"request.{field}' in problem.message and words in problem.message
    assert f"{broken}, line {problem.line}" in str(problem)

    # Saving everything else, adding a request with the same name, renaming the folder's
    # sibling: the hand-edited file keeps every byte.
    store.save()
    store.save_request(SavedRequest("Get employee", RpcRequest(action="x_get"), folder="Employees"))
    [first] = collection.find("First")
    store.rename(first, "First renamed")
    assert broken.read_text() == text
    assert store.load()[1][0].file == broken


def test_several_wrong_fields_are_one_problem_naming_each(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    broken = root / "Employees" / "get-employee.request.json"
    text = _edit_request_file(broken, sync="yes", query=[1])
    [problem] = CollectionStore(root).load()[1]
    assert problem.line == _line_of(text, '"query":')  # the first in the file
    assert '"request.query"' in problem.message
    assert f'"request.sync" (line {_line_of(text, chr(34) + "sync")})' in problem.message


def test_the_line_is_the_key_of_the_request_object_not_a_same_named_key_inside_the_body(
    tmp_path: Path,
) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    broken = root / "Employees" / "get-employee.request.json"
    text = _edit_request_file(broken, body={"query": {"deep": True}}, query="q")
    [problem] = CollectionStore(root).load()[1]
    lines = text.splitlines()
    assert problem.line is not None
    assert lines[problem.line - 1].strip() == '"query": "q",'


@pytest.mark.parametrize(
    ("top", "words"),
    [
        ({"name": 5}, '"name": must be a string'),
        ({"description": ["a"]}, '"description": must be a string'),
        ({"expected_status": "200"}, '"expected_status": must be an HTTP status'),
    ],
)
def test_wrong_top_level_fields_are_reported_with_their_line(
    tmp_path: Path, top: dict[str, object], words: str
) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    broken = root / "Employees" / "get-employee.request.json"
    data = json.loads(broken.read_text())
    data.update(top)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    broken.write_text(text)
    [problem] = CollectionStore(root).load()[1]
    assert words in problem.message
    assert problem.line == _line_of(text, f'"{next(iter(top))}":')


def test_a_file_that_did_not_load_keeps_its_place_in_the_run_order(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    top = root / "first.request.json"
    good = top.read_text()
    top.write_text('{"name": "First",\n<<<<<<< HEAD\n')  # a bad merge
    store = CollectionStore(root)
    store.load()
    store.save_request(SavedRequest("New", RpcRequest(action="x_new")))
    order = json.loads((root / COLLECTION_FILE).read_text())["order"][""]
    assert order == ["first", "last", "new"]

    top.write_text(good)  # the person fixes it: it runs first again
    collection, problems = store.load()
    assert problems == []
    assert [r.name for r in collection.requests()][:3] == ["First", "Last", "New"]


def test_unknown_keys_inside_the_request_object_round_trip(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    path = root / "Employees" / "get-employee.request.json"
    _edit_request_file(path, retries=3, notes={"owner": "qa"})
    store = CollectionStore(root)
    collection, problems = store.load()
    assert problems == []
    [saved] = collection.find("Get employee")
    assert saved.request_extra == {"notes": {"owner": "qa"}, "retries": 3}

    saved.request.path = {"id": "2"}
    store.save_request(saved)
    written = json.loads(path.read_text())["request"]
    assert written["retries"] == 3 and written["notes"] == {"owner": "qa"}
    assert written["path"] == {"id": "2"} and written["timeout"] == 15.0

    # A copy (duplicate) carries them too.
    copy = store.duplicate(saved)
    assert copy.path is not None
    assert json.loads(copy.path.read_text())["request"]["retries"] == 3
    assert saved.copy(folder="").request_extra == saved.request_extra


def test_null_objects_and_missing_optional_fields_are_fine(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    _collection(root)
    path = root / "first.request.json"
    path.write_text(
        json.dumps({"name": "First", "request": {"action": "a_b", "query": None, "body": None}})
    )
    collection, problems = CollectionStore(root).load()
    assert problems == []
    [saved] = collection.find("First")
    assert saved.request == RpcRequest(action="a_b")


def test_key_places_follow_objects_not_strings_or_arrays() -> None:
    text = (
        '{"a": "x\\\\\\" \\"b\\": {", "list": [{"b": 1}],\n'
        '  "request": {\n    "b": [1, {"c": 2}],  "c": {"d": "}"}}}'
    )
    places = key_places(text)
    assert json.loads(text)  # valid JSON
    assert places[("a",)] == (1, 2)
    assert ("b",) not in places  # only inside a string, or inside an array
    assert places[("list", "[]", "b")] == (1, 35)
    assert places[("request", "b")] == (3, 5)
    assert places[("request", "c")] == (3, 26)
    assert places[("request", "c", "d")] == (3, 32)


def test_layout_is_one_readable_file_per_request(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    assert sorted(files_in(root)) == [
        "Candidates/create-candidate.request.json",
        "Employees/get-employee.request.json",
        COLLECTION_FILE,
        "list-employees.request.json",
    ]
    text = (root / "list-employees.request.json").read_text()
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == ["description", "expected_status", "name", "request"]
    assert "base_url" not in data["request"]  # the profile decides
    assert "timeout" not in data["request"]
    assert (
        json.loads((root / "Candidates/create-candidate.request.json").read_text())["request"][
            "timeout"
        ]
        == 15.0
    )


def test_load_then_save_rewrites_identical_bytes(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    before = files_in(root)
    store = reloaded(root)
    # force a real rewrite of every file, not the "unchanged" shortcut
    for path in root.rglob("*.json"):
        path.write_bytes(b"")
    store.save()
    assert files_in(root) == before


def test_one_field_change_is_a_one_line_diff(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    path = root / "Employees" / "get-employee.request.json"
    before = path.read_text().splitlines()
    store = reloaded(root)
    [saved] = store.collection.find("Get employee")
    saved.request.path = {"id": "2"}
    store.save_request(saved)
    after = path.read_text().splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ['-      "id": "1"', '+      "id": "2"']


def test_unknown_keys_in_files_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "smoke"
    create_sample(root)
    path = root / "list-employees.request.json"
    data = json.loads(path.read_text())
    data["x-owner"] = "qa-team"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    store = reloaded(root)
    [saved] = store.collection.find("List employees")
    saved.description = "changed"
    store.save_request(saved)
    assert json.loads(path.read_text())["x-owner"] == "qa-team"


def test_captures_are_kept_as_a_name_and_a_path_and_read_strictly(tmp_path: Path) -> None:
    from explorer.core.captures import Capture

    root = tmp_path / "chain"
    store = CollectionStore.create(root, "Chain")
    saved = SavedRequest(
        "List",
        RpcRequest(action="bamboohr_list_employees"),
        captures=[Capture("employee_id", "$.data[0].id")],
    )
    store.save_request(saved)
    assert saved.path is not None
    data = json.loads(saved.path.read_text())
    assert data["captures"] == [{"name": "employee_id", "path": "$.data[0].id"}]
    [again] = CollectionStore(root).load()[0].find("List")
    assert again.captures == [Capture("employee_id", "$.data[0].id")]

    # A hand-broken capture is named with its place; the file is not loaded (nor overwritten).
    data["captures"] = [{"name": "employee id", "path": "$.a"}, {"name": "b", "path": "data"}]
    saved.path.write_text(json.dumps(data, indent=2))
    collection, problems = CollectionStore(root).load()
    assert collection.find("List") == []
    [problem] = problems
    assert '"captures.0"' in problem.message and "variable name" in problem.message
    assert '"captures.1"' in problem.message and "RFC 9535" in problem.message
