"""The toolbar's profile choice, and reading the chosen profile's API key.

The profile gives the base URL and the key of everything the window sends: a send, a retry,
a collection run. Each asks here for the key, and a missing or unreadable key is explained in
the window's notice banner, with a way to fix it (Manage profiles).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel

from explorer.store.credentials import CredentialStore, KeyringUnavailable, MemoryCredentials
from explorer.store.profiles import Profile, ProfileStore
from explorer.ui.jobs import BlockingCall
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from explorer.ui.widgets.banner import Banner

MANAGE = "Manage profiles…"


class ProfileSelector(QObject):
    """The profile combo box (with its label), the profiles it lists and their keys.

    Signals:
        changed(object): the selected ``Profile``, or ``None`` when there is none; also sent
            when the list is refilled.
    """

    changed = Signal(object)

    def __init__(
        self,
        profiles: ProfileStore,
        credentials: CredentialStore,
        session_keys: MemoryCredentials,
        banner: Banner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self.credentials = credentials
        self.session_keys = session_keys
        self._banner = banner
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(16)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setToolTip("The profile gives the base URL and the API key")
        self.label = QLabel("Profi&le: ")
        self.label.setBuddy(self.combo)
        self.combo.currentIndexChanged.connect(lambda _index: self._emit_changed())

    def current(self) -> Profile | None:
        name = self.combo.currentData()
        return self.profiles.get(name) if isinstance(name, str) else None

    def reload(self, select: str | None = None) -> None:
        """Refill the selector, keeping (or choosing) the selected profile."""
        keep = select or self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for profile in self.profiles.list():
            self.combo.addItem(profile.name, profile.name)
        index = self.combo.findData(keep) if keep else -1
        self.combo.setCurrentIndex(index if index >= 0 else 0)
        self.combo.blockSignals(False)
        self._emit_changed()

    def select(self, name: str) -> bool:
        index = self.combo.findData(name)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        self._emit_changed()
        return True

    def key_reader(self, profile: str) -> tuple[Callable[[], str | BaseException | None], bool]:
        """How to read ``profile``'s key (this run's memory first, then the OS keyring), and
        whether that reads the keyring: then call it off the UI thread (``read_key`` does),
        as a locked keyring may ask for its password. The reader never raises: it returns the
        key, ``None``, or what went wrong, and ``explain_key`` says what that means."""
        key = self.session_keys.get(profile)
        if key:
            return (lambda: key), False
        credentials = self.credentials

        def read() -> str | BaseException | None:
            try:
                return credentials.get(profile)
            except Exception as exc:  # explained in the banner, never a crash
                return exc

        return read, True

    def explain_key(self, profile: str, key: str | BaseException | None) -> str | None:
        """What a ``key_reader`` gave: the key, or ``None`` once the banner tells the user
        plainly that there is none or the keyring cannot be read, and how to fix it."""
        if isinstance(key, KeyringUnavailable):
            self._banner.show_message(
                f"The OS keyring is not available, so the API key of profile '{profile}' "
                f"cannot be read: {key} You can keep a key in memory for this run in "
                "Manage profiles.",
                MANAGE,
                self.manage,
            )
            return None
        if isinstance(key, BaseException):
            self._banner.show_message(f"Could not read the API key: {key}")
            return None
        if not key:
            self._banner.show_message(
                f"Profile '{profile}' has no API key yet. Set one in Manage profiles "
                "(it goes to the OS keyring, or into memory for this run only).",
                MANAGE,
                self.manage,
            )
            return None
        return key

    def read_key(
        self, profile: str, call: BlockingCall, done: Callable[[str | None], None]
    ) -> bool:
        """Read ``profile``'s key off the UI thread and hand it to ``done`` on the UI thread.

        The one way the window's tools (a trace, all pages, a run across accounts) read a
        key: a key kept for this run is handed over at once; a keyring read runs on ``call``
        (a daemon thread nobody waits for at exit: a locked keyring waits for as long as its
        prompt stays open). ``call.cancel()`` abandons the read (``done`` is then never
        called). ``done`` gets ``None`` when there is no key, once the banner says why
        (``explain_key``).

        Returns:
            True while the read waits on the keyring (the caller says so, and offers Cancel);
            False when it is already over (``done`` was called, or the banner spoke).
        """
        read, reads_keyring = self.key_reader(profile)

        def arrived(result: object) -> None:
            given = result if result is None or isinstance(result, str | BaseException) else None
            done(self.explain_key(profile, given))

        if not reads_keyring:
            arrived(read())
            return False
        call.start(read, arrived)
        return True

    def ask_for_profile(self, doing: str) -> None:
        """Nothing can be ``doing`` without a profile: say so, with the way to add one."""
        self._banner.show_message(
            f"Add a profile (name, base URL and API key) before {doing}.", MANAGE, self.manage
        )

    def manage(self) -> None:
        """The profiles dialog, over the window; the list is read again afterwards."""
        from explorer.ui.profiles.dialog import ProfilesDialog

        dialog = ProfilesDialog(
            self.profiles, self.credentials, self.session_keys, self.combo.window()
        )
        dialog.profiles_changed.connect(lambda: self.reload())
        current = self.current()
        if current is not None:
            dialog.select_profile(current.name)
        run_modal(dialog)  # deleted by Qt at a safe point, not by the collector: see there
        self.reload()

    def _emit_changed(self) -> None:
        self.changed.emit(self.current())
