"""Take the README screenshots from the real app in demo mode.

Run under a display (or Xvfb, see the README)::

    xvfb-run -a -s "-screen 0 1400x900x24" python -m explorer.ui.screenshots resources/screenshots

It starts the window exactly as ``stackone-explorer --demo`` does, in a throw-away data folder,
sends the example request and saves ``main-window.png``, then, in a second tab, sends a
candidate the provider rejects: the production guard asks first (``production-guard.png``,
the window with its question), "Send to production" is pressed, and ``error-response.png`` is
saved (both tabs in the bar). The rejected candidate's trace follows (``trace.png``: the
failing provider step and its body), then the list of employees run across every BambooHR
account (``accounts-run.png``, two rows selected for a compare) and their JSON-aware
comparison (``compare.png``). The demo's employee notes (one poisoned) are checked with
Defender (``defender-check.png``), filtered (``filter.png``) and shared as a case, its
personal-data preview shown (``share-case.png``); last the "Chain" collection (list
employees, then get the first, by a capture) is run from the window (``captures-run.png``).
``--dark`` forces the dark palette.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from explorer.core.captures import Capture
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui import app as app_module
from explorer.ui.accounts.dialog import AccountRunDialog
from explorer.ui.mainwindow.window import MainWindow

CHAIN = "Chain"
SETTLE_MS = 400  # let fonts, layouts and the highlighted body settle before grabbing

PICTURES = (
    "main-window",
    "production-guard",
    "error-response",
    "trace",
    "accounts-run",
    "compare",
    "defender-check",
    "filter",
    "share-case",
    "captures-run",
)
POLL_MS = 100
NOTES = {"action": "bamboohr_list_employee_notes", "account_id": "acct_bamboohr_demo"}
EMPLOYEES = {"action": "bamboohr_list_employees", "account_id": "acct_bamboohr_demo"}
REJECTED_CANDIDATE = {
    "action": "greenhouse_create_candidate",
    "account_id": "acct_greenhouse_demo",
    "body": {"first_name": "", "emails": [{"value": "not-an-email", "type": "personal"}]},
}


def _when(
    ready: Callable[[], bool], action: Callable[[], None], give_up: Callable[[], object]
) -> None:
    """Run ``action`` (after the view settled) once ``ready()``; ``give_up`` after 90 s."""

    def poll(tries: int) -> None:
        if ready():
            QTimer.singleShot(SETTLE_MS, action)
        elif tries > 0:
            QTimer.singleShot(POLL_MS, lambda: poll(tries - 1))
        else:
            give_up()

    poll(900)


def _then(window: MainWindow, action: Callable[[], None]) -> None:
    """Run ``action`` once, after the next exchange has finished and the view settled."""

    def finished(_exchange: Exchange) -> None:
        window.send_control.finished.disconnect(finished)
        QTimer.singleShot(SETTLE_MS, action)

    window.send_control.finished.connect(finished)


class _Shooter:
    """Drives the demo window through the README's pictures and saves each one."""

    def __init__(self, out: Path, suffix: str) -> None:
        self.out = out
        self.suffix = suffix
        self.saved: list[Path] = []

    def save(self, picture: QPixmap, name: str) -> None:
        path = self.out / f"{name}{self.suffix}.png"
        picture.save(str(path))
        self.saved.append(path)

    def grab_with_question(self, window: MainWindow, box: QMessageBox, name: str) -> None:
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
        self.save(picture, name)

    def confirm(self, window: MainWindow, box: object) -> None:
        """Say yes to the guard's question; the first one is pictured first."""
        if not isinstance(box, QMessageBox):
            return

        def shoot_and_answer() -> None:
            if not any(p.stem.startswith("production-guard") for p in self.saved):
                self.grab_with_question(window, box, "production-guard")
            yes = box.findChild(QAbstractButton, "guardYes")
            if yes is not None:
                yes.click()

        QTimer.singleShot(SETTLE_MS, shoot_and_answer)

    def drive(self, qt_app: QApplication) -> None:
        window = next(w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow))
        window.resize(1400, 860)

        def error_step() -> None:
            self.save(window.grab(), "main-window")
            window.new_request()  # the candidate in a tab of its own
            window.editor.load_request(RpcRequest.from_dict(REJECTED_CANDIDATE))
            profile = window.profile_selector.current()
            if profile is not None:
                window.editor.set_base_url(profile.base_url)

            def trace_step() -> None:
                self.save(window.grab(), "error-response")
                self.trace(window)

            _then(window, trace_step)
            window.guard.asked.connect(lambda box: self.confirm(window, box))
            window.send_control.send()

        _then(window, error_step)
        window.send_control.send()

    def trace(self, window: MainWindow) -> None:
        """The rejected candidate's trace: Trace beside Copy id, then the trace window."""
        traces = window.support.traces

        def shoot(_trace: object) -> None:
            traces.loaded.disconnect(shoot)

            def grab() -> None:
                if traces.window is not None:
                    self.save(traces.window.grab(), "trace")
                    traces.window.close()
                self.accounts(window)

            QTimer.singleShot(SETTLE_MS, grab)

        traces.loaded.connect(shoot)
        window.response_view.trace_button.click()

    def accounts(self, window: MainWindow) -> None:
        """The list of employees across every BambooHR account, two rows selected."""
        window.editor.load_request(RpcRequest.from_dict(EMPLOYEES))
        runs = window.support.account_runs
        dialog = runs.open_from(window.editor)
        if dialog is None:
            window.close()
            return
        dialog.chooser.select_provider("bamboohr")

        def shoot(_rows: object) -> None:
            runs.finished.disconnect(shoot)
            dialog.table.selectRow(0)
            dialog.table.selectionModel().select(
                dialog.proxy.index(1, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )

            def grab() -> None:
                self.save(dialog.grab(), "accounts-run")
                self.compare(window, dialog)

            QTimer.singleShot(SETTLE_MS, grab)

        runs.finished.connect(shoot)
        dialog.run_button.click()

    def compare(self, window: MainWindow, dialog: AccountRunDialog) -> None:
        """The two selected rows in the JSON-aware compare window."""
        windows = window.analysis.compare.windows
        dialog.compare_button.click()
        compare = windows[-1] if windows else None
        if compare is None:
            window.close()
            return

        def grab() -> None:
            compare.body_table.selectRow(1)
            self.save(compare.grab(), "compare")
            compare.close()
            dialog.close()
            self.defender(window)

        _when(lambda: compare.comparison is not None, grab, window.close)

    def defender(self, window: MainWindow) -> None:
        """The poisoned note flagged by the Defender check."""
        window.editor.load_request(RpcRequest.from_dict(NOTES))
        profile = window.profile_selector.current()
        if profile is not None:
            window.editor.set_base_url(profile.base_url)

        def check() -> None:
            found = window.analysis.check_shown()
            if found is None:
                window.close()
                return

            def grab() -> None:
                self.save(found.grab(), "defender-check")
                found.close()
                self.filter(window)

            _when(lambda: found.verdict is not None and not found.job.is_busy(), grab, window.close)

        _then(window, check)
        window.send_control.send()

    def filter(self, window: MainWindow) -> None:
        """The notes filtered with JSONPath."""
        view = window.response_view
        view.open_filter("$.data[?@.employee_id > '40004'].content")
        view.filter_panel.run()

        def grab() -> None:
            view.filter_panel.edit.setCursorPosition(0)  # the expression from its start
            self.save(window.grab(), "filter")
            self.share(window)

        _when(lambda: view.filter_panel.output() is not None, grab, window.close)

    def share(self, window: MainWindow) -> None:
        """Share the notes as a case: the personal-data preview before anything is written."""
        found = window.analysis.share_shown()
        if found is None:
            window.close()
            return
        found.title_edit.setText("Poisoned note in Acme's BambooHR")

        def grab() -> None:
            self.save(found.grab(), "share-case")
            found.reject()
            self.captures(window)

        _when(lambda: found.plan is not None and not found.job.is_busy(), grab, window.close)

    def captures(self, window: MainWindow) -> None:
        """The "Chain" collection run from the window: what each capture took."""
        pane = window.collections_pane
        if pane is None:
            window.close()
            return
        pane.reload()
        for row in range(pane.model.rowCount()):
            index = pane.model.index(row, 0)
            if index.data() == CHAIN:
                pane.view.setCurrentIndex(index)
        pane.run_collection_action.trigger()
        dialog = window.run_control.dialog
        if dialog is None:
            window.close()
            return

        def shoot(_results: object) -> None:
            def grab() -> None:
                self.save(dialog.grab(), "captures-run")
                dialog.close()
                window.close()

            QTimer.singleShot(SETTLE_MS, grab)

        dialog.run_finished.connect(shoot)


def create_chain(home: Path) -> None:
    """A collection that lists employees and gets the first one, by a capture."""
    store = CollectionStore.create(AppPaths(home).collections_dir / "chain", CHAIN)
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(action="bamboohr_list_employees", query={"page_size": "5"}),
            captures=[
                Capture("employee_id", "$.data[0].id"),
                Capture("employee_name", "$.data[0].display_name"),
            ],
        )
    )
    store.save_request(
        SavedRequest(
            "Get the first",
            RpcRequest(action="bamboohr_get_employee", path={"id": "{{employee_id}}"}),
            expected_status=200,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.ui.screenshots")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="use the dark palette")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    qt_app = QApplication(sys.argv[:1])
    shooter = _Shooter(out, "-dark" if args.dark else "")
    QTimer.singleShot(SETTLE_MS, lambda: shooter.drive(qt_app))
    with tempfile.TemporaryDirectory() as home:
        create_chain(Path(home))
        options = argparse.Namespace(demo=True, smoke=False, home=home, dark=args.dark or None)
        code = app_module.run(options)
    for path in shooter.saved:
        print(path)
    return code if len(shooter.saved) == len(PICTURES) else 1


if __name__ == "__main__":
    sys.exit(main())
