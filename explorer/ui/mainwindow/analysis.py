"""The window's analysis commands: filter, compare, baselines, Defender check, share a case,
copy the request as code. Glue only: each feature lives in its folder (``ui.filter``,
``ui.compare``, ``ui.defender``, ``ui.case``, ``ui.response.code_page``).

Commands on "the response" act on ``window.response_view.exchange`` at the moment they run
(with tabs, the current tab's); commands on "the request" on ``window.editor``'s draft; the
history's commands on the entries selected there. They appear in a Response menu, in the
response's ⋯ button and in the history's context menu.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from explorer.store.history_entry import HistoryRow
from explorer.store.recent_filters import RecentFilters
from explorer.ui.discovery import quiet_key_lookup

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.ui.case.dialog import CaseSources, ShareCaseDialog
    from explorer.ui.compare.control import CompareControl
    from explorer.ui.compare.window import CompareWindow
    from explorer.ui.defender.window import DefenderWindow
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.tabs.tab import RequestTab


class Analysis(QObject):
    """Creates the analysis actions, puts them in the menus, and runs them.

    Attributes:
        compare: the comparisons and baselines (``CompareControl``).
    """

    def __init__(self, window: MainWindow, baselines_dir: Path | None) -> None:
        super().__init__(window)
        self.window = window
        # No baselines in a read-only session: pinning one writes.
        read_only = window.history.read_only
        self._baselines_dir = None if read_only else baselines_dir
        self.defender_windows: list[DefenderWindow] = []  # open ones (tests, closing)
        self.case_dialog: ShareCaseDialog | None = None
        self.case_folder = _documents()  # where a new case is offered (tests set it)
        self.recent_filters = RecentFilters(window.settings)
        self._build_actions()
        self._install()

    @cached_property
    def compare(self) -> CompareControl:
        """Made when first used: its modules and the baselines' rules file are not needed to
        show the window."""
        from explorer.store.baselines import BaselineStore
        from explorer.ui.compare.control import CompareControl

        store = None if self._baselines_dir is None else BaselineStore(self._baselines_dir)
        compare = CompareControl(self.window.history, store, self.window, parent=self)
        compare.message.connect(self._say)
        return compare

    # -- construction -----------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: str = "",
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.filter_action = self._action(
            "&Filter the response…",
            lambda: self.window.response_view.open_filter(),
            "Ctrl+L",
            "JSONPath or jq over the response body",
        )
        self.copy_python_action = self._action(
            "Copy as &Python (stackone-ai)",
            lambda: self._copy_code("python", "a stackone-ai Python script"),
            tip="The request as a script for StackOne's Python SDK (the key stays "
            "$STACKONE_API_KEY)",
        )
        self.copy_typescript_action = self._action(
            "Copy as &TypeScript (stackone-client-ts)",
            lambda: self._copy_code("typescript", "a @stackone/stackone-client-ts script"),
            tip="The request as a script for StackOne's TypeScript SDK (the key stays "
            "$STACKONE_API_KEY)",
        )
        self.pin_action = self._action(
            "&Pin as baseline",
            self.pin_shown,
            tip="Keep this response as the one later responses of its action and account are "
            "compared with",
        )
        self.baseline_action = self._action(
            "Compare with &baseline",
            self.compare_shown_with_baseline,
            "Ctrl+Shift+B",
            "What changed since the baseline pinned for this action and account",
        )
        self.unpin_action = self._action("&Unpin baseline", self.unpin_shown)
        self.defender_action = self._action(
            "Check with &Defender…",
            self.check_shown,
            "Ctrl+Shift+D",
            "Would StackOne's Defender flag this response, where and why; and what the "
            "server's Defender said (nothing is sent)",
        )
        self.share_action = self._action(
            "S&hare as a case…",
            self.share_shown,
            "Ctrl+Shift+E",
            "Export this exchange for a ticket: a Markdown report and a HAR file, without "
            "secrets, personal data scrubbed after a preview",
        )
        self.share_baseline_action = self._action(
            "Share the baseline in the &collection",
            self.share_baseline,
            tip="Write the pinned baseline into the current collection's folder (personal "
            "data scrubbed) so colleagues compare with it too",
        )
        # The history's commands, on its selected entries.
        self.compare_entries_action = self._action(
            "&Compare",
            self.compare_selected,
            "Ctrl+Shift+M",
            "Compare the two selected entries: what changed from the older to the newer",
        )
        self.entry_baseline_action = self._action(
            "Compare with baseline", self.compare_selected_with_baseline
        )
        self.entry_pin_action = self._action("Pin as baseline", self.pin_selected)
        self.entry_defender_action = self._action("Check with Defender…", self.check_selected)
        self.entry_share_action = self._action(
            "Share as a case…",
            self.share_selected,
            tip="Export the selected entries for a ticket (report and HAR, no secrets)",
        )
        self._history_actions = [
            self.compare_entries_action,
            self.entry_baseline_action,
            self.entry_pin_action,
            self.entry_defender_action,
            self.entry_share_action,
        ]

    def _install(self) -> None:
        window = self.window
        bar = window.menuBar()
        menu = bar.addMenu("Re&sponse")
        view_menu = next((a for a in bar.actions() if a.text() == "&View"), None)
        if view_menu is not None:  # between Request and View
            bar.insertMenu(view_menu, menu)
        for action in self.response_actions():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.compare_entries_action)
        file_menu = next((a.menu() for a in bar.actions() if a.text() == "&File"), None)
        if isinstance(file_menu, QMenu):  # after "Copy as curl"
            items = file_menu.actions()
            at = items.index(window.copy_curl_action) + 1 if window.copy_curl_action in items else 0
            code = [self.copy_python_action, self.copy_typescript_action]
            if at < len(items):
                file_menu.insertActions(items[at], code)
            else:
                file_menu.addActions(code)
        for tab in window.tabs.built:  # each tab's response view, now and to come
            self.attach_tab(tab)
        window.tabs.added.connect(self.attach_tab)
        view = window.history_pane.view
        separator = QAction(view)
        separator.setSeparator(True)
        view.addActions([separator, *self._history_actions])
        view.selectionModel().selectionChanged.connect(lambda *_a: self._update_history())
        self._update_history()

    def attach_tab(self, tab: RequestTab) -> None:
        """A request tab's response view: the ⋯ button's actions, the recent filters."""
        view = tab.response_view
        view.set_recent_filters(self.recent_filters)
        view.set_tool_actions(self.response_actions())

    def response_actions(self) -> list[QAction]:
        """The ⋯ button's and the Response menu's actions (a per-tab response view takes
        these too)."""
        return [
            self.filter_action,
            self.defender_action,
            self.share_action,
            self.baseline_action,
            self.pin_action,
            self.unpin_action,
            self.share_baseline_action,
        ]

    # -- the response on screen --------------------------------------------------------------
    def shown(self) -> Exchange | None:
        exchange = self.window.response_view.exchange
        if exchange is None:
            self._say("Nothing to act on yet: send a request or pick one in the history")
        return exchange

    def pin_shown(self) -> None:
        exchange = self.shown()
        if exchange is not None:
            self.window.history_pane.flush()
            self.compare.pin_exchange(exchange)

    def compare_shown_with_baseline(self) -> CompareWindow | None:
        exchange = self.shown()
        return self.compare.exchange_against_baseline(exchange) if exchange else None

    def unpin_shown(self) -> None:
        exchange = self.shown()
        if exchange is not None:
            self.compare.unpin(exchange.request.action, exchange.request.account_id)

    def share_baseline(self) -> None:
        exchange = self.shown()
        pane = self.window.collections_pane
        store = pane.current_store() if pane is not None else None
        if exchange is None:
            return
        if store is None:
            self._say("Open or select a collection first: the baseline goes into its folder")
            return
        request = exchange.request
        self.compare.export_baseline(request.action, request.account_id, store.root)

    # -- the history's selection -------------------------------------------------------------
    def selected_entries(self) -> list[HistoryRow]:
        return self.window.history_pane.selected_entries()

    def compare_selected(self) -> CompareWindow | None:
        self.window.history_pane.flush()
        return self.compare.compare_entries(self.selected_entries())

    def compare_selected_with_baseline(self) -> CompareWindow | None:
        entries = self.selected_entries()
        return self.compare.entry_against_baseline(entries[0]) if len(entries) == 1 else None

    def pin_selected(self) -> None:
        entries = self.selected_entries()
        if len(entries) == 1:
            self.compare.pin_entry(entries[0])

    def _update_history(self) -> None:
        count = len(self.window.history_pane.view.selectionModel().selectedRows())
        self.compare_entries_action.setEnabled(count == 2)
        for action in (self.entry_baseline_action, self.entry_pin_action):
            action.setEnabled(count == 1 and self._baselines_dir is not None)
        self.entry_defender_action.setEnabled(count == 1)
        self.entry_share_action.setEnabled(count >= 1)

    # -- Defender check -----------------------------------------------------------------------
    def check_shown(self) -> DefenderWindow | None:
        exchange = self.shown()
        if exchange is None:
            return None
        return self._open_defender(
            lambda: exchange,
            _title(
                exchange.request.action,
                exchange.request.account_id,
                _exchange_label(exchange.started_at, _status(exchange)),
            ),
        )

    def check_selected(self) -> DefenderWindow | None:
        entries = self.selected_entries()
        if len(entries) != 1:
            return None
        entry = entries[0]
        self.window.history_pane.flush()
        history = self.window.history
        label = _exchange_label(entry.started_at, entry.status)
        return self._open_defender(
            lambda: history.load(entry.id), _title(entry.action, entry.account_id, label)
        )

    def _open_defender(self, read: Callable[[], Exchange], title: str) -> DefenderWindow:
        from explorer.ui.defender.window import DefenderWindow  # when first opened
        from explorer.ui.widgets.opened import show_kept

        window = DefenderWindow(read, title=title, parent=self.window)
        window.message.connect(self._say)
        show_kept(window, self.defender_windows).start()
        return window

    # -- share a case -------------------------------------------------------------------------
    def share_shown(self) -> ShareCaseDialog | None:
        exchange = self.shown()
        if exchange is None:
            return None
        label = (
            f"{exchange.request.action} ({_exchange_label(exchange.started_at, _status(exchange))})"
        )
        return self._open_case([(label, lambda: exchange)])

    def share_selected(self) -> ShareCaseDialog | None:
        entries = sorted(self.selected_entries(), key=lambda e: e.started_at)
        if not entries:
            self._say("Select one or more history entries to share (Ctrl+click adds one)")
            return None
        self.window.history_pane.flush()
        history = self.window.history
        readers: list[tuple[str, Callable[[], Exchange]]] = [
            (f"{e.action} ({_exchange_label(e.started_at, e.status)})", partial(history.load, e.id))
            for e in entries
        ]
        return self._open_case(readers)

    def _open_case(self, readers: list[tuple[str, Callable[[], Exchange]]]) -> ShareCaseDialog:
        if self.case_dialog is not None:
            self.case_dialog.reject()
        from explorer.ui.case.dialog import ShareCaseDialog  # when first opened

        dialog = ShareCaseDialog(
            self._case_sources(readers), folder=self.case_folder, parent=self.window
        )
        dialog.finished.connect(lambda _r, d=dialog: self._case_done(d))
        self.case_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _case_sources(self, readers: list[tuple[str, Callable[[], Exchange]]]) -> CaseSources:
        window = self.window
        selector = window.profile_selector
        profile = selector.current()
        lookup = quiet_key_lookup(selector.session_keys, selector.credentials)
        profile_name = profile.name if profile is not None else ""
        pane = window.collections_pane
        store = pane.current_store() if pane is not None else None
        env_name = pane.environment.name() if pane is not None else ""
        env = store.collection.environments.get(env_name) if store and env_name else None
        secret_names = list(env.secrets) if env is not None else []
        # Secrets kept for this session only (Set variable…) went out in requests too.
        session = pane.environment.session if pane is not None else {}
        session_secrets = [
            session.get(n, "") for n in (pane.environment.session_secrets if pane else ())
        ]

        def secrets() -> list[str]:  # on a thread of its own: the keyring
            found = [lookup(profile_name) or ""] if profile_name else []
            found += session_secrets
            if store is not None and env is not None and secret_names:
                # A keyring that refuses raises: the case is not written without them.
                values = store.environment_values(env_name)
                found += [values.get(name, "") for name in secret_names]
            return [s for s in found if s]

        marks = window.marks

        def customer(account_id: str) -> str:
            account = marks.account(account_id)
            return account.origin_owner_name if account is not None else ""

        from explorer.ui.case.dialog import CaseSources

        return CaseSources(
            readers=readers,
            secrets=secrets,
            customer=customer,
            trace=window.support.fetched_trace,
            environment=env_name,
            variables={
                k: v for k, v in (env.variables.items() if env else ()) if k not in secret_names
            },
            secret_names=secret_names,
        )

    def _case_done(self, dialog: ShareCaseDialog) -> None:
        if dialog.written is not None:
            self._say(f"Wrote the case to {dialog.written}")
        if self.case_dialog is dialog:
            self.case_dialog = None
        dialog.deleteLater()

    # -- the request in the editor -----------------------------------------------------------
    def _copy_code(self, language: str, what: str) -> None:
        from explorer.core.snippets import to_python, to_typescript  # when first used

        form = to_python if language == "python" else to_typescript
        QGuiApplication.clipboard().setText(form(self.window.editor.draft_request()))
        self._say(f"Copied as {what}; the key stays in $STACKONE_API_KEY")

    # -- the rest ----------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 6000)

    def shutdown(self) -> None:
        """Close the analysis windows and end the helper processes (quitting waits for
        none of them)."""
        if "compare" in vars(self):  # made (``compare`` is made when first used)
            self.compare.close_all()
        for window in list(self.defender_windows):
            window.close()
        if self.case_dialog is not None:
            self.case_dialog.reject()
        from explorer.ui.helper_jobs import stop_helpers  # the filter's modules bring it

        stop_helpers()


def _status(exchange: Exchange) -> int | None:
    return exchange.response.status if exchange.response is not None else None


def _title(action: str, account_id: str, label: str) -> str:
    where = f" on {account_id}" if account_id else ""
    return f"{action}{where}, {label}"


def _documents() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def _exchange_label(started_at: str, status: int | None) -> str:
    """The compare control's label for an exchange (its module is imported when first used)."""
    from explorer.ui.compare.control import exchange_label

    return exchange_label(started_at, status)
