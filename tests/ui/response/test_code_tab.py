"""The request as code: curl, a stackone-ai script or a TypeScript SDK script, from the Code tab
and from File → Copy as…; the key never in it, and the Python script copied from the window
runs against the demo."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.core.snippets import to_python, to_typescript
from explorer.demo import DemoServer
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.response.code_page import PYTHON, TYPESCRIPT
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
REQUEST = RpcRequest(
    action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40002"}
)


def test_the_code_tab_shows_each_form_and_copies_it_without_the_key(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    window = make_window()
    exchange = send(qtbot, window, REQUEST)
    view = window.response_view
    tabs = view.tabs
    bar = tabs.tabBar()
    code = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Code")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(code).center())
    page = view.code_page
    assert page.view.toPlainText().startswith("curl")
    for form, make in ((PYTHON, to_python), (TYPESCRIPT, to_typescript)):
        page.form.setFocus()
        qtbot.keyClick(page.form, Qt.Key.Key_Down)
        assert page.form.currentText() == form
        assert page.view.toPlainText() == make(exchange.request)
        qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
        copied = QGuiApplication.clipboard().text()
        assert copied == make(exchange.request)
        assert demo.api_key not in copied and "STACKONE_API_KEY" in copied
        assert window.statusBar().currentMessage().startswith(f"Copied as {form}")


def test_the_python_script_copied_from_the_window_runs_against_the_demo(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer, tmp_path: Path
) -> None:
    if importlib.util.find_spec("stackone_ai") is None:
        pytest.fail("stackone-ai[mcp] is a dev extra (scripts/bootstrap --dev)")
    window = make_window()
    window.editor.load_request(REQUEST)
    window.editor.set_base_url(demo.url)
    window.analysis.copy_python_action.trigger()  # File → Copy as Python (stackone-ai)
    script = QGuiApplication.clipboard().text()
    assert script == to_python(window.editor.draft_request()) and demo.api_key not in script
    (tmp_path / "snippet.py").write_text(script)
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", str(tmp_path / "snippet.py")],
        env=dict(os.environ, STACKONE_API_KEY=demo.api_key),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["data"]["id"] == "40002"
    window.analysis.copy_typescript_action.trigger()
    assert QGuiApplication.clipboard().text() == to_typescript(window.editor.draft_request())
