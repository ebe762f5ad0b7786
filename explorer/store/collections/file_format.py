"""The collection format on disk: what people commit to git, written and read in one place.

A collection is a directory::

    smoke-tests/
      collection.json                   name, description, folder and request order, environments
      list-employees.request.json       a request at the top level
      Employees/
        get-employee.request.json       a request in the folder "Employees"

``collection.json``::

    {"format": "stackone-explorer-collection", "version": 1, "id": "<uuid hex>",
     "name": "...", "description": "...",
     "folders": ["Employees"],                          named folders, in order
     "order": {"": ["list-employees"], "Employees": ["get-employee"]},  run order, by file
     "environments": {"staging": {"variables": {"account_id": "acct_1"},
                                  "secrets": ["token"]}}}   secret *names* only

``<slug>.request.json``::

    {"name": "...", "description": "...", "expected_status": 200,   null: any 2xx
     "request": {"action": "...", "account_id": "...", "path": {...}, "query": {...},
                 "headers": {...}, "body": {...}, "defender_config": {...}, ...}}

Every file is written with ``dump_json`` (sorted keys, two-space indent, trailing newline), so
a one-field change is a one-line diff. A saved request leaves out the base URL and the timeout
while they have their defaults: the base URL then comes from the profile that runs the request,
which is what lets a colleague run the same collection against their own account and server.

Reading is strict: a field of the wrong type (``"sync": "yes"``, ``"query": [1]``) is a
``LoadProblem`` naming the field and the line of its key (``key_places``), rather than a default
that the next save would write over what the person typed. Unknown keys, at the top level or
inside ``"request"``, are kept and written back.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from explorer.core.captures import Capture
from explorer.core.request import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    OBJECT_FIELDS,
    DefenderConfig,
    RpcRequest,
    timeout_seconds,
)
from explorer.store.collections.model import (
    Collection,
    Environment,
    SavedRequest,
    is_folder_name,
    slugify,
)
from explorer.store.files import StoreFileError, load_store_file, read_json

CAPTURES = "captures"
COLLECTION_FILE = "collection.json"
REQUEST_SUFFIX = ".request.json"
FORMAT = "stackone-explorer-collection"
FORMAT_VERSION = 1

KeyPath = tuple[str, ...]
Problems = list[tuple[KeyPath, str]]


class RequestFileError(ValueError):
    """A request file is valid JSON but some fields have the wrong type or value.

    Attributes:
        problems: ``(key path, what is wrong)`` for each field, e.g.
            ``(("request", "sync"), "must be true or false, not a string")``; the store
            finds each key's line in the file's text.
    """

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{_field_label(k)}: {m}" for k, m in problems))


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be loaded (it is skipped; everything else still loads)."""

    file: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f", line {self.line}, column {self.column}" if self.line is not None else ""
        return f"{self.file}{where}: {self.message}"


# -- request files ---------------------------------------------------------------------------


def request_slug(saved: SavedRequest) -> str:
    """The request's file name without ``.request.json`` (its name's slug before the first
    save); unique within its folder."""
    if saved.path is None:
        return slugify(saved.name)
    return saved.path.name[: -len(REQUEST_SUFFIX)]


def request_to_file(saved: SavedRequest) -> dict[str, Any]:
    """The request file's content. Defaults the profile decides (base URL, timeout) are left
    out."""
    request = dict(saved.request_extra)
    request.update(saved.request.to_dict())
    if request.get("base_url") == DEFAULT_BASE_URL:
        del request["base_url"]
    if request.get("timeout") == DEFAULT_TIMEOUT:
        del request["timeout"]
    data = dict(saved.extra)
    data.update(
        {
            "name": saved.name,
            "description": saved.description,
            "expected_status": saved.expected_status,
            "request": request,
        }
    )
    if saved.captures:
        data["captures"] = [capture.to_dict() for capture in saved.captures]
    return data


def read_request_file(path: Path, folder: str) -> SavedRequest | LoadProblem:
    """The request in the file at ``path``, or what keeps it from loading (with its line)."""
    try:
        return request_from_file(read_json(path), folder=folder, path=path)
    except StoreFileError as exc:
        return _problem(exc)
    except RequestFileError as exc:
        return _located(path, exc)
    except ValueError as exc:
        return LoadProblem(path, None, None, str(exc))


def request_from_file(data: Any, *, folder: str, path: Path) -> SavedRequest:
    """Read a request file's JSON, strictly: a wrong field is an error, never a default
    (a default would be written back over the person's value by the next save).

    Raises:
        RequestFileError: fields have wrong types or values (each one named).
        ValueError: the JSON is not a saved request at all.
    """
    if not isinstance(data, dict):
        raise ValueError("not a saved request: the file must hold a JSON object")
    if "request" not in data:
        raise ValueError('not a saved request: it has no "request" object')
    problems: Problems = []
    status = data.get("expected_status")
    if status is not None and (
        not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599
    ):
        problems.append((("expected_status",), "must be an HTTP status such as 200, or null"))
        status = None
    name = _optional_string(data, "name", problems)
    description = _optional_string(data, "description", problems)
    raw = data["request"]
    if not isinstance(raw, dict):
        problems.append((("request",), f"must be a JSON object {{...}}, not {_kind(raw)}"))
        raw = {}
    request, request_extra = _read_rpc_request(raw, problems)
    captures = _read_captures(data.get("captures"), problems)
    if problems:
        raise RequestFileError(problems)
    known = {"name", "description", "expected_status", "request", "captures"}
    return SavedRequest(
        name=name or path.name[: -len(REQUEST_SUFFIX)],
        description=description,
        expected_status=status,
        request=request,
        folder=folder,
        path=path,
        extra={k: v for k, v in data.items() if k not in known},
        request_extra=request_extra,
        captures=captures,
    )


def _read_captures(raw: Any, problems: Problems) -> list[Capture]:
    """``"captures": [{"name": ..., "path": ...}]`` (absent or null: none); each wrong entry
    is noted with its index."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(((CAPTURES,), f"must be a list [...] or null, not {_kind(raw)}"))
        return []
    captures: list[Capture] = []
    names: set[str] = set()
    for index, item in enumerate(raw):
        where = (CAPTURES, str(index))
        if not isinstance(item, dict) or set(item) != {"name", "path"}:
            problems.append((where, 'must be an object {"name": ..., "path": ...}'))
            continue
        name, path = item["name"], item["path"]
        if not isinstance(name, str) or not isinstance(path, str):
            problems.append((where, "its name and path must be strings"))
            continue
        capture = Capture(name, path)
        problem = capture.problem() or (f"{name!r} is captured twice" if name in names else None)
        if problem:
            problems.append((where, problem))
            continue
        names.add(name)
        captures.append(capture)
    return captures


def _optional_string(data: Mapping[str, Any], key: str, problems: Problems) -> str:
    """``data[key]`` if it is a string; ``""`` when absent, null or (noted) of another type."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        problems.append(((key,), f"must be a string, not {_kind(value)}"))
    return value if isinstance(value, str) else ""


# The keys ``RpcRequest.to_dict`` writes; any other key inside "request" is kept as it is.
_REQUEST_KEYS = frozenset(RpcRequest().to_dict())
_DEFENDER_FLAGS = tuple(f.name for f in fields(DefenderConfig))

# Notes one wrong field of the "request" object: (key, what is wrong).
_Bad = Callable[[str, str], None]


def _read_rpc_request(raw: dict[str, Any], problems: Problems) -> tuple[RpcRequest, dict[str, Any]]:
    """The ``"request"`` object as an ``RpcRequest`` plus its unknown keys. Each wrong field is
    added to ``problems``; a missing field takes its default (files leave defaults out)."""
    request = RpcRequest()

    def bad(key: str, message: str) -> None:
        problems.append((("request", key), message))

    _read_texts_and_objects(raw, request, bad)
    _read_defender(raw, request, bad, problems)
    _read_switches(raw, request, bad)
    _read_base_url(raw, request, bad)
    _read_timeout(raw, request, bad)
    extra = {k: v for k, v in raw.items() if k not in _REQUEST_KEYS}
    return request, extra


def _read_texts_and_objects(raw: dict[str, Any], request: RpcRequest, bad: _Bad) -> None:
    for key in ("action", "account_id", "connector_profile_id"):
        value = raw.get(key, "")
        if isinstance(value, str):
            setattr(request, key, value)
        else:
            bad(key, f"must be a string, not {_kind(value)}")
    for key in OBJECT_FIELDS:
        value = raw.get(key)
        if value is None or isinstance(value, dict):
            setattr(request, key, value)
        else:
            bad(key, f"must be a JSON object {{...}} or null, not {_kind(value)}")


def _read_defender(raw: dict[str, Any], request: RpcRequest, bad: _Bad, problems: Problems) -> None:
    defender = raw.get("defender_config")
    if isinstance(defender, dict):
        for flag, value in defender.items():
            where = ("request", "defender_config", flag)
            if flag not in _DEFENDER_FLAGS:
                problems.append(
                    (where, f"is not a Defender setting ({', '.join(_DEFENDER_FLAGS)})")
                )
            elif value is not None and not isinstance(value, bool):
                problems.append((where, f"must be true, false or null, not {_kind(value)}"))
            else:
                setattr(request.defender, flag, value)
    elif defender is not None:
        bad("defender_config", f"must be a JSON object {{...}} or null, not {_kind(defender)}")
    enabled = raw.get("defender_enabled")
    if enabled is None or isinstance(enabled, bool):
        request.defender_enabled = enabled
    else:
        bad("defender_enabled", f"must be true, false or null, not {_kind(enabled)}")


def _read_switches(raw: dict[str, Any], request: RpcRequest, bad: _Bad) -> None:
    for key in ("sync", "debug"):
        value = raw.get(key, False)
        if isinstance(value, bool):
            setattr(request, key, value)
        else:
            bad(key, f"must be true or false, not {_kind(value)}")


def _read_base_url(raw: dict[str, Any], request: RpcRequest, bad: _Bad) -> None:
    base_url = raw.get("base_url", DEFAULT_BASE_URL)
    if isinstance(base_url, str):
        request.base_url = base_url or DEFAULT_BASE_URL
    else:
        bad(
            "base_url",
            f"must be a URL string such as {DEFAULT_BASE_URL}, not {_kind(base_url)} "
            "(leave it out to use the profile's)",
        )


def _read_timeout(raw: dict[str, Any], request: RpcRequest, bad: _Bad) -> None:
    timeout = raw.get("timeout", DEFAULT_TIMEOUT)
    seconds = timeout_seconds(timeout)
    if seconds is not None and seconds <= MAX_TIMEOUT:
        request.timeout = seconds
        return
    number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    shown = (f"{timeout:.6g}" if isinstance(timeout, float) else "that") if number else ""
    bad(
        "timeout",
        f"must be a positive number of seconds, not {shown if number else _kind(timeout)} "
        f"(at most {MAX_TIMEOUT:g})",
    )


# -- collection.json -------------------------------------------------------------------------


@dataclass
class CollectionFile:
    """What ``collection.json`` says, with defaults for whatever it does not say.

    Attributes:
        collection: id, name, description, environments and unknown keys; the folders and
            their requests are the store's to read.
        folders: the folder names it lists that can be directories, in order.
        order: each folder's run order (request file slugs), as written.
        problems: why the file (or some of its fields) could not be used.
        damaged: the next save would rewrite something the person wrote: keep the file as
            ``collection.json.corrupt`` first.
    """

    collection: Collection
    folders: list[str]
    order: dict[str, list[Any]]
    problems: list[LoadProblem]
    damaged: bool


# The type each known field of collection.json must have, in words for the message.
_META_FIELDS: dict[str, tuple[type, str]] = {
    "id": (str, "a string"),
    "name": (str, "a string"),
    "description": (str, "a string"),
    "folders": (list, "an array of folder names"),
    "order": (dict, "an object of folder name -> request order"),
    "environments": (dict, "an object of environment name -> variables"),
}
_META_KEYS = frozenset({"format", "version", *_META_FIELDS})


def read_collection_file(root: Path) -> CollectionFile:
    """``root``'s ``collection.json``; never raises (a missing or broken file is a problem,
    and the collection still loads with its folder's name)."""
    path = root / COLLECTION_FILE
    problems: list[LoadProblem] = []
    loaded = load_store_file(path)
    if loaded.missing:
        message = "missing: it is created when the collection is saved"
        problems.append(LoadProblem(path, None, None, message))
    elif loaded.error is not None:
        problems.append(_problem(loaded.error))
    meta = loaded.data
    damaged = loaded.damaged
    wrong = _wrong_meta_fields(meta)
    if wrong:
        # The next save rewrites these fields: keep the file as it was first.
        damaged = True
        problems.append(_located_meta(path, wrong))
    collection = Collection(
        root,
        id=_text(meta.get("id")) or uuid.uuid4().hex,
        name=_text(meta.get("name")) or root.name,
        description=_text(meta.get("description")),
        extra={k: v for k, v in meta.items() if k not in _META_KEYS},
    )
    envs = meta.get("environments")
    if isinstance(envs, dict):
        collection.environments = {
            str(k): environment_from_file(str(k), v) for k, v in envs.items()
        }
    order = meta.get("order")
    folders = meta.get("folders")
    listed = [n for n in (folders if isinstance(folders, list) else []) if isinstance(n, str)]
    return CollectionFile(
        collection,
        folders=[n for n in listed if is_folder_name(n)],
        order=order if isinstance(order, dict) else {},
        problems=problems,
        damaged=damaged,
    )


def collection_to_file(collection: Collection, order: Mapping[str, list[str]]) -> dict[str, Any]:
    """``collection.json``'s content; ``order`` is each folder's run order (by slug)."""
    data = dict(collection.extra)
    data.update(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "id": collection.id,
            "name": collection.name,
            "description": collection.description,
            "folders": collection.folder_names(),
            "order": dict(order),
            "environments": {n: environment_to_file(e) for n, e in collection.environments.items()},
        }
    )
    return data


def environment_to_file(env: Environment) -> dict[str, Any]:
    return {"variables": dict(env.variables), "secrets": sorted(set(env.secrets))}


def environment_from_file(name: str, data: Any) -> Environment:
    if not isinstance(data, dict):
        return Environment(name)
    raw_vars = data.get("variables")
    variables = (
        {str(k): str(v) for k, v in raw_vars.items() if v is not None}
        if isinstance(raw_vars, dict)
        else {}
    )
    raw_secrets = data.get("secrets")
    secrets = [str(s) for s in raw_secrets] if isinstance(raw_secrets, list) else []
    # A value for a secret name in the file is ignored: the keyring holds the real one.
    for secret in secrets:
        variables.pop(secret, None)
    return Environment(name, variables, secrets)


def _wrong_meta_fields(meta: dict[str, Any]) -> Problems:
    """The known fields of ``collection.json`` with a value of the wrong type."""
    wrong: Problems = []
    for key, (kind, words) in _META_FIELDS.items():
        if key in meta and not isinstance(meta[key], kind):
            wrong.append(((key,), f"must be {words}, not {_kind(meta[key])}"))
    return wrong


def _located_meta(path: Path, wrong: Problems) -> LoadProblem:
    problem = _located(path, RequestFileError(wrong))
    kept = f"; the file will be kept as {COLLECTION_FILE}.corrupt before it is next saved"
    return replace(problem, message=problem.message + kept)


# -- finding where a key is written ----------------------------------------------------------

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def key_places(text: str) -> dict[KeyPath, tuple[int, int]]:
    """The 1-based (line, column) of every object key in a valid JSON text, by its key path.

    Keys inside arrays are listed under a ``"[]"`` step, so they never shadow a path of
    objects only. For a duplicated key the last wins, as it does for ``json.loads``.
    """
    places: dict[KeyPath, tuple[int, int]] = {}
    containers: list[tuple[str, KeyPath]] = []  # ("{" or "[", path) of each open container
    last_key: KeyPath = ()
    expect_key = False
    position = 0
    while position < len(text):
        char = text[position]
        if char == '"':
            match = _JSON_STRING.match(text, position)
            end = match.end() if match else len(text)
            if expect_key and containers and containers[-1][0] == "{":
                last_key = (*containers[-1][1], json.loads(text[position:end]))
                line = text.count("\n", 0, position) + 1
                places[last_key] = (line, position - text.rfind("\n", 0, position))
                expect_key = False
            position = end
            continue
        if char in "{[":
            containers.append((char, _container_path(containers, last_key)))
            expect_key = char == "{"
        elif char in "}]":
            if containers:
                containers.pop()
            expect_key = False
        elif char == ",":
            expect_key = bool(containers) and containers[-1][0] == "{"
        position += 1
    return places


def _container_path(containers: list[tuple[str, KeyPath]], last_key: KeyPath) -> KeyPath:
    """The key path of a container opening inside ``containers`` (after key ``last_key``)."""
    if not containers:
        return ()
    if containers[-1][0] == "{":
        return last_key
    return (*containers[-1][1], "[]")


def _located(path: Path, error: RequestFileError) -> LoadProblem:
    """One problem for the file: the first wrong field's line, every field named."""
    try:
        places = key_places(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        places = {}
    found = sorted(
        ((places.get(key), key, message) for key, message in error.problems),
        key=lambda item: item[0] or (math.inf, 0),
    )
    (first_place, first_key, first_message), *others = found
    parts = [f"{_field_label(first_key)}: {first_message}"]
    for place, key, message in others:
        where = f" (line {place[0]})" if place else ""
        parts.append(f"{_field_label(key)}{where}: {message}")
    line, column = first_place or (None, None)
    return LoadProblem(path, line, column, "; ".join(parts))


def _problem(exc: StoreFileError) -> LoadProblem:
    return LoadProblem(exc.path, exc.line, exc.column, exc.message or str(exc))


def _kind(value: Any) -> str:
    """What a JSON value is, in words (the value itself is not shown: it may be private)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _field_label(key: KeyPath) -> str:
    return '"' + ".".join(key) + '"'


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
