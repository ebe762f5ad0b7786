"""The action field's suggestions: the known action names, or a fetched catalogue's model.

Built when first needed, not with the field: when the field is first typed into, when the
window's second stage builds the tab's discovery controls (which fit the suggestions' width),
or when a catalogue or a send asks. ``QCompleter`` and ``QStringListModel`` are Qt classes
whose Python types PySide makes (with their enum classes) where a module first names them:
with the completer's construction, ~0.5 ms before the first paint, for suggestions the first
frame does not show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel, QObject, QStringListModel
    from PySide6.QtWidgets import QCompleter, QLineEdit


class ActionCompletion:
    """Suggestions for ``edit`` from names set at any time, built on first use (``completer``)."""

    def __init__(self, edit: QLineEdit, parent: QObject) -> None:
        self._edit = edit
        self._parent = parent
        self._names: list[str] = []
        self._model: QStringListModel | None = None
        self._completer: QCompleter | None = None
        edit.textEdited.connect(self._typed)

    @property
    def built(self) -> bool:
        """Whether the completer exists yet."""
        return self._completer is not None

    @property
    def completer(self) -> QCompleter:
        """The field's completer (built now if it was not)."""
        if self._completer is None:
            self._edit.textEdited.disconnect(self._typed)
            from PySide6.QtCore import QStringListModel
            from PySide6.QtWidgets import QCompleter

            self._model = QStringListModel(self._names, self._parent)
            completer = QCompleter(self._model, self._parent)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self._edit.setCompleter(completer)
            self._completer = completer
        return self._completer

    def set_names(self, names: Iterable[str]) -> None:
        """Offer these action names (each once, sorted)."""
        self._names = sorted(set(names))
        if self._model is not None:
            self._model.setStringList(self._names)

    def use_model(self, model: QAbstractItemModel | None) -> None:
        """Complete from ``model`` (e.g. a fetched catalogue); ``None``: the names again."""
        completer = self.completer  # the names' model is built with it
        wanted = self._model if model is None else model
        if wanted is not None and completer.model() is not wanted:
            completer.setModel(wanted)

    def _typed(self, _text: str) -> None:
        # Built as the first key's ``textEdited`` is emitted: QLineEdit asks its completer
        # for suggestions right after that signal, so the first key suggests too (tested).
        self.completer  # noqa: B018 - built now (it stops listening)
