"""The preferences' values (``Preferences``) and their keys in the settings file.

Apart from the dialog that edits them (``dialog``, imported when first opened): the window
reads them as it starts, and PySide makes a Qt class's Python type (with all its enum
classes: ``QDialog``, ``QSpinBox``, ``QDialogButtonBox``...) where a module first names it.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.limits import DEFAULT_BODY_LIMIT, DEFAULT_HISTORY_BUDGET
from explorer.core.request import DEFAULT_TIMEOUT
from explorer.store.history import DEFAULT_LIMIT
from explorer.store.settings import Settings

# Settings keys (the file is ``settings.json`` in the config folder; never a secret).
HISTORY_LIMIT = "history_limit"
DEFAULT_TIMEOUT_KEY = "default_timeout"
AUTO_RETRY = "auto_retry"
THEME = "theme"
BODY_LIMIT = "body_limit"
HISTORY_BUDGET = "history_budget"
GUARD_TEST_ACCOUNTS = "guard_test_accounts"
OPEN_IN_NEW_TAB = "open_in_new_tab"

THEMES: tuple[tuple[str, str], ...] = (
    ("system", "Follow the system"),
    ("light", "Light"),
    ("dark", "Dark"),
)
MAX_HISTORY = 100_000
MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 600.0


@dataclass
class Preferences:
    """The user's choices, validated: a hand-edited settings file cannot break the window."""

    history_limit: int = DEFAULT_LIMIT
    default_timeout: float = DEFAULT_TIMEOUT
    auto_retry: bool = False
    theme: str = "system"
    body_limit: int = DEFAULT_BODY_LIMIT  # bytes (see explorer.core.limits)
    history_budget: int = DEFAULT_HISTORY_BUDGET  # bytes
    # The production guard's question for test accounts (inactive ones): production accounts
    # and accounts of unknown type are always asked about.
    guard_test_accounts: bool = True
    # Opening a saved request or a history entry that is not open yet: a new tab, or the
    # current tab (when it has no unsaved edits and nothing in flight).
    open_in_new_tab: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Preferences:
        limit = settings.get(HISTORY_LIMIT)
        timeout = settings.get(DEFAULT_TIMEOUT_KEY)
        theme = settings.get(THEME)
        return cls(
            history_limit=limit
            if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0
            else DEFAULT_LIMIT,
            default_timeout=float(timeout)
            if isinstance(timeout, int | float)
            and not isinstance(timeout, bool)
            and MIN_TIMEOUT <= timeout <= MAX_TIMEOUT
            else DEFAULT_TIMEOUT,
            auto_retry=settings.get(AUTO_RETRY) is True,
            theme=theme if theme in {key for key, _label in THEMES} else "system",
            # The settings store validates both (type and range).
            body_limit=settings.get(BODY_LIMIT),
            history_budget=settings.get(HISTORY_BUDGET),
            guard_test_accounts=settings.get(GUARD_TEST_ACCOUNTS) is not False,
            open_in_new_tab=settings.get(OPEN_IN_NEW_TAB) is not False,
        )

    def store(self, settings: Settings) -> None:
        """Put the values into ``settings`` (the caller saves)."""
        settings.set(HISTORY_LIMIT, self.history_limit)
        settings.set(DEFAULT_TIMEOUT_KEY, self.default_timeout)
        settings.set(AUTO_RETRY, self.auto_retry)
        settings.set(THEME, self.theme)
        settings.set(BODY_LIMIT, self.body_limit)
        settings.set(HISTORY_BUDGET, self.history_budget)
        settings.set(GUARD_TEST_ACCOUNTS, self.guard_test_accounts)
        settings.set(OPEN_IN_NEW_TAB, self.open_in_new_tab)

    def forced_dark(self) -> bool | None:
        """``apply_theme``'s ``dark`` argument: ``None`` follows the system."""
        return {"light": False, "dark": True}.get(self.theme)
