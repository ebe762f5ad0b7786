"""Sharing a case from the window: the history's entries (multi-select) or the response on
screen, written as a folder or a zip; the personal-data preview shows exactly what will be
replaced before anything is written, and nothing existing is overwritten.

Every written byte is scanned (zip members unpacked, HAR bodies base64-decoded) for the API
key, the secret variable and the personal data the scrub replaced.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.demo.records import EMPLOYEES
from explorer.ui.case.dialog import REPLACE, VALUE, ShareCaseDialog
from explorer.ui.mainwindow.window import MainWindow
from tests.canaries import assert_no_canary, blobs, leaks
from tests.ui.driving import click_row, send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 60_000
EMPLOYEES_REQUEST = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 3}
)
ONE = RpcRequest(
    action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40001"}
)


def wait_planned(qtbot: QtBot, dialog: ShareCaseDialog) -> None:
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.job.is_busy(), timeout=WAIT_MS)


def preview_values(dialog: ShareCaseDialog) -> list[str]:
    items = [dialog.preview.item(row, VALUE) for row in range(dialog.preview.rowCount())]
    return [item.text() for item in items if item is not None]


def test_two_history_entries_become_a_scrubbed_zip_without_the_key_or_personal_data(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, demo: DemoServer
) -> None:
    window = make_window()
    send(qtbot, window, EMPLOYEES_REQUEST)
    send(qtbot, window, ONE)
    history = window.history_pane
    click_row(qtbot, history.view, history.model.index(0, 0))
    qtbot.mouseClick(
        history.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        history.view.visualRect(history.model.index(1, 0)).center(),
    )
    cases = tmp_path / "cases"
    cases.mkdir()
    window.analysis.case_folder = cases
    assert window.analysis.entry_share_action.isEnabled()
    window.analysis.entry_share_action.trigger()
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)

    # The preview lists each personal value with its placeholder, before anything is written.
    people = EMPLOYEES[:3]
    values = preview_values(dialog)
    for person in people:
        assert person["work_email"] in values
        assert person["display_name"] in values or person["first_name"] in values
    assert "will be replaced by placeholders" in dialog.preview_label.text()
    assert list(cases.iterdir()) == []  # nothing written yet

    # Untick one value: it is written as it is, and the label says so.
    kept_row = values.index(people[0]["work_email"])
    tick = dialog.preview.item(kept_row, REPLACE)
    assert tick is not None
    tick.setCheckState(Qt.CheckState.Unchecked)  # the tick box of the row, as a click sets it
    assert dialog.unticked() == [people[0]["work_email"]]
    assert "1 unticked value(s) will be written as they are" in dialog.preview_label.text()

    qtbot.mouseClick(dialog.zip_radio, Qt.MouseButton.LeftButton)
    target = Path(dialog.path_edit.text())
    assert target.suffix == ".zip" and target.parent == cases
    qtbot.keyClicks(dialog.title_edit, "Employees list slow for acme")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.analysis.case_dialog is None)
    assert "Wrote the case to" in window.statusBar().currentMessage()

    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        report = archive.read(f"{target.stem}/README.md").decode()
    assert names == [f"{target.stem}/README.md", f"{target.stem}/exchanges.har"]
    assert report.startswith("# Employees list slow for acme")
    scrubbed = [p["work_email"] for p in people[1:]] + [p["display_name"] for p in people]
    assert_no_canary(target, [demo.api_key, *scrubbed])
    # The unticked email is there, as the user chose.
    assert any(leaks(data, [people[0]["work_email"]]) for _name, data in blobs(target))


def test_the_response_on_screen_as_a_folder_and_an_existing_one_is_never_replaced(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, demo: DemoServer
) -> None:
    window = make_window()
    send(qtbot, window, ONE)
    window.analysis.case_folder = tmp_path
    qtbot.keyClick(
        window.editor.action_edit,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)
    person = EMPLOYEES[0]
    assert person["work_email"] in preview_values(dialog)

    # The folder exists already: Export says so and writes nothing.
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("keep me")
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(taken))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Enter: the default button, Export
    qtbot.waitUntil(lambda: dialog.error_label.isVisible())
    assert "already exists and is never replaced" in dialog.error_label.text()
    assert sorted(p.name for p in taken.iterdir()) == ["mine.txt"]

    # A custom field path: its values join the preview.
    qtbot.keyClicks(dialog.fields_edit, "$..job_title")  # the preview follows a pause
    qtbot.waitUntil(
        lambda: dialog.plan is not None and person["job_title"] in preview_values(dialog),
        timeout=WAIT_MS,
    )
    target = tmp_path / "case-one"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (target / "exchanges.har").exists(), timeout=WAIT_MS)
    har = json.loads((target / "exchanges.har").read_text())
    assert len(har["log"]["entries"]) == 1
    assert_no_canary(target, [demo.api_key, person["work_email"], person["job_title"]])
