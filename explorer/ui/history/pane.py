"""The history pane: every exchange sent, newest first, to find, inspect, annotate, replay or
export.

The pane only translates: the ``HistoryStore`` owns the entries and the files, the model adapts
the light rows for the view, and a full ``Exchange`` (with its body) is read from disk only
when the user selects, opens or exports it. New exchanges are written by a
``HistoryWriter`` on a background thread (a big body must not freeze the window); the row
appears when the write is done, in the order the exchanges finished.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import ExplorerError
from explorer.store.history import BODY_INLINE_LIMIT
from explorer.store.history_entry import HistoryFilter
from explorer.ui.confirm import confirm_destructive
from explorer.ui.history import export
from explorer.ui.history.filtering import FILTER_ON_THREAD, BackgroundFilter
from explorer.ui.history.filters import HistoryFilters
from explorer.ui.history.model import HistoryModel, PreparedRows
from explorer.ui.history.notes import NoteEditor, NoteStrip
from explorer.ui.history.reader import EntryReader, RowsReader
from explorer.ui.history.table import HeldSelection, button_row, history_table
from explorer.ui.history.writer import HistoryWriter
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.core.request import RpcRequest
    from explorer.store.history import HistoryEntry, HistoryRow, HistoryStore

EMPTY_TEXT = "No history yet"
EMPTY_HINT = "Every request you send is kept here, newest first."
NO_MATCH_TEXT = "No entries match the filter"
# Once, after an update: an old home moves into the database off the UI thread.
MOVING_TEXT = (
    "Moving your history into its new database…\n\n"
    "Its entries appear here when that is done; you can work meanwhile."
)
# A lazy store's newest entries, shown while the rest are read.
FIRST_PAGE = 200
# A lazy store with at most this many entries shows them all at once (one query: ~2 ms for
# 1,000), so its first frame is the list as it stays; the thread reading them for the store
# (``RowsReader``) then only confirms them.
WHOLE_AT_ONCE = 2_000
# Of those, read before the first paint: more than a list as tall as a 4K screen shows (any
# further row is read the moment it is needed: ``HistoryModel.set_first_rows``).
FIRST_FRAME_ROWS = 100


class EntryActions:
    """What the user does with the history's entries, as actions for the menus, the row
    menu and the buttons: open one in the editor, delete the selected (asking first when more
    than one would go), clear them all (asking), save the selected into a collection, and
    save (export) the history.

    Apart from ``HistoryPane`` (the list: reading, writing, filtering and showing its rows)
    because each of these is a question, a read of a request or a signal to the window; they
    reach the list only through the pane's own methods (``remove_rows``, ``load_request``).
    The pane says when its selection changes (``update``).
    """

    def __init__(self, pane: HistoryPane) -> None:
        self._pane = pane
        self.open_action = QAction("Open in editor", pane)
        self.open_action.setToolTip(
            "Load the selected request into the editor to replay it (Enter)"
        )
        self.open_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.open_action.triggered.connect(self.open_current)

        self.delete_action = QAction("Delete", pane)
        self.delete_action.setToolTip("Delete the selected entries (Del)")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)

        self.clear_action = QAction("Clear history…", pane)
        self.clear_action.setToolTip("Delete every entry in the history")
        self.clear_action.triggered.connect(self.clear_all)

        self.export = export.HistoryExport(pane.store, pane.writer, self._entries_to_save, pane)
        self.export.message.connect(pane.message)
        self.save_action = self.export.action

        self.save_to_collection_action = QAction("Save to collection…", pane)
        self.save_to_collection_action.setToolTip(
            "Save the selected requests, as they were sent, into a collection"
        )
        self.save_to_collection_action.triggered.connect(self.save_selected_to_collection)

        for action in (self.open_action, self.delete_action):
            # Only while the list has focus: Enter and Del mean other things in the filter box.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def row_menu(self) -> tuple[QAction, ...]:
        """The actions on a row's context menu (the note's comes from ``NoteEditor``)."""
        return (
            self.open_action,
            self._pane.note_action,
            self.save_to_collection_action,
            self.delete_action,
        )

    def update(self, has_selection: bool, current: HistoryRow | None) -> None:
        """Enabled only while they apply: to the selection, or to the current entry."""
        self.delete_action.setEnabled(has_selection)
        self.save_to_collection_action.setEnabled(has_selection)
        self.open_action.setEnabled(current is not None)
        self._pane.note_action.setEnabled(current is not None and not self._pane.store.read_only)

    def open_current(self) -> None:
        """Emit ``open_in_editor`` with the current entry's request."""
        self.open(self._pane.current_entry())

    def open(self, entry: HistoryRow | None) -> None:
        if entry is None:
            return
        request = self._pane.load_request(entry)
        if request is not None:
            self._pane.open_in_editor.emit(request)

    def selected_requests(self) -> list[RpcRequest]:
        """The requests of the selected entries as they were sent, oldest first.

        Entries that can no longer be read are skipped (the error is shown in the pane).
        """
        requests = []
        for entry in sorted(self._pane.selected_entries(), key=lambda e: e.started_at):
            request = self._pane.load_request(entry)
            if request is not None:
                requests.append(request)
        return requests

    def save_selected_to_collection(self) -> None:
        """Emit ``save_to_collection`` with the selected requests (nothing when none)."""
        requests = self.selected_requests()
        if requests:
            self._pane.save_to_collection.emit(requests)

    def delete_selected(self) -> None:
        """Delete the selected entries; asks first when more than one would go."""
        pane = self._pane
        pane.flush()
        entries = pane.selected_entries()
        if not entries:
            return
        if len(entries) > 1 and not confirm_destructive(
            pane,
            "Delete history entries",
            f"Delete {len(entries)} selected entries? This cannot be undone.",
        ):
            return
        # Keep the user's place: select what now sits where the first deleted row was.
        first_row = min(i.row() for i in pane.view.selectionModel().selectedRows())
        pane.remove_rows([e.id for e in entries])  # at once; the store deletes on its thread
        if pane.model.rowCount():
            index = pane.model.index(min(first_row, pane.model.rowCount() - 1), 0)
            pane.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def clear_all(self) -> None:
        """Delete every entry after the user confirms."""
        pane = self._pane
        pane.flush()
        count = pane.model.total()
        if not count:
            return
        if not confirm_destructive(
            pane,
            "Clear history",
            f"Delete all {count} history entries? This cannot be undone.",
        ):
            return
        pane.remove_rows(None)  # at once; the store clears on its thread

    def _entries_to_save(self) -> tuple[list[HistoryRow], str]:
        """The selected entries (two or more), else all shown; why none, if none."""
        entries = self._pane.selected_entries()
        if len(entries) < 2:
            entries = self._pane.shown_entries()
        why = NO_MATCH_TEXT + "." if self._pane.model.total() else "There is no history yet."
        return entries, why


class HistoryPane(QWidget):
    """History list with filters, replay and export.

    Signals:
        selected(object): the full ``Exchange`` of the row the user selected (read from disk).
            Not emitted for the row ``add()`` selects: the caller already has that exchange.
            A big entry is read on a thread: ``loading`` comes first, ``selected`` when it is
            read, and only if no other row was selected meanwhile (the newest choice wins).
        loading(object): the ``HistoryRow`` whose exchange is being read in the background.
        open_in_editor(object): the ``RpcRequest`` of the chosen entry, to load and replay.
        save_to_collection(object): a list of ``RpcRequest``s (as sent, secrets scrubbed) of
            the selected entries, oldest first, to save into a collection.
        added(object): the ``HistoryEntry`` of an exchange given to ``add``, once it is on
            disk and in the list.
        message(str): a short status-bar text (an export finished, a note saved).

    Attributes:
        open_action, delete_action, clear_action, save_action, save_to_collection_action,
        note_action: ``QAction``s for menus and toolbars; their shortcuts (Enter, Del, F2)
            work while the list has focus.
        entry_actions: what those actions do (``EntryActions``).
        writer: the background writer of new entries.
        notes: "Note and tags…" (``NoteEditor``); export: "Save history…" (``HistoryExport``).
    """

    selected = Signal(object)
    loading = Signal(object)
    open_in_editor = Signal(object)
    save_to_collection = Signal(object)
    added = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        store: HistoryStore,
        parent: QWidget | None = None,
        *,
        keys: Callable[[], Iterable[str]] | None = None,
        read_later: bool = False,
    ) -> None:
        """``keys`` gives the API keys the window knows (called on a daemon thread: it may
        read the keyring); they, and the secret values sent this session, are hidden in
        notes. With ``read_later``, a lazy store's rows are read on their thread only from
        ``start_reading()`` on (the window's second stage: a thread running Python while the
        window is built and painted slows both)."""
        super().__init__(parent)
        self.store = store
        self._read_held = read_later
        self._read_pending = False
        self._quiet = False  # True while add() selects its own row
        self.writer = HistoryWriter(store, self)
        self.writer.written.connect(self._on_written)
        self._select_after_write: deque[bool] = deque()

        self.reader = EntryReader(store, self)
        self.reader.loaded.connect(self._on_loaded)
        self.reader.failed.connect(
            lambda exc: self._show_error(f"Could not read this entry: {exc}")
        )

        self.model = HistoryModel(self, details=store.get)
        # A lazy store's rows, read on a thread (100,000 take ~0.2 s) while the newest show.
        self.rows_reader = RowsReader(store, self.model.prepare, self)
        self.rows_reader.read.connect(self._on_rows_read)
        self._reading_total: int | None = None  # entries still being read
        self.filtering = BackgroundFilter(self)  # a long history's filter, off the UI thread

        self.notes = NoteEditor(store, self.writer, self.current_entry, keys, self)
        self.notes.saved.connect(self._on_note_saved)
        self.notes.message.connect(self.message)
        self.notes.failed.connect(self._show_error)
        self.note_action = self.notes.action

        self.entry_actions = actions = EntryActions(self)
        self.open_action, self.delete_action = actions.open_action, actions.delete_action
        self.clear_action, self.save_action = actions.clear_action, actions.save_action
        self.save_to_collection_action = actions.save_to_collection_action
        self.export = actions.export
        self.export.finished.connect(self._refresh_state)
        self._build_ui()
        self._reload(first_frame=True)

    # -- construction ----------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.filters = HistoryFilters(self)
        self.filters.changed.connect(self._on_filter_changed)

        self.error_label = tinted_label(PROBLEM_RGB)

        self.view = history_table(self.model, self.entry_actions.row_menu(), self)
        self.held = HeldSelection(self.view, self.model)
        self.view.doubleClicked.connect(
            lambda index: self.entry_actions.open(self.model.entry_at(index))
        )
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        # A quiet grey that follows the palette when the theme flips.
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        self.note_strip = NoteStrip(self.note_action, self)

        self.count_label = QLabel(self)
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons, self._buttons = button_row(
            (self.open_action, self.delete_action, self.clear_action, self.save_action),
            self.save_to_collection_action,
            self.count_label,
            self,
        )
        self.save_button = self._buttons[-1]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note_strip)
        layout.addLayout(buttons)

    def tab_chain(self) -> list[QWidget]:
        """The pane's controls in reading order, for Tab: the filters, the list (one stop),
        the note's button and the buttons under it."""
        return [
            self.filters.edit,
            *self.filters.combos(),
            self.view,
            self.note_strip.button,
            *self._buttons,
        ]

    def focus_list(self) -> None:
        """Keyboard focus where it is useful: the list when it shows rows, else the filter."""
        target = self.view if self.stack.currentWidget() is self.view else self.filters.edit
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- public API --------------------------------------------------------------------------
    def add(self, exchange: Exchange, secrets: Iterable[str] = (), *, select: bool = True) -> None:
        """Record a finished exchange; it appears at the top once written (``added``).

        The write happens on the writer thread, so a 10 MB body costs the UI nothing;
        ``flush()`` waits for it. ``secrets`` (values of secret variables that went into the
        request) are hidden (``core.secrets``) before anything is written. With ``select`` the
        new row is selected, without emitting ``selected``: the caller is showing that
        exchange already. A collection run passes ``False`` so the user's selection stays.
        """
        values = list(secrets)
        if values:
            self.notes.remember(values)
        self._select_after_write.append(select)
        self.writer.add(exchange, values)

    def add_many(
        self,
        exchanges: Sequence[Exchange],
        secrets: Iterable[str] = (),
        *,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Record several finished exchanges (a batch's, oldest first) in one write: one
        transaction, and their rows listed together (one repaint of the list, not one an
        exchange). The user's selection stays. ``then`` runs once they are on disk and
        listed, or the write failed (the pane says so): after every add queued before."""
        values = list(secrets)
        if values:
            self.notes.remember(values)
        self.writer.add_many(exchanges, values, partial(self._on_written_many, then))

    def _on_written_many(
        self,
        then: Callable[[], object] | None,
        entries: list[HistoryEntry] | None,
        error: Exception | None,
    ) -> None:
        if entries is None:
            self._show_error(f"Could not save these exchanges to the history: {error}")
        else:
            self._quiet = True
            try:
                self.model.add_entries([entry.row() for entry in entries if entry.id in self.store])
                self._forget_trimmed()
            finally:
                self._quiet = False
            if self.model.take_names_changed():
                self._refill_combos()
            self._refresh_state()
            for entry in entries:
                self.added.emit(entry)
        if then is not None:
            then()

    def flush(self) -> None:
        """Finish every pending write and show its row now."""
        self.writer.flush()

    def set_limit(self, limit: int) -> None:
        """Keep at most ``limit`` entries from now on (the oldest beyond it go at once)."""
        self._change(partial(setattr, self.store, "limit", limit), "trim the history")

    def set_budget(self, budget: int) -> None:
        """Keep at most ``budget`` bytes of bodies (the oldest entries beyond it go at once)."""
        self._change(
            partial(setattr, self.store, "budget", budget), "trim the history to its size budget"
        )

    def _change(self, work: Callable[[], object], what: str) -> None:
        """Change the store on the writer thread, after the adds queued before: deleting
        thousands of entries takes seconds of disk work. The list already shows the result
        (or shows it when the oldest are trimmed); a failure reloads what is left."""
        self.writer.run(work, partial(self._after_change, what))

    def _after_change(self, what: str, _result: object, error: Exception | None) -> None:
        if error is not None:
            self._show_error(f"Could not {what}: {error}")
            self.reload()
        else:
            self._rows_changed(None)

    def _rows_changed(
        self, rows: list[HistoryRow] | None, prepared: PreparedRows | None = None
    ) -> None:
        """Show ``rows`` (or drop those trimmed), keeping the user's selection."""
        self._quiet = True
        try:
            if rows is None:
                self._forget_trimmed()
            else:
                self.model.set_rows(rows, prepared)
            self.held.restore()
        finally:
            self._quiet = False
        self._refill_combos()
        self._refresh_state()

    def _on_written(self, entry: HistoryEntry | None, error: Exception | None) -> None:
        select = self._select_after_write.popleft() if self._select_after_write else True
        if entry is None:
            self._show_error(f"Could not save this exchange to the history: {error}")
            return
        if entry.id in self.store:  # not with a history limit of 0
            self._quiet = True
            try:
                # One inserted row (no reset): the selection and scroll position stay put.
                self.model.add_entry(entry.row())
                self._forget_trimmed()
                if select:
                    self.reader.forget()  # the caller shows this exchange already
                    if self.select_entry(entry.id):
                        self.held.hold_only(entry.id)
            finally:
                self._quiet = False
            if self.model.take_names_changed():
                self._refill_combos()
            self._refresh_state()
        self.added.emit(entry)

    def _forget_trimmed(self) -> None:
        """Drop the rows of entries the store trimmed to its limit: the oldest, at the end."""
        given = self.model.all_rows()
        gone = []
        for entry in reversed(given):
            if entry.id in self.store:
                break
            gone.append(entry.id)
        self.model.remove_ids(gone)

    def reload(self) -> None:
        """Show the store's entries again (after it changed behind our back, or at start).

        A lazy store's rows are read on a thread (100,000 take ~0.2 s): its newest entries
        show at once, the rest when read (the filter and sort apply to what is shown, and to
        all once read)."""
        self._reload()

    def _reload(self, *, first_frame: bool = False) -> None:
        if self.store.rows_loaded:
            self.model.set_rows(self.store.rows())
        else:
            total = len(self.store)
            # An old home moving in has nothing to list until it has moved.
            whole = total <= WHOLE_AT_ONCE and not self.store.moving_old_home
            self._reading_total = None if whole else total
            first, count, names, rest = (
                self.store.first_frame(FIRST_FRAME_ROWS)
                if whole and first_frame and total > FIRST_FRAME_ROWS
                else ([], 0, (set(), set()), list)
            )
            if first:
                # The rows the first frame paints; the rest when anything needs them, at the
                # latest from the reader's thread (``start_reading``).
                self.model.set_first_rows(first, count, names, rest)
            else:
                self.model.set_rows(self.store.newest(total if whole else FIRST_PAGE))
            self._read_pending = True
            if not self._read_held:
                self.start_reading()
        self._refill_combos()
        if self.store.load_error:
            self._show_error(f"Some history could not be read: {self.store.load_error}")
        self._on_filter_changed()

    def start_reading(self) -> None:
        """Read a lazy store's rows on their thread now, if they are waiting to be read (see
        ``read_later``)."""
        self._read_held = False
        if self._read_pending:
            self._read_pending = False
            self.rows_reader.start()

    def select_entry(self, entry_id: str) -> bool:
        """Select and reveal one entry; ``False`` if it is unknown or hidden by the filters."""
        return self.held.select(entry_id)

    def stop_reading(self) -> None:
        """The window is closing: read no entry or rows more (queued writes still happen; a
        note still waiting for the keyring's keys does not)."""
        self.notes.stop()
        self.reader.stop()
        self.rows_reader.stop()

    def wait_for_loads(self) -> None:
        """Wait for entries (and a lazy store's rows) being read in the background, and show
        them (for tests and closing)."""
        self.start_reading()
        self.reader.wait()
        self.rows_reader.wait()
        self.filtering.wait()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)  # the rows, read
        self.flush()

    def _on_rows_read(self, version: int, prepared: PreparedRows) -> None:
        # After the writes queued meanwhile (they waited for the rows): then all are there.
        show = partial(self._show_all_rows, version, prepared)
        self.writer.run(lambda: None, lambda _result, _error: show())

    def _show_all_rows(self, version: int, prepared: PreparedRows) -> None:
        self._reading_total = None
        if self.store.load_error:
            self._show_error(f"Some history could not be read: {self.store.load_error}")
        now, rows = self.store.snapshot()
        self._rows_changed(prepared.rows if now == version else rows, prepared)

    def selected_entries(self) -> list[HistoryRow]:
        """The selected entries, in the order shown."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [e for e in (self.model.entry_at(i) for i in rows) if e is not None]

    def shown_entries(self) -> list[HistoryRow]:
        """Every entry the filters let through, in the order shown."""
        return self.model.rows()

    def current_entry(self) -> HistoryRow | None:
        return self.model.entry_at(self.view.currentIndex())

    def remove_rows(self, ids: list[str] | None) -> None:
        """Take entries off the list at once (``None``: every one); the store deletes them
        on the writer thread (``_change``)."""
        if ids is None:
            self._change(self.store.clear, "clear the history")
            self.model.set_rows([])
        else:
            self._change(partial(self.store.delete, ids), "delete")
            self._quiet = True
            try:
                self.model.remove_ids(ids)
            finally:
                self._quiet = False
        self._refill_combos()
        self._refresh_state()

    def _on_note_saved(self, row: HistoryRow) -> None:
        self.model.update_entry(row)
        current = self.current_entry()
        if current is not None and current.id == row.id:
            self.note_strip.show_entry(current)

    # -- reactions ---------------------------------------------------------------------------
    def _on_filter_changed(self, *_args: object) -> None:
        history_filter = self.filters.current()
        work = self.model.filtering(history_filter)
        cleared = history_filter == HistoryFilter()  # every row: a copy, at once
        if work is not None and not cleared and self.model.total() >= FILTER_ON_THREAD:
            version = self.model.version
            self.filtering.start(
                work, lambda rows: self._apply_filter(history_filter, rows, version)
            )
            return
        self.filtering.forget()
        self._apply_filter(history_filter)

    def _apply_filter(
        self, history_filter: HistoryFilter, rows: object = None, version: int | None = None
    ) -> None:
        # Narrowing the list may move the current row; that is not the user choosing an entry.
        self._quiet = True
        try:
            found = rows if isinstance(rows, list) else None
            if self.model.set_filter(history_filter, found, version):
                self.held.restore()
        finally:
            self._quiet = False
        self._refresh_state()

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_actions()
        if not self._quiet:
            self.held.hold()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        if self._quiet:
            return
        self.held.hold()
        entry = self.model.entry_at(current)
        if entry is None:
            return
        if entry.size is not None and entry.size > BODY_INLINE_LIMIT:
            # Megabytes to read and parse: on the pool, so the list stays responsive.
            self.loading.emit(entry)
            self.reader.read(entry)
            return
        self.reader.forget()
        exchange = self._load(entry)
        if exchange is not None:
            self.selected.emit(exchange)

    def _on_loaded(self, exchange: object) -> None:
        if not self.store.load_error:
            self.error_label.hide()
        self.selected.emit(exchange)

    def load_request(self, entry: HistoryRow) -> RpcRequest | None:
        """Only the request (no response body to read or parse: quick even for 10 MB)."""
        try:
            return self.store.load_request(entry.id)
        except (ExplorerError, OSError, ValueError) as exc:
            self._show_error(f"Could not read this entry: {exc}")
            return None

    def _load(self, entry: HistoryRow) -> Exchange | None:
        try:
            exchange = self.store.load(entry.id)
        except (ExplorerError, OSError, ValueError) as exc:
            self._show_error(f"Could not read this entry: {exc}")
            return None
        if not self.store.load_error:
            self.error_label.hide()
        return exchange

    # -- state -------------------------------------------------------------------------------
    def _refill_combos(self) -> None:
        self.model.take_names_changed()
        self.filters.offer(self.model.actions(), self.model.accounts())

    def _refresh_state(self) -> None:
        total = self.model.total()
        shown = self.model.rowCount()
        moving = self._reading_total is not None and self.store.moving_old_home
        if not total:
            self.empty_label.setText(MOVING_TEXT if moving else f"{EMPTY_TEXT}\n\n{EMPTY_HINT}")
        elif not shown:
            self.empty_label.setText(NO_MATCH_TEXT)
        self.stack.setCurrentWidget(self.view if shown else self.empty_label)
        if moving:
            self.count_label.setText("Moving history in…")
        elif self._reading_total is not None:
            self.count_label.setText(f"Reading {self._reading_total} entries…")
        elif not total:
            self.count_label.setText("")
        elif shown == total:
            self.count_label.setText(f"{total} entr{'y' if total == 1 else 'ies'}")
        else:
            self.count_label.setText(f"{shown} of {total}")
        self.clear_action.setEnabled(bool(total))
        self.save_action.setEnabled(bool(total))
        self._update_actions()

    def _update_actions(self) -> None:
        current = self.current_entry()
        self.entry_actions.update(self.view.selectionModel().hasSelection(), current)
        self.note_strip.show_entry(current)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def empty_text(self) -> str:
        """What the empty state says now ("" when rows are shown): for tests and accessibility."""
        return "" if self.stack.currentWidget() is self.view else self.empty_label.text()
