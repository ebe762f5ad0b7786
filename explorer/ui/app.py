"""Start the window: build the stores from the data folder, apply the theme, run Qt.

``run(args)`` is what ``stackone-explorer`` calls. ``--demo`` starts the embedded demo server
on a free loopback port and points a "Demo (built-in server)" profile at it. That profile and
its key are kept in memory for this run only: never in profiles.json, the OS keyring or
``last_profile``, because the server's port dies with the run. ``--smoke`` exits 0 right
after the first paint, so packaging checks prove the window really draws.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from explorer import __version__
from explorer.core import collector
from explorer.core.request import RpcRequest
from explorer.resources import resource_path
from explorer.store.credentials import KeyringCredentials, MemoryCredentials
from explorer.store.files import remove_leftovers
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths, resolve_paths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import APP_TITLE, CLOSE_WAIT_MS, MainWindow
from explorer.ui.preferences.values import Preferences
from explorer.ui.theme import FUSION_ARGUMENTS, FUSION_PROPERTY, ThemeWatcher, apply_theme, is_dark

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace
    from typing import TypeAlias

    from explorer.demo import DemoServer  # imported for --demo only: ~45 ms of start-up

    # The command line as ``explorer.__main__`` read it: argparse's, or a usual start's.
    StartOptions: TypeAlias = argparse.Namespace | SimpleNamespace

# Not plain "Demo": a user may have a profile of that name, which the demo must not replace.
DEMO_PROFILE = "Demo (built-in server)"
SMOKE_TIMEOUT_MS = 30_000


# What Qt's X11 platform gives the window manager for a scalable icon (``_NET_WM_ICON``, the
# title bar's and the taskbar's): the SVG drawn at these sizes, at the screen's scale. At a
# scale of 1 the PNGs committed beside the SVG are that drawing (packaging/make_icons.py
# draws them with Qt's SVG renderer: the same bytes reach the window manager, tested), without
# loading Qt's SVG plugin and library before the first paint or drawing the SVG four times
# as the window is shown. More sizes would send more (a 512 px one slowed the show down).
X11_ICON_SIZES = (16, 32, 64, 128)
# Platforms whose window icon is those sizes (offscreen shows none): other platforms and
# scales ask the icon for other sizes (a 24 px title bar at 150 %), which the SVG draws.
X11_ICON_PLATFORMS = frozenset({"xcb", "offscreen", "minimal"})


def app_icon(*, x11_sizes: bool = False) -> QIcon | None:
    """The window icon from the bundled resources, or ``None`` if the install lacks it;
    ``x11_sizes``: the SVG's drawings at ``X11_ICON_SIZES`` if all are there."""
    try:
        icons = resource_path("icons")
    except FileNotFoundError:  # a broken install still opens, just without an icon
        return None
    drawn = [icons / f"stackone-explorer-{size}.png" for size in X11_ICON_SIZES]
    if x11_sizes and all(path.is_file() for path in drawn):
        icon = QIcon()
        for size, path in zip(X11_ICON_SIZES, drawn, strict=True):
            icon.addFile(str(path), QSize(size, size))
        return icon
    for name in ("stackone-explorer.svg", "stackone-explorer.png", "icon.svg", "icon.png"):
        if (icons / name).is_file():
            return QIcon(str(icons / name))
    return None


class _FirstPaint(QObject):
    """Quits the event loop once the window has painted (for ``--smoke``).

    A filter on the window, not the application: an application-wide Python filter sees
    every event of every object, and PySide wraps each object it has not met for it (and,
    for the first of a type it has no binding for, creates the Python classes of every type
    of that Qt module): tens of ms before the first paint that a user's start does not pay.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._app.quit)
        return False


READ_ONLY_NOTICE = (
    "Read-only session: nothing is saved in {home} ({problem}). History is off; changes to "
    "settings and profiles last until you quit."
)


def ask_read_only(problem: str, parent: QWidget | None = None) -> bool:
    """Ask whether to start read-only because the data folder cannot be written.

    Returns:
        True to start read-only (the default button), False to quit.
    """
    from PySide6.QtWidgets import QMessageBox  # only when the folder cannot be written

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_TITLE)
    box.setText("The explorer cannot write its data folder.")
    box.setInformativeText(
        f"{problem}\n\nStart read-only? History is off and nothing is saved this session: "
        "settings, profiles and collections stay as they are on disk. To keep your work, "
        "quit and start with --home pointing to a folder you can write."
    )
    start = box.addButton("Start read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(start)
    box.exec()
    return box.clickedButton() is start


def _demo_action_names() -> list[str]:
    try:
        from explorer.demo import DEMO_ACTIONS
    except ImportError:  # pragma: no cover - the demo ships with the app
        return []
    return [name for name, _description in DEMO_ACTIONS]


def apply_start_theme(
    app: QApplication, preferences: Preferences, *, forced: bool | None = None
) -> None:
    """The palette at start: ``forced`` (screenshots) if given, else the Preferences'
    appearance (the system's, or light or dark as the user chose)."""
    apply_theme(app, dark=preferences.forced_dark() if forced is None else forced)


class _Demo:
    """The built-in demo server of a ``--demo`` run, and what the window shows of it.

    A plain class, not a dataclass: made at import, before the first paint (~0.3 ms less).
    """

    __slots__ = ("actions", "catalogue", "example", "profile", "server")

    def __init__(
        self,
        server: DemoServer,
        profile: str,
        actions: list[str],
        catalogue: str,
        example: RpcRequest,
    ) -> None:
        self.server = server
        self.profile = profile
        self.actions = actions
        self.catalogue = catalogue
        self.example = example


# Qt's raster engine hands every fill taller than ~96 lines to a thread pool of its own and
# waits for it; the pool is made, and its threads started, on the first such fill: the
# window's first paint. For a window of forms the hand-off costs more than the fill (on a
# busy two-core machine the first frame to usable ~4 ms longer, benchmarks/README.md): the
# UI thread fills alone, to the same pixels. Qt reads the variable when it first fills.
SERIAL_FILLS = ("QT_NO_GUI_THREADPOOL", "1")


def _application() -> QApplication:
    os.environ.setdefault(*SERIAL_FILLS)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([*sys.argv[:1], *FUSION_ARGUMENTS])
        app.setProperty(FUSION_PROPERTY, True)
    app.setOrganizationName("StackOne")
    app.setApplicationName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("com.stackone.Explorer")  # matches resources/linux
    x11_sizes = app.platformName() in X11_ICON_PLATFORMS and app.devicePixelRatio() == 1.0
    icon = app_icon(x11_sizes=x11_sizes)
    if icon is not None:
        app.setWindowIcon(icon)
    return app


def _choose_home(
    args: argparse.Namespace | SimpleNamespace,
) -> tuple[AppPaths, bool, str | None] | None:
    """The data folder, whether this session is read-only, and why it cannot be written;
    ``None`` when the user would rather quit than start read-only."""
    paths = resolve_paths(getattr(args, "home", None))
    read_only = bool(getattr(args, "read_only", False))
    problem = None if read_only else paths.write_problem()
    if problem is not None:
        print(f"stackone-explorer: cannot write the data folder ({problem})", file=sys.stderr)
        # A packaging check (--smoke) has nobody to ask: it starts read-only.
        if not getattr(args, "smoke", False) and not ask_read_only(problem):
            return None
        read_only = True
    if read_only:
        print("stackone-explorer: read-only session: nothing is saved", file=sys.stderr)
    else:
        remove_leftovers(paths.config_dir)
    return paths, read_only, problem


def _warm_demo_defender() -> None:
    from explorer.demo.defender import warm_up

    warm_up()


def _start_demo(profiles: ProfileStore, session_keys: MemoryCredentials) -> _Demo:
    """The demo server on a free port, its profile and key for this run only."""
    import explorer.demo as demo

    server = demo.DemoServer(port=0).start()
    profile = profiles.add_transient(
        Profile(DEMO_PROFILE, base_url=server.url, account_id=demo.DEMO_ACCOUNT_ID)
    ).name
    session_keys.set(profile, server.api_key)
    print(f"Demo server on {server.url} (key kept in memory for this run)", file=sys.stderr)
    return _Demo(
        server=server,
        profile=profile,
        actions=[name for name, _description in demo.DEMO_ACTIONS],
        catalogue=demo.__doc__ or "",
        example=RpcRequest.from_dict({**demo.EXAMPLE_REQUEST, "base_url": server.url}),
    )


def run(args: StartOptions) -> int:
    """Open the explorer window and run until it closes; returns the exit code.

    The cyclic garbage collector is off until the window has painted (``explorer.__main__``
    turns it off before the imports already): start-up creates ~60,000 objects the collector
    tracks, nearly all living as long as the window (modules, classes, functions, widgets),
    and its ~60 passes over them cost ~10 ms before the first paint. Once the window is up,
    they are frozen (never scanned again, which also keeps later full passes short) and the
    collector runs as usual. A start-up object that later becomes cyclic garbage (a restored
    tab closed) is then never collected: bounded by what the window held at start. The pause
    is ``collector``'s, so the history's rows, read on a thread meanwhile, keep theirs; and
    this process keeps those rows for good, so they are frozen too once read
    (``collector.allow_freezing``).
    """
    collector.pause(collector.START_UP)
    collector.allow_freezing()
    try:
        return _run(args)
    finally:
        collector.resume(collector.START_UP)


def _collect_from_now_on() -> None:
    """The collector back on, start-up's objects left out of its passes (see ``run``)."""
    gc.freeze()
    collector.resume(collector.START_UP)


def _run(args: StartOptions) -> int:
    app = _application()
    home = _choose_home(args)
    if home is None:
        return 1
    paths, read_only, problem = home
    settings = Settings(paths.settings_file, read_only=read_only)
    preferences = Preferences.from_settings(settings)
    # ``dark`` is not a command-line option: screenshots force a palette through it.
    apply_start_theme(app, preferences, forced=getattr(args, "dark", None))

    profiles = ProfileStore(paths.profiles_file)
    history = HistoryStore(
        paths.history_dir,
        limit=preferences.history_limit,
        budget=preferences.history_budget,
        body_limit=preferences.body_limit,
        read_only=read_only,
        lazy=True,  # the rows are read on a thread: the window does not wait for 100,000
    )
    session_keys = MemoryCredentials()
    problems = [p for p in (settings.load_error, profiles.load_error, history.load_error) if p]
    if read_only:
        problems.insert(0, READ_ONLY_NOTICE.format(home=paths.home, problem=problem or "asked"))
    demo = _start_demo(profiles, session_keys) if getattr(args, "demo", False) else None

    window = MainWindow(
        settings=settings,
        profiles=profiles,
        credentials=KeyringCredentials(),
        session_keys=session_keys,
        history=history,
        known_actions=demo.actions if demo else (),
        catalogue=demo.catalogue if demo else "",
        startup_problems=problems,
        collections_dir=paths.collections_dir,
        baselines_dir=paths.baselines_dir,
        dark=is_dark(app),
    )
    window.after_first_paint.add(_collect_from_now_on)
    if demo is not None:
        window.setWindowTitle(f"{APP_TITLE} — demo server {demo.server.url}")
        window.profile_selector.select(demo.profile)
        tab = window.tabs.current
        if tab.is_pristine():  # the tabs kept from the last session stay as they were
            tab.load(demo.example, demo.server.url)
        # Defender's library and model load in ~1 s: while the user reads the window, not
        # during their first Send.
        window.after_first_paint.add(_warm_demo_defender)
    else:
        # The demo's action names as suggestions, once the window is up: importing the demo
        # package (its HTTP server and records) would cost ~45 ms of start-up.
        window.after_first_paint.add_prepared(
            _demo_action_names,
            lambda names: window.set_known_actions(names if isinstance(names, list) else []),
        )
    try:
        return _exec(app, window, smoke=bool(getattr(args, "smoke", False)))
    finally:
        if demo is not None:
            demo.server.stop()


def _exec(app: QApplication, window: MainWindow, *, smoke: bool) -> int:
    """Show ``window`` and run the event loop until it closes (``smoke``: until it paints)."""
    watcher = ThemeWatcher(app)
    watcher.changed.connect(window.set_dark)
    painted = _FirstPaint(app) if smoke else None
    # A platform that never paints must not hang a packaging check forever. A timer object,
    # not ``QTimer.singleShot``: it is stopped when this run ends, so a caller that keeps the
    # QApplication (a test) never gets a stray ``quit`` into a later event loop.
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(app.quit)
    if painted is not None:
        window.installEventFilter(painted)
        deadline.start(SMOKE_TIMEOUT_MS)
    window.show()
    try:
        code = app.exec()
    finally:
        deadline.stop()
        window.close()  # writes what the history still had queued, waits for its threads
        window.history.close()
        watcher.deleteLater()
        _finish(window)
    if painted is not None and not painted.painted:  # its filter went with the window
        print("stackone-explorer: --smoke: the window never painted", file=sys.stderr)
        return 1
    return int(code)


def _finish(window: MainWindow) -> None:
    """Let the app's threads end and destroy the window now, while Python is whole.

    Left for later, the window would be destroyed as the interpreter ends, and a job still on
    one of its threads (or the app's) would be killed mid-work: Qt then reports an exception
    from a worker thread, and now and then the app crashes on the way out.
    """
    from explorer.ui.helper_jobs import finish_helpers  # the filter's modules bring it

    finish_helpers(CLOSE_WAIT_MS)
    QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)  # pins, exports, saves, filters
    window.deleteLater()
    # Its pools' destructors wait for what still runs there, the GIL let go meanwhile.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
