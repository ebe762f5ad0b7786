"""Requests into and out of collections: pasted curl, history entries, Postman files, and
exports as Postman or a curl script.

Nothing secret leaves or enters a collection file: a key in a pasted command is dropped (and
the user told), a secret header from the history becomes a ``{{variable}}``, and exports
leave secret variables blank or as ``{{name}}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from explorer.core.curl import CurlImport
from explorer.core.curl_script import curl_script
from explorer.core.errors import ExplorerError
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.store.collections import (
    ROOT_FOLDER,
    CollectionStore,
    SavedRequest,
    secret_headers_as_variables,
    slugify,
)
from explorer.store.files import StoreFileError, dump_json, read_json, write_atomic
from explorer.ui.request.curl_import import CurlReader, ask_curl_command, import_notes

if TYPE_CHECKING:
    from explorer.ui.collections.pane import CollectionsPane


class Transfer(QObject):
    """The pane's imports and exports, with their actions; files are the store's to write."""

    def __init__(self, pane: CollectionsPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self._curl_reader = CurlReader()
        self.import_curl_action = pane.add_action("New request from curl…", self.import_curl_dialog)
        self.import_postman_action = pane.add_action("Import Postman…", self.import_postman_dialog)
        self.export_postman_action = pane.add_action("Export Postman…", self.export_postman_dialog)
        self.export_curl_action = pane.add_action("Export as curl…", self.export_curl_dialog)

    def update_actions(self, *, has_store: bool) -> None:
        for action in (self.export_postman_action, self.export_curl_action):
            action.setEnabled(has_store)

    # -- curl ----------------------------------------------------------------------------------

    def import_curl_dialog(self) -> None:
        command = ask_curl_command(self._pane, "New request from curl")
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
        return self._curl_reader.read(
            command, lambda imported: self._save_curl_import(imported, name, folder)
        )

    def _save_curl_import(
        self, imported: CurlImport | Exception, name: str | None, folder: str | None
    ) -> SavedRequest | None:
        pane = self._pane
        if isinstance(imported, Exception):
            pane.show_notice(f"That curl command could not be imported: {imported}")
            return None
        request = imported.request
        saved = pane.save_new(
            request,
            name=name or request.action or "Imported from curl",
            store=pane.current_store(),
            folder=pane.current_folder() if folder is None else folder,
            keep_base_url=request.base_url.rstrip("/") != DEFAULT_BASE_URL,
            from_editor=False,  # the editor still holds what it held: Ctrl+S saves that
        )
        if saved is None:
            return None
        pane.show_notice("\n".join(import_notes(imported)))
        return saved

    # -- history -------------------------------------------------------------------------------

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
        pane = self._pane
        target = store or pane.current_store() or pane.library.default_store()
        if target is None:
            return []
        saved: list[SavedRequest] = []
        variables: set[str] = set()
        for request in requests:
            request, names = secret_headers_as_variables(request)
            variables.update(names)
            item = SavedRequest(
                request.action or "Request", pane.for_file(request, None), folder=folder
            )
            if not pane.guard(partial(target.save_request, item)):
                break
            saved.append(item)
        pane.rebuild()
        if saved and variables:
            listed = ", ".join("{{" + name + "}}" for name in sorted(variables))
            pane.show_notice(
                f"Secret headers were saved as variables: {listed}. Give them a value in an "
                "environment (Environments…) and mark it secret, so it stays in the keyring."
            )
        if saved:
            pane.message.emit(f"Saved {len(saved)} request(s) in {target.collection.name}")
        return saved

    # -- Postman -------------------------------------------------------------------------------

    def import_postman_dialog(self) -> None:
        from explorer.ui.collections.dialogs import POSTMAN_FILTER, choose_file_to_open

        chosen = choose_file_to_open(self._pane, "Import Postman collection", POSTMAN_FILTER)
        if chosen is not None:
            self.import_postman(chosen)

    def import_postman(self, path: Path) -> CollectionStore | None:
        """Make a new collection from a Postman v2.1 file; report everything not imported."""
        from explorer.core.postman import from_postman

        pane = self._pane
        try:
            imported = from_postman(read_json(path))
        except (StoreFileError, ExplorerError) as exc:
            pane.show_notice(f"Could not import {path.name}: {exc}")
            return None
        store = pane.library.new_collection(imported.name)
        if store is None:
            return None

        pane.guard(partial(store.add_postman, imported))
        pane.rebuild()
        report = [f"Imported {len(imported.requests)} request(s) into '{imported.name}'."]
        if imported.skipped:
            report.append(f"Not imported ({len(imported.skipped)}):")
            report += [f"• {item}" for item in imported.skipped]
        report += [f"• {warning}" for warning in imported.warnings]
        if imported.skipped or imported.warnings:
            pane.show_notice("\n".join(report))
        pane.message.emit(report[0])
        return store

    def export_postman_dialog(self) -> None:
        from explorer.ui.collections.dialogs import POSTMAN_FILTER, choose_file_to_save

        store = self._pane.current_store()
        if store is None:
            return
        chosen = choose_file_to_save(
            self._pane,
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
        env = collection.environments.get(self._pane.environment.name())
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
            collection_id=collection.id,
        )
        if not self._pane.guard(lambda: write_atomic(path, dump_json(data))):
            return False
        self._pane.message.emit(f"Exported {len(collection.requests())} request(s) to {path}")
        return True

    # -- curl script ---------------------------------------------------------------------------

    def export_curl_dialog(self) -> None:
        from explorer.ui.collections.dialogs import SHELL_FILTER, choose_file_to_save

        requests = self.selected_requests()
        if not requests:
            return
        store = self._pane.current_store()
        stem = slugify(store.collection.name) if store else "requests"
        chosen = choose_file_to_save(
            self._pane, "Export as curl", Path.home() / f"{stem}.sh", SHELL_FILTER
        )
        if chosen is not None:
            self.export_curl(requests, chosen)

    def export_curl(self, requests: Iterable[SavedRequest], path: Path) -> bool:
        """A shell script of curl commands; plain variables filled, secrets left as {{name}}."""
        pane = self._pane
        store = pane.current_store()
        env = store.collection.environments.get(pane.environment.name()) if store else None
        script = curl_script(
            requests, values=env.variables if env else {}, base_url=pane.profile_base_url
        )
        if not pane.guard(lambda: write_atomic(path, script)):
            return False
        pane.message.emit(f"Exported as curl to {path}")
        return True

    def selected_requests(self) -> list[SavedRequest]:
        """What an export takes: the selected request, folder or collection (the current
        collection when nothing is selected)."""
        target = self._pane.current_target()
        if target is None:
            store = self._pane.current_store()
            return store.collection.requests() if store else []
        if target.saved is not None:
            return [target.saved]
        if target.kind == "folder":
            folder = target.store.collection.folder(target.folder)
            return list(folder.requests) if folder else []
        return target.store.collection.requests()
