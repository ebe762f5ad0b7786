"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every call of a Qt method
returning ``void`` (``setText``, ``processEvents``...), and to ``True``/``False`` on bool
returns. The window makes thousands of such calls, so after a while Python aborts with
"Fatal Python error: none_dealloc" - a crash at a random moment, in the app and in tests.
This test fails clearly instead, naming the cause.
"""

from __future__ import annotations

import sys

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication, QLabel

pytestmark = pytest.mark.gui


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12 (PEP 683): its count never moves, so this "
    "cannot fail there (nor can the crash it guards against happen)",
)
def test_void_qt_calls_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < 50, (
        f"PySide6 {pyside_version} loses a reference to None on every void call "
        f"({lost} lost in 200 calls): the app would crash with 'none_dealloc'. "
        "Use a PySide6-Essentials version without this bug (6.11.x works; 6.12.0 does not)."
    )
