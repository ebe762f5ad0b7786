"""The JSON tabs' editors are built when first shown (``request/json_page.py``): the window's
first frame builds only the one it shows. A person sees and reaches every tab as before: its
text, its error, its name, its place in the Tab order, its Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.widgets.json_editor import JsonEditor
from tests.ui.conftest import WindowFactory
from tests.ui.keyboard import press

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
RESTORED = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 5}
)
HALF_TYPED = '{"first_name": "Ada",\n  oops'


def _restored_request(home: AppPaths, body: str = HALF_TYPED) -> None:
    """The request being edited at the last quit: a query, and a body not yet JSON."""
    settings = Settings(home.settings_file)
    settings.set("last_request", RESTORED.to_dict())
    settings.set("last_request_drafts", {"body": body})
    settings.save()


def _editors(window: MainWindow) -> list[str]:
    return [e.accessibleName() for e in window.editor.findChildren(JsonEditor)]


def test_the_window_as_built_has_only_the_editor_of_the_tab_it_shows(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """The restored request shows its query: that editor is built, the other three wait."""
    _restored_request(home)
    window = make_window(shown=False)
    editor = window.editor
    assert editor.tabs.currentIndex() == 1
    assert _editors(window) == ["Query (JSON)"]
    # What they hold is there all the same: the dots on the tabs, what blocks Send, the
    # session's texts.
    titles = [editor.tabs.tabText(i) for i in range(4)]
    assert titles == ["&Path", "&Query •", "H&eaders", "&Body •"]
    assert editor.texts()["body"] == HALF_TYPED
    assert editor.draft_texts() == {"body": HALF_TYPED}
    assert not editor.is_valid()


def test_a_json_error_in_a_tab_not_built_yet_is_shown_and_its_link_goes_there(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """The body's error: its tab's warning sign and tooltip, the line under Send; following
    the link shows the body, built then, its cursor and mark on the bad line."""
    _restored_request(home)
    window = make_window()
    editor = window.editor
    assert _editors(window) == ["Query (JSON)"]
    body = 3
    assert not editor.tabs.tabIcon(body).isNull()
    assert editor.tabs.tabToolTip(body).startswith("Body: ")
    assert "line 2" in editor.tabs.tabToolTip(body)
    assert editor.reason_label.text().startswith("Can't send yet. Body:")
    assert not editor.send_button.isEnabled()

    editor._go_to_error("body")  # what the "Line 2, column 3" link under the body does
    assert editor.tabs.currentIndex() == body
    shown = editor.json_editors["body"]
    assert shown.isVisible() and shown.hasFocus()
    assert shown.textCursor().blockNumber() == 1
    assert [s.cursor.blockNumber() for s in shown.extraSelections()] == [1]  # the mark

    # Fixed there, the sign goes and Send comes back.
    shown.selectAll()
    qtbot.keyClicks(shown, '{"first_name": "Ada"}')
    assert editor.tabs.tabIcon(body).cacheKey() == QIcon().cacheKey()
    assert editor.send_button.isEnabled()


def test_keys_show_a_tab_with_its_text_focus_and_name(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """The arrow on the JSON tabs' bar to Headers and Tab into it, again to Body, and Alt+P
    to Path: each built as it is shown, named for a screen reader, holding what was
    restored, typing and undoing."""
    _restored_request(home, body='{"first_name": "Ada"}')
    window = make_window()
    editor = window.editor
    bar = editor.tabs.tabBar()
    bar.setFocus()
    press(qtbot, Qt.Key.Key_Right)
    assert editor.tabs.currentIndex() == 2
    assert press(qtbot, Qt.Key.Key_Tab) is editor.format_button
    headers = press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(headers, JsonEditor) and headers.accessibleName() == "Headers (JSON)"
    assert headers.isVisible() and headers.toPlainText() == ""

    bar.setFocus()
    press(qtbot, Qt.Key.Key_Right)
    assert editor.tabs.currentIndex() == 3
    body = editor.json_editors["body"]
    assert body.isVisible() and body.accessibleName() == "Body (JSON)"
    assert body.accessibleDescription().startswith("Request body")
    assert body.toPlainText() == '{"first_name": "Ada"}'
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(body, " ")
    assert editor.texts()["body"] == '{"first_name": "Ada"} '
    assert window.tabs.current.is_dirty()
    qtbot.keyClick(body, Qt.Key.Key_Z, CTRL)
    assert body.toPlainText() == '{"first_name": "Ada"}'
    assert not window.tabs.current.is_dirty()

    press(qtbot, Qt.Key.Key_P, ALT)
    assert editor.tabs.currentIndex() == 0
    assert editor.json_editors["path"].isVisible()
    assert _editors(window) == ["Query (JSON)", "Headers (JSON)", "Body (JSON)", "Path (JSON)"]
    # Nothing of the restored request was lost on the way.
    assert editor.to_request().query == {"page_size": 5}


def test_an_editor_built_later_takes_its_place_in_the_tab_order(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """Tab from the tab bar's Format button reaches the editor shown, then what follows the
    JSON tabs; Shift+Tab comes back the same way: before and after it is built."""
    _restored_request(home, body="{}")
    window = make_window()
    editor = window.editor
    following = editor.options.sync_check

    def walk_from_format() -> list[QWidget]:
        editor.format_button.setFocus()
        there = [press(qtbot, Qt.Key.Key_Tab), press(qtbot, Qt.Key.Key_Tab)]
        back = [press(qtbot, Qt.Key.Key_Backtab, SHIFT), press(qtbot, Qt.Key.Key_Backtab, SHIFT)]
        return there + back

    query = editor.json_editors["query"]
    assert walk_from_format() == [query, following, query, editor.format_button]
    editor.tabs.setCurrentIndex(0)  # a click on Path: built now
    path = editor.json_editors["path"]
    assert _editors(window) == ["Query (JSON)", "Path (JSON)"]
    assert walk_from_format() == [path, following, path, editor.format_button]
    assert QApplication.focusWidget() is editor.format_button
