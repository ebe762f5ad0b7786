"""StackOne's Defender library (``stackone-defender``) behind one small adapter.

Two callers screen data with it and must agree: the demo server decides its Defender outcomes
with it (``explorer.demo.defender``), and the explorer's Defender check runs it locally on a
response (``explorer.core.defender_check``). Both go through ``screen`` here, so the same body
with the same settings gets the same verdict from both.

StackOne runs Defender over what a provider returns before an AI agent sees it: tier 1 is the
library's pattern rules (pure Python), tier 2 its bundled MiniLM classifier (ONNX, behind the
library's ``[onnx]`` extra). Tier 3 sends data to an LLM and is never used here. The library is
an optional extra of the app (``stackone-explorer[defender]``; its wheel carries a 23 MB model),
so it is imported on first use and never at import time of this module.

Everything returned is plain, picklable data: the window runs the check in its helper process.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from dataclasses import dataclass, field
from typing import Any

from explorer.core.errors import ExplorerError

LIBRARY = "stackone_defender"
INSTALL_HINT = "pip install 'stackone-explorer[defender]'"
TIER2_HINT = "pip install 'stackone-defender[onnx]'"
# Without the tier-2 classifier's runtime the library would log a warning and fall back to
# tier 1 on every call; asking for tier 2 only when its runtime is there says it once, here.
_TIER2_MODULES = ("onnxruntime", "tokenizers", "numpy")
RISK_LEVELS = ("low", "medium", "high", "critical")


class DefenderError(ExplorerError):
    """A Defender check could not run; ``str()`` says why and what to do."""


class DefenderUnavailable(DefenderError):
    """``stackone-defender`` is not installed in this build."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Defender is unavailable: install stackone-explorer[defender] "
            f"({INSTALL_HINT}); tier 2 also needs {TIER2_HINT}."
        )


def library_available() -> bool:
    """Whether ``stackone-defender`` is installed (tier 1 works with it alone)."""
    return importlib.util.find_spec(LIBRARY) is not None


def tier2_available() -> bool:
    """Whether the library's ONNX classifier can run (its ``[onnx]`` extra is installed)."""
    return library_available() and all(
        importlib.util.find_spec(name) is not None for name in _TIER2_MODULES
    )


def defender_tiers() -> tuple[bool, bool]:
    """Which tiers this build can run: ``(tier 1, tier 2)``. Cheap: nothing is imported."""
    return library_available(), tier2_available()


@dataclass(frozen=True)
class DefenderSettings:
    """What to run: StackOne's ``defender_config`` after its override rules.

    ``tier1``/``tier2`` are what is asked for; a tier that cannot run here (tier 2 without the
    ONNX extra) is left out by ``screen``, which says so in ``Screening.tiers_ran``.
    """

    enabled: bool = True
    block_high_risk: bool = False
    tier1: bool = True
    tier2: bool = True

    @property
    def active(self) -> bool:
        return self.enabled and (self.tier1 or self.tier2)

    @classmethod
    def from_request(cls, config: dict[str, Any] | None, legacy: bool | None) -> DefenderSettings:
        """Resolve ``defender_config`` and the deprecated ``defender_enabled``.

        ``defender_config`` wins over ``defender_enabled``, which wins over the project default
        (both tiers on, blocking off: StackOne's documented default). Non-boolean flags count as
        unset.
        """
        config = config or {}

        def flag(name: str, default: bool) -> bool:
            value = config.get(name)
            return value if isinstance(value, bool) else default

        enabled = legacy if isinstance(legacy, bool) else True
        return cls(
            enabled=flag("enabled", enabled),
            block_high_risk=flag("block_high_risk", False),
            tier1=flag("use_tier1_classification", True),
            tier2=flag("use_tier2_classification", True),
        )

    def to_json(self) -> dict[str, bool]:
        """StackOne's ``defender_config`` names (what the demo reports it ran with)."""
        return {
            "use_tier1_classification": self.tier1,
            "use_tier2_classification": self.tier2,
            "block_high_risk": self.block_high_risk,
        }


@dataclass(frozen=True)
class PatternHit:
    """One tier-1 rule that matched a text: the library's rule id and its own words for it.

    ``position`` is the offset of ``matched`` in the text, or ``None`` when the rule matched
    only after the library undid an obfuscation (leet speak, homoglyphs, spacing).
    """

    rule: str
    description: str
    severity: str
    category: str
    matched: str
    position: int | None


@dataclass(frozen=True)
class Screening:
    """One run of the library over some data, as plain data (the library's field names).

    ``would_block`` is the library's own decision with "block high risk" on (a high or critical
    risk backed by a finding); blocking itself only changes ``allowed``, so one run answers for
    both settings. ``patterns_by_field`` keys are the library's paths (``[2].content``).
    """

    tiers_ran: tuple[int, ...]
    would_block: bool
    risk_level: str
    detections: tuple[str, ...] = ()
    patterns_by_field: dict[str, list[str]] = field(default_factory=dict)
    fields_sanitized: tuple[str, ...] = ()
    tier2_score: float | None = None
    tier2_skip_reason: str | None = None
    tier2_available: bool | None = None
    max_sentence: str | None = None
    tier2_thresholds: tuple[float, float] | None = None  # (medium, high) when tier 2 ran
    coverage_degraded: bool = False
    latency_ms: float = 0.0

    def allowed(self, block_high_risk: bool) -> bool:
        return not (block_high_risk and self.would_block)

    def tier2_risk(self) -> str | None:
        """The classifier's own risk level for its score, as the library buckets it."""
        if self.tier2_score is None or self.tier2_thresholds is None:
            return None
        medium, high = self.tier2_thresholds
        score = self.tier2_score
        return "high" if score >= high else "medium" if score >= medium else "low"

    def describe(self) -> str:
        """The finding in a few words, for an error message."""
        parts = []
        if self.detections:
            parts.append("tier 1: " + ", ".join(self.detections))
        if self.tier2_score is not None:
            parts.append(f"tier 2 score {self.tier2_score:.2f}")
        return f"{self.risk_level} prompt-injection risk" + (
            f" ({'; '.join(parts)})" if parts else ""
        )

    def to_json(self, settings: DefenderSettings) -> dict[str, Any]:
        """The result under the library's own field names (``metadata.defender``)."""
        return {
            "allowed": self.allowed(settings.block_high_risk),
            "risk_level": self.risk_level,
            "detections": list(self.detections),
            "patterns_by_field": {k: list(v) for k, v in self.patterns_by_field.items()},
            "detected_field_count": len(self.patterns_by_field),
            "fields_sanitized": list(self.fields_sanitized),
            "tier2_score": self.tier2_score,
            "tier2_skip_reason": self.tier2_skip_reason,
            "tier2_available": self.tier2_available,
            "latency_ms": round(self.latency_ms, 1),
        }


class _Defenses:
    """One ``PromptDefense`` per pair of tiers, built on first use and shared.

    Building one with tier 2 loads the classifier (about a second); screening is serialised
    because the demo answers on many threads and the library does not promise thread safety.
    Each is built with blocking on: blocking only decides ``allowed``, which ``Screening``
    derives for either setting.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[tuple[bool, bool], Any] = {}

    def screen(self, data: Any, settings: DefenderSettings, tool_name: str) -> Screening:
        tier2 = settings.tier2 and tier2_available()
        with self._lock:
            defense = self._get(settings.tier1, tier2)
            result = defense.defend_tool_result(data, tool_name)
            thresholds = None
            if tier2 and result.tier2_available is not False:
                limits = defense.get_config().tier2
                thresholds = (
                    float(limits.medium_risk_threshold),
                    float(limits.high_risk_threshold),
                )
        score = result.tier2_score
        # The library falls back to tier 1 alone (and says so) if the model fails to load.
        tier2_ran = tier2 and result.tier2_available is not False
        return Screening(
            tiers_ran=tuple(t for t, ran in ((1, settings.tier1), (2, tier2_ran)) if ran),
            would_block=not result.allowed,
            risk_level=str(result.risk_level),
            detections=tuple(result.detections),
            patterns_by_field={k: list(v) for k, v in result.patterns_by_field.items()},
            fields_sanitized=tuple(result.fields_sanitized),
            tier2_score=None if score is None else round(float(score), 4),
            tier2_skip_reason=result.tier2_skip_reason,
            # The library leaves it unset when tier 2 loaded; say it plainly either way.
            tier2_available=tier2_ran if settings.tier2 else None,
            max_sentence=result.max_sentence,
            tier2_thresholds=thresholds,
            coverage_degraded=result.coverage_degraded is True,
            latency_ms=float(result.latency_ms),
        )

    def tier1_hits(self, text: str) -> list[PatternHit]:
        with self._lock:
            found = self._get(True, False).analyze(text)
        descriptions = _rule_descriptions()
        return [
            PatternHit(
                rule=str(m.pattern),
                description=descriptions.get(str(m.pattern), ""),
                severity=str(m.severity),
                category=str(m.category),
                matched=str(m.matched),
                position=None if getattr(m, "normalised", False) else int(m.position),
            )
            for m in found.matches
        ]

    def _get(self, tier1: bool, tier2: bool) -> Any:
        defense = self._built.get((tier1, tier2))
        if defense is None:
            defense = self._build(tier1, tier2)
            self._built[(tier1, tier2)] = defense
        return defense

    @staticmethod
    def _build(tier1: bool, tier2: bool) -> Any:
        library = _library()
        options: dict[str, Any] = {
            "enable_tier1": tier1,
            "enable_tier2": tier2,
            "block_high_risk": True,
            "enable_tier3": False,  # never: it sends the data to an LLM
        }
        if tier2:
            # Tier 2 reads the fields Defender itself calls risky (content, notes, ...), as its
            # tier 1 does: classifying every id and date of a 100-row list costs ~0.2 s a call.
            config = importlib.import_module(f"{LIBRARY}.config")
            risky = getattr(config, "DEFAULT_RISKY_FIELDS", None)
            names = getattr(risky, "field_names", None)
            if names:
                options["tier2_fields"] = list(names)
        return library.create_prompt_defense(**options)


def _library() -> Any:
    # importlib keeps bundlers from following the import: the library (and its 23 MB model)
    # is an optional extra, not part of the app.
    if not library_available():
        raise DefenderUnavailable()
    try:
        return importlib.import_module(LIBRARY)
    except ImportError as exc:
        raise DefenderUnavailable(
            f"Defender is unavailable: stackone-defender does not load ({exc}); "
            f"reinstall it with {INSTALL_HINT}."
        ) from None


_descriptions: dict[str, str] | None = None


def _rule_descriptions() -> dict[str, str]:
    """The library's own sentence for each tier-1 rule ("Attempt to ignore previous
    instructions"), or nothing if a later version moves its rule table."""
    global _descriptions
    if _descriptions is None:
        try:
            table = importlib.import_module(f"{LIBRARY}.classifiers.patterns")
            rules = getattr(table, "ALL_PATTERNS", [])
            _descriptions = {str(r.id): str(r.description) for r in rules}
        except (ImportError, AttributeError):
            _descriptions = {}
    return _descriptions


_DEFENSES = _Defenses()


def describe_rule(rule: str) -> str:
    """The library's own words for a tier-1 rule id; empty without the library."""
    return _rule_descriptions().get(rule, "") if library_available() else ""


def screen(data: Any, settings: DefenderSettings, tool_name: str = "") -> Screening:
    """Run Defender over an action's result ``data`` as StackOne would for ``tool_name``.

    The tool name matters: the library picks the fields it reads by it (``hris_*`` ...).
    Screening with both tiers off runs nothing and says so (``tiers_ran`` is empty).

    Raises:
        DefenderUnavailable: the library is not installed.
    """
    if not (settings.tier1 or settings.tier2):
        return Screening(tiers_ran=(), would_block=False, risk_level="low")
    _library()
    return _DEFENSES.screen(data, settings, tool_name)


def tier1_hits(text: str) -> list[PatternHit]:
    """The tier-1 rules that match ``text``, where, and why they exist (for one flagged field).

    Raises:
        DefenderUnavailable: the library is not installed.
    """
    _library()
    return _DEFENSES.tier1_hits(text)
