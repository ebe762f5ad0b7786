"""Notes and tags on history entries: the pane's action and the details strip (the dialog is
``note_dialog``, imported when first opened: the pane is in the first frame, the dialog not).

A support engineer marks the calls of a case ("ticket 4711", ``#customer-x``) and finds them
again later from the history filter (plain words search notes, ``#tag`` searches tags). The
store keeps them (``HistoryStore.set_note``); these widgets only show and collect them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from explorer.core.secrets import REDACTED
from explorer.store.history_entry import HistoryRow, tags_label
from explorer.ui.jobs import BlockingCall
from explorer.ui.widgets.elided_label import ElidedLabel
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from explorer.store.history import HistoryStore
    from explorer.ui.history.writer import HistoryWriter

# A key read that takes longer than this is said in the status bar (a locked keyring's prompt).
SLOW_READ_MS = 300


class NoteEditor(QObject):
    """The history pane's "Note and tags…": asks for the current entry's (``note_dialog``) and
    keeps them on the history's writer thread, after the adds queued before (one writer).

    The secrets the window knows are hidden in the note and tags before they are written
    (``core.secrets``): the API keys (``keys``) and the secret values sent this session
    (``remember``). ``keys`` may read the keyring, and a locked one waits for its password
    prompt for as long as it stays open: it is called on a daemon thread of its own
    (``BlockingCall``), never on the UI thread nor on the history's writer thread, whose
    queue closing the window waits for. Notes saved meanwhile wait for it, in order; one
    still waiting when the window closes is not kept (it may hold a key it could not hide).

    Signals:
        saved(object): the entry's new ``HistoryRow``, once written.
        failed(str): why the note could not be kept.
        message(str): a status-bar text: saved, and whether a secret was hidden.
    """

    saved = Signal(object)
    failed = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        store: HistoryStore,
        writer: HistoryWriter,
        current: Callable[[], HistoryRow | None],
        keys: Callable[[], Iterable[str]] | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._store, self._writer, self._current, self._parent = store, writer, current, parent
        self._keys = keys
        self._reading_keys = BlockingCall(self)
        self._waiting: list[Callable[[list[str]], None]] = []  # saves waiting for the keys
        # Replaced, never changed in place: the writer thread reads it.
        self._sent: frozenset[str] = frozenset()
        self.action = QAction("Note and tags…", parent)
        self.action.setToolTip(
            "Write a note and tags on the selected entry (F2; find them again: #tag in the filter)"
        )
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        # Only where the entry is chosen: the list (the collections pane has its own F2).
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.action.triggered.connect(self.edit)

    def edit(self) -> None:
        entry = self._current()
        if entry is None:
            return
        from explorer.ui.history.note_dialog import NoteDialog  # see the module's docstring

        dialog = NoteDialog(entry, self._parent)
        if run_modal(dialog):
            self.save(entry.id, dialog.note(), dialog.tags())

    def remember(self, secrets: Iterable[str]) -> None:
        """Secret values that went into an exchange of this session: hidden in notes too."""
        self._sent = self._sent.union(secrets)

    @property
    def waiting(self) -> bool:
        """A note waits for the keys to hide in it (the keyring is being read)."""
        return bool(self._waiting)

    def save(self, entry_id: str, note: str, tags: tuple[str, ...]) -> None:
        """Keep an entry's note and tags, once the keys to hide are read; ``saved`` follows
        with its row."""
        self._waiting.append(lambda keys: self._queue(entry_id, note, tags, keys))
        if self._reading_keys.busy:
            return
        keys = self._keys
        if keys is None:
            self._keys_read([])
            return
        self._reading_keys.start(lambda: list(keys()), self._keys_read)
        QTimer.singleShot(SLOW_READ_MS, self, self._say_reading)

    def _say_reading(self) -> None:
        if self._waiting:
            self.message.emit("Reading the API keys from the OS keyring, to hide them in the note…")

    def stop(self) -> None:
        """The window closes: a key read still waiting is abandoned (its thread holds nothing
        up), and the notes waiting for it are not kept."""
        self._reading_keys.cancel()
        self._waiting.clear()

    def _keys_read(self, keys: object) -> None:
        waiting, self._waiting = self._waiting, []
        if not isinstance(keys, list):  # the keyring failed: no key can be hidden, none kept
            self.failed.emit(
                f"Could not save the note: the API keys to hide could not be read: {keys}"
            )
            return
        for queue in waiting:
            queue([str(key) for key in keys if key])

    def _queue(self, entry_id: str, note: str, tags: tuple[str, ...], keys: list[str]) -> None:
        """On the history's writer thread, after the adds queued before (one writer)."""
        typed = (note.strip(), tags)
        secrets = [*keys, *self._sent]

        def work() -> HistoryRow:
            return self._store.set_note(entry_id, note, tags, secrets=secrets)

        def done(row: HistoryRow | None, error: Exception | None) -> None:
            if row is None:
                self.failed.emit(f"Could not save the note: {error}")
                return
            self.saved.emit(row)
            if (row.note, row.tags) != typed:
                self.message.emit(
                    "Saved the note and tags; a secret in them was hidden (it reads "
                    f"{REDACTED}): secrets stay in the keyring"
                )
            else:
                self.message.emit("Saved the note and tags")

        self._writer.run(work, done)


class NoteStrip(QWidget):
    """Under the list: the current entry's tags and its note's first line, and a button to
    edit them. Always two lines high (long text is cut, whole in the tooltip), so choosing an
    entry never moves the list."""

    def __init__(self, edit_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tags_label = ElidedLabel()
        self.note_label = ElidedLabel()
        for label in (self.tags_label, self.note_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QToolButton()
        self.button.setDefaultAction(edit_action)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lines = QVBoxLayout()
        lines.setSpacing(0)
        lines.addWidget(self.tags_label)
        lines.addWidget(self.note_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(lines, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName("Note")
        self.show_entry(None)

    def text(self) -> str:
        """The two lines as shown (for tests and screen readers)."""
        return "\n".join(filter(None, [self.tags_label.text(), self.note_label.text()]))

    def show_entry(self, entry: HistoryRow | None) -> None:
        """Show ``entry``'s tags and note, or say there is none."""
        if entry is None:
            tags, note, whole = "", "No entry selected", ""
        elif not (entry.tag_text or entry.note):
            tags, note, whole = "", "No note", ""
        else:
            first, _newline, more = entry.note.partition("\n")
            tags, note = tags_label(entry.tags), first + (" …" if more.strip() else "")
            whole = "\n".join(filter(None, [tags, entry.note]))
        self.tags_label.setText(tags)
        self.note_label.setText(note)
        quiet = QPalette.ColorRole.PlaceholderText
        self.note_label.setForegroundRole(quiet if not whole else QPalette.ColorRole.WindowText)
        for label in (self.tags_label, self.note_label):
            label.setToolTip(whole)  # the whole note, not the cut line
        self.setAccessibleDescription(whole or note)
