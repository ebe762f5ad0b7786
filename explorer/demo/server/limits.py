"""The demo's rate limits: StackOne's per-key limit and HiBob's deterministic 429 cycle."""

from __future__ import annotations

import math
import threading
import time

# After HiBob's demo 429 has been waited out, calls succeed for this long before the next cycle.
HIBOB_OPEN_SECONDS = 60.0


class RateLimiter:
    """StackOne's documented limit: ``limit`` requests per minute per API key (fixed window)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> int | None:
        """Count one request; the seconds to wait if it is over the limit, else ``None``."""
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        if count > self.limit:
            return max(1, math.ceil(start + self.window - now))
        return None


class HibobGate:
    """The deterministic HiBob rate limit of ``hibob_search_employees``, per API key.

    The rule: the first call of a cycle is refused with 429 and ``Retry-After: retry_after``;
    calls during those seconds are refused with the time still left; after that, calls succeed
    for ``HIBOB_OPEN_SECONDS``, then the next call starts a new cycle. So "wait Retry-After,
    then retry" always works, and a first try always shows the 429.
    """

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(0, retry_after)
        self._lock = threading.Lock()
        self._cycles: dict[str, float] = {}

    def wait(self, key: str) -> int | None:
        now = time.monotonic()
        with self._lock:
            start = self._cycles.get(key)
            if start is None or now >= start + self.retry_after + HIBOB_OPEN_SECONDS:
                self._cycles[key] = now
                return self.retry_after
        if now < start + self.retry_after:
            return max(1, math.ceil(start + self.retry_after - now))
        return None
