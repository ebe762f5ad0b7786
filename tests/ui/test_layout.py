"""The window's code is grouped by feature, and its tests mirror the grouping (issue 10).

``explorer/ui/<feature>/`` holds one feature (request, response, history, collections ...),
``tests/ui/<feature>/`` its tests: a feature folder without tests, or tests for a folder
that is gone, means one of them moved without the other.
"""

from __future__ import annotations

from pathlib import Path

import explorer.ui

UI = Path(explorer.ui.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent


def _folders(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}


def test_every_feature_folder_has_a_test_folder_and_back() -> None:
    features = {name for name in _folders(UI) if (UI / name / "__init__.py").is_file()}
    assert {"request", "response", "history", "collections", "mainwindow"} <= features
    assert _folders(TESTS) == features
