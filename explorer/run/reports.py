"""A run's results for people and machines: the table and summary line (printed by the command
line, copied from the window), JUnit XML for CI servers, and JSON for scripts.

Results reach here already masked (``run_requests`` hides every secret in them), and the
``Exchange`` a result may hold is never written: nothing in a report can hold a secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from explorer import __version__
from explorer.run.engine import ERROR, FAILED, PASSED, RunResult
from explorer.store.collections import LoadProblem

REPORT_FORMAT = "stackone-explorer-run"


def format_table(results: Sequence[RunResult]) -> str:
    """A plain-text table: name, action, status, time, request id, and the values captured
    (a secret one masked) when the run has captures."""
    captures = any(r.captured for r in results)
    header = ("NAME", "ACTION", "STATUS", "TIME MS", "REQUEST ID") + (
        ("CAPTURED",) if captures else ()
    )
    rows = [header]
    for r in results:
        if r.status is None:
            status = "ERROR"
        elif r.passed:
            status = str(r.status)
        elif r.capture_failed:
            status = f"{r.status} (capture failed)"
        else:
            status = f"{r.status} (expected {r.expected})"
        rows.append(
            (
                f"{r.folder}/{r.name}" if r.folder else r.name,
                r.action,
                status,
                "" if r.time_ms is None else f"{r.time_ms:.0f}",
                r.request_id or "",
            )
            + ((captured_text(r),) if captures else ())
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {3}  # numbers line up on the right
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def captured_text(result: RunResult) -> str:
    """``employee_id=40001, token=<redacted>``: what a request's captures took."""
    return ", ".join(f"{name}={value}" for name, value in result.captured)


def tally(results: Sequence[RunResult], problems: Sequence[LoadProblem] = ()) -> str:
    """``3 passed, 1 failed, 0 errors`` (and the files not loaded, if any)."""
    passed = sum(r.outcome == PASSED for r in results)
    failed = sum(r.outcome == FAILED for r in results)
    errors = sum(r.outcome == ERROR for r in results)
    parts = [f"{passed} passed", f"{failed} failed", f"{errors} errors"]
    if problems:
        parts.append(f"{len(problems)} file(s) not loaded")
    return ", ".join(parts)


def summary(results: Sequence[RunResult], problems: Sequence[LoadProblem], elapsed: float) -> str:
    """The line under the table: the tally and how long the run took."""
    return tally(results, problems) + f" ({len(results)} requests in {elapsed:.2f} s)"


def junit_xml(
    results: Sequence[RunResult], problems: Sequence[LoadProblem], context: Mapping[str, Any]
) -> str:
    """JUnit XML as CI servers read it: one testsuite, one testcase per request.

    Unexpected statuses are ``<failure>``; requests that could not be judged (and files that
    could not be loaded) are ``<error>``. The request id goes to ``<system-out>`` so a failure
    can be quoted to StackOne support.
    """
    # Only a run asked for JUnit pays for the XML machinery.
    import xml.etree.ElementTree as ET

    suite_name = str(context["collection"])
    failures = sum(r.outcome == FAILED for r in results)
    errors = sum(r.outcome == ERROR for r in results) + len(problems)
    total_time = sum((r.time_ms or 0.0) for r in results) / 1000
    attrs = {
        "name": suite_name,
        "tests": str(len(results) + len(problems)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": f"{total_time:.3f}",
        "timestamp": str(context["started_at"]),
    }
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    props = ET.SubElement(suite, "properties")
    for key in ("environment", "profile", "base_url", "collection_path"):
        if context.get(key):
            ET.SubElement(props, "property", {"name": key, "value": str(context[key])})
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"{suite_name}.{r.folder}" if r.folder else suite_name,
                "name": r.name,
                "time": f"{(r.time_ms or 0.0) / 1000:.3f}",
            },
        )
        if r.outcome == FAILED:
            node = ET.SubElement(
                case, "failure", {"message": r.message, "type": "UnexpectedStatus"}
            )
            node.text = r.message
        elif r.outcome == ERROR:
            node = ET.SubElement(case, "error", {"message": r.message, "type": "NotJudged"})
            node.text = r.message
        out = ET.SubElement(case, "system-out")
        out.text = (
            f"action: {r.action}\nexpected status: {r.expected}\n"
            f"status: {r.status if r.status is not None else 'none'}\n"
            f"request id: {r.request_id or 'none'}\n"
        )
    for problem in problems:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": suite_name, "name": f"load {problem.file.name}", "time": "0.000"},
        )
        node = ET.SubElement(case, "error", {"message": str(problem), "type": "LoadProblem"})
        node.text = str(problem)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def json_report(
    results: Sequence[RunResult], problems: Sequence[LoadProblem], context: Mapping[str, Any]
) -> str:
    """The run as JSON for scripts: ``context`` (collection, environment, profile...), the
    counts, one object per request and the files not loaded."""
    report = {
        "format": REPORT_FORMAT,
        "version": 1,
        "explorer_version": __version__,
        **context,
        "summary": {
            "total": len(results),
            "passed": sum(r.outcome == PASSED for r in results),
            "failed": sum(r.outcome == FAILED for r in results),
            "errors": sum(r.outcome == ERROR for r in results),
            "not_loaded": len(problems),
        },
        "results": [r.to_dict() for r in results],
        "problems": [str(p) for p in problems],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
