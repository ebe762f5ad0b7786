"""The Collections tab of the side pane, built when it is first needed.

At start-up the side pane shows the history; the collections pane behind its tab costs
~25-35 ms (its modules, reading every collection from disk) that the first paint does not
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
from PySide6.QtWidgets import QTabWidget, QWidget

if TYPE_CHECKING:
    from explorer.core.request import RpcRequest
    from explorer.run.environment import EnvironmentValues
    from explorer.store.credentials import CredentialStore
    from explorer.store.settings import Settings
    from explorer.ui.collections.pane import CollectionsPane

TAB_TITLE = "Collections"


def import_pane() -> None:
    """The pane's modules, imported ahead of building it (safe on a pool thread: no widget)."""
    import explorer.ui.collections.pane  # noqa: F401


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
        self._placeholder: QWidget | None = QWidget()
        self._placeholder.setAccessibleName(TAB_TITLE)
        tabs.addTab(self._placeholder, TAB_TITLE)  # Ctrl+4
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

    def _on_tab_shown(self, index: int) -> None:
        if self._pane is None and index >= 0 and self._tabs.widget(index) is self._placeholder:
            self._build()

    def _build(self) -> None:
        from explorer.ui.collections.pane import CollectionsPane

        pane = CollectionsPane(self._dir, credentials=self._credentials, settings=self._settings)
        self._pane = pane
        placeholder, self._placeholder = self._placeholder, None
        tabs = self._tabs
        index = tabs.indexOf(placeholder) if placeholder is not None else -1
        if index >= 0:
            shown = tabs.currentIndex() == index
            current = tabs.currentIndex()
            tabs.blockSignals(True)  # the same tab at the same place: nothing to announce
            tabs.insertTab(index, pane, TAB_TITLE)
            tabs.removeTab(index + 1)
            tabs.setCurrentIndex(current)
            tabs.blockSignals(False)
            if shown:
                pane.show()
        if placeholder is not None:
            placeholder.deleteLater()
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
