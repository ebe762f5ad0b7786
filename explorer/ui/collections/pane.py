"""The collections pane: saved requests in folders, the tree and what is selected in it.

The pane translates user intent into ``CollectionStore`` calls and rebuilds its tree from the
stores afterwards; the files are the truth. Its parts: ``edits`` (rename, duplicate, delete,
move, each undoable with Ctrl+Z, so nothing asks "are you sure?"), ``transfer`` (curl,
history, Postman in and out) and ``environments`` (the active environment's values). Every
couple of seconds the pane checks the folders' modification times and reloads a collection
that changed on disk (a ``git pull``, an editor), keeping the open request when it still
exists.

Which collections are shown: every collection folder inside the data directory's
``collections`` folder, plus folders the user opened elsewhere (remembered in the settings
under ``collection_folders``; never a secret there).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import ExplorerError
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.store.collections import (
    ROOT_FOLDER,
    CollectionStore,
    SavedRequest,
)
from explorer.ui.collections import menus
from explorer.ui.collections.edits import TreeEdits
from explorer.ui.collections.environments import (
    ENVIRONMENT_COLLECTION_SETTING,
    EnvironmentChoice,
)
from explorer.ui.collections.library import Library
from explorer.ui.collections.model import (
    TOP_LEVEL,
    CollectionsModel,
    Target,
)
from explorer.ui.collections.transfer import Transfer
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label
from explorer.ui.widgets.modal import run_modal

# The dialogs, Postman and the run dialog (which brings the collection runner) are imported
# where they are used, not at start-up: the pane is built before the window's first paint and
# needs none of them until the user asks for one.
if TYPE_CHECKING:
    from explorer.run.plan import RunPlan
    from explorer.store.credentials import CredentialStore
    from explorer.store.settings import Settings

POLL_MS = 2000

Shortcut = str | QKeySequence | QKeySequence.StandardKey


class CollectionsPane(QWidget):
    """Collections tree, environment choice, import/export; the store does all file work.

    Signals:
        open_request(object): a ``SavedRequest`` to load into the editor.
        message(str): a short status-bar text for the window.
        run_requested(object): a ``RunPlan`` (a collection or folder with the active
            environment's values) for the window to run with the current profile.

    Methods the window calls: ``save_current(request, save_as=...)`` (Ctrl+S / Ctrl+Shift+S),
    ``mark_dirty(bool)`` when the editor changes, ``environment.reader(request)``
    before sending, ``set_profile_base_url(url)`` for exports.
    """

    open_request = Signal(object)
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
        self.previous_open: Path | None = None
        self.dirty = False
        self.profile_base_url: str | None = None
        self.model = CollectionsModel(self)
        self._build_actions()
        self.edits = TreeEdits(self)
        self.library = Library(self)
        self.transfer = Transfer(self)
        self.environment = EnvironmentChoice(
            self.current_store,
            settings=settings,
            dialog_action=self.environments_action,
            notice=self.show_notice,
            parent=self,
        )
        self._build_ui()
        self.reload()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.check_disk)
        if poll_ms > 0:
            self.poll_timer.start()

    # -- construction ----------------------------------------------------------------------

    def add_action(
        self, text: str, slot: Callable[[], object], shortcut: Shortcut | None = None
    ) -> QAction:
        """An action of the pane; one with a shortcut works while the pane has focus."""
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self.add_action("Open in editor", self.open_current)
        self.environments_action = self.add_action("Environments…", self.environments_dialog)
        self.reload_action = self.add_action("Reload from disk", self.reload)
        self.run_collection_action = self.add_action("Run collection", self.run_collection)
        self.run_collection_action.setToolTip(
            "Send every saved request in order with the profile's key and the active "
            "environment, and check each one's expected status"
        )
        self.run_folder_action = self.add_action("Run folder", self.run_folder)
        self.run_folder_action.setToolTip("Run the requests of the selected folder, in order")

    def _build_ui(self) -> None:
        self.menu_button = QToolButton()
        self.menu_button.setText("⋯")
        self.menu_button.setToolTip("Collections: new, open, import, export")
        self.menu_button.setAccessibleName("Collection actions")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(menus.pane_menu(self, self.menu_button))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.environment.label)
        bar.addWidget(self.environment.combo, 1)
        bar.addWidget(self.environment.button)
        bar.addWidget(self.menu_button)

        self.notice = tinted_label()
        self.problems_label = tinted_label(PROBLEM_RGB)

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
        menu_key.install(self.view)  # Shift+F10 and the Menu key, at the current item
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
        return [self.environment.combo, self.environment.button, self.menu_button, self.view]

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

    def reload(self) -> None:
        """Re-read every collection from disk and rebuild the tree."""
        stores = []
        for folder in self.library.folders():
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
        self.edits.undo_stack.clear()  # its commands hold objects of the previous load
        self.rebuild()

    def check_disk(self) -> bool:
        """Reload when any collection changed on disk; True if it did."""
        known = {store.root for store in self.stores}
        current = set(self.library.folders())
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

    def rebuild(self, select: Path | None = None) -> None:
        """The tree again from the stores, keeping what was expanded and selected."""
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
        self.environment.refill()
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
        """Make ``saved`` the open request and ask the window to load it (the window may
        load it into another tab: ``previous_open`` is what was open before)."""
        self.previous_open = self.open_path
        self.open_store, self.open_saved = store, saved
        self.dirty = False
        self.rebuild(select=saved.path)
        self.open_request.emit(saved)

    def saved_at(self, path: Path) -> SavedRequest | None:
        """The saved request whose file is ``path``, if any collection holds it."""
        return self._find_path(path)[1]

    @property
    def open_path(self) -> Path | None:
        """The file of the open saved request, if one is open."""
        return self.open_saved.path if self.open_saved is not None else None

    def show_open(self, path: Path | None, dirty: bool = False) -> bool:
        """The request tab shown now is tied to the saved request at ``path`` (``None``:
        to none), with unsaved edits or not. False when nothing is saved there any more."""
        store, saved = self._find_path(path)
        dirty = dirty and saved is not None
        if saved is not self.open_saved or dirty != self.dirty:
            self.open_store, self.open_saved, self.dirty = store, saved, dirty
            self.rebuild()
        return path is None or saved is not None

    def detach(self) -> None:
        """The editor holds something else now (a new request, a history entry, a pasted
        curl): no saved request is open, so Ctrl+S asks where to save instead of
        overwriting the one opened before."""
        if self.open_saved is None and not self.dirty:
            return
        self.open_store, self.open_saved = None, None
        self.dirty = False
        self.rebuild()

    def mark_dirty(self, dirty: bool) -> None:
        """The editor's content differs (or not) from the open saved request."""
        if self.open_saved is None or dirty == self.dirty:
            self.dirty = dirty and self.open_saved is not None
            return
        self.dirty = dirty
        self.rebuild()

    def _on_current_changed(self) -> None:
        self._update_actions()
        self.environment.refill()

    def _update_actions(self) -> None:
        target = self.current_target()
        has_store = self.current_store() is not None
        self.open_action.setEnabled(target is not None and target.saved is not None)
        self.edits.update_actions(target, has_store=has_store)
        self.transfer.update_actions(has_store=has_store)
        self.run_folder_action.setEnabled(target is not None and target.kind == "folder")
        for action in (self.run_collection_action, self.environments_action):
            action.setEnabled(has_store)

    # -- environments and runs --------------------------------------------------------------

    def environments_dialog(self) -> None:
        from explorer.ui.collections.environments_dialog import EnvironmentsDialog

        store = self.current_store()
        if store is None:
            return
        dialog = EnvironmentsDialog(store, self)
        run_modal(dialog)
        self.rebuild()

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
        """What a run of ``store`` (or of one ``folder``) would send, with the active
        environment when the collection defines it (its secret values not read yet).
        ``None`` (and a notice) when there is nothing to run."""
        from explorer.run.plan import SetupError, plan_run

        name = self.environment.name()
        if name not in store.collection.environments:
            name = ""  # the choice belongs to another collection
        try:
            # The secret values are read by the run, off the UI thread (ui.run.control).
            return plan_run(
                store,
                folder=folder,
                folder_title=TOP_LEVEL,
                environment=name,
                given=self.environment.session,  # as --var: over captured values too
                secrets=False,
            )
        except SetupError as exc:
            self.show_notice(str(exc))
            return None

    def _request_run(self, store: CollectionStore, folder: str | None) -> RunPlan | None:
        plan = self.run_plan(store, folder)
        if plan is not None:
            self.run_requested.emit(plan)
        return plan

    def set_profile_base_url(self, url: str | None) -> None:
        """The active profile's base URL: curl exports of profile-relative requests use it."""
        self.profile_base_url = url

    # -- saving ----------------------------------------------------------------------------

    def save_current(self, request: RpcRequest, *, save_as: bool = False) -> SavedRequest | None:
        """Ctrl+S / Ctrl+Shift+S. Overwrites the open saved request, or asks for a name,
        description and folder. Returns what was saved, ``None`` if cancelled or refused."""
        if not save_as and self.open_store is not None and self.open_saved is not None:
            saved = self.open_saved
            saved.request = self.for_file(request, saved.request.base_url)
            if not self.guard(partial(self.open_store.save_request, saved)):
                return None
            self.dirty = False
            self.rebuild(select=saved.path)
            self.message.emit(f"Saved '{saved.name}'")
            return saved
        from explorer.ui.collections.dialogs import SaveRequestDialog

        source = self.open_saved
        dialog = SaveRequestDialog(
            self.stores,
            name=(f"{source.name} copy" if source and save_as else request.action) or "",
            description=source.description if source else "",
            expected_status=source.expected_status if source else None,
            store=self.current_store(),
            folder=self.current_folder(),
            base_url=request.base_url,
            parent=self,
        )
        if not run_modal(dialog):
            return None
        store = dialog.chosen_store()
        if dialog.new_collection_name():
            store = self.library.new_collection(dialog.new_collection_name())
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
        from_editor: bool = True,
    ) -> SavedRequest | None:
        """Save ``request`` as a new saved request (the dialog's work, callable directly).

        Without ``store`` the default collection ("My requests") is used, created if needed.
        Unless ``keep_base_url``, the base URL is left to the profile that runs it. A request
        ``from_editor`` becomes the open one (Ctrl+S saves there next); one from elsewhere (a
        pasted command) leaves the editor's tie as it was.
        """
        if store is None:
            store = self.library.default_store()
            if store is None:
                return None
        saved = SavedRequest(
            name=name,
            request=self.for_file(request, request.base_url if keep_base_url else None),
            description=description.strip(),
            expected_status=expected_status,
            folder=folder,
        )
        if not self.guard(partial(store.save_request, saved)):
            return None
        if from_editor:
            self.open_store, self.open_saved = store, saved
            self.dirty = False
        self.rebuild(select=saved.path)
        self.message.emit(f"Saved '{saved.name}' in {store.collection.name}")
        return saved

    @staticmethod
    def for_file(request: RpcRequest, base_url: str | None) -> RpcRequest:
        """The request as a collection stores it: base URL only when pinned."""
        return request.copy(base_url=base_url or DEFAULT_BASE_URL)

    def current_folder(self) -> str:
        """Where a new request goes: the selected folder, or the open request's."""
        target = self.current_target()
        if target is None:
            return self.open_saved.folder if self.open_saved else ROOT_FOLDER
        return target.folder

    # -- context menu --------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        menu = menus.context_menu(self, self.model.target(index))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- plumbing ----------------------------------------------------------------------------

    def save_captures(self, saved: SavedRequest) -> bool:
        """Write ``saved``'s captures to its file (its request as saved, not the editor's)."""
        store, found = self._find_path(saved.path)
        if store is None or found is None:
            self.show_notice(f"'{saved.name}' is no longer in a collection: nothing captured.")
            return False
        found.captures = list(saved.captures)
        return self.guard(lambda: store.save_request(found))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def guard(self, action: Callable[[], object]) -> bool:
        """Run a store call; show its error in the pane instead of raising."""
        try:
            action()
        except (ExplorerError, OSError) as exc:
            self.show_notice(str(exc))
            return False
        self.show_notice("")
        return True
