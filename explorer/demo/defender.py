"""A stand-in for StackOne Defender: prompt-injection screening of action results.

StackOne runs two tiers over what a provider returns before an AI agent sees it: tier 1 is a set
of pattern rules, tier 2 a small classifier scoring 0..1. This module imitates both with fixed
rules so the explorer can show what a finding looks like. The exact response fields are not
documented by StackOne; the ones used here (a ``metadata.defender`` block) are the demo's own.

Settings follow the request body: ``defender_config`` wins over the deprecated
``defender_enabled``, which wins over the project default (tiers 1 and 2 on, blocking off).
Setting ``enabled`` to false, or all four flags to false, turns Defender off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Tier 1: (rule id, pattern). Case-insensitive, matched against every string in the result.
_TIER1_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "instruction_override",
        re.compile(
            r"\b(ignore|disregard|forget)\b.{0,20}\b(previous|prior|above)\b.{0,15}"
            r"\binstructions?\b",
            re.I,
        ),
    ),
    ("exfiltration_request", re.compile(r"\b(email|send|forward)\b.{0,40}\bto\b\s+\S+@\S+", re.I)),
)

# Tier 2 "model": weighted cues, squashed into 0..1. Deterministic so tests can rely on it.
_TIER2_CUES: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\bignore (all )?previous instructions\b", re.I), 0.80),
    (re.compile(r"\bdelete\b", re.I), 0.05),
    (re.compile(r"@\S+\.example\b", re.I), 0.10),
)
_TIER2_BASELINE = 0.02
HIGH_RISK_SCORE = 0.8


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


@dataclass(frozen=True)
class Finding:
    """The outcome of a scan that found something worth reporting."""

    risk_level: str
    tier1_rules: tuple[str, ...]
    tier2_score: float | None
    locations: tuple[str, ...]
    settings: DefenderSettings

    @property
    def blocks(self) -> bool:
        return self.settings.block_high_risk and self.risk_level in ("high", "critical")

    def describe(self) -> str:
        """One sentence for an error message."""
        parts = []
        if self.tier1_rules:
            parts.append("tier 1 rule " + ", ".join(self.tier1_rules))
        if self.tier2_score is not None:
            parts.append(f"tier 2 score {self.tier2_score:.2f}")
        return f"{self.risk_level} prompt-injection risk ({'; '.join(parts)})"

    def to_json(self) -> dict[str, Any]:
        return {
            "risk_level": self.risk_level,
            "blocked": self.blocks,
            "tier1": {
                "enabled": self.settings.tier1,
                "matched": bool(self.tier1_rules),
                "rules": list(self.tier1_rules),
            },
            "tier2": {
                "enabled": self.settings.tier2,
                "score": self.tier2_score,
            },
            "locations": list(self.locations),
        }


def _strings(value: Any, where: str) -> list[tuple[str, str]]:
    """Every string inside a JSON value with a JSONPath-like location."""
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]")]
    return []


def _tier2_score(text: str) -> float:
    score = _TIER2_BASELINE + sum(w for pattern, w in _TIER2_CUES if pattern.search(text))
    return round(min(score, 0.99), 2)


def scan(data: Any, settings: DefenderSettings) -> Finding | None:
    """Screen ``data``; ``None`` when Defender is off or nothing reaches medium risk."""
    if not settings.active:
        return None
    rules: list[str] = []
    locations: list[str] = []
    best = 0.0
    for where, text in _strings(data, "data"):
        hit = False
        if settings.tier1:
            for rule, pattern in _TIER1_RULES:
                if pattern.search(text):
                    hit = True
                    if rule not in rules:
                        rules.append(rule)
        if settings.tier2:
            score = _tier2_score(text)
            best = max(best, score)
            hit = hit or score >= 0.5
        if hit:
            locations.append(where)
    if not locations:
        return None
    high = bool(rules) or best >= HIGH_RISK_SCORE
    return Finding(
        risk_level="high" if high else "medium",
        tier1_rules=tuple(rules),
        tier2_score=best if settings.tier2 else None,
        locations=tuple(locations),
        settings=settings,
    )
