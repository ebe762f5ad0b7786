"""The Qt model behind the collections tree: collection -> folders -> saved requests.

A thin adapter: ``set_collections()`` rebuilds the items from the stores' plain data, and every
change (rename, move by drag and drop) is *requested* by signal and carried out by the pane
through the ``CollectionStore``, after which the pane rebuilds. The model never writes a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from explorer.store.collections import ROOT_FOLDER

if TYPE_CHECKING:
    from explorer.store.collections import CollectionStore, SavedRequest

AnyIndex = QModelIndex | QPersistentModelIndex

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "collection" | "folder" | "request"
STORE_ROLE = Qt.ItemDataRole.UserRole + 2  # index into the model's store list
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 3  # folder name ("" for the top level)
PATH_ROLE = Qt.ItemDataRole.UserRole + 4  # a request's file path (str)

MIME_TYPE = "application/x-stackone-explorer-request"
DIRTY_MARK = " ●"
# Where a request is saved when no collection is chosen, and how the top level of a
# collection (``ROOT_FOLDER``) is named wherever a folder is chosen or shown.
DEFAULT_COLLECTION = "My requests"
TOP_LEVEL = "(top level)"


@dataclass
class Target:
    """What a tree index stands for. ``saved`` is set for requests only."""

    kind: str
    store: CollectionStore
    folder: str = ROOT_FOLDER
    saved: SavedRequest | None = None


class CollectionsModel(QStandardItemModel):
    """Collections as a tree.

    Signals:
        rename_requested(object, str): a ``Target`` (request or folder) edited in place, and
            the new name.
        move_requested(object, object, str, int): a ``Target`` (request) dropped onto
            ``(store, folder, row)``; ``row`` is -1 for "at the end".
    """

    rename_requested = Signal(object, str)
    move_requested = Signal(object, object, str, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stores: list[CollectionStore] = []
        self.open_path: Path | None = None
        self.dirty = False

    # -- building ---------------------------------------------------------------------------

    def set_collections(
        self,
        stores: Sequence[CollectionStore],
        *,
        open_path: Path | None = None,
        dirty: bool = False,
    ) -> None:
        """Rebuild every item from the stores' loaded collections."""
        self.stores = list(stores)
        self.open_path = open_path
        self.dirty = dirty
        self.clear()
        style = QApplication.style()
        folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        file_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        root_icon = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        for number, store in enumerate(self.stores):
            collection = store.collection
            top = QStandardItem(root_icon, collection.name)
            top.setData("collection", KIND_ROLE)
            top.setData(number, STORE_ROLE)
            top.setData(ROOT_FOLDER, FOLDER_ROLE)
            tip = str(collection.root)
            if collection.description:
                tip = f"{collection.description}\n{tip}"
            if store.problems:
                tip += f"\n{len(store.problems)} file(s) could not be loaded"
            top.setToolTip(tip)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            bold = QFont()
            bold.setBold(True)
            top.setFont(bold)
            for folder in collection.folders:
                parent = top
                if folder.name != ROOT_FOLDER:
                    parent = QStandardItem(folder_icon, folder.name)
                    parent.setData("folder", KIND_ROLE)
                    parent.setData(number, STORE_ROLE)
                    parent.setData(folder.name, FOLDER_ROLE)
                    parent.setToolTip(f"{len(folder.requests)} request(s)")
                    parent.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsEditable
                        | Qt.ItemFlag.ItemIsDropEnabled
                    )
                for saved in folder.requests:
                    parent.appendRow(self._request_item(number, saved, file_icon))
                if parent is not top:
                    top.appendRow(parent)
            self.appendRow(top)

    def _request_item(self, number: int, saved: SavedRequest, icon: Any) -> QStandardItem:
        is_open = saved.path is not None and saved.path == self.open_path
        text = saved.name + (DIRTY_MARK if is_open and self.dirty else "")
        item = QStandardItem(icon, text)
        item.setData("request", KIND_ROLE)
        item.setData(number, STORE_ROLE)
        item.setData(saved.folder, FOLDER_ROLE)
        item.setData(str(saved.path), PATH_ROLE)
        lines = [saved.request.action or "(no action)", f"expects HTTP {saved.expectation()}"]
        if saved.description:
            lines.insert(0, saved.description)
        if is_open and self.dirty:
            lines.append("unsaved changes in the editor")
        item.setToolTip("\n".join(lines))
        if is_open:
            font = QFont()
            font.setItalic(self.dirty)
            font.setBold(True)
            item.setFont(font)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        return item

    # -- lookups ----------------------------------------------------------------------------

    def target(self, index: AnyIndex) -> Target | None:
        """The collection, folder or request an index stands for."""
        if not index.isValid():
            return None
        kind = index.data(KIND_ROLE)
        number = index.data(STORE_ROLE)
        if not isinstance(number, int) or not 0 <= number < len(self.stores):
            return None
        store = self.stores[number]
        folder = index.data(FOLDER_ROLE) or ROOT_FOLDER
        if kind == "request":
            path = Path(str(index.data(PATH_ROLE)))
            for saved in store.collection.requests():
                if saved.path == path:
                    return Target("request", store, saved.folder, saved)
            return None
        return Target(str(kind), store, str(folder))

    def index_of_path(self, path: Path) -> QModelIndex:
        """The index of the request saved at ``path`` (invalid if not shown)."""
        matches = self.match(
            self.index(0, 0),
            PATH_ROLE,
            str(path),
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return matches[0] if matches else QModelIndex()

    def index_of_folder(self, store: CollectionStore, folder: str) -> QModelIndex:
        """The index of a collection (``folder == ""``) or one of its folders."""
        if store not in self.stores:
            return QModelIndex()
        top = self.index(self.stores.index(store), 0)
        if folder == ROOT_FOLDER:
            return top
        for row in range(self.rowCount(top)):
            child = self.index(row, 0, top)
            if child.data(KIND_ROLE) == "folder" and child.data(FOLDER_ROLE) == folder:
                return child
        return QModelIndex()

    # -- editing in place ---------------------------------------------------------------------

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return super().setData(index, value, role)
        target = self.target(index)
        text = str(value).strip()
        if target is not None and text and text != self._plain_name(index):
            self.rename_requested.emit(target, text)
        return False  # the pane renames through the store, then rebuilds

    def _plain_name(self, index: AnyIndex) -> str:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return text.removesuffix(DIRTY_MARK)

    # -- drag and drop ------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = [
            {"store": i.data(STORE_ROLE), "path": i.data(PATH_ROLE)}
            for i in indexes
            if i.isValid() and i.data(KIND_ROLE) == "request"
        ]
        data.setData(MIME_TYPE, json.dumps(rows).encode("utf-8"))
        return data

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        return data.hasFormat(MIME_TYPE) and self._drop_place(row, parent) is not None

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        place = self._drop_place(row, parent)
        if place is None or not data.hasFormat(MIME_TYPE):
            return False
        store, folder, position = place
        try:
            rows = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        except ValueError:
            return False
        for entry in rows if isinstance(rows, list) else []:
            number = entry.get("store") if isinstance(entry, dict) else None
            if not isinstance(number, int) or not 0 <= number < len(self.stores):
                continue
            path = Path(str(entry.get("path")))
            for saved in self.stores[number].collection.requests():
                if saved.path == path:
                    source = Target("request", self.stores[number], saved.folder, saved)
                    self.move_requested.emit(source, store, folder, position)
        # False: the view must not delete the dragged rows; the pane rebuilds after moving.
        return False

    def _drop_place(self, row: int, parent: AnyIndex) -> tuple[CollectionStore, str, int] | None:
        """(store, folder, position among the folder's requests) for a drop, or ``None``."""
        target = self.target(parent)
        if target is None:
            return None
        if target.kind == "request":
            return None  # dropping *onto* a request: Qt gives the gap instead when it can
        folder = target.store.collection.folder(target.folder)
        if folder is None:
            return None
        if target.kind == "folder" or row < 0:
            return target.store, target.folder, -1 if row < 0 else row
        # A gap among a collection's children: top-level requests come first, then folders.
        count = len(folder.requests)
        return target.store, ROOT_FOLDER, row if row <= count else -1
