"""The Collections tab of the side pane, built when it is first needed.

At start-up the side pane shows the history; the collections pane behind its tab costs
~15-30 ms (its modules, reading every collection from disk) that the first paint does not
show. The tab holds an empty page until then, and the pane is built by whatever needs it
first: the window's queue after the first paint, the tab being shown (a click, Ctrl+4), a
send that reads the active environment, Ctrl+S, a restored tab tied to a saved request.
Code that only wants to keep an already built pane up to date asks ``built`` (no build);
code acting for the user asks ``get()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from explorer.core.request import RpcRequest
    from explorer.run.environment import EnvironmentValues
    from explorer.store.credentials import CredentialStore
    from explorer.store.settings import Settings
    from explorer.ui.collections.pane import CollectionsPane

TAB_TITLE = "Collections"


PANE_MODULE = "explorer.ui.collections.pane"  # imported ahead of building it (add_imports)


class CollectionsSlot(QObject):
    """Holds the Collections tab's place in ``tabs`` and builds the pane into it on demand.

    ``on_built(pane)`` runs once, right after the pane took its tab, for the window to wire it.
    """

    def __init__(
        self,
        tabs: QTabWidget,
        collections_dir: Path,
        *,
        credentials: CredentialStore,
        settings: Settings,
        on_built: Callable[[CollectionsPane], None],
    ) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._dir = collections_dir
        self._credentials = credentials
        self._settings = settings
        self._on_built = on_built
        self._pane: CollectionsPane | None = None
        self._made: CollectionsPane | None = None  # built, not yet in its tab
        # The tab's page, empty until the pane is built into it: putting the pane into the
        # page rather than swapping the tab's page keeps the tab bar and the history's pane
        # as they are (swapping made Qt repaint the whole side pane, ~20 ms).
        self.page = QWidget()
        self.page.setObjectName("collectionsPage")
        tabs.addTab(self.page, TAB_TITLE)  # Ctrl+4
        tabs.currentChanged.connect(self._on_tab_shown)

    @property
    def built(self) -> CollectionsPane | None:
        """The pane if it has been built, without building it."""
        return self._pane

    def get(self) -> CollectionsPane:
        """The pane, built now if it was not yet."""
        if self._pane is None:
            self._build()
        assert self._pane is not None
        return self._pane

    def make(self) -> None:
        """Build the pane without putting it in its tab yet: the window's queue does the two
        in separate event-loop turns (~15-30 ms each), so neither stalls the window long."""
        if self._pane is None and self._made is None:
            from explorer.ui.collections.pane import CollectionsPane

            self._made = CollectionsPane(
                self._dir, credentials=self._credentials, settings=self._settings
            )

    def _on_tab_shown(self, index: int) -> None:
        if self._pane is None and index >= 0 and self._tabs.widget(index) is self.page:
            self._build()

    def _build(self) -> None:
        self.make()
        pane, self._made = self._made, None
        assert pane is not None
        self._pane = pane
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pane)
        pane.show()  # now if the tab is shown, else with it
        self._on_built(pane)


class LazyVariables:
    """The active environment for sends (``send_control.Variables``): the pane's, built on
    the first send that needs it if the window had not built it yet."""

    def __init__(self, slot: CollectionsSlot) -> None:
        self._slot = slot

    def reader(self, request: RpcRequest) -> tuple[Callable[[], EnvironmentValues], bool]:
        return self._slot.get().environment.reader(request)

    def report(self, read: EnvironmentValues) -> None:
        self._slot.get().environment.report(read)
