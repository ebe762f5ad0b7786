"""Light and dark follow the system, for the widgets and for highlighted JSON."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from pygments.styles import get_style_by_name
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory
from pytestqt.qtbot import QtBot

from explorer.ui import theme

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The shared application, put back exactly as it was after each test."""
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    override = qapp.property(theme._OVERRIDE_PROPERTY)
    yield qapp
    qapp.setProperty(theme._OVERRIDE_PROPERTY, override)
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.fixture
def owner() -> Iterator[QObject]:
    """Parent for watchers, so they stop listening when the test ends."""
    holder = QObject()
    yield holder
    del holder  # owned by Python: deleting it deletes the watchers and their connections


def window_lightness(app: QApplication) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


def test_is_dark_follows_a_dark_palette_set_on_the_app(app: QApplication) -> None:
    if app.styleHints().colorScheme() != Qt.ColorScheme.Unknown:
        pytest.skip("the platform reports a colour scheme, which wins over the palette")
    app.setPalette(theme.light_palette())
    assert theme.is_dark(app) is False
    app.setPalette(theme.dark_palette())
    assert theme.is_dark(app) is True
    assert theme.is_dark() is True  # the running application by default


def test_the_light_palette_is_fusion_s_own(app: QApplication) -> None:
    """Written out so the app never asks for a QStyle before its first paint; it must stay
    the style's own palette, colour for colour."""
    assert theme.light_palette() == QStyleFactory.create("Fusion").standardPalette()


def test_an_app_made_with_fusion_s_arguments_is_fusion_and_follows_the_system(
    app: QApplication,
) -> None:
    """``explorer.ui.app`` makes its application with ``FUSION_ARGUMENTS`` and marks it, so
    ``apply_theme`` need not ask the style; in a process of its own."""
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        from explorer.ui import theme
        app = QApplication([sys.argv[0], *theme.FUSION_ARGUMENTS])
        app.setProperty(theme.FUSION_PROPERTY, True)
        app.setPalette(theme.dark_palette())  # what a dark desktop hands us
        theme.apply_theme(app)
        print(app.style().name().lower(), theme.is_dark(app))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["fusion", "True"]


def test_apply_theme_uses_fusion_and_the_system_choice(app: QApplication) -> None:
    app.setPalette(theme.dark_palette())  # what a dark desktop hands us
    theme.apply_theme(app)
    assert app.style().name().lower() == "fusion"
    assert window_lightness(app) < 128
    assert theme.is_dark(app)


def test_apply_theme_can_force_light_or_dark(app: QApplication) -> None:
    theme.apply_theme(app, dark=True)
    assert theme.is_dark(app) and window_lightness(app) < 128
    theme.apply_theme(app, dark=False)
    assert not theme.is_dark(app) and window_lightness(app) > 128


def test_dark_palette_keeps_text_readable() -> None:
    palette = theme.dark_palette()
    role = QPalette.ColorRole
    for background, text in ((role.Window, role.WindowText), (role.Base, role.Text)):
        gap = palette.color(text).lightness() - palette.color(background).lightness()
        assert gap > 150
    disabled = palette.color(QPalette.ColorGroup.Disabled, role.Text).lightness()
    assert palette.color(role.Base).lightness() < disabled < palette.color(role.Text).lightness()


def test_pygments_style_follows_dark_and_light() -> None:
    dark, light = theme.pygments_style(True), theme.pygments_style(False)
    assert dark != light
    dark_bg = get_style_by_name(dark).background_color.lstrip("#")
    light_bg = get_style_by_name(light).background_color.lstrip("#")
    assert int(dark_bg[:2], 16) < 0x80 < int(light_bg[:2], 16)


def test_status_colours_differ_by_class() -> None:
    for dark in (True, False):
        colours = {theme.status_colour(c, dark).name() for c in ("2xx", "4xx", "5xx", "none")}
        assert len(colours) == 4


def test_watcher_reapplies_and_reports_a_system_flip(
    qtbot: QtBot, app: QApplication, owner: QObject
) -> None:
    theme.apply_theme(app, dark=False)
    theme.apply_theme(app)  # back to following the system, light for now
    app.setPalette(theme.light_palette())
    watcher = theme.ThemeWatcher(app, owner)
    hints = app.styleHints()
    with qtbot.waitSignal(watcher.changed) as blocker:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform does on a flip
    assert blocker.args == [True]
    assert window_lightness(app) < 128
    with qtbot.assertNotEmitted(watcher.changed):
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # no flip, no signal
    with qtbot.waitSignal(watcher.changed) as blocker:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert blocker.args == [False]
    assert window_lightness(app) > 128


def test_watcher_leaves_a_forced_theme_alone(
    qtbot: QtBot, app: QApplication, owner: QObject
) -> None:
    theme.apply_theme(app, dark=True)
    watcher = theme.ThemeWatcher(app, owner)
    with qtbot.assertNotEmitted(watcher.changed):
        app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_lightness(app) < 128
