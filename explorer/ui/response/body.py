"""A response body's Pretty and Raw pages, and the work that fills them off the UI thread.

Rendering must never freeze the window, even for a 10 MB body. Small bodies are formatted at
once. Larger ones are formatted in the helper process (``run_in_process``, driven by a
``RenderJob`` on the thread pool: a process shares no GIL with the window) while a
"Formatting…" note shows. Pretty text up to ``RICH_TEXT_LIMIT`` characters is highlighted in
a ``QTextEdit``; beyond that, and Raw beyond ``PLAIN_TEXT_LIMIT``, the text shows in a
``LinesView`` (rows drawn and coloured only when on screen; long lines cut every
``DISPLAY_WIDTH`` characters for display only), where Find searches the Python string.

A small body just sent is formatted and highlighted on the send's own pool thread
(``prepare_small``, the exchange's ``prepare``): the UI thread only sets the HTML. Raw's text
is set when Raw is first looked at, or just after the Pretty page's paint (``fill_raw``).
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.render import (
    HIGHLIGHT_LIMIT,
    BodyLayout,
    FileLines,
    TextLines,
    json_colours,
    layout_body,
)
from explorer.core.response import RpcResponse, is_text_type
from explorer.core.units import human_size
from explorer.ui.jobs import RenderJob
from explorer.ui.response.lines_view import LinesView
from explorer.ui.widgets.json_editor import monospace_font

SYNC_RENDER_LIMIT = 64 * 1024  # bodies up to this size are formatted without a thread hop
# Up to this many characters Pretty is highlighted in a QTextEdit; ``setHtml`` costs the UI
# thread about 1 ms per 10 KB of text (a QPlainTextEdit about half that).
RICH_TEXT_LIMIT = min(HIGHLIGHT_LIMIT, 100_000)
PLAIN_TEXT_LIMIT = SYNC_RENDER_LIMIT  # Raw over this many characters goes to a LinesView


class _Rendered:
    """What the view shows of one body: Raw's text, the Pretty text with its HTML (small) or
    its display lines (big), and Raw's display lines when Raw is too big for a text edit.
    ``source`` is the response it was made from (a result prepared on another thread is
    used only for that response, in the theme it was made for)."""

    def __init__(
        self,
        layout: BodyLayout,
        raw: str,
        *,
        is_json: bool,
        dark: bool,
        source: RpcResponse | None = None,
    ) -> None:
        self.source = source
        self.dark = dark
        self.raw = raw
        self.pretty = layout.pretty if layout.pretty is not None else raw
        self.html = layout.html
        self.pretty_lines = (
            TextLines.build(self.pretty, layout.pretty_index) if layout.pretty_index else None
        )
        self.raw_lines = TextLines.build(raw, layout.raw_index) if layout.raw_index else None
        self.colours = json_colours(dark) if is_json else None


def _small_layout(response: RpcResponse, dark: bool) -> BodyLayout:
    return layout_body(
        response.body,
        response.encoding,
        is_json=response.kind == "json",
        dark=dark,
        rich_limit=RICH_TEXT_LIMIT,
        plain_limit=PLAIN_TEXT_LIMIT,
    )


def prepare_small(response: RpcResponse | None, dark: bool) -> _Rendered | None:
    """Format and highlight a small text body (what ``BodyPages.show`` would do at once), on
    any thread: it touches no widget. ``None`` for anything ``show`` does otherwise."""
    if (
        response is None
        or response.over_limit
        or response.kind in ("binary", "empty")
        or response.size > SYNC_RENDER_LIMIT
    ):
        return None
    layout = _small_layout(response, dark)
    is_json = response.kind == "json"
    return _Rendered(layout, response.text(), is_json=is_json, dark=dark, source=response)


class BodyPages(QObject):
    """The Pretty page (highlighted, plain, lines, or a file's description) and the Raw page.

    Signals:
        rendered(): a body formatted off the UI thread is on its pages now.
        save_requested(): "Save as…" was pressed on a file's (or a too big body's) page.
    """

    rendered = Signal()
    save_requested = Signal()

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._generation = 0
        self._jobs: dict[int, QObject] = {}  # generation -> the job's signals, until done
        self._raw_pending: str | None = None  # Raw's text, until Raw is looked at (fill_raw)
        self.pretty_rich = text_edit()
        self.pretty_plain = plain_edit()
        self.pretty_lines = LinesView()
        self.binary_page = QWidget()
        self.binary_label = QLabel()
        self.binary_label.setWordWrap(True)
        self.binary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save as…")
        self.save_button.clicked.connect(self.save_requested)
        binary_layout = QVBoxLayout(self.binary_page)
        binary_layout.addWidget(self.binary_label)
        binary_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        binary_layout.addStretch(1)
        self.pretty_stack = QStackedWidget()
        for widget in (self.pretty_rich, self.pretty_plain, self.pretty_lines, self.binary_page):
            self.pretty_stack.addWidget(widget)
        self.raw_view = plain_edit()
        self.raw_lines = LinesView()
        self.raw_stack = QStackedWidget()
        self.raw_stack.addWidget(self.raw_view)
        self.raw_stack.addWidget(self.raw_lines)
        for view, name, description in (
            (self.pretty_rich, "Response body", "Formatted and highlighted"),
            (self.pretty_plain, "Response body", "Formatted"),
            (self.pretty_lines, "Response body", "Formatted; a long body, one row per line"),
            (self.raw_view, "Raw response body", "Exactly as received"),
            (self.raw_lines, "Raw response body", "Exactly as received, one row per line"),
        ):
            view.setAccessibleName(name)
            view.setAccessibleDescription(description)

    def tab_chain(self) -> list[QWidget]:
        return [
            self.pretty_rich,
            self.pretty_plain,
            self.pretty_lines,
            self.save_button,
            self.raw_view,
            self.raw_lines,
        ]

    def invalidate(self) -> None:
        """What is being formatted is no longer wanted: its result will be dropped."""
        self._generation += 1

    def show_text(self, pretty: str, raw: str = "") -> None:
        """Plain words instead of a body (a failure before any response)."""
        self.invalidate()
        self.set_pretty_plain(pretty)
        self.set_raw_plain(raw)

    def show(
        self, response: RpcResponse, *, dark: bool, body_limit: int, prepared: object = None
    ) -> None:
        """Fill both pages from ``response``; big bodies on the pool (``rendered`` follows).

        ``prepared`` is ``prepare_small``'s result, made on another thread: used when it is of
        this response and theme.
        """
        self.invalidate()
        if (
            isinstance(prepared, _Rendered)
            and prepared.source is response
            and prepared.dark == dark
        ):
            self._apply(prepared)
            return
        if response.over_limit and response.kind != "binary":
            self._show_from_disk(response, body_limit)
        elif response.kind == "binary":
            self._show_file(response)
        elif response.kind == "empty":
            self.set_pretty_plain("(empty body)")
            self.set_raw_plain("")
        else:
            self._show_text(response, dark)

    def pretty_text(self) -> str:
        """What the Pretty tab currently shows, as plain text (for tests and copying)."""
        widget = self.pretty_stack.currentWidget()
        if widget is self.pretty_rich:
            return self.pretty_rich.toPlainText()
        if widget is self.pretty_plain:
            return self.pretty_plain.toPlainText()
        if widget is self.pretty_lines:
            return self.pretty_lines.text()
        return self.binary_label.text()

    def raw_text(self) -> str:
        """What the Raw tab currently shows, as plain text."""
        self.fill_raw()
        if self.raw_stack.currentWidget() is self.raw_lines:
            return self.raw_lines.text()
        return self.raw_view.toPlainText()

    def is_rendering(self) -> bool:
        return bool(self._jobs)

    def set_pretty_plain(self, text: str) -> None:
        self.pretty_plain.setPlainText(text)
        self.pretty_stack.setCurrentWidget(self.pretty_plain)

    def set_raw_plain(self, text: str) -> None:
        self._raw_pending = None
        self.raw_view.setPlainText(text)
        self.raw_stack.setCurrentWidget(self.raw_view)

    def fill_raw(self) -> None:
        """Put Raw's text in its view if it is still waiting (Raw shown, or after a paint)."""
        if self._raw_pending is not None:
            self.set_raw_plain(self._raw_pending)

    def _show_file(self, response: RpcResponse) -> None:
        textual = is_text_type(response.content_type)  # a text file also reads in Raw
        name = response.filename or "(no file name given)"
        what = "Text file" if textual else "File" if response.filename else "Binary response"
        self.binary_label.setText(
            f"<b>{what}</b><br>Type: {escape(response.content_type or 'unknown')}"
            f"<br>Size: {human_size(response.size)} ({response.size} bytes)"
            f"<br>File name: {escape(name)}"
        )
        self.pretty_stack.setCurrentWidget(self.binary_page)
        readable = textual and response.size <= PLAIN_TEXT_LIMIT
        self.set_raw_plain(
            response.text()
            if readable
            else f"{human_size(response.size)} of {'text' if textual else 'binary data'} "
            f"({response.content_type}). Use Save as… on the Pretty tab to keep it."
        )

    def _show_text(self, response: RpcResponse, dark: bool) -> None:
        decode, is_json = response.text, response.kind == "json"
        if response.size <= SYNC_RENDER_LIMIT:
            self._apply(
                _Rendered(_small_layout(response, dark), decode(), is_json=is_json, dark=dark)
            )
            return
        prepare = partial(  # picklable: it may run in the helper process
            layout_body,
            response.body,
            response.encoding,
            is_json=is_json,
            dark=dark,
            rich_limit=RICH_TEXT_LIMIT,
            plain_limit=PLAIN_TEXT_LIMIT,
        )
        generation = self._generation

        def render() -> _Rendered:
            # The formatting in the helper process, which shares no GIL with the window;
            # decoding and case folding here, on the pool thread (in short C calls).
            from explorer.core.process_pool import run_in_process  # ~10 ms: not at start-up

            layout = run_in_process(prepare, abandoned=lambda: generation != self._generation)
            return _Rendered(layout, decode(), is_json=is_json, dark=dark)

        note = f"Formatting {human_size(response.size)}…"
        self.set_pretty_plain(note)
        self.set_raw_plain(note)
        self._start(RenderJob(generation, render))

    def _show_from_disk(self, response: RpcResponse, body_limit: int) -> None:
        """A body over the limit: no formatting or search, Raw read from its file."""
        on_disk = response.body_file
        assert on_disk is not None
        self.binary_label.setText(
            f"<b>Over the body size limit</b><br>This body is {human_size(response.size)}, "
            f"over the {human_size(body_limit)} body size limit (Preferences), so it is "
            "kept on disk, not in memory: formatting and Find are off for it.<br><br>"
            "The Raw tab shows it from disk; Save as… writes it whole. It is in the history "
            "like any response."
        )
        self.pretty_stack.setCurrentWidget(self.binary_page)
        self.set_raw_plain(f"Reading {human_size(response.size)} from disk…")
        encoding = response.encoding
        self._start(RenderJob(self._generation, lambda: FileLines.scan(on_disk, encoding)))

    def _start(self, job: RenderJob) -> None:
        job.signals.done.connect(self._on_rendered)
        self._jobs[self._generation] = job.signals
        self._pool.start(job)

    def _on_rendered(self, generation: int, result: object) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return  # the user moved on to another response meanwhile
        if isinstance(result, Exception):
            self.set_pretty_plain(f"Could not format the body: {result}")
            self.set_raw_plain(f"Could not show the body: {result}. Save body… keeps it.")
            return
        if isinstance(result, FileLines):
            self.raw_lines.set_lines(result)
            self.raw_stack.setCurrentWidget(self.raw_lines)
            return
        assert isinstance(result, _Rendered)
        self._apply(result)
        self.rendered.emit()

    def _apply(self, result: _Rendered) -> None:
        if result.html is not None:
            self.pretty_rich.setHtml(result.html)
            self.pretty_stack.setCurrentWidget(self.pretty_rich)
        elif result.pretty_lines is not None:
            self.pretty_lines.set_lines(result.pretty_lines, result.colours)
            self.pretty_stack.setCurrentWidget(self.pretty_lines)
        else:
            self.set_pretty_plain(result.pretty)
        if result.raw_lines is not None:
            self._raw_pending = None
            self.raw_lines.set_lines(result.raw_lines)
            self.raw_stack.setCurrentWidget(self.raw_lines)
        else:  # set when Raw is looked at, or after the paint (``fill_raw``)
            self._raw_pending = result.raw
            self.raw_stack.setCurrentWidget(self.raw_view)


_View = TypeVar("_View", QTextEdit, QPlainTextEdit)


def text_edit() -> QTextEdit:
    """A read-only rich text view (highlighted Pretty) that does not wrap."""
    view = QTextEdit()
    view.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
    return read_only(view)


def plain_edit() -> QPlainTextEdit:
    """A read-only plain text view that does not wrap."""
    view = QPlainTextEdit()
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return read_only(view)


def read_only(view: _View) -> _View:
    """A monospace, selectable, read-only text view: how every response tab shows text."""
    view.setReadOnly(True)
    view.setFont(monospace_font())
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return view
