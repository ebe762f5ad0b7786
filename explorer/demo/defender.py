"""Defender in the demo: StackOne's own ``stackone-defender`` library screens action results.

The library is reached through ``explorer.core.defender``, the one adapter over it, which the
explorer's own Defender check uses too: the demo and the check screen the same way. Without the
library (``stackone-explorer[defender]`` not installed) the demo says in the response that
Defender is unavailable rather than pretending to have screened anything.

Settings follow the request body (``DefenderSettings.from_request``): ``defender_config`` wins
over the deprecated ``defender_enabled``, which wins over the project default (tiers 1 and 2 on,
blocking off). Setting ``enabled`` to false, or both tiers to false, turns Defender off.

The report in ``metadata.defender`` uses the library's own field names (``allowed``,
``risk_level``, ``detections``, ``tier2_score``...); StackOne does not document where it puts
its findings, so the place is the demo's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from explorer.core.defender import (
    INSTALL_HINT,
    DefenderSettings,
    Screening,
    library_available,
    screen,
)


@dataclass(frozen=True)
class DefenderReport:
    """One screening, or why there is none (``screening`` is ``None`` without the library)."""

    settings: DefenderSettings
    screening: Screening | None

    @property
    def available(self) -> bool:
        return self.screening is not None

    @property
    def blocks(self) -> bool:
        return self.screening is not None and not self.screening.allowed(
            self.settings.block_high_risk
        )

    @property
    def worth_reporting(self) -> bool:
        """A clean result adds nothing to the response; a finding or a missing library does."""
        found = self.screening
        return found is None or found.risk_level != "low" or bool(found.detections)

    def to_json(self) -> dict[str, Any]:
        if self.screening is None:
            return {
                "available": False,
                "message": "Defender is unavailable in this demo: the stackone-defender library "
                f"is not installed ({INSTALL_HINT}). The result was not screened.",
                "config": self.settings.to_json(),
            }
        return {
            "available": True,
            **self.screening.to_json(self.settings),
            "config": self.settings.to_json(),
        }


def blocked_message(action: str, report: DefenderReport) -> str:
    found = report.screening.describe() if report.screening else "a risk"
    return (
        f"Blocked by Defender: the result of {action} has {found}. "
        "Send block_high_risk: false to receive it flagged instead."
    )


def scan(data: Any, settings: DefenderSettings, tool_name: str) -> DefenderReport | None:
    """Screen an action's ``data``; ``None`` when Defender is off for this request."""
    if not settings.active:
        return None
    if not library_available():
        return DefenderReport(settings, None)
    return DefenderReport(settings, screen(data, settings, tool_name))


def warm_up(loaded: Callable[[float], None] | None = None) -> threading.Thread | None:
    """Load the library (and tier 2's model) on a background thread, so the first request of
    a demo session is screened in milliseconds instead of waiting ~1 s for the load.

    Returns the started thread, or ``None`` when the library is not installed. ``loaded``
    is called on that thread with the seconds the load took, once it is done. A failure
    here is not reported: the first real screening raises it where the user sees it.
    """
    if not library_available():
        return None

    def load() -> None:
        start = time.perf_counter()
        try:
            screen({"warm_up": ""}, DefenderSettings.from_request(None, None), "warm_up")
        except Exception:  # said by the first real screening instead
            return
        if loaded is not None:
            loaded(time.perf_counter() - start)

    thread = threading.Thread(target=load, name="demo-defender-warm-up", daemon=True)
    thread.start()
    return thread
