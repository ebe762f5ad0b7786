"""Comparing exchanges in the window: two runs of one action (10 MB each) from the history, an
entry against the pinned baseline of its action and account, and ``window.compare``.

Driven as a user does: two rows selected with clicks, Ctrl+Shift+M, a volatile field ignored
from its row, Esc to cancel; the user sees exactly the fields that changed.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.core.compare import ADDED, CHANGED, MISSING, REMOVED, IgnoreRules
from explorer.core.compare_pages import PAGE_SIZE
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.store.baselines import BaselineStore
from explorer.store.paths import AppPaths
from explorer.ui.compare.window import CompareWindow
from explorer.ui.helper_jobs import COMPARE, helper, stop_helpers
from explorer.ui.mainwindow.window import MainWindow
from tests.big_bodies import big_document
from tests.ui.big_server import big_server
from tests.ui.driving import click_row, send
from tests.ui.modals import answering, press

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 120_000
ACTION = "hris_list_employees"
EMPLOYEES = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 5}
)
GET_EMPLOYEE = RpcRequest(
    action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40001"}
)


def two_runs() -> tuple[bytes, bytes]:
    """Two 10 MB pages: one salary changed, one record gone, one new, a new cursor, and a
    timestamp that changes in every record."""
    before = big_document()
    after = copy.deepcopy(before)
    for record in after["data"]:
        record["updated_at"] = "2026-06-01T00:00:00Z"
    after["data"][500]["salary"] = -1
    after["data"].pop(1000)
    after["data"].insert(2000, {"id": "emp_new", "first_name": "New"})
    after["next"] = "cursor_2"
    return json.dumps(before).encode(), json.dumps(after).encode()


def select_rows(qtbot: QtBot, window: MainWindow, rows: list[int]) -> None:
    """Click the first row, Ctrl+click the others."""
    history = window.history_pane
    click_row(qtbot, history.view, history.model.index(rows[0], 0))
    for row in rows[1:]:
        index = history.model.index(row, 0)
        qtbot.mouseClick(
            history.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            history.view.visualRect(index).center(),
        )


def opened(window: MainWindow) -> CompareWindow:
    found = window.analysis.compare.windows
    assert found, "no comparison window opened"
    return found[-1]


def back_to(qtbot: QtBot, window: MainWindow) -> None:
    """Click back into the main window (its keys reach only the active window)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def wait_compared(qtbot: QtBot, compare: CompareWindow) -> None:
    qtbot.waitUntil(lambda: not compare.job.is_busy(), timeout=WAIT_MS)
    assert compare.comparison is not None, compare.error_label.text()


def paths(compare: CompareWindow) -> dict[str, tuple[str, object, object]]:
    return {c.path: (c.kind, c.left, c.right) for c in compare.body_model.changes()}


def test_two_10_mb_runs_show_exactly_the_fields_that_changed(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    left, right = two_runs()
    headers = [{"x-cache": "MISS"}, {"x-cache": "HIT"}]
    with big_server([left, right], headers) as url:
        window = make_window(base_url=url)
        request = RpcRequest(action=ACTION, account_id="acct_big")
        send(qtbot, window, request)
        send(qtbot, window, request)
    select_rows(qtbot, window, [0, 1])
    progress: list[float] = []
    qtbot.keyClick(
        window.history_pane.view,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    compare = opened(window)
    compare.job.progress.connect(lambda fraction, _stage: progress.append(fraction))
    assert compare.progress.isVisible() and compare.cancel_button.isVisible()
    wait_compared(qtbot, compare)
    assert progress and progress == sorted(progress)  # the bar moved forward while it worked
    assert not compare.progress.isVisible()

    # The older run on the left, the newer on the right, their headlines side by side.
    assert compare._headline_labels[(4, 1)].text() == "req_big_1"
    assert compare._headline_labels[(4, 2)].text() == "req_big_2"
    assert compare._headline_labels[(1, 1)].text().startswith("200")
    records = len(big_document()["data"])
    total = (records - 1) + 4  # every timestamp, and the four real changes
    assert compare.comparison is not None
    assert compare.comparison.counts() == {CHANGED: records + 1, ADDED: 1, REMOVED: 1}
    assert compare.tabs.tabText(0) == f"Body ({total:,})"
    # Only the first page came over; the rest is listed from the helper as the table scrolls.
    assert compare.body_model.rowCount() == PAGE_SIZE
    assert compare.shown_label.text().startswith(f"Listing {PAGE_SIZE} of {total:,} changes")
    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    qtbot.keyClick(compare.body_table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: compare.body_model.rowCount() == 2 * PAGE_SIZE, timeout=WAIT_MS)
    # The second page goes on where the first stopped, in document order.
    assert list(paths(compare))[PAGE_SIZE - 1 : PAGE_SIZE + 1] == [
        f"data[id=emp_{PAGE_SIZE - 1:06d}].updated_at",
        f"data[id=emp_{PAGE_SIZE:06d}].salary",
    ]

    # The filter looks through every change (in the helper), not only those listed.
    qtbot.keyClicks(compare.path_filter, "salary")
    qtbot.waitUntil(lambda: compare.body_model.matching() == 1, timeout=WAIT_MS)
    assert paths(compare) == {"data[id=emp_000500].salary": (CHANGED, 40_000 + 500 * 37, -1)}
    assert compare.shown_label.text() == "1 matching change listed"

    # "Ignore this field" on a timestamp: saved for the action, compared again.
    compare.path_filter.clear()
    qtbot.keyClicks(compare.path_filter, "updated_at")
    qtbot.waitUntil(lambda: compare.body_model.matching() == records - 1, timeout=WAIT_MS)
    assert compare.body_model.rowCount() == PAGE_SIZE
    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    assert compare.left_value.toPlainText() == '"2025-01-01T00:00:00Z"'
    assert compare.right_value.toPlainText() == '"2026-06-01T00:00:00Z"'
    qtbot.mouseClick(compare.ignore_field_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compare.comparison is not None and compare.comparison.ignored > 0)
    wait_compared(qtbot, compare)
    compare.path_filter.clear()
    assert paths(compare) == {
        "data[id=emp_000500].salary": (CHANGED, 40_000 + 500 * 37, -1),
        "data[id=emp_001000]": (REMOVED, big_document()["data"][1000], MISSING),
        "data[id=emp_new]": (ADDED, MISSING, {"id": "emp_new", "first_name": "New"}),
        "next": (CHANGED, "cursor_1", "cursor_2"),
    }
    # The timestamps, and the request ids and lengths the header list leaves out.
    assert compare.comparison is not None and compare.comparison.ignored >= records - 1
    summary = compare.summary_label.text()
    assert summary.startswith("2 changed, 1 added, 1 removed")
    assert compare.shown_label.isHidden()  # all four came whole: nothing left in the helper
    assert f"{compare.comparison.ignored:,} difference(s) left out" in summary
    rules = BaselineStore(home.baselines_dir).ignore_rules(ACTION)
    assert rules.body == ["$.data[*].updated_at"]

    # The salary's two values, side by side under the table.
    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    assert (compare.left_value.toPlainText(), compare.right_value.toPlainText()) == (
        str(40_000 + 500 * 37),
        "-1",
    )

    # Headers: x-cache differs (request ids and dates are ignored from the start).
    assert [(c.path, c.left, c.right) for c in compare.header_model.changes()] == [
        ("x-cache", "MISS", "HIT")
    ]
    click_row(qtbot, compare.header_table, compare.header_model.index(0, 0))
    qtbot.mouseClick(compare.ignore_header_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not compare.header_model.changes(), timeout=WAIT_MS)
    assert "x-cache" in BaselineStore(home.baselines_dir).ignore_rules(ACTION).headers

    # Another comparison of the same action, cancelled while it runs.
    select_rows(qtbot, window, [1, 0])
    window.analysis.compare_entries_action.trigger()
    second = opened(window)
    assert second is not compare and second.job.is_busy()
    qtbot.mouseClick(second.cancel_button, Qt.MouseButton.LeftButton)
    assert not second.job.is_busy()
    assert second.summary_label.text() == "Cancelled: nothing was compared."
    # The window closes while the clicked rows' 10 MB entry is still read and formatted.


def test_a_response_pinned_as_baseline_is_what_a_later_run_is_compared_with(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    analysis = window.analysis
    send(qtbot, window, EMPLOYEES)
    analysis.pin_action.trigger()  # ⋯ → Pin as baseline
    analysis.compare.wait()
    qtbot.waitUntil(lambda: "Pinned as the baseline" in window.statusBar().currentMessage())
    store = BaselineStore(home.baselines_dir)
    assert store.exists(EMPLOYEES.action, EMPLOYEES.account_id)

    # The same request again: only request ids and dates differ, which are ignored.
    send(qtbot, window, EMPLOYEES)
    qtbot.keyClick(
        window.editor.action_edit,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    same = opened(window)
    wait_compared(qtbot, same)
    assert same.summary_label.text().startswith("No differences")
    assert same._headline_labels[(0, 1)].text() == "<b>Baseline</b>"

    # Fewer records since the baseline: exactly those are gone.
    back_to(qtbot, window)
    send(qtbot, window, EMPLOYEES.copy(query={"page_size": 3}))
    window.analysis.baseline_action.trigger()
    fewer = opened(window)
    wait_compared(qtbot, fewer)
    removed = {path: kind for path, (kind, _l, _r) in paths(fewer).items() if kind == REMOVED}
    assert len(removed) == 2 and all(path.startswith("data[id=") for path in removed)

    # Pinning again asks first, No by default: Esc keeps the baseline.
    before = store.get(EMPLOYEES.action, EMPLOYEES.account_id)
    assert before is not None
    with answering(press(Qt.Key.Key_Escape)) as seen:
        analysis.pin_action.trigger()
    assert seen[0].title == "Replace the baseline" and seen[0].default == "&No"
    after = store.get(EMPLOYEES.action, EMPLOYEES.account_id)
    assert after is not None and after.exchange.id == before.exchange.id

    # From the history: the oldest entry against the baseline (the very same exchange).
    select_rows(qtbot, window, [window.history_pane.model.rowCount() - 1])
    assert analysis.entry_baseline_action.isEnabled()
    analysis.entry_baseline_action.trigger()
    itself = opened(window)
    wait_compared(qtbot, itself)
    assert itself.comparison is not None and itself.comparison.identical

    # Another account has no baseline: the status bar says how to pin one.
    back_to(qtbot, window)
    send(qtbot, window, EMPLOYEES.copy(account_id="acct_bamboohr_sandbox"))
    count = len(analysis.compare.windows)
    analysis.baseline_action.trigger()
    assert len(analysis.compare.windows) == count
    assert "No baseline is pinned" in window.statusBar().currentMessage()


def test_two_exchanges_in_memory_compare_through_the_window(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """What a run across accounts calls to compare two of its rows."""
    window = make_window()
    acme = send(qtbot, window, EMPLOYEES)
    globex = send(qtbot, window, EMPLOYEES.copy(account_id="acct_bamboohr_globex"))
    compare = window.compare(acme, globex)
    wait_compared(qtbot, compare)
    assert "acct_bamboohr_demo and acct_bamboohr_globex" in compare.windowTitle()
    assert compare.comparison is not None and compare.comparison.body
    # The right side's time says how it differs from the left's, never "−0 ms".
    timing = compare._headline_labels[(2, 2)].text()
    assert re.fullmatch(r"\S+ m?s \((same|[+−]\S+ m?s)\)", timing), timing
    compare.close()
    qtbot.waitUntil(lambda: compare not in window.analysis.compare.windows)


def test_a_filter_that_matches_nothing_says_so_instead_of_an_empty_table(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """An empty table under a filter would read as "no differences": the window says how many
    changes the filter leaves, and that none match."""
    window = make_window()
    acme = send(qtbot, window, EMPLOYEES)
    globex = send(qtbot, window, EMPLOYEES.copy(account_id="acct_bamboohr_globex"))
    same = window.compare(acme, acme)
    wait_compared(qtbot, same)
    qtbot.keyClicks(same.path_filter, "salary")
    assert same.shown_label.isHidden()  # nothing differs at all: the summary says so
    assert same.summary_label.text().startswith("No differences")
    same.close()

    compare = window.compare(acme, globex)
    wait_compared(qtbot, compare)
    total = compare.body_model.rowCount()
    assert total > 1 and compare.shown_label.isHidden()

    qtbot.keyClicks(compare.path_filter, "no-such-field")
    assert compare.body_model.rowCount() == 0
    assert compare.shown_label.isVisible()
    assert compare.shown_label.text() == (
        f"No change matches the filter ({total:,} in all): clear it to see them"
    )

    compare.path_filter.clear()
    first = next(iter(paths(compare)))
    qtbot.keyClicks(compare.path_filter, first)
    shown = compare.body_model.rowCount()
    assert 0 < shown < total
    assert compare.shown_label.text() == f"{shown:,} of {total:,} changes match"

    compare.path_filter.clear()
    assert compare.shown_label.isHidden()
    compare.close()
    qtbot.waitUntil(lambda: compare not in window.analysis.compare.windows)


def test_two_actions_compared_are_both_named_and_neither_ignore_list_is_applied(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """A list and a get compared: the window names both, and the list's ignore list (which
    would hide ``data`` here) is not applied; an ignored field is for this comparison only."""
    BaselineStore(home.baselines_dir).set_ignore_rules(
        EMPLOYEES.action, IgnoreRules(body=["$.data"])
    )
    window = make_window()
    send(qtbot, window, EMPLOYEES)
    send(qtbot, window, GET_EMPLOYEE)
    select_rows(qtbot, window, [0, 1])
    qtbot.keyClick(
        window.history_pane.view,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    compare = opened(window)
    wait_compared(qtbot, compare)

    title = compare.windowTitle()
    assert EMPLOYEES.action in title and GET_EMPLOYEE.action in title, title
    assert EMPLOYEES.action in compare.heading.text()
    assert GET_EMPLOYEE.action in compare.heading.text()
    assert "different actions: no per-action ignore rules applied" in (
        compare.summary_label.text().lower()
    )
    # The list's "$.data" would have hidden this: not applied across actions.
    assert paths(compare)["data"][0] == CHANGED
    assert compare.ignore_editor.rules().body == []

    # Ignoring a field here compares again without it, and saves it for neither action.
    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    qtbot.mouseClick(compare.ignore_field_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compare.comparison is not None and compare.comparison.ignored > 0)
    wait_compared(qtbot, compare)
    assert "data" not in paths(compare)
    saved = BaselineStore(home.baselines_dir)
    assert saved.ignore_rules(EMPLOYEES.action).body == ["$.data"]
    assert saved.ignore_rules(GET_EMPLOYEE.action).body == []
    assert "not saved" in compare.ignore_editor.intro.text()


def test_a_long_list_its_helper_let_go_is_compared_again_when_scrolled(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The helper process keeps a big comparison for its pages; once it has exited (idle, or
    ended), scrolling for more compares again rather than failing."""
    window = make_window()
    before = [{"id": f"e{i:05d}", "updated_at": "2025"} for i in range(3 * PAGE_SIZE)]
    after = [dict(record, updated_at="2026") for record in before]
    left, right = (
        Exchange(
            request=EMPLOYEES,
            response=read_response(
                200, [("content-type", "application/json")], json.dumps({"data": data}).encode()
            ),
        )
        for data in (before, after)
    )
    compare = window.compare(left, right)
    wait_compared(qtbot, compare)
    assert compare.body_model.rowCount() == PAGE_SIZE
    stop_helpers()  # as when it exits after minutes without work

    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    with qtbot.waitSignal(compare.job.finished, timeout=WAIT_MS):  # compared again
        qtbot.keyClick(compare.body_table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert helper(COMPARE).starts == 1
    assert compare.error_label.isHidden()
    assert compare.body_model.matching() == 3 * PAGE_SIZE
    click_row(qtbot, compare.body_table, compare.body_model.index(0, 0))
    qtbot.keyClick(compare.body_table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: compare.body_model.rowCount() == 2 * PAGE_SIZE, timeout=WAIT_MS)


def test_two_long_texts_show_their_line_differences_in_a_virtual_view(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Non-JSON bodies: the unified diff comes laid out for display; a long one is drawn a
    screen at a time (not set into a text edit on the UI thread)."""
    window = make_window()
    left, right = (
        Exchange(
            request=EMPLOYEES,
            response=read_response(200, [("content-type", "text/plain")], body),
        )
        for body in (b"one\ntwo\n" * 10_000, b"one\nthree\n" * 10_000)
    )
    compare = window.compare(left, right)
    wait_compared(qtbot, compare)
    assert compare.body_stack.currentWidget() is compare.text_lines
    rows = compare.text_lines.text().splitlines()
    assert rows[:2] == ["--- " + compare._labels[0], "+++ " + compare._labels[1]]
    assert "-two" in rows and "+three" in rows
    assert compare.summary_label.text() == "Body text differs."
