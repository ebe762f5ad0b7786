"""Find the bundled ``resources/`` folder (icons, the OpenAPI spec, desktop metadata).

The same files live in three places depending on how the app was installed, and callers should
not care which:

- a source checkout (or an editable install): ``<repo>/resources``, beside the package;
- a wheel (``pip``/``pipx install``): hatch copies ``resources`` into the package as
  ``explorer/resources`` (see ``force-include`` in ``pyproject.toml``);
- a PyInstaller bundle: the spec copies it to ``explorer/resources`` under ``sys._MEIPASS``.

No Qt here: the CLI runner and the demo server use the spec file too.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    """Where ``resources/`` may be, most specific first."""
    candidates: list[Path] = []
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle_dir:
        candidates.append(Path(bundle_dir) / "explorer" / "resources")
    candidates.append(_PACKAGE_DIR / "resources")  # wheel install
    candidates.append(_PACKAGE_DIR.parent / "resources")  # source checkout
    return candidates


@cache
def resources_root() -> Path:
    """Return the folder that holds the app's resources.

    Raises:
        FileNotFoundError: when no candidate exists, which means a broken install; the message
            lists the places searched so the user can reinstall or report it.
    """
    candidates = _candidates()
    for candidate in candidates:
        # The icon folder is the marker: a stray unrelated ``resources`` folder lacks it.
        if (candidate / "icons").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"The app's resources folder is missing (looked in: {searched}). "
        "Reinstall StackOne RPC Explorer."
    )


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. ``resource_path("icons", "x.svg")``.

    The file itself is not checked, so callers can test for optional files with ``exists()``.

    Raises:
        FileNotFoundError: when the resources folder itself cannot be found.
    """
    return resources_root().joinpath(*parts)
