"""A key typed into one field redoes only what that key changed.

Each key in the action field validated the request twice (once for "the user typed here",
once for "the text changed"), parsed the four JSON editors each time though none had
changed, and set every JSON tab's title, icon and tooltip again (a tab bar lays its tabs out
and takes its mnemonics again for each, even for the same text). What the user sees is the
same as before: the tabs' dots and warning signs, each JSON problem under its editor with
the line marked, the warning in an emptied required field, the tab's title and unsaved mark.
Times are measured in ``benchmarks/``, never here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

import explorer.core.request as request_module
import explorer.ui.request.editor as editor_module
from explorer.core.request import OBJECT_FIELDS, RpcRequest
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.editor import RequestEditor
from explorer.ui.tabs.tab import DIRTY_MARK

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
RESTORED = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 25}
)


@pytest.fixture
def window(make_window: WindowFactory, qtbot: QtBot) -> MainWindow:
    """A window holding a valid request, as a returning user's restored one."""
    window = make_window()
    window.tabs.current.load(RESTORED)
    qtbot.wait(10)
    return window


class Counts:
    """How often the editor called each of the functions it was given, by name."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            return function(*args, **kwargs)

        return counted


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counts]:
    """The real validation and JSON parsing, counted as the editor calls them, and each
    walk through a JSON object field (its kind, headers, hidden secrets) as validation does."""
    seen = Counts()
    for name in ("validate", "parse_json_object"):
        monkeypatch.setattr(editor_module, name, seen.wrap(name, getattr(editor_module, name)))
    walk = seen.wrap("walk", request_module.object_field_issues)
    for module in (request_module, editor_module):
        monkeypatch.setattr(module, "object_field_issues", walk, raising=False)
    yield seen


def count_tab_changes(editor: RequestEditor, monkeypatch: pytest.MonkeyPatch) -> Counts:
    """Every change asked of the JSON tabs (titles, icons, tooltips) and of the editors'
    error marks, counted."""
    seen = Counts()
    for name in ("setTabText", "setTabIcon", "setTabToolTip"):
        monkeypatch.setattr(editor.tabs, name, seen.wrap(name, getattr(editor.tabs, name)))
    for field, json_editor in editor.json_editors.items():
        monkeypatch.setattr(
            json_editor, "mark_error", seen.wrap(f"mark_error {field}", json_editor.mark_error)
        )
    return seen


def tabs_shown(editor: RequestEditor) -> list[tuple[str, bool, str]]:
    """Each JSON tab as the user sees it: its title (with the dot), a warning sign, the tip."""
    return [
        (editor.tabs.tabText(i), not editor.tabs.tabIcon(i).isNull(), editor.tabs.tabToolTip(i))
        for i in range(editor.tabs.count())
    ]


def type_at_end(qtbot: QtBot, widget: Any, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_End)
    qtbot.keyClicks(widget, text)


def test_a_key_in_the_action_field_validates_once_and_parses_no_json(
    qtbot: QtBot, window: MainWindow, counts: Counts
) -> None:
    editor = window.editor
    type_at_end(qtbot, editor.action_edit, "s")
    assert editor.action_edit.text() == "bamboohr_list_employeess"
    assert counts.calls == {"validate": 1}  # and no JSON field walked again
    assert editor.send_button.isEnabled()


def test_a_key_in_a_json_editor_parses_that_editor_only(
    qtbot: QtBot, window: MainWindow, counts: Counts
) -> None:
    editor = window.editor
    body = editor.json_editors["body"]
    editor.tabs.setCurrentIndex(OBJECT_FIELDS.index("body"))
    qtbot.keyClicks(body, "{")
    assert counts.calls == {"validate": 1, "parse_json_object": 1, "walk": 1}
    assert "Body: invalid JSON" in editor.reason_label.text()


def test_a_key_in_the_action_field_leaves_the_json_tabs_as_they_are(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = window.editor
    before = tabs_shown(editor)
    assert before[OBJECT_FIELDS.index("query")][0] == "&Query •"
    changes = count_tab_changes(editor, monkeypatch)
    type_at_end(qtbot, editor.action_edit, "s")
    assert changes.calls == {}
    assert tabs_shown(editor) == before


def test_a_json_problem_stays_shown_while_another_field_is_typed_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    index = OBJECT_FIELDS.index("body")
    editor.tabs.setCurrentIndex(index)
    body = editor.json_editors["body"]
    type_at_end(qtbot, body, '{"a": }')
    error = editor._json_errors["body"]  # the label under the Body editor

    def body_problem_shown() -> bool:
        return (
            error.isVisible()
            and "invalid JSON" in error.text()
            and not editor.tabs.tabIcon(index).isNull()
            and editor.tabs.tabText(index) == "&Body •"
            and "Body: invalid JSON" in editor.tabs.tabToolTip(index)
            and not editor.send_button.isEnabled()
        )

    assert body_problem_shown()
    type_at_end(qtbot, editor.action_edit, "s")
    assert body_problem_shown()
    assert editor.reason_label.text().startswith("Can't send yet. Body: invalid JSON")

    # Fixed by keys: the problem goes, the tab keeps its dot.
    type_at_end(qtbot, body, "")
    qtbot.keyClick(body, Qt.Key.Key_Left)
    qtbot.keyClicks(body, "1")
    assert body.toPlainText() == '{"a": 1}'
    assert not error.isVisible()
    assert editor.tabs.tabIcon(index).isNull() and editor.tabs.tabToolTip(index) == ""
    assert editor.tabs.tabText(index) == "&Body •"
    assert editor.send_button.isEnabled()

    # Emptied by keys: the dot goes too.
    body.selectAll()
    qtbot.keyClick(body, Qt.Key.Key_Delete)
    assert editor.tabs.tabText(index) == "&Body"


def marked_line(json_editor: Any) -> int | None:
    """The 1-based line the editor tints as the JSON error's, ``None`` when none is."""
    selections = json_editor.extraSelections()
    return selections[0].cursor.blockNumber() + 1 if selections else None


def test_the_error_mark_follows_the_json_as_it_is_edited(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    editor.tabs.setCurrentIndex(OBJECT_FIELDS.index("body"))
    body = editor.json_editors["body"]
    type_at_end(qtbot, body, "{")
    for line in ('"a": 1,', "}"):
        qtbot.keyClick(body, Qt.Key.Key_Return)
        qtbot.keyClicks(body, line)
    assert body.toPlainText() == '{\n"a": 1,\n}'
    assert marked_line(body) == 3
    # A line typed above the error: the error, and its mark, move down with it.
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    body.setTextCursor(cursor)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    assert editor._json_errors["body"].text().startswith('<a href="#go">Line 4')
    assert marked_line(body) == 4
    # Typing elsewhere keeps the mark where it is.
    type_at_end(qtbot, editor.action_edit, "s")
    assert marked_line(body) == 4


def test_an_emptied_required_field_says_what_it_needs(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    edit = editor.action_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == ""
    assert editor.field_warnings["action"].isVisible()
    assert editor.reason_label.text().startswith("Can't send yet. Action: enter the action")
    qtbot.keyClicks(edit, "b")
    assert not editor.field_warnings["action"].isVisible()
    assert editor.send_button.isEnabled()


def test_the_tab_title_and_unsaved_mark_follow_each_key(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.tabs.bar
    index = window.tabs.tabs.index(window.tabs.current)
    assert bar.tabText(index) == "bamboohr_list_employees · acct_bamboohr_demo"
    type_at_end(qtbot, window.editor.action_edit, "s")
    assert bar.tabText(index) == f"bamboohr_list_employeess · acct_bamboohr_demo {DIRTY_MARK}"
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Backspace)
    assert bar.tabText(index) == "bamboohr_list_employees · acct_bamboohr_demo"
    # A key in a JSON editor: the title stays, the unsaved mark comes and goes.
    query = window.editor.json_editors["query"]
    type_at_end(qtbot, query, " ")
    assert bar.tabText(index) == f"bamboohr_list_employees · acct_bamboohr_demo {DIRTY_MARK}"
    qtbot.keyClick(query, Qt.Key.Key_Backspace)
    assert bar.tabText(index) == "bamboohr_list_employees · acct_bamboohr_demo"


def test_a_key_sets_the_request_tab_s_title_only_when_it_changes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title set lays every tab of the bar out again; taking away an icon it does not have
    too. A key that changes the title sets it once; one that does not, not at all."""
    bar = window.tabs.bar
    index = window.tabs.tabs.index(window.tabs.current)
    query = window.editor.json_editors["query"]
    type_at_end(qtbot, query, " ")  # the unsaved mark comes: the title changes
    changes = Counts()
    for name in ("setTabText", "setTabIcon"):
        monkeypatch.setattr(bar, name, changes.wrap(name, getattr(bar, name)))
    qtbot.keyClicks(query, " ")  # still unsaved: the same title
    assert changes.calls == {}
    type_at_end(qtbot, window.editor.action_edit, "s")
    assert changes.calls == {"setTabText": 1}
    assert bar.tabText(index) == f"bamboohr_list_employeess · acct_bamboohr_demo {DIRTY_MARK}"
    assert bar.tabIcon(index).isNull()
