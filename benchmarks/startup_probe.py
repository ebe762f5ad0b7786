"""Child process of the start-up benchmark: start a window, report when it first painted.

``python -m benchmarks.startup_probe explorer --home DIR`` runs the real entry point
(``explorer.__main__.main(["--smoke", "--home", DIR])``); ``... bare`` shows a bare
``QMainWindow`` instead, the floor to compare with; ``... usable --home DIR`` runs the window
until it is usable (see ``_usable``); ``... minimal`` does the same for the smallest window
the usable probe can watch (``_minimal_window``: a table and a text field), what any PySide
window with a list and a field pays before it is usable. Each prints one line::

    BENCH imports=<ms> first_paint=<ms>

with times on the machine-wide monotonic clock, so the parent can subtract its own spawn time.
The first paint is the first ``Paint`` event of the window, caught by an event filter on the
window and on the widgets the usable probe watches (the history list's viewport, the editor's
action field) - no change to the app needed. The filter is installed as the first window is
shown (``_filter_from_first_show``): nothing can paint before that. It is not an
application-wide filter: a Python one sees every event of every object, and the first event
of each object Python has not met makes PySide wrap it (and, for the first object of a type
it has no binding for, create the Python classes of every type of its Qt module): ~30-45 ms
before the window was usable (round seven, benchmarks/README.md) that a user's start does
not pay. Earlier (round five) the application-wide filter was installed before the window
was built, which cost its construction another ~30-40 ms.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

# Long enough for everything queued after the first paint (250 ms later, a part per turn).
AFTER_USABLE_MS = 1500


def _app_as_explorer_makes_it() -> QApplication:
    """The application as ``explorer.ui.app`` makes it: with Fusion chosen by its arguments,
    so the theme needs no ``app.style()`` (``explorer.ui.theme.FUSION_PROPERTY``; the names
    written out: importing the theme here would move its import before the stamp)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication([*sys.argv[:1], "-style", "fusion"])
    app.setProperty("stackoneFusion", True)
    return app


def _ms() -> float:
    return time.monotonic() * 1000.0


def _filter_from_first_show(event_filter: Any) -> None:
    """Install ``event_filter`` on the first top-level window and the widgets the probe
    watches in it (``_watched``) just before it is shown.

    ``QWidget.show`` is wrapped in this child process only (the app is not changed): their
    paint and key events pass the filter, building the window does not, and no other object
    is wrapped for Python by the probe.
    """
    from PySide6.QtWidgets import QWidget

    show = QWidget.show
    installed = False

    def show_then_filter(widget: QWidget) -> None:
        nonlocal installed
        if not installed and widget.isWindow():
            installed = True
            for watched in _watched(widget):
                watched.installEventFilter(event_filter)
        show(widget)

    QWidget.show = show_then_filter  # type: ignore[method-assign]


def _watched(window: Any) -> list[Any]:
    """The widgets whose events the probe needs: the window (its first paint) and, in the
    explorer, the history list's viewport and the editor's action field."""
    if hasattr(window, "history_pane") and hasattr(window, "editor"):
        return [window, window.history_pane.view.viewport(), window.editor.action_edit]
    return [window]


WHICH = ("explorer", "usable", "minimal", "bare", "parts")
USAGE = f"usage: python -m benchmarks.startup_probe {{{','.join(WHICH)}}} [--home DIR]"


def _arguments(argv: list[str]) -> tuple[str, str]:
    """``(which, home)``, read by hand: an argparse parser built here (~2-3 ms: its help
    formatter, gettext's catalogue lookups) was paid by the bare window, which a plain PySide
    script does not pay, and for the explorer, which builds none on a usual start
    (``explorer.__main__.usual_start``)."""
    args = list(argv)
    home = ""
    if "--home" in args:
        at = args.index("--home")
        if at + 1 >= len(args):
            raise SystemExit(USAGE)
        home = args[at + 1]
        del args[at : at + 2]
    if len(args) != 1 or args[0] not in WHICH:
        raise SystemExit(USAGE)
    return args[0], home


def main(argv: list[str] | None = None) -> int:
    which, home = _arguments(sys.argv[1:] if argv is None else argv)
    if which == "parts":
        return _parts(home)
    if which in ("usable", "minimal"):
        return _usable(home, minimal=which == "minimal")

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if self.at is None and event.type() == QEvent.Type.Paint:
                self.at = _ms()
            return False

    # Created here rather than in explorer.ui.app.run (which reuses it) so the filter sees the
    # very first paint; QApplication costs the same wherever it is constructed.
    app = QApplication(sys.argv[:1]) if which == "bare" else _app_as_explorer_makes_it()
    probe = FirstPaint()
    _filter_from_first_show(probe)
    if which == "bare":
        imports = _ms()
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1400, 860)
        window.show()

        def quit_after_paint() -> None:
            if probe.at is not None:
                app.quit()
            else:
                QTimer.singleShot(1, quit_after_paint)

        QTimer.singleShot(0, quit_after_paint)
        app.exec()
        code = 0
    else:
        import explorer.__main__ as entry
        import explorer.ui.app  # noqa: F401 - main() imports it anyway; timed apart here

        imports = _ms()
        code = entry.main(["--smoke", "--home", home])
    print(f"BENCH imports={imports:.3f} first_paint={probe.at or -1:.3f}", flush=True)
    return code


def _usable(home: str, *, minimal: bool = False) -> int:
    """Start the real window (not ``--smoke``) and report when it is usable.

    Usable means what a user needs to start working, each caught by an event filter on the
    widgets concerned, installed as the window is shown (``_UsableProbe``): the history list painted
    with rows in it, the editor's action field painted showing the restored request, and a
    key press, posted to the action field once both have painted, reaching the field (queued
    behind whatever the window still had to do, as a person's key press would be) and typing.

    Then it keeps running ``AFTER_USABLE_MS`` with a 5 ms heartbeat, for the longest UI stall
    while the window builds what its first paint did not show.

    Prints ``BENCH imports=.. first_paint=.. history=.. editor=.. usable=.. stall_after=..``
    (monotonic ms; the stall in ms).
    """
    from PySide6.QtCore import QTimer

    app = _app_as_explorer_makes_it()
    probe = _usable_probe(app)
    _filter_from_first_show(probe)
    imported = _stamp_when_imported("explorer.ui.app")
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(app.quit)
    deadline.start(30_000)
    if minimal:
        window = _minimal_window()
        imported["at"] = _ms()
        window.show()
        code = app.exec()
    else:
        # The entry point a user runs (``stackone-explorer --home DIR``), which imports the app.
        import explorer.__main__ as entry

        code = entry.main(["--home", home])
    stamps = [imported.get("at"), probe.first_paint, probe.history, probe.editor, probe.key]
    imports, first_paint, history, editor, key = (-1.0 if s is None else s for s in stamps)
    print(
        f"BENCH imports={imports:.3f} first_paint={first_paint:.3f} history={history:.3f} "
        f"editor={editor:.3f} usable={key:.3f} stall_after={probe.longest_after():.3f}",
        flush=True,
    )
    return code if key > 0 else 1


def _minimal_window() -> Any:
    """The smallest window the usable probe can watch: a ``QTableView`` of 40 rows beside a
    ``QLineEdit`` holding an action's name, under the attribute names ``_watched`` looks for.

    Not the app: the floor any PySide window with a painted list and a field to type in pays
    (the ``Qt`` namespace's enum classes, a font loaded for the first text, an item view and
    a line edit built and painted, a key press handled) on top of the bare window.
    """
    from types import SimpleNamespace

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QLineEdit, QMainWindow, QSplitter, QTableView

    window: Any = QMainWindow()  # Any: the probe's attribute names are set on it below
    window.setWindowTitle("minimal")
    model = QStandardItemModel(40, 5, window)
    for row in range(40):
        for column in range(5):
            model.setItem(row, column, QStandardItem(f"entry {row}, column {column}"))
    view = QTableView()
    view.setModel(model)
    field = QLineEdit("bamboohr_list_employees")
    splitter = QSplitter()
    splitter.addWidget(view)
    splitter.addWidget(field)
    window.setCentralWidget(splitter)
    window.resize(1400, 860)
    # What _watched and the probe read: ``window.history_pane.view``, ``window.editor.action_edit``.
    window.history_pane = SimpleNamespace(view=view)
    window.editor = SimpleNamespace(action_edit=field)
    return window


def _stamp_when_imported(name: str) -> dict[str, float]:
    """``{"at": ms}`` once module ``name`` has been imported (by whoever imports it first).

    The finder is a plain class: ``sys.meta_path`` asks only for ``find_spec``. Subclassing
    ``importlib.abc.MetaPathFinder`` imported ``importlib.abc`` and with it
    ``importlib.resources`` (~3-4 ms), which neither the app nor the bare window imports.
    """
    import importlib.machinery  # already imported by ``python -m``

    stamp: dict[str, float] = {}

    class Finder:
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            loader = spec.loader if spec is not None else None
            if loader is not None and hasattr(loader, "exec_module"):
                run_module = loader.exec_module

                def exec_module(module: Any) -> None:
                    run_module(module)
                    stamp["at"] = _ms()

                loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())
    return stamp


def _usable_probe(app: Any) -> Any:  # noqa: C901 - one small class; PySide6 in the child only
    """The event filter of ``_usable`` (built here so PySide6 is imported in the child only)."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QWidget

    class UsableProbe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.first_paint: float | None = None
            self.history: float | None = None
            self.editor: float | None = None
            self.key: float | None = None
            self.delivered: float | None = None
            self.expected = ""
            self._posted = False
            self.ticks: list[float] = []
            self._heartbeat = QTimer(self)
            self._heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
            self._heartbeat.setInterval(5)
            self._heartbeat.timeout.connect(self._tick)

        def _window(self) -> Any:
            for widget in app.topLevelWidgets():
                if hasattr(widget, "history_pane") and hasattr(widget, "editor"):
                    return widget
            return None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind == QEvent.Type.Paint:
                self._painted(watched)
            elif kind == QEvent.Type.KeyPress and self._posted and self.delivered is None:
                window = self._window()
                if window is not None and watched is window.editor.action_edit:
                    # The field handles the key as this filter returns: that is the moment.
                    # Whether it typed is checked on the next turn.
                    self.delivered = _ms()
                    QTimer.singleShot(0, self._typed)
            return False

        def _painted(self, watched: QObject) -> None:
            stamp = _ms()
            if self.first_paint is None:
                self.first_paint = stamp
            window = self._window()
            if window is None:
                return
            view = window.history_pane.view
            action: QWidget = window.editor.action_edit
            model = view.model()
            if (
                self.history is None
                and watched is view.viewport()
                and model is not None
                and model.rowCount() > 0
            ):
                self.history = stamp
            if self.editor is None and watched is action and window.editor.action_edit.text():
                self.editor = stamp
                self.expected = window.editor.action_edit.text()
            if self.history is not None and self.editor is not None and not self._posted:
                self._posted = True
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    key = QKeyEvent(kind, Qt.Key.Key_Z, Qt.KeyboardModifier.NoModifier, "z")
                    app.postEvent(action, key)

        def _typed(self) -> None:
            window = self._window()
            if window is not None and window.editor.action_edit.text() != self.expected:
                self.key = self.delivered
                # Then what the window builds once it is on screen: the longest UI stall
                # until AFTER_USABLE_MS later, by a 5 ms heartbeat.
                self.ticks = [_ms()]
                self._heartbeat.start()
                QTimer.singleShot(AFTER_USABLE_MS, app.quit)

        def _tick(self) -> None:
            self.ticks.append(_ms())

        def longest_after(self) -> float:
            return max(
                (b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)), default=-1
            )

    return UsableProbe()


def _parts(home: str) -> int:
    """Time the big pieces of the explorer's start-up one after another (to find the cause).

    Each import is measured where it first happens, so a piece imported by an earlier one
    counts there: the order follows what ``explorer.ui.app`` pulls in.
    """
    marks: list[tuple[str, float]] = [("start", _ms())]

    def mark(name: str) -> None:
        marks.append((name, _ms()))

    from PySide6.QtWidgets import QApplication

    mark("import PySide6.QtWidgets")
    app = QApplication(sys.argv[:1])
    mark("QApplication()")
    import keyring  # noqa: F401

    mark("import keyring")
    import httpx

    mark("import httpx")
    client = httpx.Client()
    mark("httpx.Client()")
    client.close()
    import explorer.ui.mainwindow.window

    mark("import explorer.ui.mainwindow.window (rest)")
    import explorer.ui.app  # noqa: F401
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.theme import apply_theme

    mark("import explorer.ui.app (rest)")
    from explorer.store.paths import resolve_paths

    paths = resolve_paths(home).ensure()
    apply_theme(app, dark=None)
    mark("theme + paths")
    from explorer.store.credentials import KeyringCredentials, MemoryCredentials
    from explorer.store.history import HistoryStore
    from explorer.store.profiles import ProfileStore
    from explorer.store.settings import Settings

    settings = Settings(paths.settings_file)
    window = MainWindow(
        settings=settings,
        profiles=ProfileStore(paths.profiles_file),
        credentials=KeyringCredentials(),
        session_keys=MemoryCredentials(),
        history=HistoryStore(paths.history_dir),
        collections_dir=paths.collections_dir,
    )
    mark("stores + MainWindow()")
    window.show()
    app.processEvents()
    mark("show + first events")
    window.close()
    print(
        "PARTS "
        + " ".join(
            f"{name.replace(' ', '~')}={b - a:.3f}"
            for (name, b), (_n, a) in zip(marks[1:], marks, strict=False)
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
