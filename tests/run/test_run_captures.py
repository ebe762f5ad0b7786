"""Captures in a run: "list employees, then get the first", with the one engine.

Issue 14, item 3: the window's run and ``stackone-explorer run`` both apply captures (one
engine: ``run_requests``); a capture that takes nothing fails its request clearly; captured
values are never written into the collection's files. Against the demo server over loopback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.captures import Capture
from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED
from explorer.demo.server import DemoServer
from explorer.run.cli import EXIT_REFUSED
from explorer.run.engine import ERROR, FAILED, PASSED, RunResult, run_requests
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.profiles import Profile, ProfileStore
from tests.chain_collection import FIRST_ID, FIRST_NAME, create_chain_collection
from tests.run.command import run_cli


def _run(
    store: CollectionStore,
    server: DemoServer,
    *,
    keep: bool = True,
    values: dict[str, str] | None = None,
    given: tuple[str, ...] = (),
) -> list[RunResult]:
    with RpcClient(keep_alive=not keep) as client:
        return run_requests(
            store.collection.requests(),
            client=client,
            api_key=server.api_key,
            values=values or {},
            profile=Profile("local", base_url=server.url, account_id="acct_bamboohr_demo"),
            keep_exchanges=keep,
            given=given,
        )


@pytest.mark.parametrize("keep", [True, False], ids=["window", "command line"])
def test_list_then_get_the_first_with_no_copy_and_paste(
    tmp_path: Path, demo_server: DemoServer, keep: bool
) -> None:
    store = create_chain_collection(tmp_path / "chain")
    files = {p: p.read_bytes() for p in (tmp_path / "chain").rglob("*") if p.is_file()}
    listed, got = _run(store, demo_server, keep=keep)
    assert (listed.outcome, got.outcome) == (PASSED, PASSED)
    assert listed.captured == [("employee_id", FIRST_ID), ("employee_name", FIRST_NAME)]
    assert got.status == 200
    if keep:
        assert got.exchange is not None and got.exchange.request.path == {"id": FIRST_ID}
        response = got.exchange.response
        assert response is not None and response.json["data"]["display_name"] == FIRST_NAME
    # The run wrote nothing back: the files are byte for byte what they were.
    assert {p: p.read_bytes() for p in files} == files
    assert FIRST_NAME not in "".join(p.read_text() for p in files)


def test_a_capture_of_a_missing_path_fails_its_request_and_names_the_path(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    store = create_chain_collection(tmp_path / "chain", first_path="$.data[0].employee_id")
    listed, got = _run(store, demo_server)
    assert listed.status == 200 and listed.outcome == FAILED and listed.capture_failed
    assert "'employee_id'" in listed.message
    assert "$.data[0].employee_id matched nothing in the response" in listed.message
    assert listed.captured == []  # a request's captures take their values together or none
    # The next request is not sent with a stale or empty value: it names the variable.
    assert got.outcome == ERROR and got.status is None
    assert "{{employee_id}}" in got.message


def test_a_given_value_wins_over_a_captured_one_which_wins_over_the_environment(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    store = create_chain_collection(tmp_path / "chain")
    # The environment's value is replaced by the capture...
    _listed, got = _run(store, demo_server, values={"employee_id": "40003"})
    assert got.exchange is not None and got.exchange.request.path == {"id": FIRST_ID}
    # ...and a value given from outside (--var) is not.
    _listed, got = _run(store, demo_server, values={"employee_id": "40003"}, given=("employee_id",))
    assert got.exchange is not None and got.exchange.request.path == {"id": "40003"}


def test_a_secret_looking_capture_is_masked_in_results_and_reports(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    store = create_chain_collection(tmp_path / "chain")
    [listed] = store.collection.find("List employees")
    listed.captures.append(Capture("session_token", "$.data[0].work_email"))
    store.save_request(listed)
    first, got = _run(store, demo_server)
    assert ("session_token", REDACTED) in first.captured
    assert first.captured_secrets == ["amara.okafor@acme.example"]
    assert "amara.okafor" not in json.dumps(first.to_dict())
    assert got.outcome == PASSED


def test_the_command_line_prints_what_was_captured(tmp_path: Path, demo_server: DemoServer) -> None:
    store = create_chain_collection(tmp_path / "chain")
    home = tmp_path / "home"
    profiles = ProfileStore(home / "config" / "profiles.json")
    profiles.upsert(Profile("local", base_url=demo_server.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    report = tmp_path / "report.json"
    code, out, err = run_cli(
        store.root, "--home", home, "--json", report,
        env={"STACKONE_API_KEY": demo_server.api_key},
    )  # fmt: skip
    assert code == 0, err
    header, listed, got = out.splitlines()[:3]
    assert header.split()[-1] == "CAPTURED"
    assert listed.endswith(f"employee_id={FIRST_ID}, employee_name={FIRST_NAME}")
    assert got.startswith("Get the first") and " 200 " in got
    results = json.loads(report.read_text())["results"]
    assert results[0]["captured"] == {"employee_id": FIRST_ID, "employee_name": FIRST_NAME}

    # A capture that takes nothing: the run fails, saying which path matched nothing.
    broken = create_chain_collection(tmp_path / "broken", first_path="$.data[0].nope")
    code, out, err = run_cli(
        broken.root, "--home", home, env={"STACKONE_API_KEY": demo_server.api_key}
    )
    assert code == 1
    assert "200 (capture failed)" in out
    assert "$.data[0].nope matched nothing" in err


def test_a_write_to_an_account_a_capture_will_name_is_refused_before_anything_is_sent(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    """The production guard judges a run before it starts: an account id that only a capture
    will give is unknown then, and unknown counts as production."""
    store = create_chain_collection(tmp_path / "chain")
    store.save_request(
        SavedRequest(
            "Write to the captured account",
            RpcRequest(
                action="bamboohr_create_employee",
                account_id="{{employee_account}}",
                body={"first_name": "Ada"},
            ),
        )
    )
    [listed] = store.collection.find("List employees")
    listed.captures.append(Capture("employee_account", "$.data[0].id"))
    store.save_request(listed)
    home = tmp_path / "home"
    profiles = ProfileStore(home / "config" / "profiles.json")
    profiles.upsert(Profile("local", base_url=demo_server.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    code, out, err = run_cli(
        store.root, "--home", home, env={"STACKONE_API_KEY": demo_server.api_key}
    )
    assert code == EXIT_REFUSED, err
    assert "Write to the captured account" in err and out == ""
