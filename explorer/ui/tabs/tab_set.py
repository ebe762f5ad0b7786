"""The request tabs: the bar above the editor and the response, and the commands on it.

Each tab is a ``RequestTab``; its editor and response view sit in two stacks (the editor's
side and the response's side of the window's splitter), and the bar switches both. New tab
(Ctrl+T), close (Ctrl+W: asks only when unsaved edits would be lost), next and previous
(Ctrl+Tab, Ctrl+Shift+Tab), reopen the last closed (Ctrl+Shift+T). There is always one tab:
closing the last one leaves a new, empty one.

Opening a saved request or a history entry goes to the tab already holding it, else to a new
tab; with the "replace the current tab" preference, the current tab is reused unless it
holds unsaved edits or a request in flight. An empty, untouched tab is always reused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QWidget,
)

from explorer.core.request import RpcRequest
from explorer.ui.guard.marks import production_icon
from explorer.ui.tabs.session import TabState
from explorer.ui.tabs.tab import RequestTab, TabKit
from explorer.ui.theme import is_dark, status_colour

# Closed tabs Ctrl+Shift+T can bring back, the latest first.
MAX_CLOSED = 20
# A tab's label is cut beyond this many pixels (its tooltip says it all).
MAX_TAB_WIDTH = 320

# Asked before a tab with unsaved edits closes: True to go on (saved or discarded).
CloseQuestion = Callable[[RequestTab], bool]


class RequestTabs(QObject):
    """Every open request tab, the bar that shows them, and opening, closing, switching.

    Signals:
        added(object): a new ``RequestTab``, before anything is loaded into it (the window
            gives it the profile's base URL, the theme, the preferences).
        leaving(object): the ``RequestTab`` shown until now is about to be hidden.
        current_changed(object): the ``RequestTab`` shown now.
        closed(object): a ``RequestTab`` was closed (its widgets go next).
    """

    added = Signal(object)
    leaving = Signal(object)
    current_changed = Signal(object)
    closed = Signal(object)

    def __init__(
        self,
        kit: TabKit,
        *,
        ask_close: CloseQuestion,
        labels_later: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._kit = kit
        self._ask_close = ask_close
        # ``labels_later``: while the window is built, what a tab's label shows changes several
        # times (its profile, account, restored request, clean mark) and each label set lays
        # the bar out again: the tabs are noted here and labelled once (``release_labels``).
        self._unlabelled: list[RequestTab] | None = [] if labels_later else None
        self.tabs: list[RequestTab] = []
        self._closed: list[tuple[int, TabState]] = []
        self._current: RequestTab | None = None
        self.replace_current = False  # the preference: open into the current tab

        self.bar = _TabBar()
        self.bar.setObjectName("requestTabs")
        self.bar.setAccessibleName("Request tabs")
        self.bar.setAccessibleDescription(
            "Ctrl+T new, Ctrl+W close, Ctrl+Tab next, Ctrl+Shift+T reopen the last closed"
        )
        self.bar.setDocumentMode(True)
        self.bar.setTabsClosable(True)
        self.bar.setMovable(True)
        self.bar.setExpanding(False)
        self.bar.setUsesScrollButtons(True)
        self.bar.setElideMode(Qt.TextElideMode.ElideMiddle)
        self.bar.currentChanged.connect(self._on_bar_changed)
        self.bar.tabCloseRequested.connect(lambda index: self.close_tab(self.tabs[index]))
        self.bar.tabMoved.connect(self._on_moved)
        self.new_button = QToolButton()
        self.new_button.setText("+")
        self.new_button.setAutoRaise(True)
        self.new_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+T; also in the menu
        self.new_button.setToolTip("New tab (Ctrl+T)")
        self.new_button.setAccessibleName("New tab")
        self.new_button.clicked.connect(lambda: self.new_tab())
        self.row = QWidget()
        row = QHBoxLayout(self.row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        self.editor_stack = QStackedWidget()
        self.response_stack = QStackedWidget()
        kit.send_control.slot_changed.connect(self._on_slot_changed)
        kit.marks.changed.connect(lambda _account: self.refresh_labels())

    # -- what is open --------------------------------------------------------------------------
    @property
    def current(self) -> RequestTab:
        if self._current is None:
            self.new_tab()
        assert self._current is not None
        return self._current

    @property
    def built(self) -> list[RequestTab]:
        """The tabs whose widgets exist: a restored tab not shown yet has none, and is given
        the window's state (``added``) when it is built."""
        return [tab for tab in self.tabs if tab.built]

    @property
    def shown(self) -> RequestTab | None:
        """The current tab; ``None`` only while the first one is being built."""
        return self._current

    def index_of(self, tab: RequestTab) -> int:
        return self.tabs.index(tab)

    def find_saved(self, path: Path) -> RequestTab | None:
        return next((t for t in self.tabs if t.saved_path == path), None)

    def find_history(self, entry_id: str) -> RequestTab | None:
        return next((t for t in self.tabs if t.history_id == entry_id), None)

    def target_for_open(self) -> RequestTab:
        """Where to open something that is not open yet: the current tab when it is empty
        (or when the preference says so and nothing would be lost), else a new tab."""
        tab = self._current
        if tab is not None and (
            tab.is_pristine()
            or (self.replace_current and not tab.is_dirty() and not tab.send.in_flight)
        ):
            return tab
        return self.new_tab()

    # -- commands -----------------------------------------------------------------------------
    def new_tab(self, *, select: bool = True, index: int | None = None) -> RequestTab:
        """A new, empty tab (tied to nothing), shown unless ``select`` is False."""
        tab = RequestTab(self._kit, parent=self)
        at = len(self.tabs) if index is None else max(0, min(index, len(self.tabs)))
        self.tabs.insert(at, tab)
        self._stack(tab)
        tab.changed.connect(lambda: self._update_label(tab))
        self.bar.blockSignals(True)  # selected below, once the tab is complete
        self.bar.insertTab(at, "")
        self.bar.blockSignals(False)
        self._update_label(tab)
        if select or self._current is None:
            self.select(tab)
        return tab

    def add_later(
        self, state: TabState, restore: Callable[[RequestTab, TabState], None]
    ) -> RequestTab:
        """A restored tab, not shown: in the bar at once with its label, its widgets built
        when first needed (selected, or its editor asked for), then ``restore`` puts
        ``state`` back into them. Each tab costs the window's first paint ~10 ms otherwise."""

        def built(tab: RequestTab, state: TabState) -> None:
            self._stack(tab)
            restore(tab, state)
            tab.preview_discovery()  # until the window's second stage builds its controls

        tab = RequestTab(self._kit, parent=self, later=state, on_built=built)
        self.tabs.append(tab)
        tab.changed.connect(lambda: self._update_label(tab))
        self.bar.blockSignals(True)
        self.bar.addTab("")
        self.bar.blockSignals(False)
        self._update_label(tab)
        return tab

    def _stack(self, tab: RequestTab) -> None:
        """A tab's widgets into the window, given what every tab starts with (``added``)."""
        self.editor_stack.addWidget(tab.editor)
        self.response_stack.addWidget(tab.response_view)
        tab.set_discovery_active(tab is self._current)
        self.added.emit(tab)
        tab.mark_clean()  # whatever ``added`` filled in is where it starts

    def select(self, tab: RequestTab) -> None:
        if tab is self._current:
            return
        tab.build()  # a restored tab shown for the first time: before anything changes
        old = self._current
        if old is not None:
            self.leaving.emit(old)
            old.set_discovery_active(False)
        self._current = tab
        self.editor_stack.setCurrentWidget(tab.editor)
        self.response_stack.setCurrentWidget(tab.response_view)
        self.bar.blockSignals(True)
        self.bar.setCurrentIndex(self.tabs.index(tab))
        self.bar.blockSignals(False)
        tab.set_discovery_active(True)
        self._kit.send_control.set_current(tab.send)
        self._kit.marks.set_current(tab.editor)
        self.current_changed.emit(tab)

    def release_validation(self) -> None:
        """Validate every tab's request now, and a new tab's as it changes (the window is
        built; see ``TabKit.validate_later``)."""
        self._kit.validate_later = False
        for tab in self.built:
            tab.editor.release_validation()

    def build_discovery(self) -> None:
        """Build every tab's discovery controls now, and a new tab's as it is made (after
        the window's first paint; see ``TabKit.discovery_later``)."""
        self._kit.discovery_later = False
        for tab in self.built:
            tab.build_discovery()

    def next_tab(self) -> None:
        self._step(1)

    def previous_tab(self) -> None:
        self._step(-1)

    def close_tab(self, tab: RequestTab | None = None, *, ask: bool = True) -> bool:
        """Close ``tab`` (the current one); asks first only when unsaved edits would be
        lost. Returns False when the tab stays open."""
        tab = tab or self.current
        if ask and tab.is_dirty() and not self._ask_close(tab):
            return False
        index = self.tabs.index(tab)
        if tab is self._current:
            self.leaving.emit(tab)  # its tie is read back before it goes
        self._closed.insert(0, (index, tab.pending or TabState.of(tab)))
        del self._closed[MAX_CLOSED:]
        if len(self.tabs) == 1:
            self.new_tab()  # the window always has a tab
        elif tab is self._current:
            self.select(self.tabs[index + 1] if index + 1 < len(self.tabs) else self.tabs[-2])
        self.tabs.remove(tab)
        self.bar.blockSignals(True)
        self.bar.removeTab(index)
        self.bar.setCurrentIndex(self.tabs.index(self.current))
        self.bar.blockSignals(False)
        if tab.built:
            self._kit.send_control.remove_slot(tab.send)
        self.closed.emit(tab)
        focus = QApplication.focusWidget()
        if focus is None or not focus.isVisible() or _holds(tab, focus):
            # Typing goes on in the tab now shown, not in one about to be deleted.
            self.current.editor.action_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if tab.built:
            for widget in (tab.editor, tab.response_view):
                widget.setParent(None)
                widget.deleteLater()
        tab.deleteLater()
        return True

    def reopen_closed(self) -> RequestTab | None:
        """Bring back the tab closed last, where it was, with what it held."""
        if not self._closed:
            return None
        index, state = self._closed.pop(0)
        tab = self.new_tab(index=index)
        self.restore(tab, state)
        if state.exchange is not None:
            tab.response_view.show_exchange(state.exchange)
        return tab

    def restore(self, tab: RequestTab, state: TabState) -> None:
        """Put a remembered tab's request, texts and tie back (the window adds the base URL)."""
        if state.request is not None:
            tab.editor.load_request(state.request)
        tab.editor.load_drafts(state.drafts)
        tab.saved_path = state.saved
        tab.history_id = state.history_id
        if state.edited:
            tab.mark_edited()
        else:
            tab.mark_clean()

    def open_request(self, request: RpcRequest, base_url: str) -> RequestTab:
        """``request`` in the tab to open things in (see ``target_for_open``), shown."""
        tab = self.target_for_open()
        tab.load(request, base_url)
        self.select(tab)
        return tab

    def refresh_labels(self) -> None:
        for tab in self.tabs:
            self._update_label(tab)

    def release_labels(self) -> None:
        """Label the tabs whose labels were held (``labels_later``), and each tab from now on
        as it changes (the window is built)."""
        held, self._unlabelled = self._unlabelled or [], None
        for tab in held:
            self._update_label(tab)

    # -- internals --------------------------------------------------------------------------
    def _step(self, delta: int) -> None:
        if len(self.tabs) > 1:
            index = (self.tabs.index(self.current) + delta) % len(self.tabs)
            self.select(self.tabs[index])

    def _on_bar_changed(self, index: int) -> None:
        if 0 <= index < len(self.tabs):
            self.select(self.tabs[index])

    def _on_moved(self, source: int, target: int) -> None:
        self.tabs.insert(target, self.tabs.pop(source))

    def _on_slot_changed(self, slot: object) -> None:
        for tab in self.built:
            if tab.send is slot:
                self._update_label(tab)

    def _update_label(self, tab: RequestTab) -> None:
        """PROD (and a red dot) for production, action · account, ● for unsaved edits; the last
        send's status in its colour before them."""
        if tab not in self.tabs:
            return
        if self._unlabelled is not None:
            if tab not in self._unlabelled:
                self._unlabelled.append(tab)
            return
        index = self.tabs.index(tab)
        label = tab.label()
        status = self.bar.tabButton(index, QTabBar.ButtonPosition.LeftSide)
        if not isinstance(status, QLabel):
            status = QLabel()
            status.setObjectName("tabStatus")
            font = status.font()
            font.setBold(True)
            status.setFont(font)
            self.bar.setTabButton(index, QTabBar.ButtonPosition.LeftSide, status)
        new_status = status.text() != label.status
        status.setText(label.status)
        # In the label's palette, not a style sheet: one in the first frame costs its start-up
        # ~3 ms (Qt's style-sheet style set up, the tab bar styled through it).
        colour = status_colour(label.status_class, is_dark())
        palette = status.palette()
        if palette.color(QPalette.ColorRole.WindowText) != colour:
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            status.setPalette(palette)
        status.adjustSize()
        # Set after the status: a new text lays the tab out again, the status's width too
        # (a title set lays every tab out, even the same one: only when something changed).
        text = label.text.replace("&", "&&")
        if self.bar.tabText(index) != text:
            self.bar.setTabText(index, text)
        elif new_status:
            self.bar.setTabText(index, "")
            self.bar.setTabText(index, text)
        self.bar.setTabToolTip(index, label.tooltip)
        self.bar.setAccessibleTabName(index, label.spoken)
        # Taking an icon away lays the tabs out too, even when there was none.
        if label.production or not self.bar.tabIcon(index).isNull():
            self.bar.setTabIcon(index, production_icon() if label.production else QIcon())


class _TabBar(QTabBar):
    """Tabs at most ``MAX_TAB_WIDTH`` wide, their labels cut in the middle (the elide mode).

    Not a style sheet's ``max-width``: a style sheet on any widget of the window's first frame
    costs its start-up ~3 ms, and every tab's size and paint then go through Qt's style-sheet
    style.
    """

    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        if size.width() > MAX_TAB_WIDTH:
            size.setWidth(MAX_TAB_WIDTH)
        return size


def _holds(tab: RequestTab, widget: QWidget) -> bool:
    if not tab.built:
        return False
    return any(part.isAncestorOf(widget) for part in (tab.editor, tab.response_view))
