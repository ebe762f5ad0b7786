"""The app's small preferences file (window layout, last request, history size...).

Never a secret: API keys live in the OS keyring (see ``credentials.py``). A damaged file must
not stop the app from starting, so loading falls back to defaults and says why in
``load_error``; the damaged file is kept beside as ``settings.json.corrupt`` on the next save.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from explorer.core.limits import (
    DEFAULT_BODY_LIMIT,
    DEFAULT_HISTORY_BUDGET,
    MAX_BODY_LIMIT,
    MB,
    MIN_BODY_LIMIT,
)
from explorer.core.request import DEFAULT_TIMEOUT, MAX_TIMEOUT, timeout_seconds
from explorer.store.files import dump_json, load_store_file, save_store_file

# Values used when the file has none (or a value of the wrong type).
DEFAULTS: dict[str, Any] = {
    "history_limit": 1000,
    "auto_retry": False,
    "default_timeout": DEFAULT_TIMEOUT,
    "theme": "system",
    "body_limit": DEFAULT_BODY_LIMIT,
    "history_budget": DEFAULT_HISTORY_BUDGET,
}
# Counts and sizes a hand-edited file may set (a 400-digit number must not reach Qt's ints).
MAX_COUNT = 1_000_000
SIZE_KEYS: dict[str, tuple[int, int]] = {
    "body_limit": (MIN_BODY_LIMIT, MAX_BODY_LIMIT),  # bytes held in memory (core/limits.py)
    "history_budget": (10 * MB, 1024 * 1024 * MB),  # bytes the history keeps on disk
}
# The appearances the Preferences offer: follow the desktop, or force one palette.
THEMES = frozenset({"system", "light", "dark"})

# The well-known keys and the JSON type each must have. A hand-edited file with a wrong type
# (``"history_limit": "lots"`` or ``-5``) reads as the default instead of crashing the UI later.
KNOWN_TYPES: dict[str, type | tuple[type, ...]] = {
    "history_limit": int,
    "last_profile": str,
    "last_request": dict,
    "window_geometry": str,
    "window_state": str,
    "splitters": dict,
    "auto_retry": bool,
    "active_environment": str,
    "default_timeout": (int, float),  # seconds, > 0
    "theme": str,  # one of THEMES
    "body_limit": int,
    "history_budget": int,
    "recent_filters": dict,  # store/recent_filters.py: {action: [{language, expression}]}
    "open_tabs": dict,
    "open_in_new_tab": bool,
}


def _is_valid(key: str, value: Any) -> bool:
    expected = KNOWN_TYPES.get(key)
    if expected is None:
        return True
    if isinstance(value, bool) and expected is not bool:
        return False  # JSON true is not a number of entries
    if key == "history_limit":
        return isinstance(value, int) and 0 <= value <= MAX_COUNT
    if key in SIZE_KEYS:
        low, high = SIZE_KEYS[key]
        return isinstance(value, int) and low <= value <= high
    if key == "default_timeout":
        # JSON has no infinity, but Python's reader accepts ``Infinity``/``NaN`` by hand.
        seconds = timeout_seconds(value)
        return seconds is not None and seconds <= MAX_TIMEOUT
    if key == "theme":
        return isinstance(value, str) and value in THEMES
    return isinstance(value, expected)


class Settings:
    """A JSON object of preferences, loaded once and saved explicitly.

    Attributes:
        path: the settings file.
        load_error: why the file could not be used (defaults are in effect), else ``None``.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        # A session on a home it cannot write (the user agreed): ``save`` keeps nothing.
        self.read_only = read_only
        self.load_error: str | None = None
        self._values: dict[str, Any] = {}
        self._damaged = False
        loaded = load_store_file(self.path)
        if loaded.error is not None:
            self.load_error = (
                f"The settings file could not be read, so defaults are used: {loaded.error}."
            )
            if loaded.damaged:
                self._damaged = True
                self.load_error += f" The damaged file will be kept as {self.path.name}.corrupt."
            return
        self._values = loaded.data
        wrong = sorted(key for key, value in self._values.items() if not _is_valid(key, value))
        if wrong:
            # The next save may replace them: keep the file as the person left it first.
            self._damaged = True
            self.load_error = (
                f"Some settings in {self.path} have values the explorer cannot use, so their "
                f"defaults are used: {', '.join(wrong)}. The file will be kept as "
                f"{self.path.name}.corrupt when the settings are next saved."
            )

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value, else ``default``, else the built-in default for well-known keys.

        Mutable values are copies: change them and ``set()`` them back.
        """
        if key in self._values and _is_valid(key, self._values[key]):
            return copy.deepcopy(self._values[key])
        if default is not None:
            return default
        return copy.deepcopy(DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        """Change a value in memory; ``None`` removes the key. Call ``save()`` to persist."""
        if value is None:
            self._values.pop(key, None)
        else:
            self._values[key] = copy.deepcopy(value)

    def save(self) -> None:
        """Write the file atomically.

        Raises:
            TypeError/ValueError: a value cannot be written as JSON (the file is unchanged).
            StoreFileError: the disk refused the write (the file is unchanged).
        """
        text = dump_json(self._values)
        if self.read_only:
            return
        save_store_file(self.path, text, damaged=self._damaged)
        self._damaged = False
