"""Collections: saved requests in a folder the user can commit to git and share.

- ``model``: the collection in memory (requests, folders, environments) and the rules that
  need no disk (names, folder names, literal secrets, choosing requests by name);
- ``file_format``: the files people commit to git, written and read strictly in one place;
- ``store``: ``CollectionStore``, which reads and changes one collection folder atomically,
  secret values in the OS keyring.

Callers import from here; the modules are how the code is kept, not an interface.
"""

from explorer.store.collections.file_format import (
    COLLECTION_FILE,
    FORMAT,
    FORMAT_VERSION,
    REQUEST_SUFFIX,
    KeyPath,
    LoadProblem,
    RequestFileError,
    key_places,
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
    literal_secrets,
    requests_named,
    secret_headers_as_variables,
    slugify,
)
from explorer.store.collections.store import (
    CollectionStore,
    Snapshot,
    find_collections,
    is_collection,
)

__all__ = [
    "COLLECTION_FILE",
    "FORMAT",
    "FORMAT_VERSION",
    "REQUEST_SUFFIX",
    "ROOT_FOLDER",
    "Collection",
    "CollectionError",
    "CollectionStore",
    "DeletedFolder",
    "DeletedRequest",
    "Environment",
    "Folder",
    "KeyPath",
    "LoadProblem",
    "RequestFileError",
    "SavedRequest",
    "Snapshot",
    "check_folder_name",
    "find_collections",
    "is_collection",
    "key_places",
    "literal_secrets",
    "requests_named",
    "secret_headers_as_variables",
    "slugify",
]
