"""The response tabs show what came and what went, readably.

Issue 8, item 10: a ``text/plain`` download was labelled "Binary response", and the Request
tab cut long lines instead of wrapping them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def click_tab(qtbot: QtBot, window: MainWindow, title: str) -> None:
    tabs = window.response_view.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def test_a_text_file_download_is_called_a_text_file_and_readable(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(
        qtbot,
        window,
        RpcRequest(
            action="documents_download_file",
            account_id="acct_drive_demo",
            path={"id": "file_onboarding"},
        ),
    )
    view = window.response_view
    assert view.status_label.text().startswith("200")
    label = view.body.binary_label.text()
    assert "Binary" not in label
    assert "Text file" in label and "text/plain" in label
    assert view.body.save_button.isVisible()
    click_tab(qtbot, window, "Raw")
    assert "Onboarding checklist" in view.body.raw_text()
    assert "Zoë oder José" in view.body.raw_text()


def test_the_request_tab_wraps_long_lines(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    long_value = "Ada Lovelace " * 60
    send(
        qtbot,
        window,
        RpcRequest(
            action="hibob_search_employees",
            account_id="acct_hibob_demo",
            body={"query": long_value},
        ),
    )
    click_tab(qtbot, window, "Request")
    request_view = window.response_view.request_view
    qtbot.wait(50)
    assert long_value.strip() in request_view.toPlainText()
    assert request_view.horizontalScrollBar().maximum() == 0  # nothing cut off at the right


def test_the_tabs_not_on_screen_show_the_new_exchange_when_clicked(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    # Only Pretty is filled before the paint; the others when clicked (or on the next turn).
    window = make_window()
    view = window.response_view
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    click_tab(qtbot, window, "Pretty")
    second = send(
        qtbot,
        window,
        RpcRequest(
            action="hibob_get_employee", account_id="acct_hibob_demo", path={"id": "nobody-here"}
        ),
    )
    assert second.response is not None and second.response.request_id
    click_tab(qtbot, window, "Headers")
    table = view.headers_table
    cells = [(table.item(row, 0), table.item(row, 1)) for row in range(table.rowCount())]
    shown = {name.text(): value.text() for name, value in cells if name and value}
    assert len(shown) == len(second.response.headers)
    assert shown["x-request-id"] == second.response.request_id
    click_tab(qtbot, window, "Request")
    assert "hibob_get_employee" in view.request_view.toPlainText()
    assert "bamboohr_list_employees" not in view.request_view.toPlainText()
    click_tab(qtbot, window, "Code")
    assert "nobody-here" in view.curl_view.toPlainText()
    click_tab(qtbot, window, "Raw")
    assert view.body.raw_view.toPlainText() == second.response.text()


def test_the_tabs_not_on_screen_fill_by_themselves_after_the_send(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    view = window.response_view
    exchange = send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    assert view.tabs.currentWidget() is view.body.pretty_stack
    assert exchange.response is not None
    body = exchange.response.text()
    # Without a click: a screen reader or a copy reads them as soon as the window is idle.
    qtbot.waitUntil(lambda: view.body.raw_view.toPlainText() == body)
    assert view.headers_table.rowCount() == len(exchange.response.headers)
    assert "bamboohr_list_employees" in view.request_view.toPlainText()
    assert "bamboohr_list_employees" in view.curl_view.toPlainText()
