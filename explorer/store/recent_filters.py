"""The filter expressions used lately, per action: what the filter box offers again.

Kept in the settings file (``recent_filters``: ``{action: [{"language", "expression"}...]}``,
newest first). An expression is no secret, but it may name a person
(``$.data[?@.email == '...']``): it stays on this machine like the history, and is never in a
collection or an export.
"""

from __future__ import annotations

from typing import Any

from explorer.core.errors import ExplorerError
from explorer.store.settings import Settings

SETTING = "recent_filters"
PER_ACTION = 20
ACTIONS = 200  # actions remembered; the least recently filtered go first
MAX_LENGTH = 2000  # an expression longer than this is not worth offering again


class RecentFilters:
    """Recent ``(language, expression)`` pairs per action, saved in ``settings`` at once."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _all(self) -> dict[str, list[tuple[str, str]]]:
        stored = self._settings.get(SETTING)
        if not isinstance(stored, dict):
            return {}
        out: dict[str, list[tuple[str, str]]] = {}
        for action, items in stored.items():
            if isinstance(action, str) and isinstance(items, list):
                out[action] = [pair for pair in map(_pair, items) if pair is not None]
        return out

    def for_action(self, action: str) -> list[tuple[str, str]]:
        """``(language, expression)`` pairs used with ``action``, newest first."""
        return self._all().get(action.strip(), [])

    def remember(self, action: str, language: str, expression: str) -> str | None:
        """Put the pair first for ``action``; returns why it could not be saved, else None."""
        from explorer.core.filters import LANGUAGES  # (~3 ms: not at the window's start-up)

        expression = expression.strip()
        if not expression or len(expression) > MAX_LENGTH or language not in LANGUAGES:
            return None
        every = self._all()
        key = action.strip()
        kept = [p for p in every.pop(key, []) if p != (language, expression)]
        every[key] = [(language, expression), *kept][:PER_ACTION]
        # Newest action last in the file: the oldest are at the front, dropped first.
        names = list(every)[-ACTIONS:]
        self._settings.set(
            SETTING,
            {
                name: [{"language": lang, "expression": text} for lang, text in every[name]]
                for name in names
            },
        )
        try:
            self._settings.save()
        except (OSError, ExplorerError, TypeError, ValueError) as exc:
            return f"The recent filters could not be saved: {exc}"
        return None


def _pair(item: Any) -> tuple[str, str] | None:
    from explorer.core.filters import LANGUAGES

    if not isinstance(item, dict):
        return None
    language, expression = item.get("language"), item.get("expression")
    if language in LANGUAGES and isinstance(expression, str) and expression.strip():
        return language, expression
    return None
