"""What a collection is, in memory: plain data and the rules that need no disk.

The store (``store.py``) reads and writes these; ``file_format.py`` says how they look on
disk. Nothing here touches a file, so the runner, the window and the tests can build and
question a collection without one.
"""

from __future__ import annotations

import copy as copying
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from explorer.core.captures import Capture
from explorer.core.errors import ExplorerError
from explorer.core.request import RpcRequest
from explorer.core.secrets import is_secret_header, is_template

ROOT_FOLDER = ""  # the collection's top level, shown without a folder node

# Characters Windows or POSIX refuse in a directory name, plus the path separators.
_BAD_FOLDER_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60


class CollectionError(ExplorerError):
    """A collection operation was refused; the message says why and what to do."""


@dataclass
class SavedRequest:
    """One request file. ``path`` is ``None`` until the request is first saved.

    Attributes:
        expected_status: the status the runner requires; ``None`` means "any 2xx".
        captures: values a run takes from its response for the requests after it (only
            their names and paths are saved, never a value).
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
    captures: list[Capture] = field(default_factory=list)

    def copy(self, **changes: Any) -> SavedRequest:
        """An unsaved copy (``path`` ``None`` unless given) carrying every kept unknown key,
        for duplicating or moving a request to another collection."""
        clone = replace(
            self,
            request=self.request.copy(),
            path=None,
            extra=copying.deepcopy(self.extra),
            request_extra=copying.deepcopy(self.request_extra),
            captures=list(self.captures),
        )
        return replace(clone, **changes) if changes else clone

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


def is_folder_name(name: str) -> bool:
    """Whether ``name`` is a folder name exactly as ``check_folder_name`` would keep it."""
    try:
        check_folder_name(name)
    except CollectionError:
        return False
    return name == name.strip()


def literal_secrets(request: RpcRequest) -> list[str]:
    """Names of secret-bearing headers in the RPC ``headers`` whose value is not a variable."""
    headers = request.headers if isinstance(request.headers, dict) else {}
    return [
        key for key, value in headers.items() if is_secret_header(key) and not is_template(value)
    ]


def secret_headers_as_variables(request: RpcRequest) -> tuple[RpcRequest, list[str]]:
    """``request`` with each literal secret-bearing header value (``<redacted>`` when it comes
    from the history) replaced by ``{{header-name}}``, and those variable names: what saving
    it into a collection needs, since a collection holds no secret."""
    names = literal_secrets(request)
    if not names or not isinstance(request.headers, dict):
        return request, []
    headers = dict(request.headers)
    variables = []
    for header in names:
        variable = re.sub(r"[^A-Za-z0-9_.-]", "_", header.strip().lower()) or "secret"
        headers[header] = "{{" + variable + "}}"
        variables.append(variable)
    return request.copy(headers=headers), variables


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
