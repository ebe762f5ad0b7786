"""What the window leaves until it is on screen, and that nothing the user reaches waits for it.

The trace, account-run and pages tools and the Collections pane are built after the first
paint (or on first use); their menu entries, shortcuts and tab exist from the start. Times
are measured in ``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.history import DB_NAME, HistoryEntry, HistoryStore
from explorer.store.history_db import HistoryDatabase
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.mainwindow.collections_slot import CollectionsSlot
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.tabs.session import TabState
from explorer.ui.tabs.tab import DIRTY_MARK
from explorer.ui.tabs.tab_set import MAX_TAB_WIDTH
from explorer.ui.theme import status_colour
from tests.ui.conftest import WindowFactory
from tests.ui.driving import send_example

WAIT_MS = 10_000

# Modules the first frame (history rows, the restored request) does not use, each imported
# after the first paint or where first used (round eight, benchmarks/README.md).
FIRST_FRAME_LEAVES = (
    # An exchange's modules: the send path and the response page import them (the result
    # page's modules are imported after the first paint, ``RESULT_MODULES``).
    "explorer.core.exchange",
    "explorer.core.response",
    "explorer.core.wire",
    "explorer.ui.response.error_panel",
    "explorer.core.discovery",  # the first listing (imported on a pool thread before it)
    "explorer.core.mcp",  # the first tools listing
    "explorer.core.action_search",  # the first action search
    "uuid",  # and with it ``platform``: a new exchange's id
    "html",  # and ``html.entities``: escaping a message shown
    "queue",  # the threads an exchange runs on
    "explorer.ui.helper_jobs",  # the helper processes: the filter's modules bring it
    "explorer.ui.compare.control",  # comparisons and baselines: when first used
    "explorer.store.baselines",
    # The production guard's rules: the first frame says why an account is not known yet
    # (no listing), the rules are imported on a pool thread after the first paint.
    "explorer.core.guard",
    "explorer.core.agent",  # an account's MCP tools' schemas: once listed
    "explorer.ui.run.job",  # a collection run's job: when a run starts
    "explorer.ui.widgets.opened",  # tool windows kept while open: the first one opened
)


def test_importing_the_window_leaves_the_support_tools_collections_and_formatting_for_later() -> (
    None
):
    """None of these is drawn by the first paint; each costs start-up time to import."""
    lazy = (
        "explorer.ui.trace.control",
        "explorer.ui.accounts.control",
        "explorer.ui.response.all_pages",
        "explorer.core.process_pool",
        "pygments",
        "email.utils",
        "explorer.demo",
        "explorer.ui.collections.pane",
        "multiprocessing",
        "explorer.ui.compare.window",
        "explorer.ui.defender.window",
        "explorer.ui.case.dialog",
        "explorer.core.case",
        "explorer.core.compare",  # the baselines store imports it for ignore rules only
        "explorer.run.accounts",  # the send throttle, imported on the first send
        # The response's result page (hidden until a response) and what only it uses.
        "explorer.ui.filter.panel",
        "explorer.ui.response.code_page",
        "explorer.ui.response.pages",
        "explorer.ui.response.find_bar",
        "explorer.core.render",
        "explorer.core.filters",  # JSONPath and jq: what filters, captures and scrubs
        "explorer.ui.discovery.agent_view",
        "explorer.core.curl",  # pasting or copying curl (with shlex), imported when used
        "socket",  # the send path's error mapping and cancel; httpx brings it at the first send
        "explorer.store.collections",  # with the Collections pane, after the first paint
        # Discovery's controls and popups: the window's second stage (its widgets come with
        # the editor, ``ui.discovery.buttons``).
        "explorer.ui.discovery.controls",
        "explorer.ui.discovery.search",
        "explorer.ui.discovery.popup",
        *FIRST_FRAME_LEAVES,
    )
    # A module renamed away would never be "in sys.modules": each must exist to be left out.
    assert all(importlib.util.find_spec(name) is not None for name in lazy)
    code = f"import sys, explorer.ui.app\nprint(sorted(m for m in {lazy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_the_private_holders_imported_at_start_are_plain_classes() -> None:
    """A dataclass costs ~0.4 ms to make at import; a module's private holders (the send's
    keyring needs, the gate's waiting send, a listing's outcome, the queue's parts, the demo's
    parts) need none of what it adds, so the modules the window imports make none."""
    code = textwrap.dedent(
        """
        import dataclasses, sys, explorer.ui.app
        print(sorted(
            f"{module.__name__}.{name}"
            for module in list(sys.modules.values())
            if module.__name__.startswith("explorer")
            for name, value in vars(module).items()
            if name.startswith("_") and isinstance(value, type)
            and value.__module__ == module.__name__ and dataclasses.is_dataclass(value)
        ))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def _saved_home(home: Path) -> None:
    """A returning user's home: a profile, the request being edited, a few history entries."""
    paths = AppPaths(home).ensure()
    profiles = ProfileStore(paths.profiles_file)
    profiles.upsert(Profile("Saved", base_url="http://127.0.0.1:9", account_id="acct_1"))
    profiles.save()
    settings = Settings(paths.settings_file)
    settings.set("last_profile", "Saved")
    settings.set("last_request", RpcRequest(action="bamboohr_list_employees").to_dict())
    settings.save()
    paths.history_dir.mkdir(parents=True, exist_ok=True)
    database = HistoryDatabase(paths.history_dir / DB_NAME)
    database.insert_many(
        (
            HistoryEntry(id=f"e{n}", started_at="2026-01-01T00:00:00+00:00", action="a"),
            b'{"request": {"action": "a"}}',
        )
        for n in range(5)
    )
    database.close()


def test_the_first_frame_is_painted_without_the_modules_it_does_not_show(tmp_path: Path) -> None:
    """The real entry point over a saved home, in a process of its own: at the window's
    first paint none of ``FIRST_FRAME_LEAVES`` is imported; an exchange's modules are
    imported after it without a send (so the first Send does not wait for them)."""
    _saved_home(tmp_path)
    hook = (
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def later(tries=200):\n"
        "    found = [m for m in ('explorer.core.exchange', 'explorer.core.response')"
        " if m in sys.modules]\n"
        "    if len(found) < 2 and tries:\n"
        "        QTimer.singleShot(50, lambda: later(tries - 1))\n"
        "        return\n"
        "    print(found, flush=True)\n"
        "    QApplication.instance().quit()\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        "        rows = window.history_pane.model.rowCount()\n"
        "        action = window.editor.action_edit.text()\n"
        f"        loaded = sorted(m for m in {FIRST_FRAME_LEAVES!r} if m in sys.modules)\n"
        "        print(rows, action, loaded, flush=True)\n"
        "        QTimer.singleShot(0, later)\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    # The first frame: history rows and the restored request, none of the modules.
    assert lines[0] == "5 bamboohr_list_employees []"
    assert lines[1:] == ["['explorer.core.exchange', 'explorer.core.response']", "0 True"]


def test_the_first_frame_is_painted_without_qstyle_s_enum_classes(tmp_path: Path) -> None:
    """A QStyle reaching Python (``app.style()``, the style's icons, ``drawItemText``) makes
    PySide create QStyle's 11 enum classes, ~6 ms: the real entry point, as it makes its
    application, over a saved home, paints its first frame (``--smoke``) without them."""
    _saved_home(tmp_path)
    code = textwrap.dedent(
        """
        import enum, sys
        made = []
        create = enum.EnumType._create_
        def record(cls, *args, **kwargs):
            result = create(cls, *args, **kwargs)
            made.append(result.__qualname__)
            return result
        enum.EnumType._create_ = record
        import explorer.__main__ as entry
        code = entry.main(["--smoke", "--home", sys.argv[1]])
        print(code, sorted(set(made) & {"PixelMetric", "StandardPixmap", "ComplexControl"}))
        """
    )
    assert run_offscreen(code, tmp_path)[-1] == "0 []"


# Qt classes the first frame does not use, by module: PySide makes a class's Python type (and
# every enum class of it) the first time a module names it, ~0.2-1 ms each, so the modules the
# window imports name them only where they are used (a dialog opened, a response shown).
FIRST_FRAME_LEAVES_QT = {
    "QtWidgets": (
        "QDialog",  # the note, curl, preferences and help dialogs
        "QDialogButtonBox",
        "QMessageBox",  # questions: the production guard, destructive ones, About
        "QFileDialog",  # saving a history export or a response body
        "QSpinBox",  # the preferences dialog
        "QTextBrowser",  # the demo catalogue
        "QTextEdit",  # the JSON editor's error mark; text views' menus
        "QTableWidget",  # the response's headers table
        "QTableWidgetItem",
        "QCompleter",  # the action field's suggestions: when first typed into, or later
    ),
    "QtCore": ("QStringListModel",),  # the suggestions' names
    "QtGui": (
        "QTextCursor",  # the JSON editor's edits by hand: format, go to an error, its mark
    ),
}


def test_the_first_frame_is_painted_without_the_qt_classes_it_does_not_use(
    tmp_path: Path,
) -> None:
    """The real entry point over a saved home, in a process of its own: at the window's
    first paint none of ``FIRST_FRAME_LEAVES_QT`` has a Python type yet."""
    for module, names in FIRST_FRAME_LEAVES_QT.items():  # each a real class, to be left out
        qt_module = importlib.import_module(f"PySide6.{module}")
        assert all(isinstance(getattr(qt_module, name), type) for name in names)
    _saved_home(tmp_path)
    hook = (
        "import PySide6\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        f"        wanted = {FIRST_FRAME_LEAVES_QT!r}\n"
        "        made = sorted(\n"
        "            name for module, names in wanted.items() for name in names\n"
        "            if name in vars(getattr(PySide6, module))\n"
        "        )\n"
        "        print(window.editor.action_edit.text(), made, flush=True)\n"
        "        QTimer.singleShot(0, QApplication.instance().quit)\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines[0] == "bamboohr_list_employees []"


# Every dataclass the app's modules have made when the window first paints: what the first
# frame uses. Each costs ~0.4-0.9 ms before the first paint (Python 3.11 compiles each of its
# generated methods), so one more here is start-up time; a bag of the window's shared parts
# built once (``TabKit``) and what a tab's label shows (``TabLabel``) are plain classes.
FIRST_FRAME_DATACLASSES = (
    "AppPaths",  # where the data lives
    "DefenderConfig",  # the restored request
    "RpcRequest",
    "HistoryEntry",  # the history's store and its list
    "HistoryFilter",
    "PreparedRows",
    "Issue",  # the restored request validated
    "LoadedFile",  # settings and profiles read
    "Preferences",
    "Profile",
    "Replacement",  # the secrets policy (the restored tab's state is redacted)
    "TabState",  # the restored tabs
)


def test_the_first_frame_makes_only_the_dataclasses_it_uses(tmp_path: Path) -> None:
    """The real entry point over a saved home, in a process of its own: at the window's
    first paint the app's modules have made exactly ``FIRST_FRAME_DATACLASSES``."""
    _saved_home(tmp_path)
    hook = (
        "import dataclasses\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        "        made = sorted(\n"
        "            name for module in list(sys.modules.values())\n"
        "            if module.__name__.startswith('explorer')\n"
        "            for name, value in vars(module).items()\n"
        "            if isinstance(value, type) and dataclasses.is_dataclass(value)\n"
        "            and value.__module__ == module.__name__\n"
        "        )\n"
        "        print(window.editor.action_edit.text(), made, flush=True)\n"
        "        QTimer.singleShot(0, QApplication.instance().quit)\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines[0] == f"bamboohr_list_employees {sorted(FIRST_FRAME_DATACLASSES)}"


# Dataclasses the first frame does not use, by class name: each costs ~0.4-0.6 ms to make
# (its generated methods are compiled), so the modules the window imports before its first
# paint define none of these (discovery's answers come after it, ``ui.discovery.results``).
FIRST_FRAME_LEAVES_DATACLASSES = (
    "DiscoveryFailure",  # a listing or search that failed
    "ActionSearch",  # an action search's matches
)


def test_the_first_frame_is_painted_without_the_dataclasses_it_does_not_use(
    tmp_path: Path,
) -> None:
    """The real entry point over a saved home, in a process of its own: at the window's
    first paint no module of the app has made a dataclass named in
    ``FIRST_FRAME_LEAVES_DATACLASSES``; they are made after it, before discovery lists."""
    _saved_home(tmp_path)
    hook = (
        "import dataclasses\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def made():\n"
        "    return sorted({\n"
        "        name for module in list(sys.modules.values())\n"
        "        if module.__name__.startswith('explorer')\n"
        "        for name, value in vars(module).items()\n"
        f"        if name in {FIRST_FRAME_LEAVES_DATACLASSES!r}\n"
        "        and isinstance(value, type) and dataclasses.is_dataclass(value)\n"
        "    })\n"
        "def later(tries=200):\n"
        "    if 'explorer.ui.discovery.results' not in sys.modules and tries:\n"
        "        QTimer.singleShot(50, lambda: later(tries - 1))\n"
        "        return\n"
        "    print(made(), flush=True)\n"
        "    QApplication.instance().quit()\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        "        print(window.editor.action_edit.text(), made(), flush=True)\n"
        "        QTimer.singleShot(0, later)\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines[0] == "bamboohr_list_employees []"
    # Made after the first paint without being asked (a listing's failure shows at once).
    assert lines[1] == str(sorted(FIRST_FRAME_LEAVES_DATACLASSES))


def test_the_first_frame_compiles_none_of_the_secrets_policy_s_patterns(tmp_path: Path) -> None:
    """``core.secrets`` is imported before the first paint (the request model names its
    placeholder), but none of its patterns (templates, scheme tokens, personal data: ~0.6 ms
    to compile) is used by the first frame: the real entry point over a saved home compiles
    none of them by its first paint, and they still work once asked for."""
    _saved_home(tmp_path)
    hook = (
        "import re\n"
        "compiled = []\n"
        "compile_ = re.compile\n"
        "def record(pattern, flags=0):\n"
        "    compiled.append(sys._getframe(1).f_code.co_filename)\n"
        "    return compile_(pattern, flags)\n"
        "re.compile = record\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        "        mine = [name for name in compiled if name.endswith('core/secrets.py')]\n"
        "        from explorer.core import secrets\n"
        "        works = (secrets.is_template('Bearer {{token}}'),\n"
        "                 secrets.mask('Authorization: Bearer abcdefghijk'))\n"
        "        print(window.editor.action_edit.text(), mine, works, flush=True)\n"
        "        QTimer.singleShot(0, QApplication.instance().quit)\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines[0] == "bamboohr_list_employees [] (True, 'Authorization: Bearer <redacted>')"


def test_the_batch_controls_parts_are_a_type_for_the_checker_alone() -> None:
    """``Parts`` (what a batch control is built with) only types ``**parts``: as a class it
    cost ~0.1 ms (a ``TypedDict``) in a module the window imports before its first paint."""
    code = "import explorer.ui.app, explorer.ui.batch as batch\nprint(hasattr(batch, 'Parts'))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"


def test_a_usual_start_builds_no_argparse_parser(tmp_path: Path) -> None:
    """Building it costs ~2-3 ms (its help formatter, gettext's lookups): the real entry point
    over a saved home, to its first paint (``--smoke``), builds none (PySide imports argparse
    for its own use; ``--help`` and the like are argparse's, ``tests/test_entry_point.py``)."""
    _saved_home(tmp_path)
    code = textwrap.dedent(
        """
        import argparse, sys
        built = []
        init = argparse.ArgumentParser.__init__
        def record(self, *args, **kwargs):
            built.append(kwargs.get("prog"))
            init(self, *args, **kwargs)
        argparse.ArgumentParser.__init__ = record
        import explorer.__main__ as entry
        print(entry.main(["--smoke", "--home", sys.argv[1]]), built)
        """
    )
    assert run_offscreen(code, tmp_path)[-1] == "0 []"


def test_pyside_reads_no_window_module_source_at_start_up() -> None:
    """PySide's import hook reads each new module's source (for ``__feature__``), ~0.15 ms a
    module; the app's modules are noted beforehand (``ui.pyside_scan``), so none is read."""
    code = (
        "import sys\n"
        "import PySide6.QtCore\n"
        "import shibokensupport.feature as feature\n"
        "read = []\n"
        "scan = feature._mod_uses_pyside\n"
        "feature._mod_uses_pyside = lambda module: read.append(module.__name__) or scan(module)\n"
        "import explorer.ui.app\n"
        "print(sorted(name for name in read if name.startswith('explorer')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "['explorer.ui.pyside_scan']"  # the one that notes them


def test_the_window_s_modules_are_imported_without_pyside_s_feature_hook(tmp_path: Path) -> None:
    """PySide puts a hook in front of every import, for ``from __feature__ import``; the app
    uses no feature and notes its modules beforehand (``ui.pyside_scan``), so the hook only
    costs time (~1 µs an import statement, ~1,600 before the first paint). The real entry
    point over a saved home (``--smoke``) imports the window's modules without it, and puts
    it back for whatever is imported later."""
    _saved_home(tmp_path)
    code = textwrap.dedent(
        """
        import builtins, sys
        hooked, inside = [], []
        def profile(frame, event, arg):
            code = frame.f_code
            if code.co_name == "<module>" and frame.f_globals.get("__name__") == "explorer.ui.app":
                if event == "call":
                    inside.append(frame)
                elif event == "return" and inside:
                    inside.pop()
            elif event == "call" and inside and code.co_name == "feature_import":
                caller = frame.f_back
                if caller is not None and caller.f_code.co_name == "<module>":
                    hooked.append(str(caller.f_globals.get("__name__")))
        sys.setprofile(profile)
        import explorer.__main__ as entry
        code = entry.main(["--smoke", "--home", sys.argv[1]])
        sys.setprofile(None)
        print(code, "explorer.ui.app" in sys.modules, len(hooked), sorted(set(hooked))[:5])
        print(builtins.__import__ is builtins.__dict__.get("__feature_import__"))
        """
    )
    assert run_offscreen(code, tmp_path)[-2:] == ["0 True 0 []", "True"]


def test_the_trace_shortcut_works_before_the_window_has_built_its_tools(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    assert "traces" not in vars(window.support)  # not built yet: the window is not painted
    request_menu = window.menuBar().actions()[1].menu()
    assert isinstance(request_menu, QMenu)
    menu_texts = [action.text() for action in request_menu.actions()]
    assert "Open the &trace of a request id…" in menu_texts
    assert "Run across &accounts…" in menu_texts
    QGuiApplication.clipboard().setText("")
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.support.traces.window is not None, timeout=WAIT_MS)
    trace_window = window.support.traces.window
    assert trace_window is not None and trace_window.isVisible()
    trace_window.close()


def test_once_on_screen_the_window_builds_its_tools_without_being_asked(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(
        lambda: all(name in vars(window.support) for name in ("traces", "account_runs", "pages")),
        timeout=WAIT_MS,
    )
    # Built, but nothing opened: no window appeared by itself.
    assert window.support.traces.window is None
    assert window.support.account_runs.dialog is None


def test_once_on_screen_the_window_builds_its_second_stage_without_being_asked(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Discovery's controls, the focus ring and Shift+F10 come right after the first paint;
    the discovery widgets the first frame drew are the same before and after."""
    window = make_window(shown=False)
    tab = window.tabs.current
    buttons = tab.discovery_buttons
    assert tab.built_discovery is None and window.focus_ring is None
    first_frame = [
        (w.text(), w.isEnabled(), w.isVisibleTo(window.editor))
        for w in (buttons.pick_button, buttons.fill_button, buttons.agent_button)
    ]
    notes = (buttons.status_label, buttons.fill_label)
    labels = [w.isVisibleTo(window.editor) for w in notes]
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: tab.built_discovery is not None, timeout=WAIT_MS)
    assert window.focus_ring is not None
    controls = tab.built_discovery
    assert controls is not None and controls.pick_button is buttons.pick_button
    assert first_frame == [
        (w.text(), w.isEnabled(), w.isVisibleTo(window.editor))
        for w in (buttons.pick_button, buttons.fill_button, buttons.agent_button)
    ]
    assert labels == [
        w.isVisibleTo(window.editor) for w in (buttons.status_label, buttons.fill_label)
    ]


def test_alt_down_before_the_second_stage_opens_the_account_picker(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A key for discovery pressed before its controls exist builds them and is handled."""
    window = make_window(shown=False)
    tab = window.tabs.current
    assert tab.built_discovery is None
    qtbot.keyClick(window.editor.account_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    controls = tab.built_discovery
    assert controls is not None
    qtbot.waitUntil(lambda: controls.popup.isVisible(), timeout=WAIT_MS)
    controls.popup.hide()


def _collections_not_built_yet(window: MainWindow) -> CollectionsSlot:
    """The window's Collections slot, with the queue after the first paint stopped so the
    pane is built only on demand (the queue waits a moment after the paint)."""
    window.after_first_paint.cancel()
    slot = window.collections
    assert slot is not None and slot.built is None
    return slot


def test_ctrl_4_before_the_collections_pane_is_built_shows_it_with_its_collections(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "hris", "HRIS checks")
    store.save_request(SavedRequest("Employees", RpcRequest(action="bamboohr_list_employees")))
    window = make_window()
    slot = _collections_not_built_yet(window)
    assert window.side_tabs.tabText(1) == "Collections"  # the tab is there from the start
    window.activateWindow()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    pane = slot.built
    assert pane is not None and pane.isVisible() and pane.view.hasFocus()
    assert pane.model.rowCount() == 1  # the collection read from disk
    assert window.side_tabs.count() == 2  # no extra tab


def test_clicking_the_collections_tab_before_it_is_built_shows_the_pane(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    slot = _collections_not_built_yet(window)
    bar = window.side_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    pane = slot.built
    assert pane is not None and pane.isVisible()
    assert window.side_tabs.tabText(1) == "Collections"


def test_a_response_before_its_page_is_built_shows_in_full_and_in_the_tab_order(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The response's result page is built for the first exchange shown (a send here), and
    its controls join the Tab order."""
    window = make_window()
    view = window.response_view
    assert not view.built
    window.editor.action_edit.setFocus()
    send_example(qtbot, window)
    assert view.built and view.tabs.isVisible()
    assert view.status_label.text().startswith("200")
    assert view.body.pretty_stack.isVisible()
    # Tab from Trace… goes on in the view's reading order, not to a control built next to it.
    chain = [w for w in view.tab_chain() if w.isVisibleTo(window) and w.isEnabled()]
    after_trace = chain[chain.index(view.trace_button) + 1]
    view.trace_button.setFocus()
    qtbot.keyClick(view.trace_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after_trace


def test_the_first_history_entry_opened_shows_in_full_though_no_response_came_yet(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The page is built for the first exchange shown: one chosen in the history too."""
    send_example(qtbot, make_window())  # an entry in the history, then a fresh window
    window = make_window()
    view = window.response_view
    qtbot.wait(400)  # the window's work after its first paint is done: still no page
    assert not view.built
    window.history_pane.view.setFocus()
    qtbot.keyClick(window.history_pane.view, Qt.Key.Key_Down)  # the newest entry
    qtbot.waitUntil(lambda: view.built and view.tabs.isVisible(), timeout=WAIT_MS)
    assert view.status_label.text().startswith("200")


def run_the_app(home: Path, watch: str = "pass\n", *, setup: str = "") -> list[str]:
    """Start the real entry point over ``home`` in a process of its own (offscreen), with
    ``watch``: the body of a ``look()`` that a timer calls from the event loop's first turn
    (and again as it asks, with ``QTimer.singleShot(50, look)``), and ``setup`` run before
    the entry point is imported (e.g. a hook on the window); its standard output's lines, the
    last one the exit code and whether the collector is on. Start-up pauses and freezes the
    collector, which a test process must not."""
    code = (
        "import gc, sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "seen = []\n"
        "def look():\n"
        + textwrap.indent(watch, "    ")
        + "QTimer.singleShot(0, look)\n"
        + setup
        + "import explorer.__main__ as entry\n"
        "code = entry.main(['--home', sys.argv[1]])\n"
        "print(code, gc.isenabled())\n"
    )
    return run_offscreen(code, home)


def run_offscreen(code: str, home: Path) -> list[str]:
    """``code`` in a Python process of its own (offscreen), ``home`` its ``sys.argv[1]``;
    its standard output's lines."""
    result = subprocess.run(
        [sys.executable, "-c", code, str(home)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The app's own words (a fatal error, a traceback) belong in a failure's message.
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stderr[-4000:]}"
    return result.stdout.strip().splitlines()


def test_the_garbage_collector_is_back_on_once_the_window_is_up(tmp_path: Path) -> None:
    """Start-up runs with the collector off; a window left open must not keep it off (its
    memory would only grow). The real entry point, in a process of its own."""
    lines = run_the_app(
        tmp_path,
        "seen.append(gc.isenabled())\n"
        "if seen[-1] or len(seen) > 200:\n"
        "    print(seen, flush=True)\n"
        "    app.quit()\n"
        "else:\n"
        "    QTimer.singleShot(50, look)\n",
    )
    assert lines[-1] == "0 True"  # exit code 0, and the collector on after
    assert lines[-2].endswith("True]")  # on while the window was still open


def test_the_history_read_at_start_is_listed_whole_and_kept_out_of_collections(
    tmp_path: Path,
) -> None:
    """The app reads its history's rows on a thread while start-up has the collector paused;
    whichever ends first, the collector is on afterwards, every entry is listed, and the rows
    (kept for the app's life) are out of the collector's passes. The real entry point, in a
    process of its own (it freezes objects, which a test process must not)."""
    count = 900  # within the default history limit; more than the first page
    folder = AppPaths(tmp_path).history_dir
    folder.mkdir(parents=True)
    database = HistoryDatabase(folder / DB_NAME)
    database.insert_many(
        (
            HistoryEntry(id=f"e{n:04d}", started_at="2026-01-01T00:00:00+00:00", action="a"),
            b'{"request": {"action": "a"}}',
        )
        for n in range(count)
    )
    database.close()
    lines = run_the_app(
        tmp_path,
        "tops = app.topLevelWidgets()\n"
        "panes = [w.history_pane for w in tops if hasattr(w, 'history_pane')]\n"
        f"if panes and panes[0].model.total() == {count} and gc.isenabled():\n"
        "    kept = sum(type(o).__name__ == 'HistoryRow' for o in gc.get_objects())\n"
        "    print('listed', panes[0].model.total(), 'tracked', kept, flush=True)\n"
        "    app.quit()\n"
        "elif len(seen) > 400:\n"
        "    app.quit()\n"
        "else:\n"
        "    seen.append(1)\n"
        "    QTimer.singleShot(50, look)\n",
    )
    assert lines[-2:] == [f"listed {count} tracked 0", "0 True"], lines


def test_a_history_of_hundreds_is_listed_whole_in_the_first_frame(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """The first frame lists every entry and its count, not a first page that grows a moment
    later (the thread reading the rows for the store waits for the second stage)."""
    count = 900
    home.history_dir.mkdir(parents=True, exist_ok=True)
    database = HistoryDatabase(home.history_dir / DB_NAME)
    database.insert_many(
        (
            HistoryEntry(
                id=f"e{n:04d}", started_at=f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00"
            ),
            b'{"request": {"action": "a"}}',
        )
        for n in range(count)
    )
    database.close()
    window = make_window(shown=False, history=HistoryStore(home.history_dir, lazy=True))
    pane = window.history_pane
    assert pane.model.rowCount() == count
    assert pane.shown_entries()[0].id == f"e{count - 1:04d}"  # the newest on top
    assert pane.count_label.text() == f"{count} entries"
    window.finish_building()
    pane.wait_for_loads()
    assert pane.model.rowCount() == count and pane.count_label.text() == f"{count} entries"


def test_the_first_frame_is_drawn_without_a_style_sheet_and_looks_as_it_did(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A style sheet on any widget of the first frame costs start-up the style-sheet style's
    setup; what they drew is drawn from palettes and fonts instead: a tab's last status bold
    in its class's colour, a JSON error in red, and the banner tinted once it has something
    to say."""
    window = make_window(shown=False)
    widgets = window.findChildren(QWidget)
    assert [w.objectName() or type(w).__name__ for w in widgets if w.styleSheet()] == []
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.finish_building()
    send_example(qtbot, window)
    status = window.tabs.bar.tabButton(0, QTabBar.ButtonPosition.LeftSide)
    assert isinstance(status, QLabel) and status.text() == "200"
    assert status.font().bold()
    assert status.palette().color(QPalette.ColorRole.WindowText) == status_colour("2xx", False)
    window.editor.json_editors["body"].setPlainText("{oops")
    error = next(w for w in window.editor.findChildren(QLabel) if "Line 1" in w.text())
    assert error.palette().color(QPalette.ColorRole.WindowText).name() == "#d1242f"
    banner = window.banner
    banner.show_message("The history could not be read.")
    banner.repaint()
    tint = banner.grab().toImage().pixelColor(banner.width() // 2, 2)
    assert tint != window.palette().color(QPalette.ColorRole.Window)  # amber, not the window


def test_a_long_tab_label_is_cut_to_the_tab_width_and_whole_in_its_tooltip(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    action = "greenhouse_list_candidate_application_scorecards_for_every_interview_stage"
    window.editor.action_edit.setText(action)
    bar = window.tabs.bar
    assert bar.tabRect(0).width() <= MAX_TAB_WIDTH
    assert action in bar.tabToolTip(0)


def _two_restored_tabs(home: AppPaths) -> None:
    """A session of two tabs, the first selected; the second holds an unsaved edit."""
    first = RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    second = RpcRequest(
        action="greenhouse_list_jobs", account_id="acct_greenhouse_demo", query={"page": 2}
    )
    settings = Settings(home.settings_file)
    states = [TabState(first, {}), TabState(second, {"body": '{"half typed": '}, edited=True)]
    settings.set("open_tabs", {"tabs": [s.to_dict() for s in states], "current": 0})
    settings.save()


def _shown_before_the_second_stage(qtbot: QtBot, window: MainWindow) -> None:
    """Shown and active, its second stage and the work after its first paint not done (the
    queue is stopped: nothing is built behind the test's back)."""
    window.after_first_paint.cancel()
    window._finish_requested.disconnect()
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.focus_ring is None


def test_a_restored_tab_not_shown_is_in_the_bar_at_once_and_built_when_selected(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """Its title (action, account, the unsaved-edits mark) shows in the first frame, but not
    its widgets; Ctrl+Tab before the window's second stage shows its request whole, and
    typing there goes into it."""
    _two_restored_tabs(home)
    window = make_window(shown=False)
    second = window.tabs.tabs[1]
    assert not second.built
    assert window.tabs.bar.tabText(1) == f"greenhouse_list_jobs · acct_greenhouse_demo {DIRTY_MARK}"
    assert window.tabs.bar.tabText(0) == "bamboohr_list_employees · acct_bamboohr_demo"
    _shown_before_the_second_stage(qtbot, window)
    window.editor.action_edit.setFocus()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.current is second and second.built
    editor = window.editor
    assert editor.isVisible()
    assert editor.action_edit.text() == "greenhouse_list_jobs"
    assert editor.account_edit.text() == "acct_greenhouse_demo"
    assert json.loads(editor.json_editors["query"].toPlainText()) == {"page": 2}
    assert editor.json_editors["body"].toPlainText() == '{"half typed": '
    assert editor.base_url() == window.profile_selector.current().base_url
    assert window.tabs.bar.tabText(1).endswith(DIRTY_MARK)
    editor.action_edit.setFocus()
    qtbot.keyClick(editor.action_edit, Qt.Key.Key_End)
    qtbot.keyClicks(editor.action_edit, "_x")
    assert editor.action_edit.text() == "greenhouse_list_jobs_x"


def test_a_restored_tab_clicked_before_the_second_stage_sends_with_ctrl_enter(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    _two_restored_tabs(home)
    window = make_window(shown=False)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    bar = window.tabs.bar
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    editor = window.editor
    assert editor.action_edit.text() == "greenhouse_list_jobs"
    editor.json_editors["body"].setPlainText("{}")  # the half-typed body, finished
    editor.action_edit.setFocus()
    count = window.history_pane.model.total()
    qtbot.keyClick(editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.history_pane.model.total() == count + 1, timeout=WAIT_MS)
    assert window.history_pane.shown_entries()[0].action == "greenhouse_list_jobs"


def test_a_restored_tab_never_shown_comes_back_as_it_was_after_another_restart(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    _two_restored_tabs(home)
    window = make_window(shown=False)
    window.after_first_paint.cancel()
    window.close()  # saves the session; the second tab was never built
    assert not window.tabs.tabs[1].built
    again = make_window()
    second = again.tabs.tabs[1]
    again.tabs.select(second)
    assert again.editor.action_edit.text() == "greenhouse_list_jobs"
    assert again.editor.json_editors["body"].toPlainText() == '{"half typed": '
    assert again.tabs.bar.tabText(1).endswith(DIRTY_MARK)


def test_once_on_screen_the_window_builds_its_restored_tabs_without_being_asked(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    _two_restored_tabs(home)
    window = make_window()
    second = window.tabs.tabs[1]
    qtbot.waitUntil(lambda: second.built, timeout=WAIT_MS)
    assert window.tabs.current is window.tabs.tabs[0]  # built, not shown
    assert not second.editor.isVisible()


def test_the_first_frame_says_what_blocks_the_restored_request(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """Its fields are validated once as the window's construction ends (not at each of the
    ~10 times a field is set while it is built): the window as built already says why Send
    will not go, on the button, in the reason line and on the Body tab."""
    _two_restored_tabs(home)
    settings = Settings(home.settings_file)
    session = settings.get("open_tabs")
    session["current"] = 1  # the tab holding the half-typed body
    settings.set("open_tabs", session)
    settings.save()
    window = make_window(shown=False)
    editor = window.editor
    assert editor.action_edit.text() == "greenhouse_list_jobs"
    assert not editor.send_button.isEnabled()
    assert "Body" in editor.send_button.toolTip()
    assert editor.reason_label.text().startswith("Can't send yet. Body")
    assert not window.send_control.send_action.isEnabled()
    assert [issue.field for issue in editor.issues()] == ["body"]


def test_the_first_frame_offers_send_for_a_valid_restored_request(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """The toolbar's Send follows the request as restored, not the empty tab it was first."""
    _two_restored_tabs(home)
    window = make_window(shown=False)
    assert window.editor.action_edit.text() == "bamboohr_list_employees"
    assert window.editor.send_button.isEnabled()
    assert window.send_control.send_action.isEnabled()


def test_a_restored_tab_built_in_the_background_leaves_the_shown_tab_s_discovery_alone(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """Built once the window is up, a hidden tab's controls do not point discovery at its
    account: "Fill from schema" in the tab shown stays as it was (seen on screen: it went
    grey a moment after the window appeared)."""
    _two_restored_tabs(home)
    window = make_window()
    first, second = window.tabs.tabs
    fill = first.discovery_buttons.fill_button
    enabled = fill.isEnabled()
    assert enabled  # an action, an account, a profile: the account's tools can be asked
    second.build()
    assert window.discovery.account_id == "acct_bamboohr_demo"
    assert fill.isEnabled() == enabled


def test_copy_as_curl_works_as_the_window_appears_though_curl_is_imported_later(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The curl module is left out of start-up; its shortcut still copies at once."""
    window = make_window()
    window.editor.load_request(RpcRequest(action="bamboohr_list_employees", account_id="acct_1"))
    QGuiApplication.clipboard().setText("")
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("curl ")
    assert "bamboohr_list_employees" in copied and "acct_1" in copied
    assert "$STACKONE_API_KEY" in copied  # the key itself is never copied
