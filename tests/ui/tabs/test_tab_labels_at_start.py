"""The request tabs' labels as the window is built: each set once, and right.

Building the window changes what a tab's label shows several times (the new tab, the profile
chosen, its account filled in, the restored request loaded, each marked clean, the
production marks refreshed); each label set lays the tab bar out again. The labels are set
once each when the window is complete, before it is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.tabs.session import TabState
from explorer.ui.tabs.tab import DIRTY_MARK
from explorer.ui.tabs.tab_set import _TabBar

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def _two_restored_tabs(home: AppPaths) -> None:
    """A session of two tabs, the first selected; the second holds an unsaved edit."""
    first = RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    second = RpcRequest(action="greenhouse_list_jobs", account_id="acct_greenhouse_demo")
    settings = Settings(home.settings_file)
    states = [TabState(first, {}), TabState(second, {"body": '{"half typed": '}, edited=True)]
    settings.set("open_tabs", {"tabs": [s.to_dict() for s in states], "current": 0})
    settings.save()


def test_while_the_window_is_built_each_tab_s_label_is_set_once(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_restored_tabs(home)
    set_labels: Counter[int] = Counter()
    set_tooltip = _TabBar.setTabToolTip

    def counted(bar: _TabBar, index: int, tip: str) -> None:
        set_labels[index] += 1
        set_tooltip(bar, index, tip)

    monkeypatch.setattr(_TabBar, "setTabToolTip", counted)
    window = make_window(shown=False)
    assert set_labels == {0: 1, 1: 1}

    # ... and each says what it holds, as it did when set at every change.
    bar = window.tabs.bar
    assert bar.tabText(0) == "bamboohr_list_employees · acct_bamboohr_demo"
    assert bar.tabText(1) == f"greenhouse_list_jobs · acct_greenhouse_demo {DIRTY_MARK}"
    assert bar.tabToolTip(0) == (
        "Action: bamboohr_list_employees\nAccount: acct_bamboohr_demo\nNot sent yet"
    )
    assert bar.accessibleTabName(1) == (
        "greenhouse_list_jobs, account acct_greenhouse_demo, Not sent yet, unsaved edits"
    )

    # Once built, a change sets the label again at once.
    window.editor.action_edit.setText("hibob_list_employees")
    assert bar.tabText(0) == f"hibob_list_employees · acct_bamboohr_demo {DIRTY_MARK}"
    assert set_labels[0] >= 2
