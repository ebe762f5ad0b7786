"""A test module's own demo server, for modules that send a lot or check their key in outputs.

Its own API key gives it its own per-key rate-limit budget, which no other module spends; the
limit is set explicitly so that a change to the demo's default cannot make those tests flaky.
"""

from __future__ import annotations

from collections.abc import Iterator

from explorer.demo import DemoServer


def private_demo(api_key: str) -> Iterator[DemoServer]:
    """For a module-scoped fixture: ``yield from private_demo(KEY)``."""
    with DemoServer(port=0, api_key=api_key, rate_limit_per_minute=1000) as demo:
        yield demo
