"""The Defender check: would StackOne's Defender flag this response, where, and why?

A support engineer asks it before a customer does ("would this be blocked?") and after
("why was this blocked?"). ``check_response`` runs StackOne's own Defender library locally (the
adapter in ``core.defender``: tier 1 always, tier 2 when its ONNX extra is installed, never
tier 3) over a response body and reports the risk level, each finding at its RFC 9535
normalized path (the form ``core.filters`` gives, so it can be pasted into the filter box), the
tier-2 score and whether "block high risk" would refuse it. ``server_verdict`` reads what the
server's Defender reported for the exchange, and ``differences`` says in words where the two
disagree. Re-checking with other settings is another ``check_response`` on the same body:
nothing is re-sent.

StackOne screens an action's result, so for a success envelope (``{"data": ...}``) only
``data`` is screened, as the server does, and paths lead from the body's root; StackOne's error
envelope is not screened (it holds StackOne's words, not the provider's data), and any other
body (a JSON array, plain text) is screened whole. The library only reports its own paths
(``[2].content``); they are mapped onto the body, so a key holding a dot cannot be mistaken
for nesting.

The server side reads ``metadata.defender`` with the library's field names (where the demo
reports them; StackOne does not document where it puts its findings) and a 403 whose message
names Defender. It needs no library, so it works in a build without the ``[defender]`` extra.

Everything here takes and returns plain, picklable data: the window runs ``check_response``
in its helper process (``functools.partial(check_response, body, settings, action=...)``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from explorer.core.defender import (
    RISK_LEVELS,
    TIER2_HINT,
    DefenderError,
    DefenderSettings,
    PatternHit,
    Screening,
    describe_rule,
    screen,
    tier1_hits,
)
from explorer.core.exchange import Exchange
from explorer.core.filters import normalized_path

LOCAL, SERVER = "local", "server"
TIER2_RULE = "classifier"
EXCERPT_CHARS = 120
MAX_DETECTIONS = 200  # a body full of attacks: the first ones say enough
SCORE_TOLERANCE = 0.05  # tier-2 scores closer than this are "the same"

Path = tuple[str | int, ...]


class DefenderInputError(DefenderError):
    """The body holds nothing Defender can read (empty, or binary)."""


@dataclass(frozen=True)
class Detection:
    """One finding at one field.

    Attributes:
        path: RFC 9535 normalized path of the field (``$['data'][2]['content']``).
        tier: 1 (pattern rules) or 2 (the classifier).
        risk: the finding's own level (a rule's severity, the score's bucket); ``None`` where
            a server's report does not say.
        rule: the library's rule id (``ignore_previous``); ``classifier`` for tier 2.
        excerpt: a short piece of the field around what matched.
        why: the library's own words for the rule ("Attempt to ignore previous instructions").
        in_key: the match is in the member's name, not its value.
        score: tier 2's score (0..1).
    """

    path: str
    tier: int
    risk: str | None
    rule: str
    excerpt: str = ""
    why: str = ""
    in_key: bool = False
    score: float | None = None

    def short(self) -> str:
        """``tier 1 finds ignore_previous at $['data'][2]['content']``."""
        where = f"the name of {self.path}" if self.in_key else self.path
        if self.tier == 2 and self.score is not None:
            level = f" ({self.risk})" if self.risk else ""
            return f"tier 2 scores {self.score:.2f}{level} at {where}"
        return f"tier {self.tier} finds {self.rule} at {where}"

    def describe(self) -> str:
        """The finding, why it matters and what matched, in one line."""
        text = self.short()
        if self.why:
            text += f" ({self.why})"
        if self.tier == 1 and self.risk:
            text += f", {self.risk} severity"
        if self.excerpt:
            text += f': "{self.excerpt}"'
        return text


@dataclass(frozen=True)
class DefenderVerdict:
    """What one Defender said about one response: run here (``LOCAL``) or by the server.

    Attributes:
        source: ``LOCAL`` or ``SERVER``.
        tiers_ran: the tiers that ran, e.g. ``(1, 2)``; empty when Defender was off.
        risk_level: ``low``...``critical``; ``None`` when nothing says (Defender off, a server
            that does not report it).
        tier2_score: the classifier's score for the whole result, when tier 2 scored it.
        detections: each finding at its field, in the library's order.
        rules: the tier-1 rule ids found (the library's ``detections`` list).
        would_block: "block high risk" refuses it (the library's decision; for the server,
            it blocked, or rated it high or critical).
        blocked: refused under ``settings`` (the server answered 403, or would have).
        settings: what ran (locally) or what the server ran with.
        scope: the normalized path of what was screened (``$['data']`` for a success body).
        error_body: the body is StackOne's error envelope, not an action's result.
        available: ``False`` when the server said it could not run Defender.
        message: the server's own words (its 403 message, or why Defender was unavailable).
        notes: what a reader must know to trust it (a tier that did not run, partial coverage).
    """

    source: str
    settings: DefenderSettings
    tiers_ran: tuple[int, ...] = ()
    risk_level: str | None = None
    tier2_score: float | None = None
    detections: tuple[Detection, ...] = ()
    would_block: bool = False
    rules: tuple[str, ...] = ()
    blocked: bool = False
    scope: str = "$"
    error_body: bool = False
    available: bool = True
    message: str = ""
    notes: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        """Anything found: a rule, a field, or a medium-or-higher risk."""
        return bool(self.detections or self.rules) or self.risk_level not in (None, "low")

    def findings(self) -> str:
        """The findings in a phrase: "tier 1 finds ignore_previous at $['data'][2]['content']"."""
        parts = [d.short() for d in self.detections[:3]]
        if len(self.detections) > 3:
            parts.append(f"{len(self.detections) - 3} more")
        if not parts and self.rules:
            parts.append("tier 1 finds " + ", ".join(self.rules))
        if self.tier2_score is not None and not any(d.tier == 2 for d in self.detections):
            parts.append(f"tier 2 scores {self.tier2_score:.2f}")
        risk = f"{self.risk_level} risk" if self.risk_level else "of unknown risk"
        return f"{risk}: " + ("; ".join(parts) or f"{_tiers(self.tiers_ran)} find nothing")

    def describe(self) -> list[str]:
        """The verdict as lines a support engineer reads, findings first."""
        who = "Locally" if self.source == LOCAL else "On the server"
        if not self.available:
            return [f"The server could not run Defender: {self.message}"]
        if self.error_body:
            return list(self.notes)
        if not self.tiers_ran:
            return [f"{who}, Defender was off: nothing was screened.", *self.notes]
        found = self.findings()
        lines = [f"{who}, {_tiers(self.tiers_ran)} ran. {found[0].upper()}{found[1:]}."]
        lines += [d.describe() for d in self.detections]
        if self.blocked and self.source == SERVER:
            lines.append("The server blocked it" + (f": {self.message}" if self.message else "."))
        elif self.blocked:
            lines.append("Block high risk is on, so StackOne would refuse it (403).")
        elif self.would_block:
            lines.append("With block high risk on, StackOne would refuse it (403).")
        else:
            lines.append("With block high risk on, it would still be let through.")
        return [*lines, *self.notes]


def _tiers(tiers: tuple[int, ...]) -> str:
    if not tiers:
        return "no tier"
    if len(tiers) == 1:
        return f"tier {tiers[0]}"
    return "tiers " + " and ".join(map(str, tiers))


# -- the local check ---------------------------------------------------------------------------


def check_response(
    body: bytes | str | Any, settings: DefenderSettings | None = None, *, action: str = ""
) -> DefenderVerdict:
    """Run Defender here over a response body: the raw bytes or text, or parsed JSON.

    ``action`` is the tool name Defender is told (it picks the fields to read by it: ``hris_*``
    ...). ``settings`` default to StackOne's project default (both tiers, blocking off).

    Raises:
        DefenderUnavailable: ``stackone-defender`` is not installed.
        DefenderInputError: the body is empty or binary.
    """
    settings = settings or DefenderSettings()
    document = _parse(body)
    data, scope, error_body = _screened_part(document)
    if error_body:
        # StackOne's own words (a 403 quoting Defender), not an action's result: screening
        # them would only flag the server's message about the finding.
        return DefenderVerdict(
            source=LOCAL,
            settings=settings,
            error_body=True,
            notes=(
                "This is StackOne's error envelope, not an action's result, so there is "
                "nothing here that Defender screens: check a response of the same request "
                "that succeeded (for a block, sent with block_high_risk off).",
            ),
        )
    screening = screen(data, settings, action)
    detections = _tier1_detections(screening, data, scope)
    detections += _tier2_detections(screening, data, scope)
    notes = _notes(screening, settings)
    if len(detections) > MAX_DETECTIONS:
        notes.append(f"Only the first {MAX_DETECTIONS} of {len(detections)} findings are listed.")
        detections = detections[:MAX_DETECTIONS]
    return DefenderVerdict(
        source=LOCAL,
        tiers_ran=screening.tiers_ran,
        risk_level=screening.risk_level if screening.tiers_ran else None,
        tier2_score=screening.tier2_score,
        detections=tuple(detections),
        rules=screening.detections,
        would_block=screening.would_block,
        blocked=not screening.allowed(settings.block_high_risk),
        settings=settings,
        scope=normalized_path(scope),
        notes=tuple(notes),
    )


def check_exchange(exchange: Exchange, settings: DefenderSettings | None = None) -> DefenderVerdict:
    """``check_response`` on an exchange's body, by default with the settings it was sent with.

    Raises:
        DefenderUnavailable, DefenderInputError: as ``check_response`` (no response at all is
            a ``DefenderInputError``).
    """
    if exchange.response is None:
        raise DefenderInputError("No response came back, so there is nothing to check.")
    return check_response(
        exchange.response.body,
        settings or settings_for(exchange),
        action=exchange.request.action,
    )


def settings_for(exchange: Exchange) -> DefenderSettings:
    """The settings the exchange asked the server for (unset flags: StackOne's defaults): where
    a re-check starts before the user changes them."""
    request = exchange.request
    return DefenderSettings.from_request(request.defender.to_json(), request.defender_enabled)


def _parse(body: bytes | str | Any) -> Any:
    if isinstance(body, bytes | bytearray | memoryview):
        raw = bytes(body)
        if not raw.strip():
            raise DefenderInputError("The body is empty: there is nothing to check.")
        try:
            return json.loads(raw)
        except RecursionError:
            raise DefenderInputError("The body nests too deeply to read.") from None
        except ValueError:
            pass
        try:
            return raw.decode("utf-8")  # text: Defender screens it as one string
        except UnicodeDecodeError:
            raise DefenderInputError(
                "The body is binary (neither JSON nor UTF-8 text): Defender reads text, so "
                "there is nothing to check."
            ) from None
    if isinstance(body, str):
        if not body.strip():
            raise DefenderInputError("The body is empty: there is nothing to check.")
        try:
            return json.loads(body)
        except RecursionError:
            raise DefenderInputError("The body nests too deeply to read.") from None
        except ValueError:
            return body
    return body


def _is_error_envelope(document: Any) -> bool:
    return isinstance(document, dict) and "statusCode" in document and "message" in document


def _screened_part(document: Any) -> tuple[Any, Path, bool]:
    """What StackOne screens of this body, where it sits, and whether it is an error."""
    if _is_error_envelope(document):
        return document, (), True
    if isinstance(document, dict) and "data" in document:
        return document["data"], ("data",), False
    return document, (), False


def _tier1_detections(screening: Screening, data: Any, scope: Path) -> list[Detection]:
    out: list[Detection] = []
    for where, rules in screening.patterns_by_field.items():
        located, text, hits = _flagged_field(data, where)
        for rule in dict.fromkeys(rules):
            hit = next((h for h in hits if h.rule == rule), None)
            out.append(
                Detection(
                    path=_path_text(scope, located, where),
                    tier=1,
                    risk=hit.severity if hit else None,
                    rule=rule,
                    excerpt=_hit_excerpt(text, hit),
                    why=hit.description if hit else describe_rule(rule),
                    in_key=located is not None and located[1],
                )
            )
    return out


def _tier2_detections(screening: Screening, data: Any, scope: Path) -> list[Detection]:
    """Where the classifier's highest-scoring text is, when that score is a finding."""
    risk = screening.tier2_risk()
    if risk not in ("medium", "high") or not screening.max_sentence:
        return []
    parts = _find_text(data, screening.max_sentence)
    return [
        Detection(
            path=normalized_path(scope + parts) if parts is not None else normalized_path(scope),
            tier=2,
            risk=risk,
            rule=TIER2_RULE,
            excerpt=_excerpt(screening.max_sentence),
            why="the text the classifier scored highest",
            score=screening.tier2_score,
        )
    ]


def _notes(screening: Screening, settings: DefenderSettings) -> list[str]:
    notes = []
    if not screening.tiers_ran:
        notes.append("Both tiers are off: turn one on to check.")
    if settings.tier2 and 2 not in screening.tiers_ran:
        notes.append(f"Tier 2 did not run: its classifier is not installed ({TIER2_HINT}).")
    elif 2 in screening.tiers_ran and screening.tier2_score is None:
        reason = screening.tier2_skip_reason or "no text to score"
        notes.append(f"Tier 2 scored nothing: {reason[:1].lower()}{reason[1:]}.")
    if screening.coverage_degraded:
        notes.append(
            "Defender screened only part of this body (it stops at 10 MB or 10 levels deep); "
            "the rest was not checked."
        )
    return notes


# -- paths: the library's "[2].content" onto the body --------------------------------------------

_INDEX = re.compile(r"\[(\d+)\]")
_KEY_SUFFIX = " (key)"


def _locate_field(data: Any, where: str) -> tuple[Path, bool] | None:
    """The keys and indexes of a library path (and whether it names a key), or ``None``."""
    in_key = where.endswith(_KEY_SUFFIX)
    parts = next(_resolutions(data, where.removesuffix(_KEY_SUFFIX)), None)
    return None if parts is None else (parts, in_key)


def _flagged_field(data: Any, where: str) -> tuple[tuple[Path, bool] | None, str, list[PatternHit]]:
    """A tier-1 finding's field, its text and the rules matching it there.

    Where the library's path fits the data more than one way (a key ``a.b`` beside ``a``
    holding ``b``), the field whose text the rules match is the one it meant.
    """
    in_key = where.endswith(_KEY_SUFFIX)
    first: tuple[tuple[Path, bool] | None, str, list[PatternHit]] = (None, "", [])
    for tried, parts in enumerate(_resolutions(data, where.removesuffix(_KEY_SUFFIX))):
        located = (parts, in_key)
        text = _text_at(data, located)
        hits = tier1_hits(text) if text else []
        if hits:
            return located, text, hits
        if tried == 0:
            first = (located, text, hits)
        if tried >= _MAX_READINGS:
            break
    return first


_MAX_READINGS = 16


def _resolutions(data: Any, text: str) -> Iterator[Path]:
    """Every way the library's ``parent.key``/``parent[i]`` path fits ``data``, first fit first.

    Keys are matched against the object's real keys, so ``a.b`` as one key and ``a`` holding
    ``b`` are told apart by the data itself.
    """
    stack: list[tuple[Any, str, Path]] = [(data, text, ())]
    while stack:
        node, rest, parts = stack.pop()
        if not rest:
            yield parts
            continue
        if isinstance(node, list):
            index = _INDEX.match(rest)
            if index and int(index[1]) < len(node):
                position = int(index[1])
                stack.append((node[position], rest[index.end() :], (*parts, position)))
        elif isinstance(node, dict):
            if parts:  # below the root a member is joined with a dot
                if not rest.startswith("."):
                    continue
                rest = rest[1:]
            fits = [
                key
                for key in node
                if isinstance(key, str)
                and rest.startswith(key)
                and rest[len(key) : len(key) + 1] in ("", ".", "[")
            ]
            for key in reversed(fits):  # the stack tries the first one first
                stack.append((node[key], rest[len(key) :], (*parts, key)))


def _text_at(data: Any, located: tuple[Path, bool] | None) -> str:
    """The flagged text: the field's value, or the member's name for a key finding."""
    if located is None:
        return ""
    parts, in_key = located
    if in_key:
        return str(parts[-1]) if parts else ""
    node = data
    for part in parts:
        node = node[part]
    return node if isinstance(node, str) else ""


def _path_text(scope: Path, located: tuple[Path, bool] | None, where: str) -> str:
    if located is None:  # should not happen; keep the library's words rather than lose them
        return f"{normalized_path(scope)} (Defender's path: {where})"
    return normalized_path(scope + located[0])


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _find_text(data: Any, sentence: str) -> Path | None:
    """The first string (document order) holding ``sentence`` as the classifier saw it
    (Unicode-folded, spaces collapsed)."""
    needle = _squash(sentence)
    if not needle:
        return None
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, str):
            if needle in _squash(node):
                return parts
        elif isinstance(node, list):
            stack.extend((node[i], (*parts, i)) for i in reversed(range(len(node))))
        elif isinstance(node, dict):
            stack.extend((node[k], (*parts, k)) for k in reversed(list(node)) if isinstance(k, str))
    return None


def _excerpt(text: str, start: int = 0, end: int = 0) -> str:
    """About ``EXCERPT_CHARS`` of ``text`` around ``start:end``, on one line."""
    begin = max(0, start - 40) if end else 0
    stop = min(len(text), max(end, begin + EXCERPT_CHARS))
    piece = " ".join(text[begin:stop].split())
    return ("…" if begin else "") + piece + ("…" if stop < len(text) else "")


def _hit_excerpt(text: str, hit: PatternHit | None) -> str:
    if not text:
        return ""
    if hit is None:
        return _excerpt(text)
    start = hit.position
    if start is None:  # matched after undoing an obfuscation: find it if it is there as-is
        found = text.casefold().find(hit.matched.casefold())
        start = found if found >= 0 else None
    if start is None:
        return _excerpt(text)
    return _excerpt(text, start, start + len(hit.matched))


# -- what the server said ----------------------------------------------------------------------


def server_verdict(exchange: Exchange) -> DefenderVerdict | None:
    """What the server's Defender reported for this exchange; ``None`` when it said nothing
    (no response, or a response without a Defender report while Defender was on: the demo
    leaves clean results unreported, and StackOne does not document a report)."""
    response = exchange.response
    if response is None:
        return None
    asked = settings_for(exchange)
    document = response.json if response.kind == "json" else None
    if isinstance(document, dict):
        metadata = document.get("metadata")
        report = metadata.get("defender") if isinstance(metadata, dict) else None
        if isinstance(report, dict):
            return _from_report(report, document, asked)
    if response.status == 403 and response.error and "defender" in response.error.message.lower():
        return _from_block(response.error.message, asked)
    if not asked.active and response.ok:
        return DefenderVerdict(
            source=SERVER,
            settings=asked,
            notes=("The request turned Defender off (defender_config / defender_enabled).",),
        )
    return None


def _from_report(report: dict[str, Any], document: Any, asked: DefenderSettings) -> DefenderVerdict:
    """``metadata.defender`` under the library's field names."""
    if report.get("available") is False:
        return DefenderVerdict(
            source=SERVER,
            settings=asked,
            available=False,
            message=str(report.get("message") or "Defender is unavailable on the server."),
        )
    config = report.get("config")
    ran = DefenderSettings.from_request(config, None) if isinstance(config, dict) else asked
    score = report.get("tier2_score")
    score = float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None
    tier2_ran = ran.tier2 and (report.get("tier2_available") is True or score is not None)
    risk = report.get("risk_level") if report.get("risk_level") in RISK_LEVELS else None
    data, scope, _ = _screened_part(document)
    detections = _reported_detections(report.get("patterns_by_field"), data, scope)
    rules = report.get("detections")
    blocked = report.get("allowed") is False
    return DefenderVerdict(
        source=SERVER,
        tiers_ran=tuple(t for t, on in ((1, ran.tier1), (2, tier2_ran)) if on),
        risk_level=risk,
        tier2_score=score,
        detections=tuple(detections),
        rules=tuple(str(r) for r in rules) if isinstance(rules, list) else (),
        would_block=blocked or risk in ("high", "critical"),
        blocked=blocked,
        settings=ran,
        scope=normalized_path(scope),
    )


def _reported_detections(reported: Any, data: Any, scope: Path) -> list[Detection]:
    if not isinstance(reported, dict):
        return []
    out = []
    for where, rules in reported.items():
        if not isinstance(where, str) or not isinstance(rules, list):
            continue
        located = _locate_field(data, where)
        text = _text_at(data, located)
        for rule in dict.fromkeys(str(r) for r in rules):
            out.append(
                Detection(
                    path=_path_text(scope, located, where),
                    tier=1,
                    risk=None,  # the report gives one level for the whole result
                    rule=rule,
                    excerpt=_excerpt(text) if text else "",
                    why=describe_rule(rule),
                    in_key=located is not None and located[1],
                )
            )
    return out


# The demo's 403 says "... has high prompt-injection risk (tier 1: ignore_previous; tier 2
# score 0.84)" (``Screening.describe``); StackOne's own wording is not documented, so only the
# words found are believed.
_RISK_WORDS = re.compile(r"\b(low|medium|high|critical) prompt-injection risk", re.I)
_RULE_WORDS = re.compile(r"tier 1: ([\w, ]+)")
_SCORE_WORDS = re.compile(r"tier 2 score (\d+(?:\.\d+)?)")


def _from_block(message: str, asked: DefenderSettings) -> DefenderVerdict:
    """A 403 whose message names Defender: blocked, with whatever the message says."""
    risk = _RISK_WORDS.search(message)
    rules = _RULE_WORDS.search(message)
    score = _SCORE_WORDS.search(message)
    tiers = tuple(t for t, on in ((1, asked.tier1), (2, asked.tier2 and score is not None)) if on)
    return DefenderVerdict(
        source=SERVER,
        tiers_ran=tiers,
        risk_level=risk[1].lower() if risk else None,
        tier2_score=float(score[1]) if score else None,
        detections=(),
        rules=tuple(r.strip() for r in rules[1].split(",") if r.strip()) if rules else (),
        would_block=True,
        blocked=True,
        settings=asked,
        scope="",
        message=message,
    )


# -- the two side by side ----------------------------------------------------------------------


def differences(local: DefenderVerdict, server: DefenderVerdict | None) -> list[str]:
    """Where the local check and the server's Defender disagree, in words a support engineer
    reads (paths are RFC 9535 normalized paths); for a block, also why. Empty when they agree.
    """
    found = local.findings()
    if server is None:
        if local.flagged:
            return [
                "The server reported nothing from Defender for this exchange; "
                f"locally it is {found}."
            ]
        return []
    if not server.available:
        return [f"The server could not run Defender ({server.message}); locally it is {found}."]
    if not server.tiers_ran and not server.blocked:
        if local.flagged:
            return [f"Defender was off on the server for this request; locally it is {found}."]
        return []
    out = _blocking(local, server, found)
    if local.error_body:
        return out
    if server.tiers_ran != local.tiers_ran:
        out.append(f"The server ran {_tiers(server.tiers_ran)}; locally {_ran(local)}.")
    if server.risk_level and local.risk_level and server.risk_level != local.risk_level:
        out.append(
            f"The server rated it {server.risk_level} risk; locally it is {local.risk_level} risk."
        )
    out += _finding_differences(local, server)
    if (
        server.tier2_score is not None
        and local.tier2_score is not None
        and abs(server.tier2_score - local.tier2_score) >= SCORE_TOLERANCE
    ):
        out.append(
            f"The server's tier 2 scored {server.tier2_score:.2f}; locally it scores "
            f"{local.tier2_score:.2f}."
        )
    return out


def _ran(verdict: DefenderVerdict) -> str:
    text = f"{_tiers(verdict.tiers_ran)} ran"
    if verdict.settings.tier2 and 2 not in verdict.tiers_ran:
        text += f" (tier 2's classifier is not installed here: {TIER2_HINT})"
    return text


def _blocking(local: DefenderVerdict, server: DefenderVerdict, found: str) -> list[str]:
    if server.blocked:
        said = f"The server blocked it ({server.findings()})"
        if local.error_body:
            return [
                f"{said}; this response holds no data to check locally (the server withheld "
                "it): check a response of the same request sent with block_high_risk off."
            ]
        if local.would_block:
            return [f"{said}; locally it is {found}, so block high risk refuses it here too."]
        return [f"{said}; locally it would not be blocked ({found})."]
    if local.would_block and server.settings.block_high_risk:
        return [
            "The server let it through with block high risk on; locally it would be refused "
            f"({found})."
        ]
    return []


def _finding_differences(local: DefenderVerdict, server: DefenderVerdict) -> list[str]:
    out = []
    if server.detections:
        theirs = {(d.path, d.rule, d.in_key): d for d in server.detections if d.tier == 1}
        ours = {(d.path, d.rule, d.in_key): d for d in local.detections if d.tier == 1}
        out += [f"Only the server's {theirs[k].short()}." for k in theirs if k not in ours]
        out += [f"Only locally: {ours[k].short()}." for k in ours if k not in theirs]
    elif set(server.rules) != set(local.rules):
        only_server = [r for r in server.rules if r not in local.rules]
        only_local = [r for r in local.rules if r not in server.rules]
        if only_server:
            out.append(f"Only the server's tier 1 found {', '.join(only_server)}.")
        out += [f"Only locally: {d.short()}." for d in local.detections if d.rule in only_local]
    return out
