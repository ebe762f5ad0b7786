"""The collections pane's menus: the ⋯ button's and the tree's context menu.

The actions belong to the pane's parts (``edits``, ``transfer``, ``library``); these
functions only put them where a user looks: the context menu offers what applies to the item
under the pointer, the ⋯ menu everything at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from explorer.store.collections import ROOT_FOLDER
from explorer.ui.collections.captures import edit_captures
from explorer.ui.collections.model import TOP_LEVEL, Target

if TYPE_CHECKING:
    from explorer.ui.collections.pane import CollectionsPane


def pane_menu(pane: CollectionsPane, parent: QWidget) -> QMenu:
    """Everything the pane can do: run, new and open, import and export, undo."""
    menu = QMenu(parent)
    transfer, library = pane.transfer, pane.library
    add_actions(
        menu,
        pane.run_collection_action,
        pane.run_folder_action,
        None,
        library.new_collection_action,
        library.open_folder_action,
        pane.edits.new_folder_action,
        None,
        transfer.import_curl_action,
        transfer.import_postman_action,
        transfer.export_postman_action,
        transfer.export_curl_action,
        None,
        *pane.edits.actions(),
        pane.reload_action,
    )
    return menu


def context_menu(pane: CollectionsPane, target: Target | None) -> QMenu:
    """What applies to ``target``: a request, a folder, or a collection (or the empty tree)."""
    edits, transfer = pane.edits, pane.transfer
    menu = QMenu(pane)
    if target is not None and target.saved is not None:
        add_actions(menu, pane.open_action, edits.rename_action, edits.duplicate_action)
        move_menu = menu.addMenu("Move to")
        for name in [ROOT_FOLDER, *target.store.collection.folder_names()]:
            if name != target.saved.folder:
                move_menu.addAction(name or TOP_LEVEL, edits.mover(target, name))
        add_actions(menu, edits.delete_action, None, transfer.export_curl_action)
        saved = target.saved
        count = f" ({len(saved.captures)})" if saved.captures else ""
        captures = menu.addAction(f"&Captures{count}…", lambda: edit_captures(pane, saved))
        captures.setStatusTip("Values a run takes from this request's response for the next ones")
    elif target is not None and target.kind == "folder":
        add_actions(
            menu,
            pane.run_folder_action,
            None,
            edits.rename_action,
            edits.delete_action,
            edits.new_folder_action,
        )
    else:
        add_actions(
            menu,
            pane.run_collection_action,
            None,
            edits.new_folder_action,
            pane.environments_action,
            None,
            transfer.export_postman_action,
            transfer.export_curl_action,
            None,
            pane.library.new_collection_action,
            pane.library.open_folder_action,
        )
    add_actions(menu, None, edits.undo_action)
    return menu


def add_actions(menu: QMenu, *actions: QAction | None) -> None:
    """Add ``actions`` to ``menu`` in order; ``None`` is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
