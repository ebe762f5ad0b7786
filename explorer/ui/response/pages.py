"""The bar under a list response that has more pages: "Next page" and "All pages".

It shows the next cursor and where it will go in the next request: where the action's schema
takes it (catalogue details or the account's MCP tools), else StackOne's usual place, the
``next`` query parameter. All three are editable before anything is sent, and an edited
place is kept for that action for the session. Nothing is sent from here: the bar asks
(``next_page_requested``, ``all_pages_requested``) and the window sends through the
production guard as any send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.exchange import Exchange
from explorer.core.pages import (
    CURSOR_LOCATIONS,
    DEFAULT_PAGE_LIMIT,
    CursorPlace,
    cursor_place,
    next_cursor,
    with_cursor,
)
from explorer.core.request import RpcRequest
from explorer.core.response import LAZY_JSON_SIZE
from explorer.ui.jobs import RenderJob
from explorer.ui.widgets.flow_layout import FlowLayout

# An action's envelope input schema, if anything knows it.
SchemaLookup = Callable[[str], "Mapping[str, Any] | None"]
MAX_PAGE_LIMIT = 1000


@dataclass(frozen=True)
class PagesRequest:
    """What "All pages" asks for: the pages after ``exchange`` (the page shown), starting
    with ``request`` (the next page's), the cursor going to ``place``, at most ``limit``
    pages in all (the one shown counts)."""

    exchange: Exchange
    request: RpcRequest
    place: CursorPlace
    limit: int


def _no_schema(_action: str) -> Mapping[str, Any] | None:
    return None


def _row(*widgets: QWidget) -> QWidget:
    """Widgets kept together on one line (a flow layout wraps between such groups only)."""
    group = QWidget()
    layout = QHBoxLayout(group)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return group


class PagesBar(QWidget):
    """Next page / All pages for the exchange on screen; hidden when it is the last page.

    Signals:
        next_page_requested(object, object): the ``Exchange`` shown and the ``RpcRequest`` of
            its next page, the cursor where the bar says.
        all_pages_requested(object): a ``PagesRequest``.
    """

    next_page_requested = Signal(object, object)
    all_pages_requested = Signal(object)

    def __init__(self, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pagesBar")
        self._pool = pool
        self._schema_for: SchemaLookup = _no_schema
        self._exchange: Exchange | None = None
        self._generation = 0
        self._signals: QObject | None = None
        self._places: dict[str, CursorPlace] = {}  # edited by the user, per action

        title = QLabel("<b>More pages:</b>")
        self.next_button = QPushButton("Next page")
        self.next_button.setToolTip("Send this request again with the cursor: the next page")
        self.next_button.clicked.connect(self._next_clicked)
        self.all_button = QPushButton("All pages")
        self.all_button.setToolTip(
            "Read the following pages one after another, up to the limit, and show them joined"
        )
        self.all_button.clicked.connect(self._all_clicked)
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(2, MAX_PAGE_LIMIT)
        self.limit_spin.setValue(DEFAULT_PAGE_LIMIT)
        self.limit_spin.setPrefix("up to ")
        self.limit_spin.setSuffix(" pages")
        self.limit_spin.setAccessibleName("Most pages to read")

        self.cursor_edit = QLineEdit()
        self.cursor_edit.setAccessibleName("Next cursor")
        self.cursor_edit.setFixedWidth(150)
        caption = QLabel("Cursor")
        caption.setBuddy(self.cursor_edit)
        self.location_combo = QComboBox()
        self.location_combo.addItems(list(CURSOR_LOCATIONS))
        self.location_combo.setAccessibleName("Cursor goes in")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Cursor parameter name")
        self.name_edit.setFixedWidth(90)
        self.place_note = QLabel()
        self.place_note.setObjectName("cursorPlaceNote")
        self.place_note.setEnabled(False)

        actions = FlowLayout()
        actions.setSpacing(6)
        for widget in (title, self.next_button, self.all_button, self.limit_spin):
            actions.addWidget(widget)
        place = FlowLayout()
        place.setSpacing(6)
        place.addWidget(_row(caption, self.cursor_edit))
        goes = QLabel("goes in")
        goes.setBuddy(self.location_combo)
        dot = QLabel(".")
        dot.setBuddy(self.name_edit)
        place.addWidget(_row(goes, self.location_combo, dot, self.name_edit))
        place.addWidget(self.place_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(actions)
        layout.addLayout(place)
        self.setVisible(False)

    def set_schema_lookup(self, lookup: SchemaLookup) -> None:
        """How to find an action's input schema (the window's discovery knows)."""
        self._schema_for = lookup

    def tab_chain(self) -> list[QWidget]:
        return [
            self.next_button,
            self.all_button,
            self.limit_spin,
            self.cursor_edit,
            self.location_combo,
            self.name_edit,
        ]

    # -- what is shown ---------------------------------------------------------------------
    def show_for(self, exchange: Exchange | None) -> None:
        """Offer the next page of ``exchange`` if it has one. A big body's cursor is looked
        for on the pool: reading it parses the body."""
        self._exchange = exchange
        self._generation += 1
        self._signals = None
        response = exchange.response if exchange is not None else None
        if response is None or not response.ok or response.kind != "json":
            self.setVisible(False)
            return
        if response.size <= LAZY_JSON_SIZE:
            # Shown or hidden once: hiding it first and showing it again laid the response
            # view out twice (~1 ms of a small response's time to its paint).
            self._offer(self._generation, next_cursor(response))
            return
        self.setVisible(False)
        generation = self._generation

        def find_cursor() -> str | None:
            # In the helper process: parsing a 10 MB body here builds a million objects on a
            # thread of the window's process, and the garbage collector's passes over them
            # hold the GIL for 100-300 ms at a time (the window froze). Only the cursor comes
            # back; this response stays unparsed.
            from explorer.core.process_pool import run_in_process

            return run_in_process(
                partial(next_cursor, response), abandoned=lambda: generation != self._generation
            )

        job = RenderJob(generation, find_cursor)
        job.signals.done.connect(self._offer)
        self._signals = job.signals
        self._pool.start(job)

    def _offer(self, generation: int, cursor: object) -> None:
        exchange = self._exchange
        if generation != self._generation or exchange is None:
            return
        self._signals = None
        if not isinstance(cursor, str) or not cursor:
            self.setVisible(False)
            return
        action = exchange.request.action
        usual = cursor_place(self._schema_for(action))
        place = self._places.get(action, usual)
        self.cursor_edit.setText(cursor)
        self.cursor_edit.setCursorPosition(0)
        self.location_combo.setCurrentText(place.location)
        self.name_edit.setText(place.name)
        if place != usual:
            note, why = "(as you set it)", "You moved the cursor for this action."
        elif place.from_schema:
            note, why = "(schema)", "Where the action's input schema takes its cursor."
        else:
            note = "(usual place)"
            why = (
                "No schema for this action: the cursor goes where StackOne's list actions "
                "take it. Move it here before sending if this action takes it elsewhere."
            )
        self.place_note.setText(note)
        self.place_note.setToolTip(why)
        self.location_combo.setToolTip(why)
        self.setVisible(True)

    @property
    def exchange(self) -> Exchange | None:
        return self._exchange

    def place(self) -> CursorPlace:
        """Where the cursor goes, as the bar shows it now (the user may have edited it)."""
        location = self.location_combo.currentText()
        name = self.name_edit.text().strip() or "next"
        action = self._exchange.request.action if self._exchange is not None else ""
        schema = cursor_place(self._schema_for(action)) if action else CursorPlace()
        same = (schema.location, schema.name) == (location, name)
        return CursorPlace(location, name, from_schema=schema.from_schema and same)

    def next_request(self) -> RpcRequest | None:
        """The request of the next page: the shown one with the cursor placed."""
        cursor = self.cursor_edit.text().strip()
        if self._exchange is None or not cursor:
            return None
        return with_cursor(self._exchange.request, cursor, self.place())

    def _remember(self) -> None:
        if self._exchange is not None:
            self._places[self._exchange.request.action] = self.place()

    def _next_clicked(self) -> None:
        request = self.next_request()
        if request is not None and self._exchange is not None:
            self._remember()
            self.next_page_requested.emit(self._exchange, request)

    def _all_clicked(self) -> None:
        request = self.next_request()
        if request is not None and self._exchange is not None:
            self._remember()
            self.all_pages_requested.emit(
                PagesRequest(self._exchange, request, self.place(), self.limit_spin.value())
            )
