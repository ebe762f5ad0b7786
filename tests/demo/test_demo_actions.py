"""Each demo action answers what a user of the explorer should see, valid against the spec."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from urllib.parse import unquote

import pytest

from explorer.demo import EXAMPLE_REQUEST, DemoServer
from explorer.demo.records import DRIVE_FILES
from tests.demo.rpc_calls import Rpc, client_for, make_rpc
from tests.spec_schema import schema_fields

# -- bamboohr_list_employees -------------------------------------------------------------------


def test_example_request_lists_five_employees_and_a_cursor(rpc: Rpc) -> None:
    body = {k: v for k, v in EXAMPLE_REQUEST.items() if k != "account_id"}
    response = rpc(body, account=EXAMPLE_REQUEST["account_id"])
    assert response.status_code == 200
    page = response.json()
    assert len(page["data"]) == 5
    assert isinstance(page["next"], str)


def test_following_next_cursors_walks_all_23_employees_once(rpc: Rpc) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query: dict[str, str] = {} if cursor is None else {"next": cursor}
        page = rpc({"action": "bamboohr_list_employees", "query": query}).json()
        assert len(page["data"]) <= 10  # the default page size
        seen += [employee["id"] for employee in page["data"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 23
    assert "Zoë Martin" in {
        e["display_name"]
        for e in rpc({"action": "bamboohr_list_employees", "query": {"page_size": 23}}).json()[
            "data"
        ]
    }


def test_list_is_deterministic(rpc: Rpc) -> None:
    first = rpc({"action": "bamboohr_list_employees"}).json()
    second = rpc({"action": "bamboohr_list_employees"}).json()
    assert first == second


@pytest.mark.parametrize("cursor", ["garbage", "eyJvZmZzZXQiOjk5OX0", ""])
def test_invalid_cursor_is_400(rpc: Rpc, cursor: str) -> None:
    response = rpc({"action": "bamboohr_list_employees", "query": {"next": cursor}})
    assert response.status_code == 400
    assert "cursor" in response.json()["message"]


@pytest.mark.parametrize("size", [0, 101, "ten", True])
def test_invalid_page_size_is_400(rpc: Rpc, size: object) -> None:
    response = rpc({"action": "bamboohr_list_employees", "query": {"page_size": size}})
    assert response.status_code == 400
    assert "page_size" in response.json()["message"]


# -- bamboohr_get_employee ---------------------------------------------------------------------


def test_get_employee_by_id(rpc: Rpc) -> None:
    response = rpc({"action": "bamboohr_get_employee", "path": {"id": "40004"}})
    assert response.status_code == 200
    assert response.json()["data"]["display_name"] == "José Álvarez"


@pytest.mark.parametrize("path", [None, {}, {"id": ""}])
def test_get_employee_without_id_is_400(rpc: Rpc, path: object) -> None:
    response = rpc({"action": "bamboohr_get_employee", "path": path})
    assert response.status_code == 400
    assert "path.id" in response.json()["message"]


def test_unknown_employee_is_404_with_bamboohrs_error(rpc: Rpc) -> None:
    response = rpc({"action": "bamboohr_get_employee", "path": {"id": "99999"}})
    assert response.status_code == 404
    [error] = response.json()["provider_errors"]
    assert error["status"] == 404
    assert error["url"].startswith("https://api.bamboohr.com/")
    assert "99999" in error["url"]
    assert isinstance(error["raw"], dict)


# -- greenhouse_create_candidate ---------------------------------------------------------------


def test_invalid_candidate_is_422_naming_each_problem(rpc: Rpc) -> None:
    body = {"first_name": "", "emails": [{"value": "not-an-email", "type": "work"}, "x"]}
    response = rpc(
        {"action": "greenhouse_create_candidate", "body": body}, account="acct_greenhouse_demo"
    )
    assert response.status_code == 422
    errors = response.json()["provider_errors"]
    fields = [e["raw"]["field"] for e in errors]
    assert fields == ["first_name", "last_name", "emails[0].value", "emails[1]"]
    assert all(e["status"] == 422 and "greenhouse.io" in e["url"] for e in errors)


def test_valid_candidate_gets_a_new_id_each_time(rpc: Rpc) -> None:
    body = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "emails": [{"value": "ada@example.com", "type": "personal"}],
    }
    call = {"action": "greenhouse_create_candidate", "body": body}
    first = rpc(call, account="acct_greenhouse_demo")
    second = rpc(call, account="acct_greenhouse_demo")
    assert first.status_code == second.status_code == 200
    created = first.json()["data"]
    assert created["first_name"] == "Ada"
    assert created["emails"] == body["emails"]
    assert created["id"] != second.json()["data"]["id"]


# -- documents_download_file -------------------------------------------------------------------


@pytest.mark.parametrize("file_id", sorted(DRIVE_FILES))
def test_download_answers_raw_bytes_with_the_files_own_type_and_name(
    rpc: Rpc, file_id: str
) -> None:
    demo_file = DRIVE_FILES[file_id]
    response = rpc(
        {"action": "documents_download_file", "path": {"id": file_id}}, account="acct_drive_demo"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == demo_file.mime_type
    assert response.content == demo_file.content
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii()
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == demo_file.name
    assert not demo_file.name.isascii()  # the point: a name only filename*= carries intact


def test_downloaded_pdf_is_a_real_pdf(rpc: Rpc) -> None:
    content = rpc(
        {"action": "documents_download_file", "path": {"id": "file_q1_overview"}},
        account="acct_drive_demo",
    ).content
    assert content.startswith(b"%PDF-1.")
    assert content.rstrip().endswith(b"%%EOF")
    xref_at = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[xref_at:].startswith(b"xref")


def test_drive_listing_gives_the_ids_download_takes(rpc: Rpc) -> None:
    listing = rpc({"action": "google_drive_list_files"}, account="acct_drive_demo").json()
    assert {f["id"] for f in listing["data"]} == set(DRIVE_FILES)


def test_unknown_file_is_404_with_drives_error(rpc: Rpc) -> None:
    response = rpc(
        {"action": "documents_download_file", "path": {"id": "nope"}}, account="acct_drive_demo"
    )
    assert response.status_code == 404
    assert response.json()["provider_errors"][0]["url"].startswith("https://www.googleapis.com/")


# -- workday_list_workers ----------------------------------------------------------------------


def test_workday_failure_is_502_with_the_providers_503(rpc: Rpc) -> None:
    response = rpc({"action": "workday_list_workers"}, account="acct_workday_demo")
    assert response.status_code == 502
    [error] = response.json()["provider_errors"]
    assert error["status"] == 503
    assert error["url"].startswith("https://")
    assert error["raw"]["error"] == "Service Unavailable"


# -- bamboohr_generate_report ------------------------------------------------------------------


def test_report_answers_after_the_configured_delay() -> None:
    with DemoServer(slow_seconds=0.2) as server, client_for(server) as client:
        rpc = make_rpc(client)
        started = time.monotonic()
        response = rpc({"action": "bamboohr_generate_report"})
        assert time.monotonic() - started >= 0.2  # it really waited (a floor, not a limit)
        assert response.status_code == 200
        report = response.json()["data"]
        assert report["status"] == "complete"
        assert sum(row["headcount"] for row in report["rows"]) == 23


def test_report_takes_body_seconds_over_the_default(rpc: Rpc) -> None:
    # The session server's default is 10 s; body.seconds = 0 answers at once.
    response = rpc({"action": "bamboohr_generate_report", "body": {"seconds": 0}})
    assert response.status_code == 200
    assert response.json()["data"]["generated_in_seconds"] == 0


@pytest.mark.parametrize("seconds", [-1, "soon", True])
def test_report_rejects_bad_seconds(rpc: Rpc, seconds: object) -> None:
    response = rpc({"action": "bamboohr_generate_report", "body": {"seconds": seconds}})
    assert response.status_code == 400


def test_action_longer_than_the_timeout_is_408_with_retry_after() -> None:
    with DemoServer(action_timeout=0.1) as server, client_for(server) as client:
        response = make_rpc(client)({"action": "bamboohr_generate_report", "body": {"seconds": 5}})
        assert response.status_code == 408
        assert response.headers["retry-after"] == "1"
        assert "timed out" in response.json()["message"]


# -- hibob_search_employees --------------------------------------------------------------------


def test_hibob_first_call_is_429_then_waiting_retry_after_succeeds() -> None:
    with DemoServer(rate_limit_retry_after=1) as server, client_for(server) as client:
        rpc = make_rpc(client)
        call = {"action": "hibob_search_employees", "body": {"query": "engineer"}}
        first = rpc(call, account="acct_hibob_demo")
        assert first.status_code == 429
        assert first.headers["retry-after"] == "1"
        assert first.json()["provider_errors"][0]["status"] == 429
        assert rpc(call, account="acct_hibob_demo").status_code == 429  # too early
        time.sleep(float(first.headers["retry-after"]) + 0.05)
        retried = rpc(call, account="acct_hibob_demo")
        assert retried.status_code == 200
        titles = {p["work"]["title"] for p in retried.json()["data"]}
        assert titles and all("engineer" in t.lower() for t in titles)
        assert rpc(call, account="acct_hibob_demo").status_code == 200  # the window stays open


def test_hibob_default_retry_after_is_three_seconds() -> None:
    with DemoServer() as server, client_for(server) as client:
        first = make_rpc(client)({"action": "hibob_search_employees"}, account="acct_hibob_demo")
        assert first.status_code == 429
        assert first.headers["retry-after"] == "3"


# -- Defender: bamboohr_list_employee_notes ---------------------------------------------------

NOTES = {"action": "bamboohr_list_employee_notes"}


def test_defender_is_on_by_default_and_flags_the_injection(rpc: Rpc) -> None:
    response = rpc(NOTES)
    assert response.status_code == 200
    body = response.json()
    assert any("Ignore all previous instructions" in n["content"] for n in body["data"])
    # StackOne's own Defender library decided, and the report uses its field names.
    finding = body["metadata"]["defender"]
    assert finding["available"] is True
    assert finding["allowed"] is True  # flagged, not blocked: blocking is off by default
    assert finding["risk_level"] == "high"
    assert finding["detections"] == ["ignore_previous"]
    assert finding["patterns_by_field"] == {"[2].content": ["ignore_previous"]}
    # The dev/CI install carries the library's ONNX extra, so tier 2 really ran.
    assert finding["tier2_available"] is True
    assert finding["tier2_score"] >= 0.5
    assert finding["config"] == {
        "use_tier1_classification": True,
        "use_tier2_classification": True,
        "block_high_risk": False,
    }


def test_defender_blocks_high_risk_when_asked(rpc: Rpc) -> None:
    response = rpc({**NOTES, "defender_config": {"block_high_risk": True}})
    assert response.status_code == 403
    message = response.json()["message"]
    assert "Defender" in message and "high" in message
    assert "Ignore all previous" not in response.text  # the content is withheld


@pytest.mark.parametrize(
    "settings",
    [
        {"defender_config": {"enabled": False}},
        {
            "defender_config": {
                "enabled": False,
                "block_high_risk": False,
                "use_tier1_classification": False,
                "use_tier2_classification": False,
            }
        },
        {"defender_config": {"use_tier1_classification": False, "use_tier2_classification": False}},
        {"defender_enabled": False},
        {"defender_enabled": False, "defender_config": {"block_high_risk": True}},
    ],
)
def test_defender_off_returns_the_notes_unflagged(rpc: Rpc, settings: dict[str, object]) -> None:
    response = rpc({**NOTES, **settings})
    assert response.status_code == 200
    assert "metadata" not in response.json()


def test_defender_config_wins_over_the_deprecated_flag(rpc: Rpc) -> None:
    body = rpc({**NOTES, "defender_enabled": False, "defender_config": {"enabled": True}}).json()
    assert body["metadata"]["defender"]["risk_level"] == "high"


def test_tier2_alone_still_finds_high_risk(rpc: Rpc) -> None:
    body = rpc({**NOTES, "defender_config": {"use_tier1_classification": False}}).json()
    finding = body["metadata"]["defender"]
    assert finding["detections"] == []  # no pattern rules ran
    assert finding["tier2_score"] >= 0.5
    assert finding["risk_level"] == "high"


def test_tier1_alone_finds_the_pattern_without_a_score(rpc: Rpc) -> None:
    body = rpc({**NOTES, "defender_config": {"use_tier2_classification": False}}).json()
    finding = body["metadata"]["defender"]
    assert finding["detections"] == ["ignore_previous"]
    assert finding["tier2_score"] is None
    assert finding["tier2_available"] is None  # not asked for
    assert finding["risk_level"] == "high"


def test_tier2_alone_also_blocks_when_asked(rpc: Rpc) -> None:
    response = rpc(
        {
            **NOTES,
            "defender_config": {"use_tier1_classification": False, "block_high_risk": True},
        }
    )
    assert response.status_code == 403
    assert "tier 2 score" in response.json()["message"]


def test_clean_data_carries_no_defender_block(rpc: Rpc) -> None:
    assert "metadata" not in rpc({"action": "bamboohr_list_employees"}).json()


# -- sync=true and debug=true ------------------------------------------------------------------


def test_sync_wraps_a_list_with_datasync_metadata(rpc: Rpc) -> None:
    response = rpc({"action": "bamboohr_list_employees"}, params={"sync": "true"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 10
    datasync = body["datasync"]
    assert set(datasync) == schema_fields("ActionsSyncedDatasync") != set()
    assert datasync["request_id"] == response.headers["x-request-id"]


def test_sync_params_hash_ignores_pagination_but_not_filters(rpc: Rpc) -> None:
    def params_hash(query: dict[str, object]) -> str:
        body = {"action": "bamboohr_list_employees", "query": query}
        hashed = rpc(body, params={"sync": "true"}).json()["datasync"]["params_hash"]
        assert isinstance(hashed, str)
        return hashed

    assert params_hash({}) == params_hash({"page_size": 5})
    assert params_hash({}) != params_hash({"department": "Sales"})


def test_sync_accepts_a_run_id(rpc: Rpc) -> None:
    body = rpc(
        {"action": "bamboohr_list_employees"}, params={"sync": "true", "run_id": "run_abc"}
    ).json()
    assert body["datasync"]["last_run_id"] == "run_abc"


def test_sync_on_a_non_list_action_is_400(rpc: Rpc) -> None:
    response = rpc(
        {"action": "bamboohr_get_employee", "path": {"id": "40001"}}, params={"sync": "true"}
    )
    assert response.status_code == 400
    assert "sync" in response.json()["message"]


def test_without_sync_there_is_no_datasync(rpc: Rpc) -> None:
    body = rpc({"action": "bamboohr_list_employees"}, params={"sync": "false"}).json()
    assert "datasync" not in body


def test_debug_adds_the_provider_request(rpc: Rpc) -> None:
    response = rpc(
        {"action": "bamboohr_get_employee", "path": {"id": "40001"}}, params={"debug": "true"}
    )
    debug = response.json()["debug"]
    [provider] = debug["provider_requests"]
    assert provider["method"] == "GET"
    assert provider["url"].endswith("/employees/40001")
    assert debug["request_id"] == response.headers["x-request-id"]
    assert "debug" not in rpc({"action": "bamboohr_get_employee", "path": {"id": "40001"}}).json()


def test_debug_in_the_rpc_query_object_counts_too(rpc: Rpc) -> None:
    body = rpc({"action": "bamboohr_list_employees", "query": {"debug": True}}).json()
    assert body["debug"]["connector"] == "bamboohr"


def test_without_the_defender_library_the_demo_says_defender_is_unavailable() -> None:
    """A plain install (no ``[defender]`` extra): the answer says nothing was screened."""
    probe = (
        "import json, sys\n"
        "sys.modules['stackone_defender'] = None  # as if the extra were not installed\n"
        "import httpx\n"
        "from explorer.demo import DemoServer\n"
        "with DemoServer() as server:\n"
        "    response = httpx.post(server.url + '/actions/rpc', auth=(server.api_key, ''),\n"
        "        headers={'x-account-id': 'acct_bamboohr_demo'},\n"
        "        json={'action': 'bamboohr_list_employee_notes',\n"
        "              'defender_config': {'block_high_risk': True}})\n"
        "    print(json.dumps([response.status_code, response.json()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    # Not blocked: nothing screened it, and the response says so instead of pretending.
    assert status == 200
    defender = body["metadata"]["defender"]
    assert defender["available"] is False
    assert "stackone-explorer[defender]" in defender["message"]
