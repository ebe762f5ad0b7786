"""Changing the collections tree: rename, duplicate, delete, new folder, move; all undoable.

Each change is done at once through the ``CollectionStore`` (an error is shown in the pane,
and nothing is pushed) and then put on a ``QUndoStack``, so Ctrl+Z takes it back and nothing
asks "are you sure?". A move between two collections is not undoable (it spans two folders
on disk): it clears the stack instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

from explorer.store.collections import CollectionStore, DeletedRequest, SavedRequest
from explorer.ui.collections.model import Target

if TYPE_CHECKING:
    from explorer.ui.collections.pane import CollectionsPane

_Deleted = TypeVar("_Deleted")


class _Command(QUndoCommand):
    """An already-done change, undoable. The change is done first (so an error is shown, not
    pushed); ``redo`` runs only when the user redoes it after an undo."""

    def __init__(
        self,
        text: str,
        redo: Callable[[], None],
        undo: Callable[[], None],
        guard: Callable[[Callable[[], object]], bool],
    ) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._guard = guard
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._guard(self._redo)

    def undo(self) -> None:
        self._guard(self._undo)


class TreeEdits(QObject):
    """The pane's edits of saved requests and folders, with their actions and undo stack."""

    def __init__(self, pane: CollectionsPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.undo_stack = QUndoStack(self)
        self.rename_action = pane.add_action("Rename…", self.rename_current, "F2")
        self.duplicate_action = pane.add_action("Duplicate", self.duplicate_current, "Ctrl+D")
        self.delete_action = pane.add_action(
            "Delete", self.delete_current, QKeySequence.StandardKey.Delete
        )
        self.new_folder_action = pane.add_action("New folder…", self.new_folder_dialog)
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            pane.addAction(action)
        pane.model.rename_requested.connect(self._on_rename_requested)
        pane.model.move_requested.connect(self._on_move_requested)

    def update_actions(self, target: Target | None, *, has_store: bool) -> None:
        """Enable what applies to ``target`` (the tree's current item)."""
        is_item = target is not None and target.kind in ("request", "folder")
        self.rename_action.setEnabled(is_item)
        self.duplicate_action.setEnabled(target is not None and target.saved is not None)
        self.delete_action.setEnabled(is_item)
        self.new_folder_action.setEnabled(has_store)

    def actions(self) -> list[QAction]:
        return [self.undo_action, self.redo_action]

    # -- rename ------------------------------------------------------------------------------

    def rename_current(self) -> None:
        view, model = self._pane.view, self._pane.model
        index = view.currentIndex()
        if index.isValid() and model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            view.edit(index)

    def _on_rename_requested(self, target: Target, new_name: str) -> None:
        # Deferred: the view is still inside its editor's commit when the model asks.
        QTimer.singleShot(0, lambda: self.rename(target, new_name))

    def rename(self, target: Target, new_name: str) -> bool:
        """Rename a request (its file follows) or a folder; undoable."""
        store, pane = target.store, self._pane
        if target.saved is not None:
            saved = target.saved
            old = saved.name
            if not pane.guard(lambda: store.rename(saved, new_name)):
                return False
            self._push(
                f"Rename '{old}'",
                lambda: store.rename(saved, new_name),
                lambda: store.rename(saved, old),
            )
            pane.rebuild(select=saved.path)
            return True
        if target.kind == "folder":
            old_folder = target.folder
            if not pane.guard(lambda: store.rename_folder(old_folder, new_name)):
                return False
            clean = new_name.strip()
            self._push(
                f"Rename folder '{old_folder}'",
                lambda: store.rename_folder(old_folder, clean),
                lambda: store.rename_folder(clean, old_folder),
            )
            pane.rebuild()
            return True
        return False

    # -- duplicate and delete ----------------------------------------------------------------

    def duplicate_current(self) -> SavedRequest | None:
        target = self._pane.current_target()
        if target is None or target.saved is None:
            return None
        store, original = target.store, target.saved
        copies: list[SavedRequest] = []
        if not self._pane.guard(lambda: copies.append(store.duplicate(original))):
            return None
        copy = copies[0]
        deleted: list[DeletedRequest] = []

        def undo() -> None:
            deleted[:] = [store.delete(copy)]

        def redo() -> None:
            if deleted:
                store.restore(deleted[0])

        self._push(f"Duplicate '{original.name}'", redo, undo)
        self._pane.rebuild(select=copy.path)
        return copy

    def delete_current(self) -> bool:
        pane = self._pane
        target = pane.current_target()
        if target is None:
            return False
        store = target.store
        if target.saved is not None:
            saved = target.saved
            if not self._undoable_delete(
                f"Delete '{saved.name}'", partial(store.delete, saved), store.restore
            ):
                return False
            if saved is pane.open_saved:
                pane.open_store, pane.open_saved = None, None
            what = f"'{saved.name}'"
        elif target.kind == "folder":
            name = target.folder
            if not self._undoable_delete(
                f"Delete folder '{name}'",
                partial(store.delete_folder, name),
                store.restore_folder,
            ):
                return False
            if pane.open_saved is not None and pane.open_saved.folder == name:
                pane.open_store, pane.open_saved = None, None
            what = f"folder '{name}'"
        else:
            return False
        pane.rebuild()
        pane.message.emit(f"Deleted {what} (Ctrl+Z to undo)")
        return True

    def _undoable_delete(
        self, text: str, delete: Callable[[], _Deleted], restore: Callable[[_Deleted], object]
    ) -> bool:
        """Delete now (an error is shown and nothing pushed); undo restores what the latest
        delete returned, redo deletes again."""
        deleted: list[_Deleted] = []

        def do() -> None:
            deleted[:] = [delete()]

        if not self._pane.guard(do):
            return False
        self._push(text, do, lambda: restore(deleted[0]))
        return True

    # -- folders -----------------------------------------------------------------------------

    def new_folder_dialog(self) -> None:
        from explorer.ui.collections.dialogs import ask_name

        store = self._pane.current_store()
        if store is None:
            return
        name = ask_name(self._pane, "New folder", "Folder name:")
        if name is not None:
            self.new_folder(store, name)  # an empty name gets the store's explanation

    def new_folder(self, store: CollectionStore, name: str) -> bool:
        clean = name.strip()
        if not self._pane.guard(lambda: store.create_folder(clean)):
            return False
        self._push(
            f"New folder '{clean}'",
            lambda: store.create_folder(clean),
            lambda: store.delete_folder(clean),
        )
        self._pane.rebuild()
        return True

    # -- moves -------------------------------------------------------------------------------

    def _on_move_requested(
        self, source: Target, store: CollectionStore, folder: str, row: int
    ) -> None:
        QTimer.singleShot(
            0, lambda: self.move_request(source, store, folder, None if row < 0 else row)
        )

    def move_request(
        self, source: Target, store: CollectionStore, folder: str, row: int | None = None
    ) -> bool:
        """Move a request to ``folder`` (of the same or another collection), undoable within
        one collection."""
        saved = source.saved
        if saved is None:
            return False
        if store is not source.store:
            return self._move_between(source.store, saved, store, folder)
        old_folder = saved.folder
        old_folder_obj = store.collection.folder(old_folder)
        old_row = old_folder_obj.requests.index(saved) if old_folder_obj else None
        if not self._pane.guard(lambda: store.move(saved, folder, row)):
            return False
        self._push(
            f"Move '{saved.name}'",
            lambda: store.move(saved, folder, row),
            lambda: store.move(saved, old_folder, old_row),
        )
        self._pane.rebuild(select=saved.path)
        return True

    def mover(self, target: Target, folder: str) -> Callable[[], None]:
        """A menu's slot moving ``target`` to ``folder`` of its collection."""

        def move() -> None:
            self.move_request(target, target.store, folder)

        return move

    def _move_between(
        self, source: CollectionStore, saved: SavedRequest, store: CollectionStore, folder: str
    ) -> bool:
        pane = self._pane
        # ``copy`` keeps every unknown key (also inside ``"request"``) a newer app wrote.
        copy = saved.copy(folder=folder)
        if not pane.guard(lambda: store.save_request(copy)):
            return False
        pane.guard(lambda: source.delete(saved))
        if saved is pane.open_saved:
            pane.open_store, pane.open_saved = store, copy
        self.undo_stack.clear()  # spans two collections: not undoable
        pane.rebuild(select=copy.path)
        pane.message.emit(f"Moved '{saved.name}' to {store.collection.name}")
        return True

    def _push(self, text: str, redo: Callable[[], object], undo: Callable[[], object]) -> None:
        def do_redo() -> None:
            redo()
            self._pane.rebuild()

        def do_undo() -> None:
            undo()
            self._pane.rebuild()

        self.undo_stack.push(_Command(text, do_redo, do_undo, self._pane.guard))
