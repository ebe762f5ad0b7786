"""Sizes and durations read the same in the response, the history and a collection run."""

from __future__ import annotations

import pytest

from explorer.core.units import human_ms, human_size


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"), (1536, "1.5 KB"), (3 * 1024**2, "3.0 MB")],
)
def test_sizes(size: int, text: str) -> None:
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("ms", "text"), [(0.4, "0 ms"), (340.2, "340 ms"), (9_999, "9999 ms"), (12_500, "12.5 s")]
)
def test_durations(ms: float, text: str) -> None:
    assert human_ms(ms) == text
