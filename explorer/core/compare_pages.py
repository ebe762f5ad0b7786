"""A comparison as the window gets it from the helper process: in brief, then page by page.

Two 10 MB bodies with a timestamp in every record differ in 49,000 places. Sending all of them
back costs ~0.7 s of pickling in the helper and ~0.8 s of unpickling in the window's process,
where the unpickling holds the GIL and the window freezes. So the helper keeps the whole
comparison and sends a ``Brief``: the counts by kind, the headers, the headline and the first
``PAGE_SIZE`` body changes, with a unified text diff joined and laid out for display (one
string and two int arrays, as the big-body formatting sends its rows). The window then asks
for the next page as the table is scrolled (``page``), and for the first page of the changes
whose path holds a text or of some kinds (the filter runs in the helper, over all of them).

The helper keeps the last ``KEEP`` comparisons by key. One it no longer has (it was ended
by a cancel or exited idle) raises ``Forgotten``: the window compares again.

No Qt here; these calls run in the helper process (``core.helper_process``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from explorer.core.compare import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    Comparison,
    IgnoreRules,
    Parcel,
    Progress,
    compare_parcels,
)
from explorer.core.errors import ExplorerError
from explorer.core.render import TextLines, display_lines

if TYPE_CHECKING:
    from collections.abc import Iterable

PAGE_SIZE = 500  # body changes sent at a time: ~10 ms to unpickle, a few screens of rows
KEEP = 4  # comparisons the helper keeps for paging (a few windows open at once)
KINDS = (CHANGED, ADDED, REMOVED)


class Forgotten(ExplorerError):
    """The helper process no longer holds the comparison (it was restarted): compare again."""


@dataclass(frozen=True)
class View:
    """Which body changes are listed: those whose path holds ``text`` (any case), of
    ``kinds``."""

    text: str = ""
    kinds: frozenset[str] = frozenset(KINDS)

    @classmethod
    def of(cls, text: str = "", kinds: Iterable[str] = KINDS) -> View:
        return cls(text.strip().lower(), frozenset(kinds))

    @property
    def everything(self) -> bool:
        return not self.text and self.kinds == frozenset(KINDS)

    def matches(self, change: Change) -> bool:
        return change.kind in self.kinds and (not self.text or self.text in change.path.lower())


@dataclass(frozen=True)
class Page:
    """Up to ``PAGE_SIZE`` body changes of a view from ``offset``, and how many it holds."""

    key: str
    view: View
    offset: int
    changes: list[Change]
    matching: int

    @property
    def end(self) -> int:
        return self.offset + len(self.changes)


@dataclass(frozen=True)
class Brief:
    """What the window shows first. ``comparison`` holds the first page of body changes and
    the counts of all (``tally``); ``text`` is the unified diff of non-JSON bodies."""

    key: str
    comparison: Comparison
    first: Page
    text: TextLines | None

    @property
    def complete(self) -> bool:
        """Whether every body change is here (then the window filters them itself): the
        first page of a filter typed meanwhile may hold all of its few, but not all."""
        return len(self.comparison.body) == sum(self.comparison.counts().values())


class _Kept:
    """One comparison's body changes in the helper, with the last view's matches."""

    def __init__(self, changes: list[Change]) -> None:
        self.changes = changes
        self._view = View()
        self._matches: list[Change] = changes

    def matching(self, view: View) -> list[Change]:
        if view != self._view:
            self._view = view
            self._matches = (
                self.changes if view.everything else [c for c in self.changes if view.matches(c)]
            )
        return self._matches


_kept: OrderedDict[str, _Kept] = OrderedDict()  # in the helper process, newest last


def brief(
    left: Parcel,
    right: Parcel,
    *,
    key: str,
    ignore: IgnoreRules | None = None,
    labels: tuple[str, str] = ("left", "right"),
    view: View | None = None,
    progress: Progress | None = None,
) -> Brief:
    """Compare two parcels (``compare.parcel``), keep the result under ``key`` and return it
    in brief, its first page of ``view`` (default: every change).

    Raises:
        FilterError: an ignore query is not valid JSONPath.
    """
    full = compare_parcels(left, right, ignore=ignore, labels=labels, progress=progress)
    kept = _Kept(full.body)
    _kept[key] = kept
    _kept.move_to_end(key)
    while len(_kept) > KEEP:
        _kept.popitem(last=False)
    first = _page(key, kept, view or View(), 0)
    text = display_lines("\n".join(full.text_diff)) if full.text_diff else None
    shown = replace(
        full,
        body=full.body[:PAGE_SIZE],
        text_diff=[],
        tally=full.counts(),
        text_differs=bool(full.text_diff),
    )
    return Brief(key, shown, first, text)


def page(key: str, view: View, offset: int = 0) -> Page:
    """The changes of ``view`` from ``offset`` in the comparison kept under ``key``.

    Raises:
        Forgotten: this helper process does not hold it (it was restarted meanwhile).
    """
    kept = _kept.get(key)
    if kept is None:
        raise Forgotten("The comparison's helper process was restarted: comparing again.")
    _kept.move_to_end(key)
    return _page(key, kept, view, offset)


def _page(key: str, kept: _Kept, view: View, offset: int) -> Page:
    matches = kept.matching(view)
    start = max(0, min(offset, len(matches)))
    return Page(key, view, start, matches[start : start + PAGE_SIZE], len(matches))
