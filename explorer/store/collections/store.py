"""Reading and changing one collection folder: every change is written at once, atomically.

Files a person broke by hand (or a bad ``git merge``) are reported as ``LoadProblem`` with the
file and line, and skipped; the rest of the collection loads. A file that did not load is never
rewritten and keeps its place in the run order; a damaged ``collection.json`` is kept as
``collection.json.corrupt`` before it is next written. Unchanged files are not rewritten, so
their mtimes stay and git sees nothing. ``snapshot()`` is a cheap mtime listing so the UI can
notice a ``git pull`` and reload.

No secret is ever written here. An environment lists the *names* of its secret variables; their
values live in the OS keyring (a ``CredentialStore``) under ``collection:<id>:<env>:<name>``,
keyed by the collection's id so that moving or renaming the folder keeps them. A literal
``Authorization`` value in a request's RPC headers is refused with advice to use a secret
variable instead.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Container, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.store.collections.file_format import (
    COLLECTION_FILE,
    REQUEST_SUFFIX,
    LoadProblem,
    collection_to_file,
    read_collection_file,
    read_request_file,
    request_slug,
    request_to_file,
)
from explorer.store.collections.model import (
    ROOT_FOLDER,
    Collection,
    CollectionError,
    DeletedFolder,
    DeletedRequest,
    Environment,
    Folder,
    SavedRequest,
    check_folder_name,
    is_folder_name,
    literal_secrets,
    slugify,
)
from explorer.store.files import (
    dump_json,
    encode_text,
    keep_damaged,
    remove_leftovers,
    write_atomic,
)

if TYPE_CHECKING:
    # Only its shape: the Postman converter is imported when an import starts, not with this.
    from explorer.core.postman import PostmanImport
    from explorer.store.credentials import CredentialStore

# The environment a Postman import's collection variables go into.
POSTMAN_ENVIRONMENT = "Postman"

Snapshot = dict[str, tuple[int, int]]


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
        meta = read_collection_file(self.root)
        collection = meta.collection
        problems = list(meta.problems)
        self._meta_damaged = meta.damaged
        remove_leftovers(self.root)
        on_disk = sorted(
            p.name for p in _children(self.root) if is_folder_name(p.name) and _holds_requests(p)
        )
        names = list(dict.fromkeys([*meta.folders, *on_disk]))
        collection.folders = [Folder(ROOT_FOLDER)] + [Folder(n) for n in names]
        self._unloaded = {}
        for folder in collection.folders:
            wanted = meta.order.get(folder.name)
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
            read = read_request_file(path, name)
            if isinstance(read, SavedRequest):
                loaded.append(read)
                continue
            problems.append(read)
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
        if slugify(saved.name) != request_slug(saved):
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
            new = self._free_path(target.name, request_slug(saved))
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
            content = encode_text(dump_json(request_to_file(saved)))
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
            saved.path = self._free_path(folder.name, request_slug(saved))
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

    def add_postman(self, imported: PostmanImport) -> None:
        """Fill this collection from a Postman import: its name and description, each request
        in its folder, and the collection variables as the environment "Postman"."""
        self.set_info(imported.name, imported.description)
        for item in imported.requests:
            self.save_request(
                SavedRequest(
                    item.name, item.request, item.description, item.expected_status, item.folder
                )
            )
        if imported.variables:
            self.set_environment(Environment(POSTMAN_ENVIRONMENT, dict(imported.variables)))

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

    def rename_environment(self, old: str, new: str, *, move_secrets: bool = True) -> None:
        """Rename an environment; its secret values follow it in the keyring.

        Args:
            move_secrets: False when the caller carried the values over itself
                (``copy_secrets`` then ``write_secrets``: off a window's UI thread); only
                the file changes then.
        """
        env = self._environment(old)
        if not new.strip():
            raise CollectionError("Enter a name for the environment.")
        if new != old and new in self.collection.environments:
            raise CollectionError(f"An environment called {new!r} already exists.")
        if move_secrets and new != old:
            self.copy_secrets(old, new, env.secrets)
            self.write_secrets([(self.secret_key(old, secret), None) for secret in env.secrets])
        del self.collection.environments[old]
        env.name = new
        self.collection.environments[new] = env
        self._write_meta()

    def delete_environment(self, name: str, *, delete_secrets: bool = True) -> Environment:
        """Remove an environment and its secret values from the keyring (unless
        ``delete_secrets`` is False: the caller removed them, off a window's UI thread)."""
        env = self._environment(name)
        if env.secrets and delete_secrets:
            self.write_secrets([(self.secret_key(name, secret), None) for secret in env.secrets])
        del self.collection.environments[name]
        self._write_meta()
        return env

    def set_variable(
        self, environment: str, name: str, value: str, *, secret: bool, keyring: bool = True
    ) -> None:
        """Define a variable; a secret one goes to the keyring, its name to the file.

        ``keyring=False``: the keyring side was written already (``write_secrets``, off a
        window's UI thread): only the file is.
        """
        env = self._environment(environment)
        if not name.strip():
            raise CollectionError("Enter a variable name.")
        if secret:
            if keyring:
                self._secrets().set(self.secret_key(environment, name), value)
            env.variables.pop(name, None)
            if name not in env.secrets:
                env.secrets.append(name)
        else:
            if name in env.secrets:
                env.secrets.remove(name)
                if keyring:
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

    def copy_secrets(self, old: str, new: str, names: Iterable[str]) -> None:
        """Copy the keyring values of secrets ``names`` from environment ``old`` to ``new``
        (the first half of a rename: the old values go once the file names ``new``)."""
        secrets = self._secrets()
        for secret in names:
            value = secrets.get(self.secret_key(old, secret))
            if value is not None:
                secrets.set(self.secret_key(new, secret), value)

    def write_secrets(self, changes: Iterable[tuple[str, str | None]]) -> None:
        """Set (a value) or delete (``None``) keyring entries (``secret_key``), in order.

        The keyring side of an edit on its own, so a window can run it off its UI thread (a
        locked keyring waits for its password) and write the file side after it.
        """
        changes = list(changes)
        if not changes:
            return
        secrets = self._secrets()
        for entry, value in changes:
            if value is None:
                secrets.delete(entry)
            else:
                secrets.set(entry, value)

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
        taken = {
            request_slug(r) for f in self.collection.folders if f.name == folder for r in f.requests
        }
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
        _write_if_changed(saved.path, dump_json(request_to_file(saved)))

    def _order(self, folder: Folder) -> list[str]:
        """The folder's run order for collection.json, files that did not load included."""
        slugs = [request_slug(r) for r in folder.requests]
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
        order = {f.name: self._order(f) for f in self.collection.folders}
        _write_if_changed(path, dump_json(collection_to_file(self.collection, order)))
        self._remember()

    def _remember(self) -> None:
        self._snapshot = self.snapshot()


def _write_if_changed(path: Path, text: str) -> None:
    payload = encode_text(text)
    with contextlib.suppress(OSError):
        if path.read_bytes() == payload:
            return
    write_atomic(path, payload)


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
