"""The window keeps the size it was given: long content wraps or scrolls inside its pane.

Issue 8, item 7: error panels with provider errors widened the window (1400 -> 1409 -> 1428 ->
1436 px) and it never shrank; "Save body...", "Copy id" and the key hint ended up clipped.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]

# Error answers of the demo server, with provider errors and the 401's key hint.
ERRORS: list[dict[str, object]] = [
    {
        "action": "greenhouse_create_candidate",
        "account_id": "acct_greenhouse_demo",
        "body": {"first_name": "", "emails": [{"value": "not-an-email", "type": "personal"}]},
    },
    {"action": "hibob_search_employees", "account_id": "acct_hibob_demo"},
    {"action": "bamboohr_get_employee", "account_id": "acct_bamboohr_demo", "path": {"id": "1"}},
    {"action": "bamboohr_list_employee_notes", "account_id": "acct_suspended"},
]


def fully_inside(widget: QWidget, container: QWidget) -> bool:
    """Whether ``widget`` is shown whole within ``container`` (not cut at an edge)."""
    top_left = widget.mapTo(container, widget.rect().topLeft())
    return container.rect().contains(QRect(top_left, widget.size()))


def send_fields(qtbot: QtBot, window: MainWindow, fields: dict[str, object]) -> None:
    send(qtbot, window, RpcRequest.from_dict(fields))
    qtbot.wait(50)  # layouts settle on the next turn of the event loop


def test_error_panels_never_widen_the_window(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    width = window.width()
    assert width == 1400
    view = window.response_view
    for fields in ERRORS * 2:
        send_fields(qtbot, window, fields)
        assert window.width() == width, fields["action"]
        assert window.minimumSizeHint().width() <= width
        assert fully_inside(view.save_body_button, view)
        if view.copy_id_button.isVisible():
            assert fully_inside(view.copy_id_button, view)
        assert fully_inside(view.error_panel.retry_button, view) or (
            view.error_panel.retry_button.isHidden()
        )


def test_the_key_hint_of_a_401_is_shown_whole(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(key="not-the-right-key")
    width = window.width()
    send_fields(qtbot, window, ERRORS[0])
    panel = window.response_view.error_panel
    assert panel.profiles_button.isVisible()
    assert fully_inside(panel.profiles_button, window.response_view)
    assert window.width() == width
