"""Running "list employees, then get the first" from the window: captures shown in the run
table, the same results as ``stackone-explorer run``, and a capture that takes nothing
failing its request clearly. Issue 14, items 3 and 4."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.demo import DemoServer
from explorer.run import cli
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.run.dialog import RunColumn
from tests.chain_collection import FIRST_ID, FIRST_NAME, create_chain_collection
from tests.ui.driving import select_collection
from tests.ui.run.test_collection_run import cell, run_from_menu

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
WindowFactory = Callable[..., MainWindow]


def test_list_then_get_the_first_runs_in_the_window_as_on_the_command_line(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer, tmp_path: Path
) -> None:
    store = create_chain_collection(home.collections_dir / "chain")
    window = make_window()
    select_collection(window, "Chain")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)

    assert not dialog.table.isColumnHidden(RunColumn.CAPTURED)
    assert cell(dialog, 0, RunColumn.CAPTURED) == (
        f"employee_id={FIRST_ID}, employee_name={FIRST_NAME}"
    )
    assert cell(dialog, 1, RunColumn.STATUS) == "200"
    assert dialog.summary_label.text().startswith("2 passed, 0 failed, 0 errors")
    got = dialog.results[1].exchange
    assert got is not None and got.request.path == {"id": FIRST_ID}

    report = tmp_path / "report.json"
    code = cli.main(
        [str(store.root), "--profile", "Demo", "--home", str(home.home), "--json", str(report)],
        environ={"STACKONE_API_KEY": demo.api_key},
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert code == cli.EXIT_PASSED
    from_cli = [
        (r["name"], r["outcome"], r["status"], r["captured"])
        for r in json.loads(report.read_text())["results"]
    ]
    ui = [(r.name, r.outcome, r.status, dict(r.captured)) for r in dialog.results]
    assert ui == from_cli


def test_a_capture_that_takes_nothing_fails_its_row_and_says_why(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    create_chain_collection(home.collections_dir / "chain", first_path="$.data[0].nope")
    window = make_window()
    select_collection(window, "Chain")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    result = cell(dialog, 0, RunColumn.RESULT)
    assert result.startswith("FAILED: capture 'employee_id'")
    assert "$.data[0].nope matched nothing" in result
    assert cell(dialog, 1, RunColumn.RESULT).startswith("error: ")
    assert "{{employee_id}}" in cell(dialog, 1, RunColumn.RESULT)


def test_a_value_set_for_the_session_wins_over_a_captured_one(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """As --var does on the command line: typed session values > captured > environment."""
    create_chain_collection(home.collections_dir / "chain")
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.environment.set_session("employee_id", "40003", secret=False)
    select_collection(window, "Chain")
    dialog = run_from_menu(qtbot, window, "run_collection_action")
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    got = dialog.results[1].exchange
    assert got is not None and got.request.path == {"id": "40003"}
    assert dialog.summary_label.text().startswith("2 passed")
