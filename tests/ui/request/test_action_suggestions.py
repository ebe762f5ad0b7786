"""The action field's suggestions are built when first needed, and none are lost for it.

The completer (and its names' model) is not part of the first frame: it is built when the
field is first typed into, when the tab's discovery controls are built, or when a catalogue
or a send asks for it. Keys typed before then still suggest, from the first one.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from explorer.ui.request.editor import RequestEditor

pytestmark = pytest.mark.gui

NAMES = ["bamboohr_list_employees", "bamboohr_get_employee", "workday_list_workers"]


def _suggested(editor: RequestEditor) -> list[str]:
    completer = editor.action_completer
    model = completer.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_first_key_typed_suggests_the_known_actions(qtbot: QtBot) -> None:
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.set_known_actions(NAMES)
    editor.show()
    qtbot.waitExposed(editor)
    assert not editor.action_completion.built  # nothing built for the first frame
    editor.action_edit.setFocus()
    qtbot.keyClick(editor.action_edit, "e")  # "employee" is in two names, "workers" too
    assert editor.action_completion.built
    popup = editor.action_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert _suggested(editor) == sorted(NAMES)
    qtbot.keyClicks(editor.action_edit, "mploy")
    qtbot.waitUntil(lambda: _suggested(editor) == sorted(NAMES[:2]))
    assert popup.isVisible()
    assert editor.action_edit.text() == "employ"  # every key typed, none taken by the build


def test_names_set_before_and_after_the_suggestions_are_built(qtbot: QtBot) -> None:
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.set_known_actions(["hibob_list", "hibob_list", "greenhouse_get"])
    assert _suggested(editor) == ["greenhouse_get", "hibob_list"]  # built when asked
    editor.set_known_actions(["personio_list"])
    assert _suggested(editor) == ["personio_list"]
    editor.use_action_model(None)  # back to the names (a catalogue gone)
    assert editor.action_completer.model().rowCount() == 1
