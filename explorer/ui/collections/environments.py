"""The active environment: the "Env:" choice above the collections tree and its values.

The values fill ``{{variables}}`` before a request is sent or run; secret ones come from the
OS keyring. The choice is remembered in the settings (its name and the collection it came
from), never a value.

Session variables ("Set variable…" on a response) are kept here too, in memory only: they
end with the app and are never written anywhere. They win over the environment's values for
a Send, and a collection run is given them as the command line is given ``--var``, so they
win over captured values too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QToolButton

from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables, find_locations, resolve

if TYPE_CHECKING:
    from explorer.run.environment import EnvironmentValues
    from explorer.store.collections import CollectionStore
    from explorer.store.settings import Settings

NO_ENVIRONMENT = "No environment"
ENVIRONMENT_SETTING = "active_environment"
# The collection that environment belongs to (its folder), so a restart with several
# collections and nothing selected still knows where the active environment comes from.
ENVIRONMENT_COLLECTION_SETTING = "active_environment_collection"


class EnvironmentChoice(QObject):
    """The environment combo of the current collection, and the values it stands for.

    Signals:
        changed(str): the active environment's name ("" for none).
    """

    changed = Signal(str)

    def __init__(
        self,
        current_store: Callable[[], CollectionStore | None],
        *,
        settings: Settings | None,
        dialog_action: QAction,
        notice: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_store = current_store
        self._settings = settings
        self._notice = notice
        self.combo = QComboBox()
        self.combo.setToolTip("Values for {{variables}} in the requests of this collection")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(4)  # a narrow pane cuts the name, not the window
        self.combo.currentIndexChanged.connect(self._on_changed)
        self.label = QLabel("&Env:")
        self.label.setBuddy(self.combo)
        self.button = QToolButton()
        self.button.setDefaultAction(dialog_action)
        self.session: dict[str, str] = {}  # name -> value, this run of the app only
        self.session_secrets: set[str] = set()  # the names whose values are hidden

    def set_session(self, name: str, value: str, *, secret: bool) -> None:
        """A session variable: ``{{name}}`` is ``value`` until the app quits."""
        self.session[name] = value
        if secret:
            self.session_secrets.add(name)
        else:
            self.session_secrets.discard(name)

    def refill(self) -> None:
        """The environments of the current collection, keeping the choice where it exists."""
        store = self._current_store()
        names = sorted(store.collection.environments) if store else []
        wanted = self.combo.currentText()
        if wanted in ("", NO_ENVIRONMENT) and self._settings is not None:  # "": at start-up
            remembered = self._settings.get(ENVIRONMENT_SETTING)
            wanted = remembered if isinstance(remembered, str) else wanted
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_ENVIRONMENT, "")
        for name in names:
            self.combo.addItem(name, name)
        index = self.combo.findData(wanted) if wanted else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.setEnabled(bool(names))
        self.combo.blockSignals(False)

    def name(self) -> str:
        """The active environment's name; "" for none."""
        data = self.combo.currentData()
        return data if isinstance(data, str) else ""

    def set_active(self, name: str) -> bool:
        index = self.combo.findData(name)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def reader(self, request: RpcRequest) -> tuple[Callable[[], EnvironmentValues], bool]:
        """What ``request`` needs from the active environment: a function that reads it, and
        whether that reads the OS keyring (then call it off the UI thread: a locked keyring
        may ask for its password). Only the secrets the request uses are read.

        Raises:
            UnresolvedVariables: at once, for placeholders the environment does not define at
                all (a secret it defines but the keyring lacks is only found by reading).
        """
        from explorer.run.environment import EnvironmentValues, read_environment, secrets_to_read

        store, name = self._current_store(), self.name()
        environment = store.collection.environments.get(name) if store and name else None
        defined = {*environment.variables, *environment.secrets} if environment else set()
        locations = find_locations(request)
        missing = {
            n: places for n, places in locations.items() if n not in defined | set(self.session)
        }
        if missing:
            raise UnresolvedVariables(missing)
        session = dict(self.session)
        hidden = [session[n] for n in self.session_secrets if session.get(n)]

        def with_session(read: EnvironmentValues) -> EnvironmentValues:
            read.values.update(session)
            read.secrets.extend(hidden)
            return read

        if store is None or environment is None:
            return lambda: with_session(EnvironmentValues()), False
        needed = set(locations) - set(session)  # no keyring read for what the session gives
        return (
            lambda: with_session(read_environment(store, name, needed=needed)),
            bool(secrets_to_read(environment, needed=needed)),
        )

    def resolve_for_sending(self, request: RpcRequest) -> tuple[RpcRequest, list[str]]:
        """``request`` with the active environment filled in, and the secret values that went
        into it (to scrub from the history), read on the calling thread: the keyring may
        block, so a Send and a collection run use ``reader`` off the UI thread instead.

        Raises:
            UnresolvedVariables: naming every placeholder without a value.
        """
        read, _reads_keyring = self.reader(request)
        values = read()
        self.report(values)
        return resolve(request, values.values), values.secrets

    def report(self, read: EnvironmentValues) -> None:
        """Say in the pane when secret values could not be read: the requests that need
        them then report them unresolved instead of failing obscurely."""
        if read.error:
            self._notice(f"Secret variables of '{self.name()}' could not be read: {read.error}")

    def _on_changed(self, _index: int) -> None:
        name = self.name()
        if self._settings is not None:
            self._settings.set(ENVIRONMENT_SETTING, name)
            store = self._current_store()
            self._settings.set(ENVIRONMENT_COLLECTION_SETTING, str(store.root) if store else None)
        self.changed.emit(name)
