"""Keys as a keyboard user presses them, and the Tab walk the window and its dialogs must allow:
every visible control once, in order, and back to the start (no trap, no skipped control)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> QWidget:
    """One key on whatever has focus (as the keyboard delivers it); returns the new focus."""
    qtbot.keyClick(focused(), key, modifier)
    return focused()


def tab_stops(top: QWidget) -> list[QWidget]:
    """Every control a keyboard user can see and Tab to in ``top`` (a window or a dialog):
    visible, enabled, taking Tab focus itself (not through another widget), not in a popup."""
    stops = []
    for widget in top.findChildren(QWidget):
        policy = widget.focusPolicy()
        if (
            widget.window() is top
            and widget.isVisible()
            and widget.isEnabled()
            and policy & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
        ):
            stops.append(widget)
    return stops


def describe(widget: QWidget) -> str:
    name = widget.accessibleName() or widget.objectName() or getattr(widget, "text", str)()
    return f"{type(widget).__name__}({name!r})"


def tab_cycle(qtbot: QtBot, *, backward: bool = False, limit: int = 150) -> list[QWidget]:
    """Press Tab (or Shift+Tab) from the current focus until it comes back; the widgets
    focused in turn, ending with the start again (or after ``limit`` presses: a trap)."""
    start = focused()
    key = Qt.Key.Key_Backtab if backward else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backward else NO_MODIFIER
    visited = []
    for _ in range(limit):
        widget = press(qtbot, key, modifier)
        visited.append(widget)
        if widget is start:
            break
    return visited


def cycle_problems(qtbot: QtBot, top: QWidget, *, backward: bool = False) -> list[str]:
    """What is wrong with Tab (or Shift+Tab) in ``top``, from the current focus: a trap,
    a control visited twice, one never reached, focus on something hidden. Empty when the
    walk covers every visible control once and comes back to the start."""
    start = focused()
    visited = tab_cycle(qtbot, backward=backward)
    problems = []
    if visited[-1] is not start:
        names = [describe(w) for w in visited[-12:]]
        problems.append(f"never came back to {describe(start)}; last stops {names}")
    stops = visited[:-1] if len(visited) > 1 else visited
    problems += [f"visited twice: {describe(w)}" for w in set(stops) if stops.count(w) > 1]
    problems += [f"never reached: {describe(w)}" for w in tab_stops(top) if w not in visited]
    problems += [f"hidden but focused: {describe(w)}" for w in visited if not w.isVisible()]
    return problems


def assert_full_cycle(qtbot: QtBot, top: QWidget) -> list[QWidget]:
    """Tab visits every visible control exactly once and returns to the start; Shift+Tab
    walks the same stops in reverse. Returns the Tab walk (ending with the start)."""
    start = focused()
    problems = cycle_problems(qtbot, top)
    assert not problems, problems
    visited = tab_cycle(qtbot)  # the same walk again, for the caller to inspect
    assert focused() is start
    back = tab_cycle(qtbot, backward=True)
    assert back[:-1] == list(reversed(visited[:-1])), "Shift+Tab is not Tab in reverse"
    return visited
