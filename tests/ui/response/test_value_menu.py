"""The body's right-click menu on a long body: it opens at once, and "Copy value" and "Set
variable…" take the value under the pointer (or the text cursor), found off the UI thread.

Issue 15: finding the value reads the text up to it, tens of milliseconds for the 100,000
characters Pretty holds; it ran on the UI thread before the menu opened.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QTextEdit
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.json_position import PickedValue
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.ui.response.value_menu import COPY_VALUE, SET_VARIABLE, SYNC_LOOKUP_LIMIT
from explorer.ui.response.view import ResponseView
from tests.ui.response.test_response_view import _Blocker

pytestmark = pytest.mark.gui

POLL_MS = 20
POLLS = 500  # then the menu is closed, and the test fails rather than hangs
PEOPLE = [{"id": str(40000 + i), "name": f"Person {i}", "active": i % 2 == 0} for i in range(900)]
LAST_ID, LAST_NAME = "40899", "Person 899"


def shown_big(qtbot: QtBot, pool: QThreadPool) -> tuple[ResponseView, list[PickedValue]]:
    """A ResponseView showing a long body (Pretty highlighted), and what Set variable got."""
    view = ResponseView(pool=pool)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    body = json.dumps({"data": PEOPLE}).encode()
    response = read_response(
        200, [("content-type", "application/json")], body, timing=Timing(12.0, 5.0)
    )
    view.show_exchange(Exchange(request=RpcRequest(action="a", account_id="b"), response=response))
    pretty = view.body.pretty_rich
    qtbot.waitUntil(lambda: LAST_NAME in pretty.toPlainText())
    assert view.body.pretty_stack.currentWidget() is pretty
    assert len(pretty.toPlainText()) > SYNC_LOOKUP_LIMIT  # long enough to be found off-thread
    picked: list[PickedValue] = []
    view.set_variable_requested.connect(picked.append)
    return view, picked


def put_cursor_on(view: QTextEdit, needle: str) -> QPoint:
    """The text cursor inside ``needle`` (scrolled to it); where it is on the viewport."""
    cursor = view.textCursor()
    cursor.setPosition(view.toPlainText().rindex(needle) + 2)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    view.setFocus()
    return view.cursorRect().center()


def when_menu(act: Callable[[QMenu], None]) -> None:
    """Once a popup menu is open, ``act`` on it."""

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            act(menu)
        else:
            QTimer.singleShot(POLL_MS, poll)

    QTimer.singleShot(POLL_MS, poll)


def entry(menu: QMenu, text: str) -> QAction:
    [action] = [a for a in menu.actions() if a.text() == text]
    return action


def choose_once_enabled(text: str) -> None:
    """In the menu that opens: wait for ``text`` to be enabled, then arrow to it and Enter."""

    def act(menu: QMenu, polls: int = POLLS) -> None:
        action = entry(menu, text)
        if not action.isEnabled():
            if polls:
                QTimer.singleShot(POLL_MS, lambda: act(menu, polls - 1))
            else:
                menu.close()
            return
        while menu.activeAction() is not action:
            QTest.keyClick(menu, Qt.Key.Key_Up)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    when_menu(act)


def test_a_right_click_on_a_long_body_copies_the_value_under_the_pointer(qtbot: QtBot) -> None:
    view, _picked = shown_big(qtbot, QThreadPool.globalInstance())
    pretty = view.body.pretty_rich
    point = put_cursor_on(pretty, f'"{LAST_NAME}"')
    scrolled = pretty.verticalScrollBar().value()
    cursor = pretty.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    pretty.setTextCursor(cursor)  # the text cursor elsewhere: the pointer decides
    pretty.verticalScrollBar().setValue(scrolled)
    QGuiApplication.clipboard().clear()
    choose_once_enabled(COPY_VALUE)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, pretty.viewport().mapToGlobal(point)
    )
    QApplication.sendEvent(pretty.viewport(), event)
    assert QGuiApplication.clipboard().text() == LAST_NAME


def test_the_menu_opens_while_the_value_is_still_being_found(qtbot: QtBot) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    view, picked = shown_big(qtbot, pool)
    pretty = view.body.pretty_rich
    put_cursor_on(pretty, f'"{LAST_ID}"')
    blocker = _Blocker()
    pool.start(blocker)  # the lookup cannot start until released
    seen: list[tuple[bool, str]] = []

    def look_then_release(menu: QMenu) -> None:
        action = entry(menu, SET_VARIABLE)
        seen.append((action.isEnabled(), action.statusTip()))
        blocker.release.set()
        choose_once_enabled(SET_VARIABLE)

    when_menu(look_then_release)
    qtbot.keyClick(pretty, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    pool.waitForDone(30_000)
    # Open before the answer: its value entries waited, saying so; chosen once they filled in.
    assert seen == [(False, "Finding the value…")]
    assert picked == [PickedValue(key="id", value=LAST_ID, path="$.data[899].id")]


def test_punctuation_in_a_long_body_offers_no_value(qtbot: QtBot) -> None:
    view, picked = shown_big(qtbot, QThreadPool.globalInstance())
    pretty = view.body.pretty_rich
    put_cursor_on(pretty, "[\n")
    states: list[bool] = []

    def wait_for_answer(menu: QMenu, polls: int = POLLS) -> None:
        action = entry(menu, COPY_VALUE)
        if action.statusTip() == "Finding the value…" and polls:
            QTimer.singleShot(POLL_MS, lambda: wait_for_answer(menu, polls - 1))
            return
        states.append(action.isEnabled())
        states.append(entry(menu, SET_VARIABLE).isEnabled())
        menu.close()

    when_menu(wait_for_answer)
    qtbot.keyClick(pretty, Qt.Key.Key_Menu)
    assert states == [False, False]
    assert picked == []
