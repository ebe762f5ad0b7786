"""The collections pane: saved requests in folders, environments, import and export.

The pane translates user intent into ``CollectionStore`` calls and rebuilds its tree from the
stores afterwards; the files are the truth. Deletes, renames, duplicates and moves go on a
``QUndoStack`` (Ctrl+Z), so nothing asks "are you sure?". Every couple of seconds the pane
checks the folders' modification times and reloads a collection that changed on disk (a
``git pull``, an editor), keeping the open request when it still exists.

Which collections are shown: every collection folder inside the data directory's
``collections`` folder, plus folders the user opened elsewhere (remembered in the settings
under ``collection_folders``; never a secret there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex, QPoint, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.curl import CurlImport, from_curl, reads_files
from explorer.core.curl_script import curl_script
from explorer.core.errors import ExplorerError
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.core.variables import resolve
from explorer.store.collections import (
    ROOT_FOLDER,
    CollectionStore,
    DeletedRequest,
    Environment,
    SavedRequest,
    find_collections,
    is_collection,
    literal_secrets,
    slugify,
)
from explorer.store.files import StoreFileError, dump_json, read_json, write_atomic
from explorer.ui.collections_model import CollectionsModel, Target
from explorer.ui.worker import RenderJob

# The dialogs, Postman and the run dialog (which brings the collection runner) are imported
# where they are used, not at start-up: the pane is built before the window's first paint and
# needs none of them until the user asks for one.
if TYPE_CHECKING:
    from explorer.store.credentials import CredentialStore
    from explorer.store.settings import Settings
    from explorer.ui.run_dialog import RunPlan

_Deleted = TypeVar("_Deleted")

NO_ENVIRONMENT = "No environment"
FOLDERS_SETTING = "collection_folders"
ENVIRONMENT_SETTING = "active_environment"
# The collection that environment belongs to (its folder), so a restart with several
# collections and nothing selected still knows where the active environment comes from.
ENVIRONMENT_COLLECTION_SETTING = "active_environment_collection"
POLL_MS = 2000
# Warning banners above the tree: amber for notices, red for files that could not be loaded.
NOTICE_RGB = "191, 135, 0"
PROBLEM_RGB = "207, 34, 46"


class _Command(QUndoCommand):
    """An already-done change, undoable. The pane does the change first (so an error is
    shown, not pushed); ``redo`` runs only when the user redoes it after an undo."""

    def __init__(
        self, text: str, redo: Callable[[], None], undo: Callable[[], None], pane: CollectionsPane
    ) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._pane = pane
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._pane._guard(self._redo)

    def undo(self) -> None:
        self._pane._guard(self._undo)


class CollectionsPane(QWidget):
    """Collections tree, environment choice, import/export; the store does all file work.

    Signals:
        open_request(object): a ``SavedRequest`` to load into the editor.
        environment_changed(str): the active environment's name ("" for none).
        message(str): a short status-bar text for the window.
        run_requested(object): a ``RunPlan`` (a collection or folder with the active
            environment's values) for the window to run with the current profile.

    Methods the window calls: ``save_current(request, save_as=...)`` (Ctrl+S / Ctrl+Shift+S),
    ``mark_dirty(bool)`` when the editor changes, ``active_environment()`` /
    ``resolve(request)`` before sending, ``set_profile_base_url(url)`` for exports.
    """

    open_request = Signal(object)
    environment_changed = Signal(str)
    message = Signal(str)
    run_requested = Signal(object)

    def __init__(
        self,
        collections_dir: Path,
        *,
        credentials: CredentialStore,
        settings: Settings | None = None,
        poll_ms: int = POLL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.collections_dir = Path(collections_dir)
        self.credentials = credentials
        self.settings = settings
        self.stores: list[CollectionStore] = []
        self.open_store: CollectionStore | None = None
        self.open_saved: SavedRequest | None = None
        self.dirty = False
        self.profile_base_url: str | None = None
        self._curl_jobs: list[object] = []  # signals of curl imports reading a body file
        self.undo_stack = QUndoStack(self)
        self.model = CollectionsModel(self)
        self.model.rename_requested.connect(self._on_rename_requested)
        self.model.move_requested.connect(self._on_move_requested)
        self._build_actions()
        self._build_ui()
        self.reload()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.check_disk)
        if poll_ms > 0:
            self.poll_timer.start()

    # -- construction ----------------------------------------------------------------------

    def _act(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._act("Open in editor", self.open_current)
        self.rename_action = self._act("Rename…", self.rename_current, "F2")
        self.duplicate_action = self._act("Duplicate", self.duplicate_current, "Ctrl+D")
        self.delete_action = self._act(
            "Delete", self.delete_current, QKeySequence.StandardKey.Delete
        )
        self.new_folder_action = self._act("New folder…", self.new_folder_dialog)
        self.new_collection_action = self._act("New collection…", self.new_collection_dialog)
        self.open_folder_action = self._act("Open collection folder…", self.open_folder_dialog)
        self.import_curl_action = self._act("New request from curl…", self.import_curl_dialog)
        self.import_postman_action = self._act("Import Postman…", self.import_postman_dialog)
        self.export_postman_action = self._act("Export Postman…", self.export_postman_dialog)
        self.export_curl_action = self._act("Export as curl…", self.export_curl_dialog)
        self.environments_action = self._act("Environments…", self.environments_dialog)
        self.reload_action = self._act("Reload from disk", self.reload)
        self.run_collection_action = self._act("Run collection", self.run_collection)
        self.run_collection_action.setToolTip(
            "Send every saved request in order with the profile's key and the active "
            "environment, and check each one's expected status"
        )
        self.run_folder_action = self._act("Run folder", self.run_folder)
        self.run_folder_action.setToolTip("Run the requests of the selected folder, in order")
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _build_ui(self) -> None:
        self.env_combo = QComboBox()
        self.env_combo.setToolTip("Values for {{variables}} in the requests of this collection")
        self.env_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.env_combo.setMinimumContentsLength(4)  # a narrow pane cuts the name, not the window
        self.env_combo.currentIndexChanged.connect(self._on_env_changed)
        env_label = QLabel("&Env:")
        env_label.setBuddy(self.env_combo)
        self.env_button = QToolButton()
        self.env_button.setDefaultAction(self.environments_action)
        self.menu_button = QToolButton()
        self.menu_button.setText("⋯")
        self.menu_button.setToolTip("Collections: new, open, import, export")
        self.menu_button.setAccessibleName("Collection actions")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        _add_actions(
            menu,
            self.run_collection_action,
            self.run_folder_action,
            None,
            self.new_collection_action,
            self.open_folder_action,
            self.new_folder_action,
            None,
            self.import_curl_action,
            self.import_postman_action,
            self.export_postman_action,
            self.export_curl_action,
            None,
            self.undo_action,
            self.redo_action,
            self.reload_action,
        )
        self.menu_button.setMenu(menu)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(env_label)
        bar.addWidget(self.env_combo, 1)
        bar.addWidget(self.env_button)
        bar.addWidget(self.menu_button)

        self.notice = _banner(NOTICE_RGB)
        self.problems_label = _banner(PROBLEM_RGB)

        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setAccessibleName("Collections")
        self.view.setAccessibleDescription(
            "Saved requests by collection and folder. Enter opens one, F2 renames, "
            "the Menu key lists what else you can do"
        )
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.activated.connect(self._on_activated)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._on_current_changed())

        self.empty_label = QLabel(
            "No collections yet. Save a request (Ctrl+S) to start one, or open a collection "
            "folder from ⋯."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)

    def tab_chain(self) -> list[QWidget]:
        """The pane's controls in reading order, for Tab: the environment bar, the tree."""
        return [self.env_combo, self.env_button, self.menu_button, self.view]

    def focus_tree(self) -> None:
        """Keyboard focus in the tree on an item (so arrows and the Menu key act at once);
        with no collection yet, on the menu that creates or opens one."""
        if not self.stores:
            self.menu_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- loading ---------------------------------------------------------------------------

    def folders(self) -> list[Path]:
        """The collection folders to show: the default place, then ones opened elsewhere."""
        found = find_collections(self.collections_dir)
        extra = self.settings.get(FOLDERS_SETTING, []) if self.settings else []
        for entry in extra if isinstance(extra, list) else []:
            path = Path(str(entry))
            if path not in found and is_collection(path):
                found.append(path)
        return found

    def reload(self) -> None:
        """Re-read every collection from disk and rebuild the tree."""
        stores = []
        for folder in self.folders():
            store = CollectionStore(folder, credentials=self.credentials)
            try:
                store.load()
            except ExplorerError as exc:
                self.show_notice(f"Could not open the collection {folder}: {exc}")
                continue
            stores.append(store)
        open_path = self.open_saved.path if self.open_saved else None
        self.stores = stores
        self.open_store, self.open_saved = self._find_path(open_path)
        self.undo_stack.clear()  # its commands hold objects of the previous load
        self._rebuild()

    def check_disk(self) -> bool:
        """Reload when any collection changed on disk; True if it did."""
        known = {store.root for store in self.stores}
        current = set(self.folders())
        changed = known != current or any(store.changed_since_load() for store in self.stores)
        if changed:
            had_open = self.open_saved is not None
            self.reload()
            if had_open and self.open_saved is None:
                self.show_notice(
                    "The open request was removed or renamed on disk; the editor keeps its "
                    "content. Save it again (Ctrl+Shift+S) to keep it."
                )
            self.message.emit("Collections reloaded: files changed on disk")
        return changed

    def _find_path(self, path: Path | None) -> tuple[CollectionStore | None, SavedRequest | None]:
        if path is None:
            return None, None
        for store in self.stores:
            for saved in store.collection.requests():
                if saved.path == path:
                    return store, saved
        return None, None

    def _rebuild(self, select: Path | None = None) -> None:
        expanded = self._expanded_keys()
        current = select
        if current is None:
            target = self.current_target()
            if target is not None and target.saved is not None:
                current = target.saved.path
        self.model.set_collections(
            self.stores,
            open_path=self.open_saved.path if self.open_saved else None,
            dirty=self.dirty,
        )
        for row in range(self.model.rowCount()):
            top = self.model.index(row, 0)
            store = self.stores[row]
            if (str(store.root), "") in expanded or not expanded:
                self.view.expand(top)
            for child_row in range(self.model.rowCount(top)):
                child = self.model.index(child_row, 0, top)
                target = self.model.target(child)
                if (
                    target is not None
                    and target.kind == "folder"
                    and (str(store.root), target.folder) in expanded
                ):
                    self.view.expand(child)
        if current is not None:
            index = self.model.index_of_path(current)
            if index.isValid():
                self.view.setCurrentIndex(index)
        self.empty_label.setVisible(not self.stores)
        self._show_problems()
        self._refill_environments()
        self._update_actions()

    def _expanded_keys(self) -> set[tuple[str, str]]:
        keys: set[tuple[str, str]] = set()
        for row in range(self.model.rowCount()):
            top = self.model.index(row, 0)
            target = self.model.target(top)
            if target is None or not self.view.isExpanded(top):
                continue
            keys.add((str(target.store.root), ""))
            for child_row in range(self.model.rowCount(top)):
                child = self.model.index(child_row, 0, top)
                if self.view.isExpanded(child):
                    keys.add((str(target.store.root), str(child.data(Qt.ItemDataRole.DisplayRole))))
        return keys

    def _show_problems(self) -> None:
        lines = [f"{problem}" for store in self.stores for problem in store.problems]
        self.problems_label.setText(
            "Some files could not be loaded (the rest is shown):\n" + "\n".join(lines)
        )
        self.problems_label.setVisible(bool(lines))

    def problems(self) -> list[str]:
        return [str(p) for store in self.stores for p in store.problems]

    # -- selection and opening -----------------------------------------------------------------

    def current_target(self) -> Target | None:
        return self.model.target(self.view.currentIndex())

    def current_store(self) -> CollectionStore | None:
        """The collection of the selection, else of the open request, else the only one."""
        target = self.current_target()
        if target is not None:
            return target.store
        if self.open_store is not None:
            return self.open_store
        remembered = self.settings.get(ENVIRONMENT_COLLECTION_SETTING) if self.settings else None
        for store in self.stores:
            if isinstance(remembered, str) and str(store.root) == remembered:
                return store
        return self.stores[0] if len(self.stores) == 1 else None

    def _on_activated(self, index: QModelIndex) -> None:
        target = self.model.target(index)
        if target is not None and target.saved is not None:
            self.open(target.store, target.saved)

    def open_current(self) -> None:
        target = self.current_target()
        if target is not None and target.saved is not None:
            self.open(target.store, target.saved)

    def open(self, store: CollectionStore, saved: SavedRequest) -> None:
        """Make ``saved`` the open request and ask the window to load it."""
        self.open_store, self.open_saved = store, saved
        self.dirty = False
        self._rebuild(select=saved.path)
        self.open_request.emit(saved)

    def detach(self) -> None:
        """The editor holds something else now (a new request, a history entry, a pasted
        curl): no saved request is open, so Ctrl+S asks where to save instead of
        overwriting the one opened before."""
        if self.open_saved is None and not self.dirty:
            return
        self.open_store, self.open_saved = None, None
        self.dirty = False
        self._rebuild()

    def mark_dirty(self, dirty: bool) -> None:
        """The editor's content differs (or not) from the open saved request."""
        if self.open_saved is None or dirty == self.dirty:
            self.dirty = dirty and self.open_saved is not None
            return
        self.dirty = dirty
        self._rebuild()

    def _on_current_changed(self) -> None:
        self._update_actions()
        self._refill_environments()

    def _update_actions(self) -> None:
        target = self.current_target()
        is_request = target is not None and target.saved is not None
        is_item = target is not None and target.kind in ("request", "folder")
        self.open_action.setEnabled(is_request)
        self.rename_action.setEnabled(is_item)
        self.duplicate_action.setEnabled(is_request)
        self.delete_action.setEnabled(is_item)
        has_store = self.current_store() is not None
        self.run_folder_action.setEnabled(target is not None and target.kind == "folder")
        for action in (
            self.run_collection_action,
            self.new_folder_action,
            self.export_postman_action,
            self.export_curl_action,
            self.environments_action,
        ):
            action.setEnabled(has_store)

    # -- environments ----------------------------------------------------------------------

    def _refill_environments(self) -> None:
        store = self.current_store()
        names = sorted(store.collection.environments) if store else []
        wanted = self.env_combo.currentText()
        if wanted in ("", NO_ENVIRONMENT) and self.settings is not None:  # "": at start-up
            remembered = self.settings.get(ENVIRONMENT_SETTING)
            wanted = remembered if isinstance(remembered, str) else wanted
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        self.env_combo.addItem(NO_ENVIRONMENT, "")
        for name in names:
            self.env_combo.addItem(name, name)
        index = self.env_combo.findData(wanted) if wanted else 0
        self.env_combo.setCurrentIndex(max(index, 0))
        self.env_combo.setEnabled(bool(names))
        self.env_combo.blockSignals(False)

    def _on_env_changed(self, _index: int) -> None:
        name = self.active_environment_name()
        if self.settings is not None:
            self.settings.set(ENVIRONMENT_SETTING, name)
            store = self.current_store()
            self.settings.set(ENVIRONMENT_COLLECTION_SETTING, str(store.root) if store else None)
        self.environment_changed.emit(name)

    def active_environment_name(self) -> str:
        data = self.env_combo.currentData()
        return data if isinstance(data, str) else ""

    def set_active_environment(self, name: str) -> bool:
        index = self.env_combo.findData(name)
        if index < 0:
            return False
        self.env_combo.setCurrentIndex(index)
        return True

    def active_environment(self) -> dict[str, str]:
        """The active environment's values, secrets read from the keyring ({} for none).

        A keyring failure is shown in the pane and only the plain variables are returned, so
        requests that need a secret report it as unresolved instead of failing obscurely.
        """
        store = self.current_store()
        name = self.active_environment_name()
        if store is None or not name or name not in store.collection.environments:
            return {}
        try:
            return store.environment_values(name)
        except ExplorerError as exc:
            self.show_notice(f"Secret variables of '{name}' could not be read: {exc}")
            return dict(store.collection.environments[name].variables)

    def resolve(self, request: RpcRequest) -> RpcRequest:
        """``request`` with the active environment filled in, as it will be sent.

        Raises:
            UnresolvedVariables: naming every placeholder without a value.
        """
        return resolve(request, self.active_environment())

    # -- running -----------------------------------------------------------------------------

    def run_collection(self) -> RunPlan | None:
        """Ask the window to run the current collection; returns the plan (None: nothing)."""
        store = self.current_store()
        return self._request_run(store, None) if store is not None else None

    def run_folder(self) -> RunPlan | None:
        """Ask the window to run the selected folder's requests."""
        target = self.current_target()
        if target is None or target.kind != "folder":
            return None
        return self._request_run(target.store, target.folder)

    def run_plan(self, store: CollectionStore, folder: str | None = None) -> RunPlan | None:
        """What a run of ``store`` (or of one ``folder``) would send, with the values of the
        active environment when the collection defines it. ``None`` (and a notice) when
        there is nothing to run."""
        from explorer.ui.collection_dialogs import TOP_LEVEL
        from explorer.ui.run_dialog import RunPlan

        collection = store.collection
        if folder is None:
            requests, title = collection.requests(), collection.name
        else:
            found = collection.folder(folder)
            requests = list(found.requests) if found else []
            title = f"{collection.name} / {folder or TOP_LEVEL}"
        if not requests:
            self.show_notice(f"'{title}' has no saved requests to run.")
            return None
        name = self.active_environment_name()
        env = collection.environments.get(name)
        values: dict[str, str] = {}
        if env is not None:
            try:
                values = store.environment_values(name)
            except ExplorerError as exc:
                # As on the command line: the requests needing a secret report it unresolved.
                self.show_notice(f"Secret variables of '{name}' could not be read: {exc}")
                values = dict(env.variables)
        secrets = [values[s] for s in env.secrets if values.get(s)] if env else []
        return RunPlan(
            title=title,
            store=store,
            requests=list(requests),
            environment=name if env is not None else "",
            values=values,
            secrets=secrets,
            problems=list(store.problems) if folder is None else [],
        )

    def _request_run(self, store: CollectionStore, folder: str | None) -> RunPlan | None:
        plan = self.run_plan(store, folder)
        if plan is not None:
            self.run_requested.emit(plan)
        return plan

    def set_profile_base_url(self, url: str | None) -> None:
        """The active profile's base URL: curl exports of profile-relative requests use it."""
        self.profile_base_url = url

    def environments_dialog(self) -> None:
        from explorer.ui.collection_dialogs import EnvironmentsDialog

        store = self.current_store()
        if store is None:
            return
        dialog = EnvironmentsDialog(store, self)
        dialog.exec()
        self._rebuild()

    # -- saving ----------------------------------------------------------------------------

    def save_current(self, request: RpcRequest, *, save_as: bool = False) -> SavedRequest | None:
        """Ctrl+S / Ctrl+Shift+S. Overwrites the open saved request, or asks for a name,
        description and folder. Returns what was saved, ``None`` if cancelled or refused."""
        if not save_as and self.open_store is not None and self.open_saved is not None:
            saved = self.open_saved
            saved.request = self._for_file(request, saved.request.base_url)
            if not self._guard(partial(self.open_store.save_request, saved)):
                return None
            self.dirty = False
            self._rebuild(select=saved.path)
            self.message.emit(f"Saved '{saved.name}'")
            return saved
        from explorer.ui.collection_dialogs import SaveRequestDialog

        source = self.open_saved
        dialog = SaveRequestDialog(
            self.stores,
            name=(f"{source.name} copy" if source and save_as else request.action) or "",
            description=source.description if source else "",
            expected_status=source.expected_status if source else None,
            store=self.current_store(),
            folder=self._current_folder(),
            base_url=request.base_url,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        store = dialog.chosen_store()
        if dialog.new_collection_name():
            store = self.new_collection(dialog.new_collection_name())
            if store is None:
                return None  # the notice says why it could not be created
        return self.save_new(
            request,
            name=dialog.name_edit.text(),
            description=dialog.description_edit.toPlainText(),
            store=store,
            folder=dialog.folder(),
            expected_status=dialog.expected_status(),
            keep_base_url=dialog.pin_check.isVisible() and dialog.pin_check.isChecked(),
        )

    def save_new(
        self,
        request: RpcRequest,
        *,
        name: str,
        description: str = "",
        store: CollectionStore | None = None,
        folder: str = ROOT_FOLDER,
        expected_status: int | None = None,
        keep_base_url: bool = False,
    ) -> SavedRequest | None:
        """Save ``request`` as a new saved request (the dialog's work, callable directly).

        Without ``store`` the default collection ("My requests") is used, created if needed.
        Unless ``keep_base_url``, the base URL is left to the profile that runs it.
        """
        if store is None:
            store = self._default_store()
            if store is None:
                return None
        saved = SavedRequest(
            name=name,
            request=self._for_file(request, request.base_url if keep_base_url else None),
            description=description.strip(),
            expected_status=expected_status,
            folder=folder,
        )
        if not self._guard(partial(store.save_request, saved)):
            return None
        self.open_store, self.open_saved = store, saved
        self.dirty = False
        self._rebuild(select=saved.path)
        self.message.emit(f"Saved '{saved.name}' in {store.collection.name}")
        return saved

    @staticmethod
    def _for_file(request: RpcRequest, base_url: str | None) -> RpcRequest:
        """The request as a collection stores it: base URL only when pinned."""
        return request.copy(base_url=base_url or DEFAULT_BASE_URL)

    def _current_folder(self) -> str:
        target = self.current_target()
        if target is None:
            return self.open_saved.folder if self.open_saved else ROOT_FOLDER
        return target.folder

    def _default_store(self) -> CollectionStore | None:
        from explorer.ui.collection_dialogs import DEFAULT_COLLECTION

        root = self.collections_dir / slugify(DEFAULT_COLLECTION)
        for store in self.stores:
            if store.root == root:
                return store
        try:
            if is_collection(root):
                store = CollectionStore(root, credentials=self.credentials)
                store.load()
            else:
                store = CollectionStore.create(
                    root, DEFAULT_COLLECTION, credentials=self.credentials
                )
        except ExplorerError as exc:
            self.show_notice(str(exc))
            return None
        self.stores.append(store)
        return store

    # -- tree commands ---------------------------------------------------------------------

    def rename_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.view.edit(index)

    def _on_rename_requested(self, target: Target, new_name: str) -> None:
        # Deferred: the view is still inside its editor's commit when the model asks.
        QTimer.singleShot(0, lambda: self.rename(target, new_name))

    def rename(self, target: Target, new_name: str) -> bool:
        """Rename a request (its file follows) or a folder; undoable."""
        store = target.store
        if target.saved is not None:
            saved = target.saved
            old = saved.name
            if not self._guard(lambda: store.rename(saved, new_name)):
                return False
            self._push(
                f"Rename '{old}'",
                lambda: store.rename(saved, new_name),
                lambda: store.rename(saved, old),
            )
            self._rebuild(select=saved.path)
            return True
        if target.kind == "folder":
            old_folder = target.folder
            done = self._guard(lambda: store.rename_folder(old_folder, new_name))
            if not done:
                return False
            clean = new_name.strip()
            self._push(
                f"Rename folder '{old_folder}'",
                lambda: store.rename_folder(old_folder, clean),
                lambda: store.rename_folder(clean, old_folder),
            )
            self._rebuild()
            return True
        return False

    def duplicate_current(self) -> SavedRequest | None:
        target = self.current_target()
        if target is None or target.saved is None:
            return None
        store, original = target.store, target.saved
        copies: list[SavedRequest] = []
        if not self._guard(lambda: copies.append(store.duplicate(original))):
            return None
        copy = copies[0]
        deleted: list[DeletedRequest] = []

        def undo() -> None:
            deleted[:] = [store.delete(copy)]

        def redo() -> None:
            if deleted:
                store.restore(deleted[0])

        self._push(f"Duplicate '{original.name}'", redo, undo)
        self._rebuild(select=copy.path)
        return copy

    def delete_current(self) -> bool:
        target = self.current_target()
        if target is None:
            return False
        store = target.store
        if target.saved is not None:
            saved = target.saved
            if not self._undoable_delete(
                f"Delete '{saved.name}'", partial(store.delete, saved), store.restore
            ):
                return False
            if saved is self.open_saved:
                self.open_store, self.open_saved = None, None
            what = f"'{saved.name}'"
        elif target.kind == "folder":
            name = target.folder
            if not self._undoable_delete(
                f"Delete folder '{name}'",
                partial(store.delete_folder, name),
                store.restore_folder,
            ):
                return False
            if self.open_saved is not None and self.open_saved.folder == name:
                self.open_store, self.open_saved = None, None
            what = f"folder '{name}'"
        else:
            return False
        self._rebuild()
        self.message.emit(f"Deleted {what} (Ctrl+Z to undo)")
        return True

    def _undoable_delete(
        self, text: str, delete: Callable[[], _Deleted], restore: Callable[[_Deleted], object]
    ) -> bool:
        """Delete now (an error is shown and nothing pushed); undo restores what the latest
        delete returned, redo deletes again."""
        deleted: list[_Deleted] = []

        def do() -> None:
            deleted[:] = [delete()]

        if not self._guard(do):
            return False
        self._push(text, do, lambda: restore(deleted[0]))
        return True

    def new_folder_dialog(self) -> None:
        from explorer.ui.collection_dialogs import ask_name

        store = self.current_store()
        if store is None:
            return
        name = ask_name(self, "New folder", "Folder name:")
        if name is not None:
            self.new_folder(store, name)  # an empty name gets the store's explanation

    def new_folder(self, store: CollectionStore, name: str) -> bool:
        clean = name.strip()
        if not self._guard(lambda: store.create_folder(clean)):
            return False
        self._push(
            f"New folder '{clean}'",
            lambda: store.create_folder(clean),
            lambda: store.delete_folder(clean),
        )
        self._rebuild()
        return True

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
        if not self._guard(lambda: store.move(saved, folder, row)):
            return False
        self._push(
            f"Move '{saved.name}'",
            lambda: store.move(saved, folder, row),
            lambda: store.move(saved, old_folder, old_row),
        )
        self._rebuild(select=saved.path)
        return True

    def _move_between(
        self, source: CollectionStore, saved: SavedRequest, store: CollectionStore, folder: str
    ) -> bool:
        # ``copy`` keeps every unknown key (also inside ``"request"``) a newer app wrote.
        copy = saved.copy(folder=folder)
        if not self._guard(lambda: store.save_request(copy)):
            return False
        self._guard(lambda: source.delete(saved))
        if saved is self.open_saved:
            self.open_store, self.open_saved = store, copy
        self.undo_stack.clear()  # spans two collections: not undoable
        self._rebuild(select=copy.path)
        self.message.emit(f"Moved '{saved.name}' to {store.collection.name}")
        return True

    def _mover(self, target: Target, folder: str) -> Callable[[], None]:
        def move() -> None:
            self.move_request(target, target.store, folder)

        return move

    def _context_menu(self, pos: QPoint) -> None:
        from explorer.ui.collection_dialogs import TOP_LEVEL

        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        target = self.model.target(index)
        menu = QMenu(self)
        if target is not None and target.saved is not None:
            _add_actions(menu, self.open_action, self.rename_action, self.duplicate_action)
            move_menu = menu.addMenu("Move to")
            for name in [ROOT_FOLDER, *target.store.collection.folder_names()]:
                if name != target.saved.folder:
                    move_menu.addAction(name or TOP_LEVEL, self._mover(target, name))
            _add_actions(menu, self.delete_action, None, self.export_curl_action)
        elif target is not None and target.kind == "folder":
            _add_actions(
                menu,
                self.run_folder_action,
                None,
                self.rename_action,
                self.delete_action,
                self.new_folder_action,
            )
        else:
            _add_actions(
                menu,
                self.run_collection_action,
                None,
                self.new_folder_action,
                self.environments_action,
                None,
                self.export_postman_action,
                self.export_curl_action,
                None,
                self.new_collection_action,
                self.open_folder_action,
            )
        _add_actions(menu, None, self.undo_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- collections -----------------------------------------------------------------------

    def new_collection_dialog(self) -> None:
        from explorer.ui.collection_dialogs import ask_name

        name = ask_name(self, "New collection", "Collection name:")
        if name:
            self.new_collection(name)

    def new_collection(self, name: str, root: Path | None = None) -> CollectionStore | None:
        """Create a collection, by default in the data directory's collections folder."""
        folder = root or self._free_dir(slugify(name))
        try:
            CollectionStore.create(folder, name, credentials=self.credentials)
        except ExplorerError as exc:
            self.show_notice(str(exc))
            return None
        self._remember_folder(folder)
        self.reload()
        return self._store_at(folder)

    def open_folder_dialog(self) -> None:
        from explorer.ui.collection_dialogs import choose_folder

        chosen = choose_folder(self, "Open collection folder")
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
                self.show_notice(
                    f"{folder} holds no collection (no collection.json). Choose the folder "
                    "that contains collection.json, or an empty folder for a new collection."
                )
                return None
            return self.new_collection(folder.name, folder)
        self._remember_folder(folder)
        self.reload()
        return self._store_at(folder)

    def _remember_folder(self, folder: Path) -> None:
        if self.settings is None or folder.parent == self.collections_dir:
            return
        folders = self.settings.get(FOLDERS_SETTING, [])
        folders = [str(f) for f in folders] if isinstance(folders, list) else []
        if str(folder) not in folders:
            folders.append(str(folder))
            self.settings.set(FOLDERS_SETTING, folders)
            self._guard(self.settings.save)

    def _store_at(self, folder: Path) -> CollectionStore | None:
        for store in self.stores:
            if store.root == folder:
                return store
        return None

    def _free_dir(self, slug: str) -> Path:
        candidate, n = self.collections_dir / slug, 1
        while candidate.exists():
            n += 1
            candidate = self.collections_dir / f"{slug}-{n}"
        return candidate

    # -- import and export -----------------------------------------------------------------

    def import_curl_dialog(self) -> None:
        from explorer.ui.collection_dialogs import ask_curl_command

        command = ask_curl_command(self)
        if command is not None:
            self.import_curl(command)

    def import_curl(
        self, command: str, *, name: str | None = None, folder: str | None = None
    ) -> SavedRequest | None:
        """Save a pasted curl command as a new request in the current collection and folder.

        A key found in the command is dropped (collections never hold secrets) and the user is
        told so; the base URL is left to the profile unless it is not StackOne's. A command
        that reads its body from a file (``-d @file``) is read on the thread pool: it is
        saved when that is done, and this returns ``None``.
        """
        if reads_files(command):
            job = RenderJob(0, lambda: from_curl(command))
            signals = job.signals  # kept until done: the pool deletes the job itself

            def done(_generation: int, result: object) -> None:
                self._curl_jobs.remove(signals)
                self._save_curl_import(result, name, folder)

            signals.done.connect(done)
            self._curl_jobs.append(signals)
            QThreadPool.globalInstance().start(job)
            return None
        try:
            imported = from_curl(command)
        except ExplorerError as exc:
            return self._save_curl_import(exc, name, folder)
        return self._save_curl_import(imported, name, folder)

    def _save_curl_import(
        self, imported: object, name: str | None, folder: str | None
    ) -> SavedRequest | None:
        if isinstance(imported, Exception):
            self.show_notice(f"That curl command could not be imported: {imported}")
            return None
        assert isinstance(imported, CurlImport)
        request = imported.request
        saved = self.save_new(
            request,
            name=name or request.action or "Imported from curl",
            store=self.current_store(),
            folder=self._current_folder() if folder is None else folder,
            keep_base_url=request.base_url.rstrip("/") != DEFAULT_BASE_URL,
        )
        if saved is None:
            return None
        notes = list(imported.warnings)
        if imported.api_key:
            notes.insert(
                0,
                "The command contained an API key; it was not saved. Keep keys in a profile "
                "(Manage profiles).",
            )
        self.show_notice("\n".join(notes))
        return saved

    def save_requests(
        self,
        requests: Iterable[RpcRequest],
        *,
        store: CollectionStore | None = None,
        folder: str = ROOT_FOLDER,
    ) -> list[SavedRequest]:
        """Save several requests at once (e.g. history entries), each named after its action.

        The base URL is left to the profile, as for every saved request. A secret-bearing
        header (its value redacted in the history) becomes a ``{{variable}}`` named after the
        header, to be given a secret value in an environment; a notice says which.
        """
        target = store or self.current_store() or self._default_store()
        if target is None:
            return []
        saved: list[SavedRequest] = []
        variables: set[str] = set()
        for request in requests:
            request, names = _secret_headers_as_variables(request)
            variables.update(names)
            item = SavedRequest(
                request.action or "Request",
                self._for_file(request, None),
                folder=folder,
            )
            if not self._guard(partial(target.save_request, item)):
                break
            saved.append(item)
        self._rebuild()
        if saved and variables:
            listed = ", ".join("{{" + name + "}}" for name in sorted(variables))
            self.show_notice(
                f"Secret headers were saved as variables: {listed}. Give them a value in an "
                "environment (Environments…) and mark it secret, so it stays in the keyring."
            )
        if saved:
            self.message.emit(f"Saved {len(saved)} request(s) in {target.collection.name}")
        return saved

    def import_postman_dialog(self) -> None:
        from explorer.ui.collection_dialogs import POSTMAN_FILTER, choose_file_to_open

        chosen = choose_file_to_open(self, "Import Postman collection", POSTMAN_FILTER)
        if chosen is not None:
            self.import_postman(chosen)

    def import_postman(self, path: Path) -> CollectionStore | None:
        """Make a new collection from a Postman v2.1 file; report everything not imported."""
        from explorer.core.postman import from_postman

        try:
            imported = from_postman(read_json(path))
        except (StoreFileError, ExplorerError) as exc:
            self.show_notice(f"Could not import {path.name}: {exc}")
            return None
        store = self.new_collection(imported.name)
        if store is None:
            return None

        def fill() -> None:
            store.set_info(imported.name, imported.description)
            for item in imported.requests:
                store.save_request(
                    SavedRequest(
                        item.name,
                        item.request,
                        item.description,
                        item.expected_status,
                        item.folder,
                    )
                )
            if imported.variables:
                store.set_environment(Environment("Postman", dict(imported.variables)))

        self._guard(fill)
        self._rebuild()
        report = [f"Imported {len(imported.requests)} request(s) into '{imported.name}'."]
        if imported.skipped:
            report.append(f"Not imported ({len(imported.skipped)}):")
            report += [f"• {item}" for item in imported.skipped]
        report += [f"• {warning}" for warning in imported.warnings]
        if imported.skipped or imported.warnings:
            self.show_notice("\n".join(report))
        self.message.emit(report[0])
        return store

    def export_postman_dialog(self) -> None:
        from explorer.ui.collection_dialogs import POSTMAN_FILTER, choose_file_to_save

        store = self.current_store()
        if store is None:
            return
        chosen = choose_file_to_save(
            self,
            "Export as Postman collection",
            Path.home() / f"{slugify(store.collection.name)}.postman_collection.json",
            POSTMAN_FILTER,
        )
        if chosen is not None:
            self.export_postman(store, chosen)

    def export_postman(self, store: CollectionStore, path: Path) -> bool:
        """Write ``store`` as Postman v2.1, the active environment's plain values included
        and its secrets blanked."""
        from explorer.core.postman import PostmanRequest, to_postman

        collection = store.collection
        env_name = self.active_environment_name()
        env = collection.environments.get(env_name)
        data = to_postman(
            collection.name,
            [
                PostmanRequest(r.name, r.request, r.description, r.folder, r.expected_status)
                for r in collection.requests()
            ],
            description=collection.description,
            folders=collection.folder_names(),
            variables=env.variables if env else {},
            secrets=env.secrets if env else (),
            collection_id=_uuid_form(collection.id),
        )
        if not self._guard(lambda: write_atomic(path, dump_json(data))):
            return False
        self.message.emit(f"Exported {len(collection.requests())} request(s) to {path}")
        return True

    def export_curl_dialog(self) -> None:
        from explorer.ui.collection_dialogs import SHELL_FILTER, choose_file_to_save

        requests = self._selected_requests()
        if not requests:
            return
        store = self.current_store()
        stem = slugify(store.collection.name) if store else "requests"
        chosen = choose_file_to_save(
            self, "Export as curl", Path.home() / f"{stem}.sh", SHELL_FILTER
        )
        if chosen is not None:
            self.export_curl(requests, chosen)

    def export_curl(self, requests: Iterable[SavedRequest], path: Path) -> bool:
        """A shell script of curl commands; plain variables filled, secrets left as {{name}}."""
        store = self.current_store()
        env = store.collection.environments.get(self.active_environment_name()) if store else None
        script = curl_script(
            requests, values=env.variables if env else {}, base_url=self.profile_base_url
        )
        if not self._guard(lambda: write_atomic(path, script)):
            return False
        self.message.emit(f"Exported as curl to {path}")
        return True

    def _selected_requests(self) -> list[SavedRequest]:
        target = self.current_target()
        if target is None:
            store = self.current_store()
            return store.collection.requests() if store else []
        if target.saved is not None:
            return [target.saved]
        if target.kind == "folder":
            folder = target.store.collection.folder(target.folder)
            return list(folder.requests) if folder else []
        return target.store.collection.requests()

    # -- plumbing ----------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _guard(self, action: Callable[[], object]) -> bool:
        """Run a store call; show its error in the pane instead of raising."""
        try:
            action()
        except (ExplorerError, OSError) as exc:
            self.show_notice(str(exc))
            return False
        self.show_notice("")
        return True

    def _push(self, text: str, redo: Callable[[], object], undo: Callable[[], object]) -> None:
        def do_redo() -> None:
            redo()
            self._rebuild()

        def do_undo() -> None:
            undo()
            self._rebuild()

        self.undo_stack.push(_Command(text, do_redo, do_undo, self))


def _secret_headers_as_variables(request: RpcRequest) -> tuple[RpcRequest, list[str]]:
    """``request`` with each literal secret-bearing header value (``<redacted>`` when it
    comes from the history) replaced by ``{{header-name}}``; and those variable names."""
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


def _uuid_form(text: str) -> str:
    """Postman ids look like UUIDs; ours are 32 hex digits."""
    if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def _banner(rgb: str) -> QLabel:
    """A hidden, selectable, word-wrapped message box tinted with ``rgb`` ("r, g, b")."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(
        f"QLabel {{ background: rgba({rgb}, 0.14); border: 1px solid rgba({rgb}, 0.55); "
        "border-radius: 4px; padding: 6px; }"
    )
    label.hide()
    return label


def _add_actions(menu: QMenu, *actions: QAction | None) -> None:
    """Add ``actions`` to ``menu`` in order; ``None`` is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
