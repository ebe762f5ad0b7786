"""Which collections the pane shows, and where new ones go.

Every collection folder inside the data directory's ``collections`` folder, plus folders the
user opened elsewhere (remembered in the settings under ``collection_folders``; never a secret
there). A request saved without choosing a collection goes to the default one, "My requests",
created when first needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from explorer.core.errors import ExplorerError
from explorer.store.collections import CollectionStore, find_collections, is_collection, slugify
from explorer.ui.collections.model import DEFAULT_COLLECTION

if TYPE_CHECKING:
    from explorer.ui.collections.pane import CollectionsPane

FOLDERS_SETTING = "collection_folders"


class Library(QObject):
    """The pane's collection folders: listing, creating and opening them, with the actions."""

    def __init__(self, pane: CollectionsPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.new_collection_action = pane.add_action("New collection…", self.new_collection_dialog)
        self.open_folder_action = pane.add_action(
            "Open collection folder…", self.open_folder_dialog
        )

    def folders(self) -> list[Path]:
        """The collection folders to show: the default place, then ones opened elsewhere."""
        pane = self._pane
        found = find_collections(pane.collections_dir)
        extra = pane.settings.get(FOLDERS_SETTING, []) if pane.settings else []
        for entry in extra if isinstance(extra, list) else []:
            path = Path(str(entry))
            if path not in found and is_collection(path):
                found.append(path)
        return found

    def new_collection_dialog(self) -> None:
        from explorer.ui.collections.dialogs import ask_name

        name = ask_name(self._pane, "New collection", "Collection name:")
        if name:
            self.new_collection(name)

    def new_collection(self, name: str, root: Path | None = None) -> CollectionStore | None:
        """Create a collection, by default in the data directory's collections folder."""
        pane = self._pane
        folder = root or self._free_dir(slugify(name))
        try:
            CollectionStore.create(folder, name, credentials=pane.credentials)
        except ExplorerError as exc:
            pane.show_notice(str(exc))
            return None
        self._remember_folder(folder)
        pane.reload()
        return self._store_at(folder)

    def open_folder_dialog(self) -> None:
        from explorer.ui.collections.dialogs import choose_folder

        chosen = choose_folder(self._pane, "Open collection folder")
        if chosen is not None:
            self.open_folder(chosen)

    def open_folder(self, folder: Path) -> CollectionStore | None:
        """Show the collection in ``folder``; an empty folder becomes a new collection."""
        folder = Path(folder)
        if not is_collection(folder):
            if (
                folder.is_dir()
                and any(folder.iterdir())
                and not any(folder.glob("**/*.request.json"))
            ):
                self._pane.show_notice(
                    f"{folder} holds no collection (no collection.json). Choose the folder "
                    "that contains collection.json, or an empty folder for a new collection."
                )
                return None
            return self.new_collection(folder.name, folder)
        self._remember_folder(folder)
        self._pane.reload()
        return self._store_at(folder)

    def default_store(self) -> CollectionStore | None:
        """The default collection ("My requests"), created when it does not exist yet."""
        pane = self._pane
        root = pane.collections_dir / slugify(DEFAULT_COLLECTION)
        for store in pane.stores:
            if store.root == root:
                return store
        try:
            if is_collection(root):
                store = CollectionStore(root, credentials=pane.credentials)
                store.load()
            else:
                store = CollectionStore.create(
                    root, DEFAULT_COLLECTION, credentials=pane.credentials
                )
        except ExplorerError as exc:
            pane.show_notice(str(exc))
            return None
        pane.stores.append(store)
        return store

    def _remember_folder(self, folder: Path) -> None:
        settings = self._pane.settings
        if settings is None or folder.parent == self._pane.collections_dir:
            return
        folders = settings.get(FOLDERS_SETTING, [])
        folders = [str(f) for f in folders] if isinstance(folders, list) else []
        if str(folder) not in folders:
            folders.append(str(folder))
            settings.set(FOLDERS_SETTING, folders)
            self._pane.guard(settings.save)

    def _store_at(self, folder: Path) -> CollectionStore | None:
        for store in self._pane.stores:
            if store.root == folder:
                return store
        return None

    def _free_dir(self, slug: str) -> Path:
        collections_dir = self._pane.collections_dir
        candidate, n = collections_dir / slug, 1
        while candidate.exists():
            n += 1
            candidate = collections_dir / f"{slug}-{n}"
        return candidate
