"""Carry a value from a Filter result: the same "Set variable…" and the same rules as on the
body (issue 14, item 2): session only by default, the environment only when chosen (then
collection.json), a secret-looking value to the keyring; the value's path is its path in the
response, so it can be captured on every run of a saved request.

Driven as a user does: Ctrl+L and a filter, then the menu key on a row of the result, or a
right-click on a value, "Set variable…" from the menu with the arrow keys, the dialog
answered with keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.captures import Capture
from explorer.store.collections import CollectionStore
from explorer.store.paths import AppPaths
from explorer.ui.filter.panel import FilterPanel
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.response.lines_view import TEXT_MARGIN
from explorer.ui.response.value_menu import SET_VARIABLE
from tests.ui.collections.test_set_variable import LISTING, saved_listing_sent
from tests.ui.driving import (
    click_row,
    employee_id_fills_the_next_request,
    name_variable,
    send,
    window_in_environment,
)
from tests.ui.filter.test_filter_window import WAIT_MS, open_filter, run
from tests.ui.modals import Seen, answering, choose_from_popup

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SECOND_ID = "40002"


def filtered(
    qtbot: QtBot, window: MainWindow, expression: str, *, paths: bool = False
) -> FilterPanel:
    panel = open_filter(qtbot, window)
    if paths:
        qtbot.mouseClick(panel.paths_box, Qt.MouseButton.LeftButton)
    run(qtbot, panel, expression)
    return panel


def answered(
    qtbot: QtBot, open_menu: Callable[[], None], answer: Callable[[QWidget], None]
) -> Seen:
    """Open the result's menu, choose "Set variable…", answer its dialog once it opens (the
    value is found on a pool thread)."""
    choose_from_popup(SET_VARIABLE)
    with answering(answer) as seen:
        open_menu()
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    # The window is active again (the app asks for it; a window manager would anyway).
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), MainWindow))
    return seen[0]


def menu_key_on_row(qtbot: QtBot, panel: FilterPanel, needle: str) -> Callable[[], None]:
    """Click the row holding ``needle``, then press the menu key there."""
    view = panel.result
    lines = view.model().lines
    row = lines.row_of(lines.text.index(needle))

    def open_menu() -> None:
        click_row(qtbot, view, view.model().index(row, 0))
        qtbot.keyClick(view, Qt.Key.Key_Menu)

    return open_menu


def right_click_on(qtbot: QtBot, panel: FilterPanel, needle: str) -> Callable[[], None]:
    """A right-click on the characters of ``needle`` in the result."""
    view = panel.result
    lines = view.model().lines
    offset = lines.text.index(needle) + 1
    row = lines.row_of(offset)
    index = view.model().index(row, 0)

    def open_menu() -> None:
        view.scrollTo(index)
        rect = view.visualRect(index)
        column = offset - lines.row_start(row)
        x = rect.left() + TEXT_MARGIN + int((column + 0.5) * view.char_width())
        spot = QPoint(x, rect.center().y())
        viewport = view.viewport()
        # The press, then the context menu event the window system sends for a right-click
        # (QTest's clicks do not make one).
        qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=spot)
        mouse = QContextMenuEvent.Reason.Mouse
        QApplication.sendEvent(viewport, QContextMenuEvent(mouse, spot, viewport.mapToGlobal(spot)))

    return open_menu


def test_the_menu_key_on_a_result_row_sets_a_session_variable_for_the_next_request(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    CollectionStore.create(home.collections_dir / "chain", "Chain")
    window = make_window()
    send(qtbot, window, LISTING)
    panel = filtered(qtbot, window, "$.data[*].id")
    assert f'"{SECOND_ID}"' in panel.result.text()

    seen = answered(
        qtbot,
        menu_key_on_row(qtbot, panel, SECOND_ID),
        name_variable("employee_id", suggested="id", path="$['data'][1]['id']"),
    )
    assert seen.title == "Set variable"
    assert "{{employee_id}} set for this session" in window.statusBar().currentMessage()
    employee_id_fills_the_next_request(qtbot, window, home, SECOND_ID)


def test_a_right_click_keeps_it_in_the_environment_only_when_chosen_and_a_token_in_the_keyring(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window, store, credentials = window_in_environment(make_window, home)
    exchange = send(qtbot, window, LISTING)
    assert exchange.response is not None
    email = exchange.response.json["data"][0]["work_email"]
    panel = filtered(qtbot, window, "$.data[0:2]", paths=True)

    answered(
        qtbot,
        right_click_on(qtbot, panel, f'"{SECOND_ID}"'),
        name_variable("employee_id", suggested="id", path="$['data'][1].id", environment=True),
    )
    meta = json.loads((store.root / "collection.json").read_text())
    assert meta["environments"]["demo"]["variables"]["employee_id"] == SECOND_ID
    assert "collection.json" in window.statusBar().currentMessage()

    answered(
        qtbot,
        right_click_on(qtbot, panel, email),
        name_variable(
            "session_token",
            suggested="work_email",
            path="$['data'][0].work_email",
            environment=True,
        ),
    )
    text = (store.root / "collection.json").read_text()
    assert email not in text and "session_token" in text  # its name only
    assert credentials.get(store.secret_key("demo", "session_token")) == email
    assert "hidden everywhere" in window.statusBar().currentMessage()


def test_a_result_value_of_a_saved_request_is_captured_at_its_path_in_the_response(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window, store = saved_listing_sent(qtbot, make_window, home)
    panel = filtered(qtbot, window, "$.data[?@.id == '40002'].id")

    answered(
        qtbot,
        menu_key_on_row(qtbot, panel, SECOND_ID),
        name_variable("employee_id", suggested="id", path="$['data'][1]['id']", capture=True),
    )
    assert "captures it on every run" in window.statusBar().currentMessage()
    [again] = CollectionStore(store.root).load()[0].find("List employees")
    assert again.captures == [Capture("employee_id", "$['data'][1]['id']")]


def test_punctuation_in_the_result_is_no_value(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    send(qtbot, window, LISTING)
    panel = filtered(qtbot, window, "$.data[*].id")
    view = panel.result
    click_row(qtbot, view, view.model().index(0, 0))  # "["
    choose_from_popup(SET_VARIABLE)
    qtbot.keyClick(view, Qt.Key.Key_Menu)
    qtbot.waitUntil(
        lambda: "takes one value" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )
