"""Fixtures for the window tests: a private demo server, a home in ``tmp_path``, a window factory.

Every window gets its stores from ``tmp_path`` and its keys from ``MemoryCredentials``; the only
thing ever faked is a file dialog. Each test gets its own ``DemoServer`` (it starts in
milliseconds) so rate-limit cycles and slow actions never leak between tests.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.demo import DemoServer
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow

PROFILE = "Demo"
DESKTOP = (1400, 860)  # a first start's window on a desktop screen (see MainWindow._first_size)
# Long enough that a test finishing early proves the cancel, short enough to stop promptly.
SLOW_SECONDS = 30.0


@pytest.fixture
def demo() -> Iterator[DemoServer]:
    with DemoServer(rate_limit_retry_after=1, slow_seconds=SLOW_SECONDS) as server:
        yield server


@pytest.fixture
def home(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "home").ensure()


@pytest.fixture
def credentials() -> MemoryCredentials:
    """The saved secrets (profile keys, collection variables) of the test's windows and
    dialogs: fill it before building one to start with secrets kept."""
    return MemoryCredentials()


WindowFactory = Callable[..., MainWindow]
# A locked keyring's read or write waits at most this long: a hang guard; unlock ends it.
KEYRING_GUARD_S = 30.0


class LockedKeyring(MemoryCredentials):
    """The OS keyring, locked: a read or write off the UI thread waits until ``unlock`` (the
    user typed its password; ``lock`` again). Each remembers the thread it ran on, noted as
    it starts (``read_on``, ``written_on``); on the UI thread nothing waits, so code that
    reaches the keyring there fails on the record (``on_ui_thread``), not by hanging.
    """

    def __init__(self) -> None:
        super().__init__()
        self.unlocked = threading.Event()
        self.read_on: list[str] = []
        self.written_on: list[str] = []
        self.on_ui_thread = False

    def lock(self) -> None:
        self.unlocked.clear()

    def unlock(self) -> None:
        self.unlocked.set()

    def _wait(self, record: list[str]) -> None:
        record.append(threading.current_thread().name)
        if threading.current_thread() is threading.main_thread():
            self.on_ui_thread = True
        else:
            self.unlocked.wait(KEYRING_GUARD_S)

    def get(self, profile: str) -> str | None:
        self._wait(self.read_on)
        return super().get(profile)

    def set(self, profile: str, secret: str) -> None:
        self._wait(self.written_on)
        super().set(profile, secret)

    def delete(self, profile: str) -> None:
        self._wait(self.written_on)
        super().delete(profile)


@pytest.fixture
def make_window(
    qtbot: QtBot, home: AppPaths, demo: DemoServer, credentials: MemoryCredentials
) -> Iterator[WindowFactory]:
    """Build a window over ``home``; a "Demo" profile points at the test's demo server.

    Keyword arguments: ``key`` (the API key kept for this run; default the demo's key),
    ``base_url`` (default the demo server), ``session_keys``/``credentials`` to share stores
    (default: the ``credentials`` fixture), ``history`` (default a ``HistoryStore`` over
    ``home``).
    """
    windows: list[MainWindow] = []

    saved = credentials

    def factory(
        *,
        key: str | None = None,
        base_url: str | None = None,
        credentials: MemoryCredentials | None = None,
        session_keys: MemoryCredentials | None = None,
        history: HistoryStore | None = None,
    ) -> MainWindow:
        profiles = ProfileStore(home.profiles_file)
        if profiles.get(PROFILE) is None or base_url is not None:
            existing = profiles.get(PROFILE) is not None
            profiles.upsert(
                Profile(PROFILE, base_url=base_url or demo.url, account_id="acct_bamboohr_demo"),
                old_name=PROFILE if existing else None,
            )
            profiles.save()
        session = session_keys if session_keys is not None else MemoryCredentials()
        if session.get(PROFILE) is None:
            session.set(PROFILE, key if key is not None else demo.api_key)
        settings = Settings(home.settings_file)
        window = MainWindow(
            settings=settings,
            profiles=profiles,
            credentials=credentials if credentials is not None else saved,
            session_keys=session,
            history=history if history is not None else HistoryStore(home.history_dir),
            collections_dir=home.collections_dir,
            baselines_dir=home.baselines_dir,
        )
        qtbot.addWidget(window)
        if settings.get("window_geometry") is None:
            # A first start fits the screen, and the offscreen one is 800x600: size the
            # window as on the desktop the tests were written for.
            window.resize(*DESKTOP)
        with qtbot.waitExposed(window):
            window.show()
        # Shortcuts (Ctrl+Enter, Esc) only reach the active window, as on a desktop.
        with qtbot.waitActive(window):
            window.activateWindow()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.send_control.shutdown()
        window.close()


DisplayFactory = Callable[..., str]


@pytest.fixture
def private_display() -> Iterator[DisplayFactory]:
    """Start a private X display: ``private_display(screen, missing=..., what=...,
    required_by=...)`` returns its name (``":12"``; Xvfb picks a free number and reports it),
    and it is stopped after the test.

    ``missing`` names the tools the check lacks: then it is skipped, or failed when the
    environment variable ``required_by`` is "1" (CI, where a skip would hide the check).
    """
    servers: list[subprocess.Popen[bytes]] = []

    def start(screen: str, *, missing: list[str], what: str, required_by: str) -> str:
        if missing:
            message = f"{what} needs {', '.join(missing)} (scripts/bootstrap --dev)"
            if os.environ.get(required_by) == "1":
                pytest.fail(message)
            pytest.skip(message)
        read, write = os.pipe()
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append(server)
        os.close(write)
        with os.fdopen(read) as reported:
            number = reported.readline().strip()
        assert number, "Xvfb did not start"
        return f":{number}"

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=15)
