"""Child process of the start-up benchmark: start a window, report when it first painted.

``python -m benchmarks.startup_probe explorer --home DIR`` runs the real entry point
(``explorer.__main__.main(["--smoke", "--home", DIR])``); ``... bare`` shows a bare
``QMainWindow`` instead, the floor to compare with. Both print one line::

    BENCH imports=<ms> first_paint=<ms>

with times on the machine-wide monotonic clock, so the parent can subtract its own spawn time.
The first paint is detected as ``--smoke`` does (the first ``Paint`` event of any widget), by an
application-wide event filter installed before the window exists - no change to the app needed.
"""

from __future__ import annotations

import argparse
import sys
import time


def _ms() -> float:
    return time.monotonic() * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup_probe")
    parser.add_argument("which", choices=["explorer", "bare", "parts"])
    parser.add_argument("--home", help="the explorer's data folder (explorer only)")
    args = parser.parse_args(argv)

    if args.which == "parts":
        return _parts(args.home or "")

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
    app = QApplication(sys.argv[:1])
    probe = FirstPaint()
    app.installEventFilter(probe)
    if args.which == "bare":
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
        code = entry.main(["--smoke", "--home", args.home or ""])
    app.removeEventFilter(probe)
    print(f"BENCH imports={imports:.3f} first_paint={probe.at or -1:.3f}", flush=True)
    return code


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
