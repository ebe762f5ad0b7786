"""Defender in the demo: StackOne's own ``stackone-defender`` library screens action results.

StackOne runs Defender over what a provider returns before an AI agent sees it: tier 1 is the
library's pattern rules (pure Python), tier 2 its bundled MiniLM classifier (ONNX, behind the
library's ``[onnx]`` extra). Tier 3 sends data to an LLM and is never used here. The library is
an optional extra of the app (``stackone-explorer[defender]``, its wheel carries a 23 MB model),
so it is imported on first use; without it the demo says in the response that Defender is
unavailable rather than pretending to have screened anything.

Settings follow the request body: ``defender_config`` wins over the deprecated
``defender_enabled``, which wins over the project default (tiers 1 and 2 on, blocking off).
Setting ``enabled`` to false, or both tiers to false, turns Defender off.

The report in ``metadata.defender`` uses the library's own field names (``allowed``,
``risk_level``, ``detections``, ``tier2_score``...); StackOne does not document where it puts
its findings, so the place is the demo's.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from dataclasses import dataclass
from typing import Any

INSTALL_HINT = "pip install 'stackone-explorer[defender]'"
# Without the tier-2 classifier's runtime the library would log a warning and fall back to
# tier 1 on every call; asking for tier 2 only when its runtime is there says it once, here.
_TIER2_MODULES = ("onnxruntime", "tokenizers", "numpy")


@dataclass(frozen=True)
class DefenderSettings:
    """What to run for one request, after applying the override rules."""

    enabled: bool = True
    block_high_risk: bool = False
    tier1: bool = True
    tier2: bool = True

    @property
    def active(self) -> bool:
        return self.enabled and (self.tier1 or self.tier2)

    @classmethod
    def from_request(cls, config: dict[str, Any] | None, legacy: bool | None) -> DefenderSettings:
        """Resolve ``defender_config`` and ``defender_enabled`` (both already type-checked)."""
        config = config or {}
        enabled = True if legacy is None else legacy
        if config.get("enabled") is not None:
            enabled = bool(config["enabled"])

        def flag(name: str, default: bool) -> bool:
            value = config.get(name)
            return default if value is None else bool(value)

        return cls(
            enabled=enabled,
            block_high_risk=flag("block_high_risk", False),
            tier1=flag("use_tier1_classification", True),
            tier2=flag("use_tier2_classification", True),
        )

    def to_json(self) -> dict[str, bool]:
        return {
            "use_tier1_classification": self.tier1,
            "use_tier2_classification": self.tier2,
            "block_high_risk": self.block_high_risk,
        }


def library_available() -> bool:
    """Whether ``stackone-defender`` is installed (tier 1 works with it alone)."""
    return importlib.util.find_spec("stackone_defender") is not None


def tier2_available() -> bool:
    """Whether the library's ONNX classifier can run (its ``[onnx]`` extra is installed)."""
    return library_available() and all(
        importlib.util.find_spec(name) is not None for name in _TIER2_MODULES
    )


@dataclass(frozen=True)
class DefenderReport:
    """One screening: the library's result fields, or why there is none."""

    settings: DefenderSettings
    available: bool
    result: dict[str, Any]

    @property
    def risk_level(self) -> str:
        return str(self.result.get("risk_level", "low"))

    @property
    def blocks(self) -> bool:
        return self.available and self.result.get("allowed") is False

    @property
    def worth_reporting(self) -> bool:
        """A clean result adds nothing to the response; a finding or a missing library does."""
        return not self.available or self.risk_level != "low" or bool(self.result.get("detections"))

    def describe(self) -> str:
        """The finding in a few words, for an error message."""
        parts = []
        if detections := self.result.get("detections"):
            parts.append("tier 1: " + ", ".join(map(str, detections)))
        score = self.result.get("tier2_score")
        if isinstance(score, float | int):
            parts.append(f"tier 2 score {score:.2f}")
        return f"{self.risk_level} prompt-injection risk" + (
            f" ({'; '.join(parts)})" if parts else ""
        )

    def to_json(self) -> dict[str, Any]:
        if not self.available:
            return {
                "available": False,
                "message": "Defender is unavailable in this demo: the stackone-defender library "
                f"is not installed ({INSTALL_HINT}). The result was not screened.",
                "config": self.settings.to_json(),
            }
        return {"available": True, **self.result, "config": self.settings.to_json()}


def blocked_message(action: str, report: DefenderReport) -> str:
    return (
        f"Blocked by Defender: the result of {action} has {report.describe()}. "
        "Send block_high_risk: false to receive it flagged instead."
    )


class _Defenses:
    """One ``PromptDefense`` per combination of settings, built on first use and shared.

    Building one with tier 2 loads the classifier (about a second); screening is serialised
    because the demo answers on many threads and the library does not promise thread safety.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[tuple[bool, bool, bool], Any] = {}

    def screen(self, data: Any, settings: DefenderSettings, tool_name: str) -> dict[str, Any]:
        tier2 = settings.tier2 and tier2_available()
        key = (settings.tier1, tier2, settings.block_high_risk)
        with self._lock:
            defense = self._built.get(key)
            if defense is None:
                defense = self._build(*key)
                self._built[key] = defense
            result = defense.defend_tool_result(data, tool_name)
        fields = {
            "allowed": bool(result.allowed),
            "risk_level": str(result.risk_level),
            "detections": list(result.detections),
            "patterns_by_field": dict(result.patterns_by_field),
            "detected_field_count": int(result.detected_field_count),
            "fields_sanitized": list(result.fields_sanitized),
            "tier2_score": None if result.tier2_score is None else round(result.tier2_score, 4),
            "tier2_skip_reason": result.tier2_skip_reason,
            "tier2_available": tier2 if settings.tier2 else None,
            "latency_ms": round(float(result.latency_ms), 1),
        }
        return fields

    @staticmethod
    def _build(tier1: bool, tier2: bool, block: bool) -> Any:
        # importlib keeps bundlers from following the import: the library (and its 23 MB model)
        # is an optional extra, not part of the app.
        library = importlib.import_module("stackone_defender")
        options: dict[str, Any] = {
            "enable_tier1": tier1,
            "enable_tier2": tier2,
            "block_high_risk": block,
        }
        if tier2:
            # Tier 2 reads the fields Defender itself calls risky (content, notes, ...), as its
            # tier 1 does: classifying every id and date of a 100-row list costs ~0.2 s a call.
            config = importlib.import_module("stackone_defender.config")
            risky = getattr(config, "DEFAULT_RISKY_FIELDS", None)
            names = getattr(risky, "field_names", None)
            if names:
                options["tier2_fields"] = list(names)
        return library.create_prompt_defense(**options)


_DEFENSES = _Defenses()


def scan(data: Any, settings: DefenderSettings, tool_name: str) -> DefenderReport | None:
    """Screen an action's ``data``; ``None`` when Defender is off for this request."""
    if not settings.active:
        return None
    if not library_available():
        return DefenderReport(settings, available=False, result={})
    return DefenderReport(settings, True, _DEFENSES.screen(data, settings, tool_name))
