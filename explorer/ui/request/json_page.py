"""One JSON tab of the request editor (path, query, headers or body), its editor built when
first shown.

Only one of the four tabs shows at a time. Each editor costs the window's first frame its
construction (a fixed-width font, a document, a highlighter, a gutter) and its share of the
layout, ~0.5 ms apiece, so a page builds its editor when the page is first shown (a click, a
mnemonic, Ctrl+PgDown, a JSON error gone to) or when anyone asks for ``editor``. Until then
the page keeps what the editor would hold (its text, the error line, light or dark), and
whatever reads the text (validation, unsaved edits, the session) reads it from the page,
built or not. Once built, the editor is the one place the text lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.ui.widgets.json_editor import JsonEditor, pretty


class JsonPage(QWidget):
    """A JSON tab's page: its editor (built when first needed) above its error line.

    ``on_edited`` is called whenever the text changes, as the editor's ``textChanged`` would
    be; ``before`` gives the control Tab reaches just before the editor (the editor joins the
    Tab order there when it is built).
    """

    def __init__(
        self,
        error: QLabel,
        *,
        name: str,
        placeholder: str,
        on_edited: Callable[[], None],
        before: Callable[[], QWidget | None],
    ) -> None:
        super().__init__()
        self._name, self._placeholder = name, placeholder
        self._on_edited, self._before = on_edited, before
        self._editor: JsonEditor | None = None
        self._text = ""  # what the editor will show (until it is built)
        self._error_line: int | None = None
        self._dark = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(error)

    @property
    def built(self) -> JsonEditor | None:
        """The editor if it is built; what only reads or updates it leaves it unbuilt."""
        return self._editor

    @property
    def editor(self) -> JsonEditor:
        """The editor, built now if it was not yet."""
        if self._editor is None:
            self._editor = self._build()
        return self._editor

    def text(self) -> str:
        return self._editor.toPlainText() if self._editor is not None else self._text

    def set_text(self, text: str) -> None:
        """A new text, as ``setPlainText``: a new document (nothing to undo)."""
        if self._editor is not None:
            self._editor.setPlainText(text)
            return
        self._text = text
        self._on_edited()  # what the editor's textChanged says on a new text

    def set_value(self, value: object) -> None:
        """``value`` as indented JSON (empty for ``None``), as ``JsonEditor.set_value``."""
        self.set_text("" if value is None else pretty(value))

    def mark_error(self, line: int | None) -> None:
        self._error_line = line
        if self._editor is not None:
            self._editor.mark_error(line)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        if self._editor is not None:
            self._editor.set_dark(dark)

    def showEvent(self, event: QShowEvent) -> None:
        # Sent before the stack moves the focus to the page shown: the editor is there to
        # take it, as it would have been had it been built with the window.
        self.editor  # noqa: B018 - builds it
        super().showEvent(event)

    def _build(self) -> JsonEditor:
        editor = JsonEditor(self, placeholder=self._placeholder)
        editor.setAccessibleName(self._name)
        editor.setAccessibleDescription(self._placeholder)
        if self._text:
            editor.setPlainText(self._text)  # before it is connected: no edit of the user's
        editor.set_dark(self._dark)
        if self._error_line is not None:
            editor.mark_error(self._error_line)
        editor.textChanged.connect(self._on_edited)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, editor)
        previous = self._before()
        if previous is not None:
            QWidget.setTabOrder(previous, editor)
        if self.isVisible():  # being shown: now, at its place, not on the next turn
            editor.show()
            if layout is not None:
                layout.activate()
        return editor


class JsonEditors(Mapping[str, JsonEditor]):
    """The editors of ``pages`` by field name; asking for one builds it."""

    def __init__(self, pages: Mapping[str, JsonPage]) -> None:
        self._pages = pages

    def __getitem__(self, name: str) -> JsonEditor:
        return self._pages[name].editor

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)
