"""Sizes and durations as a person reads them: ``2.0 MB``, ``340 ms``, ``12.5 s``."""

from __future__ import annotations


def human_size(size: int) -> str:
    """Bytes, kilobytes or megabytes, one decimal above a kilobyte."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def human_ms(ms: float) -> str:
    """Milliseconds up to ten seconds (where people compare them), seconds beyond."""
    return f"{ms:.0f} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"
