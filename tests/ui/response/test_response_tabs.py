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
