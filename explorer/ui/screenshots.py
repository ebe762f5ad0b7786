"""Take the README screenshots from the real app in demo mode.

Run under a display (or Xvfb, see the README)::

    xvfb-run -a -s "-screen 0 1400x900x24" python -m explorer.ui.screenshots resources/screenshots

It starts the window exactly as ``stackone-explorer --demo`` does, in a throw-away data folder,
sends the example request and saves ``main-window.png``, then sends a candidate the provider
rejects: the production guard asks first (``production-guard.png``, the window with its
question), "Send to production" is pressed, and ``error-response.png`` is saved. ``--dark``
forces the dark palette.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.ui import app as app_module
from explorer.ui.main_window import MainWindow

SETTLE_MS = 400  # let fonts, layouts and the highlighted body settle before grabbing

REJECTED_CANDIDATE = {
    "action": "greenhouse_create_candidate",
    "account_id": "acct_greenhouse_demo",
    "body": {"first_name": "", "emails": [{"value": "not-an-email", "type": "personal"}]},
}


def _then(window: MainWindow, action: Callable[[], None]) -> None:
    """Run ``action`` once, after the next exchange has finished and the view settled."""

    def finished(_exchange: Exchange) -> None:
        window.runner.finished.disconnect(finished)
        QTimer.singleShot(SETTLE_MS, action)

    window.runner.finished.connect(finished)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.ui.screenshots")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="use the dark palette")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    qt_app = QApplication(sys.argv[:1])
    suffix = "-dark" if args.dark else ""
    saved: list[Path] = []

    def grab(window: MainWindow, name: str) -> None:
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        saved.append(path)

    def grab_with_question(window: MainWindow, box: QMessageBox, name: str) -> None:
        """The window with the guard's question drawn over its centre, as a user sees it."""
        picture = window.grab()
        question = box.grab()
        painter = QPainter(picture)
        painter.drawPixmap(
            (picture.width() - question.width()) // 2,
            (picture.height() - question.height()) // 3,
            question,
        )
        painter.end()
        path = out / f"{name}{suffix}.png"
        picture.save(str(path))
        saved.append(path)

    def confirm(window: MainWindow, box: object) -> None:
        if not isinstance(box, QMessageBox):
            return

        def shoot_and_answer() -> None:
            grab_with_question(window, box, "production-guard")
            yes = box.findChild(QAbstractButton, "guardYes")
            if yes is not None:
                yes.click()

        QTimer.singleShot(SETTLE_MS, shoot_and_answer)

    def drive() -> None:
        window = next(w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow))
        window.resize(1400, 860)

        def error_step() -> None:
            grab(window, "main-window")
            window.editor.load_request(RpcRequest.from_dict(REJECTED_CANDIDATE))
            profile = window.current_profile()
            if profile is not None:
                window.editor.set_base_url(profile.base_url)

            def last_step() -> None:
                grab(window, "error-response")
                window.close()

            _then(window, last_step)
            window.guard.asked.connect(lambda box: confirm(window, box))
            window.send()

        _then(window, error_step)
        window.send()

    QTimer.singleShot(SETTLE_MS, drive)
    with tempfile.TemporaryDirectory() as home:
        options = argparse.Namespace(demo=True, smoke=False, home=home, dark=args.dark or None)
        code = app_module.run(options)
    for path in saved:
        print(path)
    return code if len(saved) == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
