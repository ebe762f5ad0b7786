"""A big list response (over the size parsed on arrival) still offers its next page: the
cursor is looked for in the helper process, so the window never builds the body's objects."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import LAZY_JSON_SIZE, Timing, read_response
from explorer.ui.response.view import ResponseView
from tests.big_bodies import big_body

pytestmark = pytest.mark.gui

JSON = [("content-type", "application/json"), ("x-request-id", "req-1")]


def test_a_big_list_offers_its_next_page(qtbot: QtBot) -> None:
    body = big_body(2 * LAZY_JSON_SIZE)  # {"data": [...], "next": "cursor_1"}
    response = read_response(200, JSON, body, timing=Timing(total_ms=12.0, ttfb_ms=5.0))
    view = ResponseView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_exchange(
        Exchange(
            request=RpcRequest(action="hris_list_employees", account_id="b"), response=response
        )
    )
    qtbot.waitUntil(view.pages.isVisible, timeout=60_000)
    assert view.pages.cursor_edit.text() == "cursor_1"
    assert (view.pages.location_combo.currentText(), view.pages.name_edit.text()) == (
        "query",
        "next",
    )
