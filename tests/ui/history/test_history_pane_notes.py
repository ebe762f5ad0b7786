"""Notes and tags from the history pane, driven as a person does (issue 12 item 6).

The row's context menu and the details strip under the list open "Note and tags…"; the filter
finds plain words in notes and ``#tag`` in tags; a new pane over the same folder (a restart)
still has them; the JSON export carries them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from explorer.demo import DemoServer
from explorer.store.history import DB_NAME, NOTE_LIMIT, HistoryEntry, HistoryStore
from explorer.store.history_db import HistoryDatabase
from explorer.ui.history.export import JSON_FILTER
from explorer.ui.history.model import Column
from explorer.ui.history.note_dialog import NoteDialog
from explorer.ui.history.pane import FIRST_PAGE, WHOLE_AT_ONCE, HistoryPane
from explorer.ui.mainwindow.window import MainWindow
from tests.store.legacy_home import LegacyHome
from tests.ui.history.test_history_pane import make_exchange, record, shown_actions
from tests.ui.modals import answering

pytestmark = pytest.mark.gui


@pytest.fixture
def pane(qtbot: QtBot, tmp_path: Path) -> HistoryPane:
    widget = HistoryPane(HistoryStore(tmp_path / "history"))
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    for action, account in (
        ("bamboohr_list_employees", "acc_1"),
        ("hibob_list_people", "acc_2"),
        ("greenhouse_list_jobs", "acc_3"),
    ):
        record(widget, make_exchange(action, account))
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def fill_in(note: str, tags: str) -> Callable[[QWidget], None]:
    """An answer for ``answering``: type the note, Tab to the tags, type them, press Enter."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteDialog)
        dialog.note_edit.selectAll()
        for number, line in enumerate(note.split("\n")):
            if number:
                QTest.keyClick(dialog.note_edit, Qt.Key.Key_Return)  # a new line in the note
            QTest.keyClicks(dialog.note_edit, line)
        QTest.keyClick(dialog.note_edit, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.tags_edit  # Tab leaves the note
        dialog.tags_edit.selectAll()
        QTest.keyClicks(dialog.tags_edit, tags)
        QTest.keyClick(dialog.tags_edit, Qt.Key.Key_Return)

    return answer


def open_row_menu(pane: HistoryPane, row: int, choose: str) -> list[str]:
    """Right-click a row (the view's context menu), then choose ``choose`` with the keys."""
    view = pane.view
    rect = view.visualRect(pane.model.index(row, Column.ACTION))
    view.setCurrentIndex(pane.model.index(row, Column.ACTION))
    seen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu), "no context menu opened"
        seen.extend(a.text() for a in menu.actions() if a.isEnabled())
        for _ in range(len(menu.actions())):
            QTest.keyClick(menu, Qt.Key.Key_Down)
            if menu.activeAction() is not None and menu.activeAction().text() == choose:
                QTest.keyClick(menu, Qt.Key.Key_Return)
                return
        menu.close()

    QTimer.singleShot(100, pick)
    spot = rect.center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, spot, view.viewport().mapToGlobal(spot)
    )
    QApplication.sendEvent(view.viewport(), event)  # where a right click arrives
    return seen


def test_a_note_from_the_row_menu_is_shown_searched_and_kept(
    qtbot: QtBot, pane: HistoryPane, tmp_path: Path
) -> None:
    target = pane.model.entry(1)  # hibob_list_people
    with answering(fill_in("ticket 4711\ncustomer sees a 500", "#customer-x, vip")) as seen:
        menu = open_row_menu(pane, 1, "Note and tags…")
        pane.flush()  # the note is written on the history's thread
    assert "Note and tags…" in menu
    assert [s.title for s in seen] == ["Note and tags"]
    # The row and the details strip show it.
    note_cell = pane.model.index(pane.model.row_of(target.id) or 0, Column.NOTE)
    assert note_cell.data() == "#customer-x #vip ticket 4711 …"
    assert pane.note_strip.text() == "#customer-x #vip\nticket 4711 …"  # the whole: its tooltip
    assert (
        pane.note_strip.note_label.toolTip() == "#customer-x #vip\nticket 4711\ncustomer sees a 500"
    )

    # Plain words find the note, #tag finds the tag, typed into the filter key by key.
    pane.filters.edit.setFocus()
    qtbot.keyClicks(pane.filters.edit, "4711")
    assert shown_actions(pane) == ["hibob_list_people"]
    pane.filters.edit.clear()
    qtbot.keyClicks(pane.filters.edit, "#cust")
    assert shown_actions(pane) == ["hibob_list_people"]
    qtbot.keyClicks(pane.filters.edit, "omer-y")
    assert shown_actions(pane) == []
    pane.filters.edit.clear()
    qtbot.keyClicks(pane.filters.edit, "#ticket")  # a note is not a tag
    assert shown_actions(pane) == []

    # A restart: a new store and pane over the same folder find it by tag.
    again = HistoryPane(HistoryStore(tmp_path / "history"))
    qtbot.addWidget(again)
    qtbot.keyClicks(again.filters.edit, "#vip")
    assert shown_actions(again) == ["hibob_list_people"]
    assert again.shown_entries()[0].note == "ticket 4711\ncustomer sees a 500"


def test_the_details_strip_edits_the_current_entry(qtbot: QtBot, pane: HistoryPane) -> None:
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    assert pane.note_strip.isVisible() and pane.note_strip.text() == "No note"
    with answering(fill_in("first words", "a")):
        qtbot.mouseClick(pane.note_strip.button, Qt.MouseButton.LeftButton)
        pane.flush()
    assert pane.note_strip.text() == "#a\nfirst words"

    # The dialog opens with what is there; changing it replaces both.
    prefilled: list[tuple[str, str]] = []

    def check_then_fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteDialog)
        prefilled.append((dialog.note_edit.toPlainText(), dialog.tags_edit.text()))
        fill_in("second words", "b c")(dialog)

    with answering(check_then_fill):
        qtbot.mouseClick(pane.note_strip.button, Qt.MouseButton.LeftButton)
        pane.flush()
    assert prefilled == [("first words", "#a")]
    assert pane.note_strip.text() == "#b #c\nsecond words"
    assert pane.store.rows()[0].tags == ("b", "c")


def test_cancel_keeps_the_note_and_a_long_note_is_refused_without_losing_it(
    qtbot: QtBot, pane: HistoryPane
) -> None:
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    with answering(fill_in("kept", "k")):
        pane.note_action.trigger()
        pane.flush()

    def type_then_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteDialog)
        QTest.keyClicks(dialog.note_edit, " more")
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    with answering(type_then_cancel):
        pane.note_action.trigger()
        pane.flush()
    assert pane.store.rows()[0].note == "kept"

    refused: list[str] = []

    def too_long(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteDialog)
        dialog.note_edit.setPlainText("x" * (NOTE_LIMIT + 1))  # a paste by mistake
        QTest.keyClick(dialog.tags_edit, Qt.Key.Key_Return)
        refused.append(dialog.error_label.text() if dialog.isVisible() else "closed")
        assert dialog.note_edit.toPlainText() == "x" * (NOTE_LIMIT + 1)  # nothing lost
        dialog.reject()

    with answering(too_long):
        pane.note_action.trigger()
        pane.flush()
    assert refused and "10,000 characters" in refused[0]
    assert pane.store.rows()[0].note == "kept"


def test_the_json_export_holds_the_note_and_tags(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pane: HistoryPane
) -> None:
    pane.view.setCurrentIndex(pane.model.index(2, 0))  # the oldest
    with answering(fill_in("ticket 4711", "customer-x")):
        pane.note_action.trigger()
        pane.flush()
    target = tmp_path / "history.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), JSON_FILTER))
    pane.view.clearSelection()
    pane.save_action.trigger()
    pane.flush()
    exchanges = json.loads(target.read_text(encoding="utf-8"))["exchanges"]
    assert (exchanges[0]["note"], exchanges[0]["tags"]) == ("ticket 4711", ["customer-x"])
    assert "note" not in exchanges[1] and "tags" not in exchanges[2]


def test_the_row_tooltip_and_menu_in_a_read_only_session(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "history"
    store = HistoryStore(folder)
    entry = store.add(make_exchange("bamboohr_list_employees"))
    store.set_note(entry.id, "ticket 4711", "customer-x")
    store.close()
    pane = HistoryPane(HistoryStore(folder, read_only=True))
    qtbot.addWidget(pane)
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    note = pane.model.index(0, Column.NOTE)
    assert note.data(Qt.ItemDataRole.ToolTipRole) == "#customer-x\nticket 4711"
    assert not pane.note_action.isEnabled()  # nothing can be kept this session
    assert pane.note_strip.text() == "#customer-x\nticket 4711"


def seeded_lazy_store(
    tmp_path: Path, count: int, actions: tuple[str, ...]
) -> tuple[HistoryStore, list[HistoryEntry]]:
    """A history folder holding ``count`` entries, a second apart, their actions taking
    turns, opened lazily as the app opens it; and the entries, oldest first."""
    folder = tmp_path / "history"
    folder.mkdir()
    seed = HistoryDatabase(folder / DB_NAME)
    entries = [
        HistoryEntry(
            id=f"e{n:05d}",
            started_at=f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
            action=actions[n % len(actions)],
            status=200,
            status_class="2xx",
        )
        for n in range(count)
    ]
    seed.insert_many((entry, b'{"request": {"action": "x"}}') for entry in entries)
    seed.close()
    return HistoryStore(folder, lazy=True, limit=10_000), entries


def test_a_lazy_store_shows_its_newest_page_at_once_then_every_entry(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """As the app opens a long history: the newest entries show while the rest are read on a
    thread; a filter typed meanwhile, and an entry added meanwhile, hold for all of them."""
    count = WHOLE_AT_ONCE + 100
    store, entries = seeded_lazy_store(
        tmp_path, count, ("hibob_list_people", "greenhouse_list_jobs")
    )
    pane = HistoryPane(store)
    qtbot.addWidget(pane)
    assert len(pane.shown_entries()) == FIRST_PAGE
    assert pane.shown_entries()[0].id == entries[-1].id  # the newest on top at once
    assert pane.count_label.text() == f"Reading {count} entries…"
    qtbot.keyClicks(pane.filters.edit, "greenhouse")
    record(pane, make_exchange("greenhouse_new_one"))
    pane.wait_for_loads()
    shown = pane.shown_entries()
    assert len(shown) == count // 2 + 1  # every greenhouse entry, and the new one
    assert shown[0].action == "greenhouse_new_one"
    assert pane.count_label.text() == f"{len(shown)} of {count + 1}"


def test_a_short_lazy_history_is_listed_whole_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    """A history of a few hundred entries (most users') is listed and counted whole as the
    pane appears, so nothing moves when the thread reading it for the store is done."""
    folder = tmp_path / "history"
    folder.mkdir()
    seed = HistoryDatabase(folder / DB_NAME)
    count = FIRST_PAGE + 100
    entries = [
        HistoryEntry(
            id=f"e{n:04d}",
            started_at=f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
            action="hibob_list_people",
            status=200,
            status_class="2xx",
        )
        for n in range(count)
    ]
    seed.insert_many((entry, b'{"request": {"action": "x"}}') for entry in entries)
    seed.close()

    pane = HistoryPane(HistoryStore(folder, lazy=True, limit=10_000), read_later=True)
    qtbot.addWidget(pane)
    assert [e.id for e in pane.shown_entries()] == [e.id for e in reversed(entries)]
    assert pane.count_label.text() == f"{count} entries"
    pane.wait_for_loads()  # starts the held read, and shows what it read: the same
    assert [e.id for e in pane.shown_entries()] == [e.id for e in reversed(entries)]
    assert pane.count_label.text() == f"{count} entries"


def test_sorting_and_filtering_while_batches_of_rows_arrive_hold_for_all_of_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The rows arrive in several batches, the reader waiting between them for the window's
    turn: a sort by Action clicked and a filter typed meanwhile apply to every entry once
    they are all there, and closing while they are read does not hang."""
    actions = ("hibob_list_people", "greenhouse_list_jobs", "bamboohr_get_employee")
    count = 4_500  # three batches of the reader
    store, entries = seeded_lazy_store(tmp_path, count, actions)
    pane = HistoryPane(store)
    qtbot.addWidget(pane)
    pane.resize(420, 600)
    pane.show()
    header = pane.view.horizontalHeader()
    x = header.sectionViewportPosition(Column.ACTION) + header.sectionSize(Column.ACTION) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    qtbot.keyClicks(pane.filters.edit, "list")  # hibob and greenhouse, not bamboohr
    # The event loop runs meanwhile (no blocking wait): the reader's turns are taken.
    qtbot.waitUntil(lambda: pane.model.total() == count, timeout=30_000)
    pane.flush()
    qtbot.waitUntil(lambda: len(pane.shown_entries()) == count * 2 // 3, timeout=30_000)
    shown = pane.shown_entries()
    newest_first = [e for e in reversed(entries) if e.action != "bamboohr_get_employee"]
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    expected = sorted(newest_first, key=lambda e: e.action, reverse=descending)
    assert [e.id for e in shown] == [e.id for e in expected]

    # Closing while a read is under way: the reader stops waiting for turns at once.
    again = HistoryPane(HistoryStore(store.directory, lazy=True, limit=10_000))
    qtbot.addWidget(again)
    again.stop_reading()
    again.wait_for_loads()  # returns: no turn is waited for
    assert again.model.total() >= FIRST_PAGE


def test_a_key_pasted_into_a_note_is_hidden_before_it_is_kept_or_exported(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    demo: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """In the window, all by keys: Ctrl+1 to the list, F2 on the new entry; the profile's key
    and a secret variable's value sent this session are hidden from the note and the tags."""
    window = make_window()
    variable = "tenant-secret-0123456789"
    window.history_pane.add(make_exchange("bamboohr_list_employees"), [variable])
    window.history_pane.flush()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    view = window.history_pane.view
    assert QApplication.focusWidget() is view

    typed = f"customer sent {demo.api_key} and {variable}"
    with answering(fill_in(typed, f"acme {variable}")) as seen:
        qtbot.keyClick(view, Qt.Key.Key_F2)
    # The keys to hide are read on a thread first; then the note is queued and written.
    qtbot.waitUntil(lambda: bool(window.history.rows()[0].note), timeout=10_000)
    window.history_pane.flush()
    assert [s.title for s in seen] == ["Note and tags"]
    row = window.history.rows()[0]
    assert row.note == "customer sent <redacted> and <redacted>"
    assert row.tags == ("acme", "<redacted>")
    assert "a secret in them was hidden" in window.statusBar().currentMessage()
    assert window.history_pane.note_strip.text() == f"#acme #<redacted>\n{row.note}"

    target = tmp_path / "export.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), JSON_FILTER))
    window.history_pane.save_action.trigger()
    window.history_pane.flush()
    exported = target.read_text(encoding="utf-8")
    assert '"note": "customer sent <redacted> and <redacted>"' in exported
    for folder in (tmp_path, window.history.directory):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert demo.api_key.encode() not in data and variable.encode() not in data, path


def test_an_old_home_moves_in_while_the_pane_shows(qtbot: QtBot, tmp_path: Path) -> None:
    """As the app opens it (lazily): the pane says the history is moving, then lists every
    old entry, its note and tags found by the filter."""
    folder = tmp_path / "history"
    home = LegacyHome(folder)
    for number in range(3):
        home.add(make_exchange(f"action_{number}"))
    home.add(make_exchange("personio_list_employees"), note="ticket 4711", tags=["vip"])

    pane = HistoryPane(HistoryStore(folder, lazy=True))
    qtbot.addWidget(pane)
    assert pane.count_label.text() == "Moving history in…"
    assert pane.empty_label.text().startswith("Moving your history into its new database")
    pane.wait_for_loads()
    assert pane.count_label.text() == "4 entries"
    qtbot.keyClicks(pane.filters.edit, "#vip")
    assert shown_actions(pane) == ["personio_list_employees"]
    assert not (folder / "index.jsonl").exists()
