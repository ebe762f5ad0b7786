"""The window icon: the same in the title bar and the taskbar, and cheap to start with.

Under X11 the window manager draws the title bar's and the taskbar's icon from the window's
``_NET_WM_ICON``, which Qt fills from the window icon. The icon is drawn from
``resources/icons/stackone-explorer.svg``; at a scale of 1 the PNGs drawn from it beside it
give the window manager the same bytes without Qt's SVG plugin loaded at start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication

from explorer.resources import resource_path
from explorer.ui.app import X11_ICON_SIZES, app_icon

pytestmark = pytest.mark.gui

# The sizes Qt's X11 platform asks a scalable icon for (qxcbwindow.cpp, ``setWindowIcon``).
XCB_DEFAULT_SIZES = (16, 32, 64, 128)


def sent_to_x11(icon: QIcon) -> list[tuple[int, int, bytes]]:
    """What Qt's X11 platform puts in the window's ``_NET_WM_ICON`` for ``icon``: each of its
    sizes (a scalable icon: ``XCB_DEFAULT_SIZES``) drawn, as 32-bit ARGB."""
    sizes = icon.availableSizes() or [QSize(side, side) for side in XCB_DEFAULT_SIZES]
    sent = []
    for size in sizes:
        image = icon.pixmap(size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        sent.append((image.width(), image.height(), bytes(image.constBits())))
    return sent


def test_under_x11_the_window_manager_gets_the_icon_drawn_from_the_svg(
    qapp: QApplication,
) -> None:
    assert qapp.devicePixelRatio() == 1.0
    svg = QIcon(str(resource_path("icons", "stackone-explorer.svg")))
    icon = app_icon(x11_sizes=True)
    assert icon is not None
    assert [size.width() for size in icon.availableSizes()] == list(X11_ICON_SIZES)
    drawn = sent_to_x11(svg)
    assert [(width, height) for width, height, _ in drawn] == [(s, s) for s in XCB_DEFAULT_SIZES]
    assert sent_to_x11(icon) == drawn


def test_elsewhere_the_icon_is_drawn_from_the_svg_at_any_size(qapp: QApplication) -> None:
    """Other platforms and scales ask for sizes between (a 24 px title bar at 150 %)."""
    icon = app_icon()
    assert icon is not None
    svg = QIcon(str(resource_path("icons", "stackone-explorer.svg")))
    for side in (20, 24, 48, 256):
        assert icon.pixmap(side).toImage() == svg.pixmap(side).toImage()


def test_the_first_frame_is_painted_without_qt_s_svg_plugin(tmp_path: Path) -> None:
    """Loading it (and Qt's SVG library) costs the start ~0.4 ms; the real entry point, to its
    first paint (``--smoke``, offscreen), loads neither, and its window has the icon."""
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        import explorer.__main__ as entry
        code = entry.main(["--smoke", "--home", sys.argv[1]])
        with open("/proc/self/maps") as maps:
            loaded = maps.read()
        icon = QApplication.instance().windowIcon()
        svg = [name for name in ("libqsvgicon", "libQt6Svg") if name in loaded]
        print(code, svg, icon.isNull())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "home")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "0 [] False"
