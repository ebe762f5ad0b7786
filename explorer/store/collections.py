"""Collections: saved requests in a folder the user can commit to git and share.

A collection is a directory::

    smoke-tests/
      collection.json                   name, description, folder and request order, environments
      list-employees.request.json       a request at the top level
      Employees/
        get-employee.request.json       a request in the folder "Employees"

Every file is written with ``dump_json`` (sorted keys, two-space indent, trailing newline) and
``write_atomic``, so a one-field change is a one-line diff and a crash never leaves half a file.
Folders are one level deep, as in the collections pane.

No secret is ever written here. An environment lists the *names* of its secret variables; their
values live in the OS keyring (a ``CredentialStore``) under ``collection:<id>:<env>:<name>``,
keyed by the collection's id so that moving or renaming the folder keeps them. A literal
``Authorization`` value in a request's RPC headers is refused with advice to use a secret
variable instead.

A saved request leaves out the base URL and the timeout while they have their defaults: the
base URL then comes from the profile that runs the request, which is what lets a colleague run
the same collection against their own account and server.

Files a person broke by hand (or a bad ``git merge``) are reported as ``LoadProblem`` with the
file and line, and skipped; the rest of the collection loads. Request files are read strictly:
a field of the wrong type (``"sync": "yes"``, ``"query": [1]``) is such a problem too, naming
the field and the line of its key, rather than loading as a default that the next save would
write over what the person typed. A file that did not load is never rewritten and keeps its
place in the run order. Unknown keys, at the top level or inside ``"request"``, are kept.
``snapshot()`` is a cheap mtime listing so the UI can notice a ``git pull`` and reload.
"""

from __future__ import annotations

import contextlib
import copy as copying
import json
import math
import os
import re
import unicodedata
import uuid
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.curl import to_curl
from explorer.core.errors import ExplorerError
from explorer.core.request import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    OBJECT_FIELDS,
    DefenderConfig,
    RpcRequest,
    timeout_seconds,
)
from explorer.core.secrets import is_secret_header, is_template
from explorer.core.variables import fill
from explorer.store.files import (
    StoreFileError,
    StoreFileMissing,
    dump_json,
    encode_text,
    keep_damaged,
    read_json,
    remove_leftovers,
    write_atomic,
)

if TYPE_CHECKING:
    from explorer.store.credentials import CredentialStore

COLLECTION_FILE = "collection.json"
REQUEST_SUFFIX = ".request.json"
FORMAT = "stackone-explorer-collection"
FORMAT_VERSION = 1
ROOT_FOLDER = ""  # the collection's top level, shown without a folder node

# Characters Windows or POSIX refuse in a directory name, plus the path separators.
_BAD_FOLDER_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60


class CollectionError(ExplorerError):
    """A collection operation was refused; the message says why and what to do."""


KeyPath = tuple[str, ...]


class RequestFileError(ValueError):
    """A request file is valid JSON but some fields have the wrong type or value.

    Attributes:
        problems: ``(key path, what is wrong)`` for each field, e.g.
            ``(("request", "sync"), "must be true or false, not a string")``; the store
            finds each key's line in the file's text.
    """

    def __init__(self, problems: list[tuple[KeyPath, str]]) -> None:
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


@dataclass
class SavedRequest:
    """One request file. ``path`` is ``None`` until the request is first saved.

    Attributes:
        expected_status: the status the runner requires; ``None`` means "any 2xx".
        folder: the folder name, ``""`` for the collection's top level.
        extra: unknown keys found in the file, written back unchanged (newer versions,
            hand-added notes).
        request_extra: the same for unknown keys inside the file's ``"request"`` object.
    """

    name: str
    request: RpcRequest
    description: str = ""
    expected_status: int | None = None
    folder: str = ROOT_FOLDER
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    request_extra: dict[str, Any] = field(default_factory=dict)

    def copy(self, **changes: Any) -> SavedRequest:
        """An unsaved copy (``path`` ``None`` unless given) carrying every kept unknown key,
        for duplicating or moving a request to another collection."""
        clone = replace(
            self,
            request=self.request.copy(),
            path=None,
            extra=copying.deepcopy(self.extra),
            request_extra=copying.deepcopy(self.request_extra),
        )
        return replace(clone, **changes) if changes else clone

    @property
    def slug(self) -> str:
        """The file name without ``.request.json``; unique within its folder."""
        if self.path is None:
            return slugify(self.name)
        return self.path.name[: -len(REQUEST_SUFFIX)]

    @property
    def label(self) -> str:
        """``Folder/Name`` (or just ``Name`` at the top level): how the runner names it."""
        return f"{self.folder}/{self.name}" if self.folder else self.name

    def expects(self, status: int | None) -> bool:
        """Whether a response with ``status`` (``None``: no response) meets the expectation."""
        if status is None:
            return False
        if self.expected_status is None:
            return 200 <= status < 300
        return status == self.expected_status

    def expectation(self) -> str:
        return "2xx" if self.expected_status is None else str(self.expected_status)

    def to_file_dict(self) -> dict[str, Any]:
        """The file content. Defaults the profile decides (base URL, timeout) are left out."""
        request = dict(self.request_extra)
        request.update(self.request.to_dict())
        if request.get("base_url") == DEFAULT_BASE_URL:
            del request["base_url"]
        if request.get("timeout") == DEFAULT_TIMEOUT:
            del request["timeout"]
        data = dict(self.extra)
        data.update(
            {
                "name": self.name,
                "description": self.description,
                "expected_status": self.expected_status,
                "request": request,
            }
        )
        return data

    @classmethod
    def from_file_dict(cls, data: Any, *, folder: str, path: Path) -> SavedRequest:
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
        problems: list[tuple[KeyPath, str]] = []
        status = data.get("expected_status")
        if status is not None and (
            not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599
        ):
            problems.append((("expected_status",), "must be an HTTP status such as 200, or null"))
            status = None
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            problems.append((("name",), f"must be a string, not {_kind(name)}"))
        description = data.get("description")
        if description is not None and not isinstance(description, str):
            problems.append((("description",), f"must be a string, not {_kind(description)}"))
        raw = data["request"]
        if not isinstance(raw, dict):
            problems.append((("request",), f"must be a JSON object {{...}}, not {_kind(raw)}"))
            raw = {}
        request, request_extra = _read_rpc_request(raw, problems)
        if problems:
            raise RequestFileError(problems)
        known = {"name", "description", "expected_status", "request"}
        return cls(
            name=name if isinstance(name, str) and name else path.name[: -len(REQUEST_SUFFIX)],
            description=description if isinstance(description, str) else "",
            expected_status=status,
            request=request,
            folder=folder,
            path=path,
            extra={k: v for k, v in data.items() if k not in known},
            request_extra=request_extra,
        )


# The keys ``RpcRequest.to_dict`` writes; any other key inside "request" is kept as it is.
_REQUEST_KEYS = frozenset(RpcRequest().to_dict())
_DEFENDER_FLAGS = tuple(f.name for f in fields(DefenderConfig))


def _read_rpc_request(
    raw: dict[str, Any], problems: list[tuple[KeyPath, str]]
) -> tuple[RpcRequest, dict[str, Any]]:
    """The ``"request"`` object as an ``RpcRequest`` plus its unknown keys. Each wrong field is
    added to ``problems``; a missing field takes its default (files leave defaults out)."""
    request = RpcRequest()

    def bad(key: str, message: str) -> None:
        problems.append((("request", key), message))

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
    for key in ("sync", "debug"):
        value = raw.get(key, False)
        if isinstance(value, bool):
            setattr(request, key, value)
        else:
            bad(key, f"must be true or false, not {_kind(value)}")
    base_url = raw.get("base_url", DEFAULT_BASE_URL)
    if isinstance(base_url, str):
        request.base_url = base_url or DEFAULT_BASE_URL
    else:
        bad(
            "base_url",
            f"must be a URL string such as {DEFAULT_BASE_URL}, not {_kind(base_url)} "
            "(leave it out to use the profile's)",
        )
    timeout = raw.get("timeout", DEFAULT_TIMEOUT)
    seconds = timeout_seconds(timeout)
    if seconds is not None and seconds <= MAX_TIMEOUT:
        request.timeout = seconds
    else:
        number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
        shown = (f"{timeout:.6g}" if isinstance(timeout, float) else "that") if number else ""
        bad(
            "timeout",
            f"must be a positive number of seconds, not {shown if number else _kind(timeout)} "
            f"(at most {MAX_TIMEOUT:g})",
        )
    extra = {k: v for k, v in raw.items() if k not in _REQUEST_KEYS}
    return request, extra


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
            if not containers:
                path: KeyPath = ()
            elif containers[-1][0] == "{":
                path = last_key
            else:
                path = (*containers[-1][1], "[]")
            containers.append((char, path))
            expect_key = char == "{"
        elif char in "}]":
            if containers:
                containers.pop()
            expect_key = False
        elif char == ",":
            expect_key = bool(containers) and containers[-1][0] == "{"
        position += 1
    return places


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


@dataclass
class Folder:
    """A folder of requests, in run order. The top level is the folder named ``""``."""

    name: str
    requests: list[SavedRequest] = field(default_factory=list)


@dataclass
class Environment:
    """Values for ``{{name}}`` placeholders, e.g. "staging" or "customer X prod".

    ``variables`` are written to ``collection.json``; ``secrets`` only names variables whose
    values are in the OS keyring.
    """

    name: str
    variables: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"variables": dict(self.variables), "secrets": sorted(set(self.secrets))}

    @classmethod
    def from_dict(cls, name: str, data: Any) -> Environment:
        if not isinstance(data, dict):
            return cls(name)
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
        return cls(name, variables, secrets)


@dataclass
class Collection:
    """A loaded collection. ``folders[0]`` is always the top level (name ``""``)."""

    root: Path
    id: str
    name: str
    description: str = ""
    folders: list[Folder] = field(default_factory=lambda: [Folder(ROOT_FOLDER)])
    environments: dict[str, Environment] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def folder(self, name: str) -> Folder | None:
        for folder in self.folders:
            if folder.name == name:
                return folder
        return None

    def folder_names(self) -> list[str]:
        """The named folders (not the top level), in order."""
        return [f.name for f in self.folders if f.name != ROOT_FOLDER]

    def requests(self) -> list[SavedRequest]:
        """Every request in run order: the top level first, then each folder in order."""
        return [r for folder in self.folders for r in folder.requests]

    def find(self, name: str) -> list[SavedRequest]:
        """Requests called ``name`` (ignoring case), or whose ``Folder/Name`` label matches."""
        wanted = name.strip().casefold()
        return [
            r
            for r in self.requests()
            if r.name.casefold() == wanted or r.label.casefold() == wanted
        ]


@dataclass
class DeletedRequest:
    """Everything ``CollectionStore.restore`` needs to undo a delete."""

    saved: SavedRequest
    content: bytes
    index: int


@dataclass
class DeletedFolder:
    """Everything ``CollectionStore.restore_folder`` needs to undo a folder delete."""

    name: str
    index: int
    requests: list[DeletedRequest]


Snapshot = dict[str, tuple[int, int]]


def slugify(name: str) -> str:
    """A file-name-safe, lower-case form of ``name`` ("List employees" -> "list-employees")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_JUNK.sub("-", ascii_name.lower()).strip("-")[:_SLUG_MAX].strip("-")
    return slug or "request"


def check_folder_name(name: str) -> str:
    """The folder name trimmed, if it can be a directory on every OS.

    Raises:
        CollectionError: it is empty, starts with a dot, or has characters like ``/`` or ``:``.
    """
    clean = name.strip()
    if not clean:
        raise CollectionError("Enter a folder name.")
    if clean.startswith(".") or _BAD_FOLDER_CHARS.search(clean):
        raise CollectionError(
            f"{clean!r} cannot be a folder name: it must not start with a dot or contain "
            '< > : " / \\ | ? * characters.'
        )
    return clean


def literal_secrets(request: RpcRequest) -> list[str]:
    """Names of secret-bearing headers in the RPC ``headers`` whose value is not a variable."""
    headers = request.headers if isinstance(request.headers, dict) else {}
    return [
        key for key, value in headers.items() if is_secret_header(key) and not is_template(value)
    ]


def is_collection(path: Path) -> bool:
    """Whether ``path`` holds a ``collection.json``; ``False`` for any unusable path."""
    try:
        return (Path(path) / COLLECTION_FILE).is_file()
    except (OSError, ValueError):  # e.g. a NUL in a path remembered in the settings
        return False


def find_collections(directory: Path) -> list[Path]:
    """The collection folders directly inside ``directory`` (the default place), sorted."""
    try:
        children = sorted(p for p in Path(directory).iterdir() if p.is_dir())
    except OSError:
        return []
    return [p for p in children if is_collection(p)]


class CollectionStore:
    """Reads and changes one collection folder. Every change is written at once, atomically.

    Args:
        root: the collection folder.
        credentials: where secret variable values live; needed only for secrets.
    """

    def __init__(self, root: Path, *, credentials: CredentialStore | None = None) -> None:
        self.root = Path(root)
        self.credentials = credentials
        self.collection = Collection(self.root, id=uuid.uuid4().hex, name=self.root.name)
        self.problems: list[LoadProblem] = []
        self._meta_damaged = False
        self._snapshot: Snapshot = {}
        # Files that did not load, by folder: (place in the run order, slug). They keep their
        # place in collection.json so that fixing the file puts it back where it was.
        self._unloaded: dict[str, list[tuple[int, str]]] = {}

    # -- creating and loading ------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        name: str,
        *,
        description: str = "",
        credentials: CredentialStore | None = None,
    ) -> CollectionStore:
        """Make a new, empty collection in ``root`` (created if needed).

        Raises:
            CollectionError: ``root`` already holds a collection.
        """
        root = Path(root)
        if is_collection(root):
            raise CollectionError(
                f"{root} already holds a collection: open it instead of creating a new one."
            )
        root.mkdir(parents=True, exist_ok=True)
        store = cls(root, credentials=credentials)
        store.collection.name = name.strip() or root.name
        store.collection.description = description
        store._write_meta()
        return store

    def load(self) -> tuple[Collection, list[LoadProblem]]:
        """(Re)read the whole folder. Broken files are reported in the list and skipped.

        Raises:
            CollectionError: ``root`` is not a directory.
        """
        if not self.root.is_dir():
            raise CollectionError(
                f"{self.root} is not a folder. Choose the folder that contains collection.json."
            )
        problems: list[LoadProblem] = []
        meta: dict[str, Any] = {}
        self._meta_damaged = False
        meta_path = self.root / COLLECTION_FILE
        try:
            data = read_json(meta_path)
            if not isinstance(data, dict):
                raise StoreFileError(meta_path, message="must hold a JSON object {...}")
            meta = data
        except StoreFileMissing:
            problems.append(
                LoadProblem(
                    meta_path, None, None, "missing: it is created when the collection is saved"
                )
            )
        except StoreFileError as exc:
            self._meta_damaged = True
            problems.append(_problem(exc))

        wrong = _wrong_meta_fields(meta)
        if wrong:
            # The next save rewrites these fields: keep the file as it was first.
            self._meta_damaged = True
            problems.append(_located_meta(meta_path, wrong))
        collection = Collection(
            self.root,
            id=_text(meta.get("id")) or uuid.uuid4().hex,
            name=_text(meta.get("name")) or self.root.name,
            description=_text(meta.get("description")),
            extra={
                k: v
                for k, v in meta.items()
                if k
                not in {
                    "format",
                    "version",
                    "id",
                    "name",
                    "description",
                    "folders",
                    "order",
                    "environments",
                }
            },
        )
        envs = meta.get("environments")
        if isinstance(envs, dict):
            collection.environments = {
                str(k): Environment.from_dict(str(k), v) for k, v in envs.items()
            }
        order = meta.get("order") if isinstance(meta.get("order"), dict) else {}
        assert isinstance(order, dict)

        folders = meta.get("folders")
        listed = [n for n in (folders if isinstance(folders, list) else []) if isinstance(n, str)]
        listed = [n for n in listed if _folder_ok(n)]
        remove_leftovers(self.root)
        on_disk = sorted(
            p.name for p in _children(self.root) if _folder_ok(p.name) and _holds_requests(p)
        )
        names = list(dict.fromkeys([*listed, *on_disk]))
        collection.folders = [Folder(ROOT_FOLDER)] + [Folder(n) for n in names]
        self._unloaded = {}
        for folder in collection.folders:
            wanted = order.get(folder.name)
            folder.requests = self._load_folder(
                folder.name, wanted if isinstance(wanted, list) else [], problems
            )

        self.collection = collection
        self.problems = problems
        self._snapshot = self.snapshot()
        return collection, problems

    def _load_folder(
        self, name: str, order: list[Any], problems: list[LoadProblem]
    ) -> list[SavedRequest]:
        directory = self._dir(name)
        try:
            files = sorted(directory.glob("*" + REQUEST_SUFFIX))
        except OSError:
            files = []
        rank = {str(slug): i for i, slug in enumerate(order)}
        files.sort(key=lambda p: (rank.get(p.name[: -len(REQUEST_SUFFIX)], len(rank)), p.name))
        loaded = []
        for place, path in enumerate(files):
            try:
                loaded.append(SavedRequest.from_file_dict(read_json(path), folder=name, path=path))
                continue
            except StoreFileError as exc:
                problems.append(_problem(exc))
            except RequestFileError as exc:
                problems.append(_located(path, exc))
            except ValueError as exc:
                problems.append(LoadProblem(path, None, None, str(exc)))
            self._unloaded.setdefault(name, []).append((place, path.name[: -len(REQUEST_SUFFIX)]))
        return loaded

    # -- noticing changes on disk ----------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """(mtime_ns, size) of ``collection.json`` and every request file, by relative path.

        Cheap enough to poll every couple of seconds: one directory listing per folder.
        """
        out: Snapshot = {}
        candidates = [self.root / COLLECTION_FILE, *self.root.glob("*" + REQUEST_SUFFIX)]
        candidates += self.root.glob("*/*" + REQUEST_SUFFIX)
        for path in candidates:
            with contextlib.suppress(OSError):
                st = path.stat()
                out[path.relative_to(self.root).as_posix()] = (st.st_mtime_ns, st.st_size)
        return out

    def changed_since_load(self) -> bool:
        """True when another program (``git pull``, an editor) changed the files since the
        last ``load`` or change made through this store."""
        return self.snapshot() != self._snapshot

    # -- requests --------------------------------------------------------------------------

    def save_request(self, saved: SavedRequest) -> SavedRequest:
        """Write ``saved``: a new request (``path`` is ``None``) gets a file in its folder and
        goes last in it; an existing one is rewritten in place.

        Raises:
            CollectionError: the request holds a literal secret header.
            StoreFileError: the disk refused the write.
        """
        secrets = literal_secrets(saved.request)
        if secrets:
            raise CollectionError(
                f"The RPC header {secrets[0]!r} holds a literal value, and collections never "
                "store secrets. Make it a secret variable of the environment and write "
                "{{name}} in the header instead."
            )
        if not saved.name.strip():
            raise CollectionError("Enter a name for the request.")
        saved.name = saved.name.strip()
        if saved.path is None:
            folder = self._folder_for_write(saved.folder)
            saved.folder = folder.name
            saved.path = self._free_path(folder.name, slugify(saved.name))
            self._write_request(saved)
            folder.requests.append(saved)
            self._write_meta()
        else:
            self._write_request(saved)
            self._remember()
        return saved

    def rename(self, saved: SavedRequest, new_name: str) -> SavedRequest:
        """Give ``saved`` a new name; its file follows (as ``git mv`` would)."""
        if not new_name.strip():
            raise CollectionError("Enter a name for the request.")
        self._locate(saved)
        saved.name = new_name.strip()
        old = saved.path
        assert old is not None
        if slugify(saved.name) != saved.slug:
            saved.path = self._free_path(saved.folder, slugify(saved.name))
            self._write_request(saved)
            old.unlink(missing_ok=True)
            self._write_meta()
        else:
            self._write_request(saved)
            self._remember()
        return saved

    def duplicate(self, saved: SavedRequest) -> SavedRequest:
        """A copy named "<name> copy", placed right after the original."""
        folder, index = self._locate(saved)
        copy = saved.copy(name=f"{saved.name} copy")
        copy.path = self._free_path(folder.name, slugify(copy.name))
        self._write_request(copy)
        folder.requests.insert(index + 1, copy)
        self._write_meta()
        return copy

    def move(self, saved: SavedRequest, folder_name: str, index: int | None = None) -> None:
        """Put ``saved`` into ``folder_name`` at ``index`` (default: last). Within one folder
        this reorders; across folders the file moves to the other directory."""
        source, old_index = self._locate(saved)
        target = self._folder_for_write(folder_name)
        source.requests.pop(old_index)
        if target is source and index is not None and index > old_index:
            index -= 1
        if target is not source:
            old = saved.path
            assert old is not None
            new = self._free_path(target.name, saved.slug)
            os.replace(old, new)
            saved.path = new
            saved.folder = target.name
        position = len(target.requests) if index is None else max(0, index)
        target.requests.insert(min(position, len(target.requests)), saved)
        self._write_meta()

    def delete(self, saved: SavedRequest) -> DeletedRequest:
        """Remove the request's file. Keep the result to ``restore`` it (undo)."""
        folder, index = self._locate(saved)
        assert saved.path is not None
        try:
            content = saved.path.read_bytes()
        except OSError:
            content = encode_text(dump_json(saved.to_file_dict()))
        saved.path.unlink(missing_ok=True)
        folder.requests.pop(index)
        self._write_meta()
        return DeletedRequest(saved, content, index)

    def restore(self, deleted: DeletedRequest) -> SavedRequest:
        """Undo ``delete``: the same bytes come back, at the same place when still free."""
        saved = deleted.saved
        folder = self._folder_for_write(saved.folder)
        assert saved.path is not None
        if saved.path.exists():
            saved.path = self._free_path(folder.name, saved.slug)
        saved.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(saved.path, deleted.content)
        folder.requests.insert(min(deleted.index, len(folder.requests)), saved)
        self._write_meta()
        return saved

    # -- folders ---------------------------------------------------------------------------

    def create_folder(self, name: str) -> Folder:
        """Add an (empty) folder at the end.

        Raises:
            CollectionError: bad name, or a folder with that name (ignoring case) exists.
        """
        clean = check_folder_name(name)
        if any(f.casefold() == clean.casefold() for f in self.collection.folder_names()):
            raise CollectionError(f"A folder called {clean!r} already exists.")
        self._dir(clean).mkdir(parents=True, exist_ok=True)
        folder = Folder(clean)
        self.collection.folders.append(folder)
        self._write_meta()
        return folder

    def rename_folder(self, old: str, new: str) -> Folder:
        folder = self.collection.folder(old)
        if folder is None or old == ROOT_FOLDER:
            raise CollectionError(f"There is no folder called {old!r}.")
        clean = check_folder_name(new)
        if clean == old:
            return folder
        others = [f for f in self.collection.folder_names() if f != old]
        if any(f.casefold() == clean.casefold() for f in others):
            raise CollectionError(f"A folder called {clean!r} already exists.")
        if self._dir(old).exists():
            os.replace(self._dir(old), self._dir(clean))
        folder.name = clean
        if old in self._unloaded:
            self._unloaded[clean] = self._unloaded.pop(old)
        for saved in folder.requests:
            saved.folder = clean
            if saved.path is not None:
                saved.path = self._dir(clean) / saved.path.name
        self._write_meta()
        return folder

    def delete_folder(self, name: str) -> DeletedFolder:
        """Delete a folder and its requests. Keep the result to ``restore_folder`` it."""
        folder = self.collection.folder(name)
        if folder is None or name == ROOT_FOLDER:
            raise CollectionError(f"There is no folder called {name!r}.")
        index = self.collection.folders.index(folder)
        deleted = []
        for saved in list(folder.requests):
            deleted.append(self.delete(saved))
        self.collection.folders.remove(folder)
        with contextlib.suppress(OSError):
            self._dir(name).rmdir()  # only if nothing else (a README, say) is left in it
        self._write_meta()
        return DeletedFolder(name, index, deleted)

    def restore_folder(self, deleted: DeletedFolder) -> Folder:
        folder = Folder(deleted.name)
        self._dir(deleted.name).mkdir(parents=True, exist_ok=True)
        position = min(deleted.index, len(self.collection.folders))
        self.collection.folders.insert(max(1, position), folder)
        for item in reversed(deleted.requests):  # each index was taken after the one before
            self.restore(item)
        self._write_meta()
        return folder

    # -- collection details and environments -------------------------------------------------

    def set_info(self, name: str, description: str) -> None:
        self.collection.name = name.strip() or self.root.name
        self.collection.description = description
        self._write_meta()

    def secret_key(self, environment: str, variable: str) -> str:
        """The keyring entry holding a secret variable's value.

        The ``collection:`` prefix is how the keyring layer tells these entries from profile
        API keys in its messages (``credentials.VARIABLE_ENTRY_PREFIX``).
        """
        return f"collection:{self.collection.id}:{environment}:{variable}"

    def set_environment(self, env: Environment) -> None:
        """Add or replace an environment (its secret values are set with ``set_variable``)."""
        if not env.name.strip():
            raise CollectionError("Enter a name for the environment.")
        for secret in env.secrets:
            env.variables.pop(secret, None)
        self.collection.environments[env.name] = env
        self._write_meta()

    def rename_environment(self, old: str, new: str) -> None:
        env = self._environment(old)
        if not new.strip():
            raise CollectionError("Enter a name for the environment.")
        if new != old and new in self.collection.environments:
            raise CollectionError(f"An environment called {new!r} already exists.")
        for secret in env.secrets:
            value = self._secrets().get(self.secret_key(old, secret))
            if value is not None:
                self._secrets().set(self.secret_key(new, secret), value)
                self._secrets().delete(self.secret_key(old, secret))
        del self.collection.environments[old]
        env.name = new
        self.collection.environments[new] = env
        self._write_meta()

    def delete_environment(self, name: str) -> Environment:
        """Remove an environment and its secret values from the keyring."""
        env = self._environment(name)
        if env.secrets:
            for secret in env.secrets:
                self._secrets().delete(self.secret_key(name, secret))
        del self.collection.environments[name]
        self._write_meta()
        return env

    def set_variable(self, environment: str, name: str, value: str, *, secret: bool) -> None:
        """Define a variable; a secret one goes to the keyring, its name to the file."""
        env = self._environment(environment)
        if not name.strip():
            raise CollectionError("Enter a variable name.")
        if secret:
            self._secrets().set(self.secret_key(environment, name), value)
            env.variables.pop(name, None)
            if name not in env.secrets:
                env.secrets.append(name)
        else:
            if name in env.secrets:
                env.secrets.remove(name)
                self._secrets().delete(self.secret_key(environment, name))
            env.variables[name] = value
        self._write_meta()

    def delete_variable(self, environment: str, name: str) -> None:
        env = self._environment(environment)
        env.variables.pop(name, None)
        if name in env.secrets:
            env.secrets.remove(name)
            self._secrets().delete(self.secret_key(environment, name))
        self._write_meta()

    def environment_values(self, name: str, *, skip: Container[str] = ()) -> dict[str, str]:
        """Every value of environment ``name``, secrets read from the keyring.

        A secret with no value in this machine's keyring is left out, so resolving a request
        that uses it reports it as unresolved (a colleague must set their own).

        Args:
            skip: secret names not to read, because the caller has their values from
                elsewhere (the runner's ``--var``); with every secret skipped the keyring is
                never asked, so a CI machine without one is fine.

        Raises:
            CollectionError: no such environment.
            KeyringUnavailable: the environment has secrets to read but there is no keyring.
        """
        env = self._environment(name)
        values = dict(env.variables)
        for secret in env.secrets:
            if secret in skip:
                continue
            value = self._secrets().get(self.secret_key(name, secret))
            if value is not None:
                values[secret] = value
        return values

    def missing_secrets(self, name: str) -> list[str]:
        """Secret names of ``name`` that have no value in this machine's keyring."""
        env = self._environment(name)
        return [s for s in env.secrets if self._secrets().get(self.secret_key(name, s)) is None]

    # -- writing everything ------------------------------------------------------------------

    def save(self) -> None:
        """Write ``collection.json`` and every request file (unchanged files are not touched,
        so their mtimes stay and git sees nothing)."""
        for saved in self.collection.requests():
            if saved.path is None:
                self.save_request(saved)
            else:
                self._write_request(saved)
        self._write_meta()

    # -- internals ---------------------------------------------------------------------------

    def _secrets(self) -> CredentialStore:
        if self.credentials is None:
            raise CollectionError(
                "Secret variables need the OS keyring, and none was given to this collection."
            )
        return self.credentials

    def _environment(self, name: str) -> Environment:
        env = self.collection.environments.get(name)
        if env is None:
            known = ", ".join(sorted(self.collection.environments)) or "none defined"
            raise CollectionError(f"There is no environment called {name!r} ({known}).")
        return env

    def _dir(self, folder: str) -> Path:
        return self.root / folder if folder else self.root

    def _folder_for_write(self, name: str) -> Folder:
        folder = self.collection.folder(name)
        if folder is None:
            folder = Folder(check_folder_name(name))
            self.collection.folders.append(folder)
        self._dir(folder.name).mkdir(parents=True, exist_ok=True)
        return folder

    def _free_path(self, folder: str, slug: str) -> Path:
        directory = self._dir(folder)
        taken = {r.slug for f in self.collection.folders if f.name == folder for r in f.requests}
        candidate, n = slug, 1
        while candidate in taken or (directory / (candidate + REQUEST_SUFFIX)).exists():
            n += 1
            candidate = f"{slug}-{n}"
        return directory / (candidate + REQUEST_SUFFIX)

    def _locate(self, saved: SavedRequest) -> tuple[Folder, int]:
        for folder in self.collection.folders:
            for index, candidate in enumerate(folder.requests):
                if candidate is saved or (saved.path is not None and candidate.path == saved.path):
                    return folder, index
        raise CollectionError(
            f"{saved.name!r} is not in this collection any more (was it changed on disk?). "
            "Reload the collection and try again."
        )

    def _write_request(self, saved: SavedRequest) -> None:
        assert saved.path is not None
        saved.path.parent.mkdir(parents=True, exist_ok=True)
        _write_if_changed(saved.path, dump_json(saved.to_file_dict()))

    def _meta_dict(self) -> dict[str, Any]:
        c = self.collection
        data = dict(c.extra)
        data.update(
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "id": c.id,
                "name": c.name,
                "description": c.description,
                "folders": c.folder_names(),
                "order": {f.name: self._order(f) for f in c.folders},
                "environments": {n: e.to_dict() for n, e in c.environments.items()},
            }
        )
        return data

    def _order(self, folder: Folder) -> list[str]:
        """The folder's run order for collection.json, files that did not load included."""
        slugs = [r.slug for r in folder.requests]
        for place, slug in self._unloaded.get(folder.name, []):
            on_disk = (self._dir(folder.name) / (slug + REQUEST_SUFFIX)).exists()
            if on_disk and slug not in slugs:
                slugs.insert(min(place, len(slugs)), slug)
        return slugs

    def _write_meta(self) -> None:
        path = self.root / COLLECTION_FILE
        if self._meta_damaged:
            keep_damaged(path)
            self._meta_damaged = False
        _write_if_changed(path, dump_json(self._meta_dict()))
        self._remember()

    def _remember(self) -> None:
        self._snapshot = self.snapshot()


def _write_if_changed(path: Path, text: str) -> None:
    payload = encode_text(text)
    with contextlib.suppress(OSError):
        if path.read_bytes() == payload:
            return
    write_atomic(path, payload)


# The type each known field of collection.json must have, in words for the message.
_META_FIELDS: dict[str, tuple[type, str]] = {
    "id": (str, "a string"),
    "name": (str, "a string"),
    "description": (str, "a string"),
    "folders": (list, "an array of folder names"),
    "order": (dict, "an object of folder name -> request order"),
    "environments": (dict, "an object of environment name -> variables"),
}


def _wrong_meta_fields(meta: dict[str, Any]) -> list[tuple[KeyPath, str]]:
    """The known fields of ``collection.json`` with a value of the wrong type."""
    wrong: list[tuple[KeyPath, str]] = []
    for key, (kind, words) in _META_FIELDS.items():
        if key in meta and not isinstance(meta[key], kind):
            wrong.append(((key,), f"must be {words}, not {_kind(meta[key])}"))
    return wrong


def _located_meta(path: Path, wrong: list[tuple[KeyPath, str]]) -> LoadProblem:
    problem = _located(path, RequestFileError(wrong))
    kept = f"; the file will be kept as {COLLECTION_FILE}.corrupt before it is next saved"
    return replace(problem, message=problem.message + kept)


def _children(directory: Path) -> list[Path]:
    """The sub-folders of ``directory``; none if it cannot be listed."""
    try:
        return [p for p in directory.iterdir() if p.is_dir()]
    except OSError:
        return []


def _holds_requests(folder: Path) -> bool:
    try:
        return any(folder.glob("*" + REQUEST_SUFFIX))
    except OSError:
        return False


def _problem(exc: StoreFileError) -> LoadProblem:
    return LoadProblem(exc.path, exc.line, exc.column, exc.message or str(exc))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _folder_ok(name: str) -> bool:
    try:
        check_folder_name(name)
    except CollectionError:
        return False
    return name == name.strip()


def requests_named(collection: Collection, names: Iterable[str]) -> list[SavedRequest]:
    """The requests matching any of ``names`` (see ``Collection.find``), in run order.

    Raises:
        CollectionError: a name matches nothing (the message lists what exists).
    """
    chosen: set[int] = set()
    for name in names:
        found = collection.find(name)
        if not found:
            available = ", ".join(repr(r.label) for r in collection.requests()) or "none"
            raise CollectionError(f"No saved request is called {name!r}. Available: {available}.")
        chosen.update(id(r) for r in found)
    return [r for r in collection.requests() if id(r) in chosen]


def curl_script(
    requests: Iterable[SavedRequest],
    *,
    values: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> str:
    """The requests as one POSIX shell script of curl commands, in order.

    The key stays ``$STACKONE_API_KEY`` (the reader's shell supplies it). Pass only values that
    may be shared: placeholders without a value (secrets) are left as ``{{name}}``.

    Args:
        values: variables to fill in, e.g. the non-secret part of an environment.
        base_url: used for requests that leave the base URL to the profile.
    """
    lines = [
        "#!/bin/sh",
        "# Exported from StackOne RPC Explorer. Set your key first:",
        "#   export STACKONE_API_KEY=...",
        "",
    ]
    for saved in requests:
        request = fill(saved.request, values or {})
        if base_url and request.base_url == DEFAULT_BASE_URL:
            request.base_url = base_url
        lines.append(f"# {saved.label}" + (f": {saved.description}" if saved.description else ""))
        lines.append("# expects HTTP " + saved.expectation())
        lines.append(to_curl(request))
        lines.append("")
    return "\n".join(lines)
