"""The folded advanced options (the deprecated ``defender_enabled``, the request timeout) are
built when first unfolded: the window's first frame does not show them. Their values are
the request's all the same, and the keyboard reaches them as before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import DEFAULT_TIMEOUT, RpcRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.options import set_tri_state, tri_state
from tests.ui.conftest import WindowFactory
from tests.ui.keyboard import press

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _fields(window: MainWindow) -> list[QDoubleSpinBox]:
    return window.editor.findChildren(QDoubleSpinBox)


def test_folded_advanced_options_are_built_when_unfolded_and_join_the_tab_order(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Not in the window as built; Alt+C unfolds them, and Tab goes from the toggle through
    them to what came after the toggle before (Shift+Tab back the same way)."""
    window = make_window()
    assert _fields(window) == []
    assert window.editor.draft_request().timeout == DEFAULT_TIMEOUT
    options = window.editor.options
    toggle = options.advanced_toggle
    toggle.setFocus()
    after = press(qtbot, Qt.Key.Key_Tab)
    assert after is not toggle and _fields(window) == []

    toggle.setFocus()
    press(qtbot, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(toggle.isChecked)  # a mnemonic clicks as a button does: pressed, let go
    assert options.timeout_spin.isVisible()
    assert options.timeout_spin.value() == DEFAULT_TIMEOUT
    toggle.setFocus()
    walk: list[QWidget] = [press(qtbot, Qt.Key.Key_Tab) for _ in range(3)]
    assert walk == [options.defender_enabled_combo, options.timeout_spin, after]
    back = [press(qtbot, Qt.Key.Key_Backtab, SHIFT) for _ in range(3)]
    assert back == [options.timeout_spin, options.defender_enabled_combo, toggle]

    # Edited there, the request says so; folded again, it still does.
    options.timeout_spin.setValue(42.5)
    toggle.click()
    assert not options.timeout_spin.isVisible()
    assert window.editor.draft_request().timeout == 42.5


def test_a_restored_request_with_advanced_options_shows_them_unfolded(
    make_window: WindowFactory, home: AppPaths
) -> None:
    settings = Settings(home.settings_file)
    request = RpcRequest(action="bamboohr_list_employees", defender_enabled=False, timeout=12.5)
    settings.set("last_request", request.to_dict())
    settings.save()
    window = make_window()
    options = window.editor.options
    assert options.advanced_toggle.isChecked() and options.timeout_spin.isVisible()
    assert options.timeout_spin.value() == 12.5
    assert options.defender_enabled_combo.currentText() == "Off"
    draft = window.editor.draft_request()
    assert (draft.timeout, draft.defender_enabled) == (12.5, False)


def test_the_preferred_timeout_is_a_new_request_s_while_its_field_is_not_built(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """The Preferences' default timeout goes into each new request, folded or not."""
    settings = Settings(home.settings_file)
    settings.set("default_timeout", 45.0)
    settings.save()
    window = make_window()
    assert window.editor.draft_request().timeout == 45.0
    assert _fields(window) == []
    window.editor.options.advanced_toggle.click()
    assert window.editor.options.timeout_spin.value() == 45.0


def test_a_timeout_the_field_would_round_is_sent_as_the_field_shows_it(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """A hand-edited default of 2.25 s: the request holds what the field shows (one decimal),
    as when the field was built with the window."""
    settings = Settings(home.settings_file)
    settings.set("default_timeout", 2.25)
    settings.save()
    window = make_window()
    shown = window.editor.options.timeout_spin.value()
    assert shown in (2.2, 2.3)
    assert window.editor.draft_request().timeout == shown


def test_the_option_choices_are_qt_s_own_combo_boxes(make_window: WindowFactory) -> None:
    """A Python subclass of a Qt widget costs every virtual call into it a look for an
    override (shiboken's ``Sbk_GetPyOverride``, in every paint and size hint): the Defender
    choices override nothing, so they are Qt's combo boxes, read and set by functions."""
    window = make_window()
    options = window.editor.options
    window.editor.options.advanced_toggle.click()
    combos = [*options.defender_combos.values(), options.defender_enabled_combo]
    assert {type(combo) for combo in combos} == {QComboBox}
    set_tri_state(options.defender_combos["block_high_risk"], True)
    set_tri_state(options.defender_enabled_combo, False)
    draft = window.editor.draft_request()
    assert (draft.defender.block_high_risk, draft.defender.enabled) == (True, None)
    assert draft.defender_enabled is False
    assert [tri_state(c) for c in combos] == [None, True, None, None, False]
