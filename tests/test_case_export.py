"""Sharing a case: real exchanges with the demo, written as a folder and as a zip, then every
written byte scanned (zip members, HAR bodies base64-decoded) for canary secrets and for the
personal data the preview promised to scrub."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.case import (
    HAR_FILE,
    REPORT_FILE,
    Case,
    CaseItem,
    CaseLeak,
    case_name,
    clean_exchange,
    write_case,
)
from explorer.core.client import RpcClient
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED, PersonalData
from explorer.demo import DemoServer
from tests.canaries import LONG, SHORT, assert_no_canary, blobs, leaks
from tests.private_demo import private_demo

KEY = "sk_CASECANARY_abcdefghij0123456789ZYXWVU"
PERSONAL = (
    "Amara Okafor",
    "Okafor",
    "amara.okafor@acme.example",
    "Schneider",
    "payroll-audit@evil.example",  # in the demo's poisoned note
    "Lovelace",
    "ada.lovelace@example.com",
    "+44 20 7946 0958",
)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    yield from private_demo(KEY)


@pytest.fixture(scope="module")
def exchanges(server: DemoServer) -> list[Exchange]:
    """A failing case as a support engineer meets it, with secrets and personal data in it."""
    requests = [
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo"),
        RpcRequest(
            action="bamboohr_list_employee_notes",
            account_id="acct_bamboohr_demo",
            path={"id": "40010"},
        ),
        RpcRequest(action="bamboohr_get_employee", account_id=LONG, path={"id": "40001"}),
        RpcRequest(
            action="bamboohr_get_employee",
            account_id="acct_bamboohr_demo",
            path={"id": SHORT},
            headers={"x-api-token": LONG, "x-trace": SHORT},
        ),
        RpcRequest(
            action="greenhouse_create_candidate",
            account_id="acct_greenhouse_demo",
            body={
                "first_name": "Ada",
                "last_name": "Lovelace",
                "emails": [{"type": "personal", "value": "ada.lovelace@example.com"}],
                "phone_numbers": [{"type": "mobile", "value": "+44 20 7946 0958"}],
            },
        ),
    ]
    with RpcClient() as client:
        return [client.exchange(r.copy(base_url=server.url), KEY) for r in requests]


def _case(exchanges: list[Exchange]) -> Case:
    # The history's note on the first call, with the key pasted into it by mistake.
    noted = replace(
        exchanges[0],
        note=f"ticket 4711: Amara Okafor since Monday, key {KEY}",
        tags=("customer-acme", LONG),
    )
    return Case(
        items=[CaseItem(e, customer="Acme Ltd") for e in [noted, *exchanges[1:-1]]]
        + [CaseItem(exchanges[-1], trace=f"POST greenhouse /candidates 422 for {SHORT}")],
        title="Employee lookups fail for one account",
        notes=f"Customer says it broke today. Contact: amara.okafor@acme.example. Key {KEY}.",
        environment="staging",
        variables={"region": "eu-west", "owner": "Amara Okafor"},
        secret_names=["account", "token"],
        secrets=[KEY, LONG, SHORT],
    )


def test_the_data_really_carries_the_canaries(exchanges: list[Exchange]) -> None:
    """Without this, the scans below could pass by never meeting a secret or a person."""
    raw = json.dumps([e.to_dict() for e in exchanges], ensure_ascii=False).encode()
    assert leaks(raw, (SHORT, LONG)) == [SHORT, LONG]  # echoed: "Account <id> not found"
    assert leaks(raw, PERSONAL) == sorted(PERSONAL)


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_scrubbed_case_holds_no_secret_and_no_scrubbed_personal_data(
    exchanges: list[Exchange], tmp_path: Path, as_zip: bool
) -> None:
    case = _case(exchanges)
    plan = PersonalData().plan(exchanges)
    previewed = {r.value for r in plan.replacements}
    assert set(PERSONAL) - {"Amara Okafor"} <= previewed  # the full name is found as words
    target = tmp_path / (case_name(case) + (".zip" if as_zip else ""))
    written = write_case(case, target, plan=plan, as_zip=as_zip)
    assert written == target and target.exists()
    if as_zip:
        with zipfile.ZipFile(target) as archive:
            assert sorted(archive.namelist()) == sorted(
                f"{target.stem}/{name}" for name in (REPORT_FILE, HAR_FILE)
            )
    else:
        assert sorted(p.name for p in target.iterdir()) == sorted([HAR_FILE, REPORT_FILE])
    assert_no_canary(target, (SHORT, LONG, KEY, *PERSONAL))
    # No stray staging folder was left beside it.
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_the_report_explains_the_case(exchanges: list[Exchange], tmp_path: Path) -> None:
    plan = PersonalData().plan(exchanges)
    target = write_case(_case(exchanges), tmp_path / "case", plan=plan)
    report = (target / REPORT_FILE).read_text()
    request_ids = [e.response.request_id for e in exchanges if e.response is not None]
    assert all(request_ids) and all(rid in report for rid in request_ids if rid)
    assert "# Employee lookups fail for one account" in report
    assert "| 3 | bamboohr_get_employee | <redacted> | 404 Not Found |" in report
    assert "Not found: the account id or the resource does not exist" in report
    assert f"StackOne says: Account {REDACTED} not found in this project" in report
    assert "**Customer**: Acme Ltd" in report
    assert f"POST greenhouse /candidates 422 for {REDACTED}" in report  # the trace, cleaned
    assert "| region | eu-west |" in report and "| owner | <name 3> |" in report  # "Amara Okafor"
    assert "Secret variables (values not included): `account`, `token`" in report
    assert "Contact: <email 1>" in report and f"Key {REDACTED}." in report
    assert "Personal data was scrubbed" in report
    # The history's note and tags on the first call, secrets and the person hidden.
    assert f"**Note**: ticket 4711: <name 3> since Monday, key {REDACTED}" in report
    assert f"**Tags**: #customer-acme #{REDACTED}" in report
    har = json.loads((target / HAR_FILE).read_text())
    assert har["log"]["entries"][0]["_stackone"]["tags"] == ["customer-acme", REDACTED]
    assert "ms in all, first byte after" in report
    har = json.loads((target / HAR_FILE).read_text())
    assert har["log"]["version"] == "1.2" and len(har["log"]["entries"]) == len(exchanges)


def test_without_the_scrub_secrets_are_still_hidden(
    exchanges: list[Exchange], tmp_path: Path
) -> None:
    target = write_case(_case(exchanges), tmp_path / "case.zip", as_zip=True)
    assert_no_canary(target, (SHORT, LONG, KEY))
    assert leaks(b"".join(data for _, data in blobs(target)), ("Okafor",)) == ["Okafor"]


def test_an_existing_target_is_never_overwritten(exchanges: list[Exchange], tmp_path: Path) -> None:
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError):
        write_case(_case(exchanges), tmp_path / "case")
    assert (tmp_path / "case" / "mine.txt").read_text() == "keep"


def test_a_secret_that_survives_stops_the_export(exchanges: list[Exchange], tmp_path: Path) -> None:
    """A secret value that is also a variable's name cannot be hidden in the variable table:
    the last check finds it and nothing is written."""
    case = _case(exchanges)
    case.secrets = [*case.secrets, "region"]
    with pytest.raises(CaseLeak):
        write_case(case, tmp_path / "case")
    assert list(tmp_path.iterdir()) == []


def test_the_case_rules_clean_one_exchange_for_a_shared_baseline(
    exchanges: list[Exchange],
) -> None:
    plan = PersonalData().plan(exchanges)
    cleaned = clean_exchange(exchanges[0], [KEY], plan)
    assert leaks(json.dumps(cleaned.to_dict()).encode(), PERSONAL) == []


def test_a_trace_from_stackones_request_logs_goes_in_without_credentials(
    server: DemoServer, exchanges: list[Exchange], tmp_path: Path
) -> None:
    from explorer.core.case import trace_summary
    from explorer.core.request_logs import RequestLog, StepLog, fetch_log
    from explorer.demo.provider_calls import BAMBOOHR_AUTH

    failing = exchanges[3]  # the employee that does not exist: one failed provider call
    assert failing.response is not None and failing.response.request_id
    with RpcClient() as client:
        log = fetch_log(client, server.url, KEY, failing.response.request_id)
    assert log.steps and any(
        BAMBOOHR_AUTH in json.dumps(s.request.headers) for s in log.steps if s.request
    )
    trace = trace_summary(log)
    assert f"Request {log.request_id}: bamboohr_get_employee" in trace
    assert "-> 404" in trace and "FAILED" in trace
    # A provider URL with a token in its query string reads <redacted> there.
    token_step = StepLog(http_method="GET", url="https://p.example/v1?access_token=abc123&page=2")
    assert "access_token=<redacted>&page=2" in trace_summary(
        RequestLog(request_id="r1", steps=[token_step])
    )
    case = _case(exchanges)
    case.items = [CaseItem(failing, trace=trace)]
    target = write_case(case, tmp_path / "case")
    assert "### Trace (StackOne request logs)" in (target / REPORT_FILE).read_text()
    assert_no_canary(target, (SHORT, LONG, KEY, BAMBOOHR_AUTH.split()[-1]))
