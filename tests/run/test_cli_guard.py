"""The production guard of ``stackone-explorer run``: a run that would write to a production
account (or to one whose type cannot be read) is refused with exit status 3 and sends nothing,
unless ``--allow-production-writes`` is given. Against the real demo server over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from explorer.core.request_logs import list_logs
from explorer.demo.server import DemoServer
from explorer.run.cli import EXIT_REFUSED, main
from explorer.store.collections import CollectionStore, SavedRequest
from tests.run.command import python, run_cli
from tests.smoke_collection import create_smoke_collection

KEY = "sk_GUARD_CANARY_7d41b0"


@pytest.fixture
def server() -> Iterator[DemoServer]:
    """A demo server of the test's own, so its request logs show exactly what was sent."""
    with DemoServer(api_key=KEY) as demo:
        yield demo


def run(*args: str | Path) -> tuple[int, str, str]:
    return run_cli(*args, env={"STACKONE_API_KEY": KEY})


def sent(server: DemoServer) -> list[str]:
    """The actions the demo served (its request logs), oldest first."""
    with RpcClient() as client:
        logs = list_logs(client, server.url, KEY)
    return [log.action for log in reversed(logs)]


def collection(root: Path, *requests: SavedRequest) -> Path:
    store = CollectionStore.create(root, "Writes")
    for saved in requests:
        store.save_request(saved)
    return root


def test_a_write_to_production_is_refused_and_nothing_is_sent(
    tmp_path: Path, home: Path, server: DemoServer
) -> None:
    smoke = create_smoke_collection(tmp_path / "smoke").root
    report = tmp_path / "report.json"
    code, out, err = run(smoke, "--env", "demo", "--home", home, "--json", report)
    assert code == EXIT_REFUSED == 3
    assert out == ""
    assert (
        "  Candidates/Reject bad candidate: greenhouse_create_candidate -> acct_greenhouse_demo "
        "(PRODUCTION, Acme Demo Ltd)"
    ) in err
    assert "--allow-production-writes" in err and "Nothing was sent" in err
    assert sent(server) == []  # not even the reads before it
    assert not report.exists()


def test_the_flag_sends_and_says_so(tmp_path: Path, home: Path, server: DemoServer) -> None:
    smoke = create_smoke_collection(tmp_path / "smoke").root
    code, _out, err = run(smoke, "--env", "demo", "--home", home, "--allow-production-writes")
    assert code == 0, err
    assert (
        "note: --allow-production-writes: writing anyway to Candidates/Reject bad candidate: "
        "greenhouse_create_candidate -> acct_greenhouse_demo (PRODUCTION, Acme Demo Ltd)"
    ) in err
    assert sent(server) == [
        "bamboohr_list_employees",
        "bamboohr_get_employee",
        "greenhouse_create_candidate",
    ]


def test_reads_and_writes_to_test_accounts_need_no_flag(
    tmp_path: Path, home: Path, server: DemoServer
) -> None:
    root = collection(
        tmp_path / "c",
        SavedRequest("List", RpcRequest(action="bamboohr_list_employees")),  # production: reads
        SavedRequest(
            "Report",
            RpcRequest(
                action="bamboohr_generate_report",  # "generate" writes
                account_id="acct_bamboohr_sandbox",  # a test account
                body={"seconds": 0},
            ),
        ),
    )
    code, _out, err = run(root, "--home", home)
    assert code == 0, err
    assert sent(server) == ["bamboohr_list_employees", "bamboohr_generate_report"]


def test_an_account_of_unknown_type_fails_closed(
    tmp_path: Path, home: Path, server: DemoServer
) -> None:
    root = collection(
        tmp_path / "c",
        SavedRequest(
            "Invite",
            RpcRequest(action="slack_invite_member", account_id="acct_someone_elses"),
        ),
    )
    code, _out, err = run(root, "--home", home)
    assert code == EXIT_REFUSED
    assert "Invite: slack_invite_member -> acct_someone_elses (type unknown: it is not among" in err
    assert sent(server) == []


def test_a_listing_that_fails_leaves_the_type_unknown(tmp_path: Path, home: Path) -> None:
    root = collection(
        tmp_path / "c",
        SavedRequest("Update", RpcRequest(action="bamboohr_update_employee")),
    )
    # Nothing listens on port 9: the listing fails, and unknown is refused.
    code, _out, err = run(root, "--home", home, "--base-url", "http://127.0.0.1:9")
    assert code == EXIT_REFUSED
    assert "type unknown: GET /accounts failed" in err


def test_the_exit_status_is_the_command_s_own(tmp_path: Path, home: Path) -> None:
    smoke = create_smoke_collection(tmp_path / "smoke").root
    done = python(
        "-m", "explorer", "run", smoke, "--env", "demo", "--home", home,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "refused: 1 request would write to a production account" in done.stderr


def test_help_documents_the_flag_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--allow-production-writes" in text
    assert "3 refused by the production guard" in text
    assert "send_message, upload, invite, terminate" in text
