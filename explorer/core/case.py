"""Share a case: one or more exchanges as a folder (or zip) for a ticket or a colleague.

A case holds a Markdown report (``README.md``: what was sent, account and customer, status,
the error explained, request ids, trace summary, timings, the environment's non-secret
variables) and the same exchanges as HAR 1.2 (``exchanges.har``) for any HAR viewer.

Nothing in it may leak. Every exchange goes through ``clean_exchange`` before anything is
written: the secrets policy (``core.secrets.Redactor``: the API key, secret variable values,
secret-looking headers) and, when the user chose it after the preview, the personal-data
scrub plan (``core.secrets.PersonalData``). The report's own text (notes, variables, trace)
goes through the same two. Last, before the case is moved into place, every written byte is
checked for the secret values once more (``CaseLeak`` if one is found, and nothing is left).
The case is built in a temporary folder beside the target and renamed into place, so a failure
never leaves half a case; an existing target is never overwritten.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer import __version__
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.har import to_har
from explorer.core.request_logs import RequestLog
from explorer.core.response import status_meaning
from explorer.core.secrets import REDACTED, Redactor, ScrubPlan
from explorer.core.trace import Trace, build_trace

REPORT_FILE = "README.md"
HAR_FILE = "exchanges.har"
# Response bodies longer than this are summarised in the report (the HAR has them whole).
REPORT_BODY_LIMIT = 4000


class CaseLeak(ExplorerError):
    """A secret value was found in the written case; nothing was kept."""


@dataclass
class CaseItem:
    """One exchange of the case and what is known around it.

    ``customer`` is the linked account's owner (from the account list), ``trace`` a summary
    of StackOne's request logs for it, when they were fetched (plain text, one step a line).
    """

    exchange: Exchange
    customer: str = ""
    trace: str = ""


@dataclass
class Case:
    """What the user chose to share.

    ``secrets`` are the values to hide wherever they appear: the API key and the secret
    variables' values (secret-looking headers are hidden whatever their values).
    ``variables`` are the active environment's non-secret variables, ``secret_names`` the
    names (never the values) of its secret ones.
    """

    items: list[CaseItem]
    title: str = ""
    notes: str = ""
    environment: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    secret_names: Sequence[str] = ()
    secrets: Iterable[str] = ()


def clean_exchange(exchange: Exchange, secrets: Iterable[str], plan: ScrubPlan | None) -> Exchange:
    """The case rules for one exchange: secrets hidden, then personal data scrubbed by ``plan``
    (also used to share a pinned baseline)."""
    cleaned = Redactor(secrets).exchange(exchange)
    return plan.exchange(cleaned) if plan is not None else cleaned


def case_name(case: Case, *, now: datetime | None = None) -> str:
    """A folder name for the case: date, time and the first action."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    action = case.items[0].exchange.request.action if case.items else "case"
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", action).strip("-.")[:60] or "case"
    return f"case-{moment}-{slug}"


def write_case(
    case: Case,
    target: Path,
    *,
    plan: ScrubPlan | None = None,
    as_zip: bool = False,
) -> Path:
    """Write ``case`` to ``target`` (a new folder, or a new ``.zip`` file with ``as_zip``).

    Raises:
        FileExistsError: ``target`` exists (the window asks for another name).
        CaseLeak: a secret value survived into the files (nothing is written).
        OSError: the disk refused; nothing is left behind.
    """
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    secrets = [s for s in case.secrets if s and s.strip()]
    hide = Redactor(secrets)
    exchanges = [clean_exchange(item.exchange, secrets, plan) for item in case.items]

    def text(value: str) -> str:
        cleaned = hide.field(value)
        return plan.text(cleaned) if plan is not None else cleaned

    files = {
        REPORT_FILE: case_report(case, exchanges, text=text, scrubbed=plan).encode("utf-8"),
        HAR_FILE: (
            json.dumps(to_har(exchanges, creator_version=__version__), indent=2, ensure_ascii=False)
            + "\n"
        ).encode("utf-8"),
    }
    for name, data in files.items():
        found = hide.found(data.decode("utf-8"))
        if found:
            raise CaseLeak(
                f"{name} would have held {len(found)} secret value(s); nothing was written. "
                "Please report this: secrets must be hidden before a case is written."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".case-", dir=target.parent))
    try:
        if as_zip:
            built = staging / target.name
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files.items():
                    archive.writestr(f"{target.stem}/{name}", data)
            built.write_bytes(buffer.getvalue())
        else:
            built = staging / "case"
            built.mkdir()
            for name, data in files.items():
                (built / name).write_bytes(data)
        if target.exists():
            raise FileExistsError(f"{target} already exists")
        os.replace(built, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def trace_summary(trace: Trace | RequestLog) -> str:
    """StackOne's trace of a request as a few lines for ``CaseItem.trace``: the request, then
    each call to the provider with its status and duration. No headers or bodies (they hold
    the provider's credentials and the customer's data); the URLs are the trace's, masked by
    the secrets policy (``build_trace``: ``access_token=<redacted>``). A raw log is built into
    its trace first."""
    if isinstance(trace, RequestLog):
        trace = build_trace(trace)

    def took(ms: float | None) -> str:
        return f" in {ms:.0f} ms" if ms is not None else ""

    status = trace.status if trace.status is not None else "no status"
    lines = [
        f"Request {trace.request_id}: {trace.action or trace.http_method}"
        f" on {trace.provider or '?'} -> {status}{took(trace.duration_ms)}"
        + (f" ({trace.source_type})" if trace.source_type else "")
    ]
    for step in trace.steps:
        answer = step.status if step.status is not None else "no answer"
        flag = " FAILED" if step.failed else ""
        lines.append(
            f"{step.number:>3}. {step.method} {step.url} -> {answer}{took(step.duration_ms)}{flag}"
        )
    if not trace.steps:
        lines.append("  (no provider calls logged)")
    return "\n".join(lines)


def case_report(
    case: Case,
    exchanges: Sequence[Exchange],
    *,
    text: Callable[[str], str] | None = None,
    scrubbed: ScrubPlan | None = None,
) -> str:
    """The Markdown report of already-cleaned ``exchanges`` (``text`` cleans free text)."""
    clean: Callable[[str], str] = text if text is not None else (lambda value: value)
    title = clean(case.title) or (exchanges[0].request.action if exchanges else "Case")
    lines = [f"# {_inline(title)}", ""]
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines.append(
        f"Exported {stamp} by StackOne RPC Explorer {__version__}. API keys and secret values "
        f"are never included: they read `{REDACTED}`."
    )
    if scrubbed is not None and scrubbed.replacements:
        lines.append(
            f"Personal data was scrubbed: {len(scrubbed.replacements)} value(s) replaced by "
            "placeholders such as `<email 1>` (the same value, the same placeholder)."
        )
    lines.append("")
    if case.notes.strip():
        lines += ["## Notes", "", clean(case.notes.strip()), ""]
    lines += _summary_table(exchanges)
    for number, (item, exchange) in enumerate(zip(case.items, exchanges, strict=True), start=1):
        lines += _exchange_section(number, item, exchange, clean)
    lines += _environment_section(case, clean)
    lines += [
        "## Files",
        "",
        f"- `{HAR_FILE}`: the exchanges above as HAR 1.2 (open it in a browser's network tab "
        "or any HAR viewer). The same rules hid secrets and personal data there.",
        "",
    ]
    return "\n".join(lines)


def _summary_table(exchanges: Sequence[Exchange]) -> list[str]:
    lines = [
        "## Summary",
        "",
        "| # | Action | Account | Status | Time | Request id |",
        "|---|---|---|---|---|---|",
    ]
    for number, exchange in enumerate(exchanges, start=1):
        response = exchange.response
        status = f"{response.status} {response.reason}".strip() if response else "no response"
        took = f"{response.timing.total_ms:.0f} ms" if response else ""
        request_id = (response.request_id or "") if response else ""
        cells = [
            str(number),
            exchange.request.action,
            exchange.request.account_id,
            status,
            took,
            request_id,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*lines, ""]


def _exchange_section(
    number: int, item: CaseItem, exchange: Exchange, clean: Callable[[str], str]
) -> list[str]:
    request = exchange.request
    response = exchange.response
    heading = f"{response.status} {response.reason}".strip() if response else "no response"
    lines = [f"## {number}. {_inline(request.action)}: {_inline(heading)}", ""]
    facts = [
        (
            "Sent",
            exchange.started_at + (f" (profile {exchange.profile})" if exchange.profile else ""),
        ),
        ("Account", f"`{request.account_id}`"),
        ("Customer", clean(item.customer)),
        ("Connector profile", request.connector_profile_id),
        # The user's note from the history (already cleaned with the exchange).
        ("Note", clean(exchange.note)),
        ("Tags", " ".join(f"#{tag}" for tag in exchange.tags)),
    ]
    if response is not None:
        facts += [
            ("Status", f"{response.status} {response.reason}: {status_meaning(response.status)}"),
            ("Request id", f"`{response.request_id}`" if response.request_id else "none returned"),
            (
                "Timing",
                f"{response.timing.total_ms:.0f} ms in all, first byte after "
                f"{response.timing.ttfb_ms:.0f} ms",
            ),
            ("Size", f"{response.size} bytes ({response.kind})"),
        ]
    elif exchange.failure is not None:
        facts.append(("Failure", f"{exchange.failure.kind}: {exchange.failure.message}"))
    lines += [f"- **{name}**: {_inline(value)}" for name, value in facts if value]
    lines += ["", "### What was sent", ""]
    sent = exchange.sent.text() if exchange.sent is not None else json.dumps(request.rpc_body())
    lines += _fenced(_pretty_sent(sent), "http")
    if response is not None and response.error is not None:
        lines += _error_lines(response)
    if item.trace.strip():
        lines += ["### Trace (StackOne request logs)", "", *_fenced(clean(item.trace.strip()), "")]
    if response is not None and response.body:
        lines += ["### Response body", ""]
        if response.kind == "binary" or not response.body:
            lines += [f"A file of {response.size} bytes: only in `{HAR_FILE}`.", ""]
        else:
            body = _pretty_body(response.text(), response.kind)
            if len(body) > REPORT_BODY_LIMIT:
                body = body[:REPORT_BODY_LIMIT] + f"\n… ({len(body)} characters; whole in the HAR)"
            lines += _fenced(body, "json" if response.kind == "json" else "")
    return lines


def _error_lines(response: Any) -> list[str]:
    error = response.error
    lines = ["### The error", ""]
    if error.message:
        lines.append(f"StackOne says: {_inline(error.message)}")
    if error.error_code:
        lines.append(f"Error code: `{error.error_code}`")
    lines.append(f"What it means: {status_meaning(response.status)}")
    lines.append("")
    for provider in error.provider_errors:
        raw = provider.raw if isinstance(provider.raw, str) else json.dumps(provider.raw)
        where = f" from {_inline(provider.url)}" if provider.url else ""
        lines.append(f"- The provider answered {provider.status or '?'}{where}:")
        lines += ["", *_fenced(raw[:REPORT_BODY_LIMIT], "json")]
    return lines


def _environment_section(case: Case, clean: Callable[[str], str]) -> list[str]:
    if not case.environment and not case.variables:
        return []
    name = f'"{_inline(case.environment)}"' if case.environment else "(none)"
    lines = [f"## Environment {name}", ""]
    if case.variables:
        lines += ["| Variable | Value |", "|---|---|"]
        lines += [
            f"| {_cell(name)} | {_cell(clean(value))} |"
            for name, value in sorted(case.variables.items())
        ]
        lines.append("")
    if case.secret_names:
        names = ", ".join(f"`{name}`" for name in sorted(case.secret_names))
        lines += [f"Secret variables (values not included): {names}", ""]
    return lines


def _pretty_sent(text: str) -> str:
    head, sep, body = text.partition("\n\n")
    return head + sep + _pretty_body(body, "json") if sep else text


def _pretty_body(text: str, kind: str) -> str:
    if kind != "json":
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def _fenced(text: str, language: str) -> list[str]:
    """A code block whose fence no backtick run in ``text`` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + language, text, fence, ""]


def _inline(text: str) -> str:
    return " ".join(str(text).split())


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")
