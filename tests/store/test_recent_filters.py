"""Recent filter expressions per action: newest first, kept across a restart, and a damaged or
hand-edited settings entry never stops the filter box."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.filters import JQ, JSONPATH
from explorer.store.recent_filters import PER_ACTION, RecentFilters
from explorer.store.settings import Settings


def test_expressions_are_remembered_per_action_newest_first_across_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    recent = RecentFilters(Settings(path))
    assert recent.remember("hris_list", JSONPATH, "$.data[*].id") is None
    recent.remember("hris_list", JQ, ".data | length")
    recent.remember("ats_list", JSONPATH, "$.next")
    recent.remember("hris_list", JSONPATH, "  $.data[*].id ")  # again: moves to the front
    again = RecentFilters(Settings(path))
    assert again.for_action("hris_list") == [(JSONPATH, "$.data[*].id"), (JQ, ".data | length")]
    assert again.for_action("ats_list") == [(JSONPATH, "$.next")]
    assert again.for_action("other") == []


def test_only_the_newest_are_kept_and_blank_ones_never(tmp_path: Path) -> None:
    recent = RecentFilters(Settings(tmp_path / "settings.json"))
    for number in range(PER_ACTION + 5):
        recent.remember("a", JSONPATH, f"$[{number}]")
    recent.remember("a", JSONPATH, "   ")
    kept = recent.for_action("a")
    assert len(kept) == PER_ACTION and kept[0] == (JSONPATH, f"$[{PER_ACTION + 4}]")


def test_a_hand_edited_entry_is_read_as_far_as_it_makes_sense(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    entries = [
        {"language": "jq", "expression": ".a"},
        {"language": "xpath", "expression": "//a"},
        "junk",
        {"language": "jsonpath"},
    ]
    path.write_text(json.dumps({"recent_filters": {"a": entries, "b": 5}}))
    recent = RecentFilters(Settings(path))
    assert recent.for_action("a") == [(JQ, ".a")]
    assert recent.for_action("b") == []
    path.write_text(json.dumps({"recent_filters": ["not", "an", "object"]}))
    assert RecentFilters(Settings(path)).for_action("a") == []
