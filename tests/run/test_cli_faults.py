"""The command-line runner always finishes its report, whatever the server or the files do.

Issue 9 items 1, 2 and 7: a JSON body nested 100,000 deep used to kill the runner with a bare
``RecursionError`` before it wrote its reports; a damaged request file or a 400-digit timeout
must not stop the run either; on a home it cannot write, the runner says so and still runs.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.store.collections import REQUEST_SUFFIX, CollectionStore, SavedRequest
from explorer.store.credentials import MemoryCredentials
from tests.fault_server import HostileServer
from tests.run.command import run_cli

KEY = "sk_runner_faults"


@pytest.fixture
def hostile_url() -> Iterator[str]:
    with HostileServer() as server:
        yield server.url


def test_the_runner_writes_its_reports_whatever_the_server_sends(
    tmp_path: Path, hostile_url: str
) -> None:
    root = tmp_path / "hostile"
    store = CollectionStore.create(root, "Hostile")
    for action in ("deep", "bomb", "fine"):
        store.save_request(SavedRequest(action, RpcRequest(action=action, account_id="a")))
    broken = root / ("broken" + REQUEST_SUFFIX)
    broken.write_text('{"name": "x", "request": {"action": "a", "timeout": ' + "9" * 400 + "}}")
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    code, _, _ = run_cli(
        *(root, "--base-url", hostile_url, "--home", tmp_path / "home"),
        *("--junit", junit, "--json", report),
        "--allow-production-writes",  # the hostile server lists no accounts
        env={"STACKONE_API_KEY": KEY},
        credentials=MemoryCredentials(),
    )
    assert code == 1  # the broken file and the bomb fail the run; it still ends normally
    results = {r["name"]: r for r in json.loads(report.read_text())["results"]}
    assert results["deep"]["outcome"] == "passed"  # a 200: the body is shown as text
    assert results["bomb"]["outcome"] == "error"
    assert "decompression bomb" in results["bomb"]["message"]
    assert results["fine"]["outcome"] == "passed"
    problems = json.loads(report.read_text())["problems"]
    assert any("broken" in p and "timeout" in p for p in problems)
    assert ET.parse(junit).getroot().find("testsuite") is not None


def test_the_runner_says_when_the_home_cannot_be_written_and_still_runs(
    tmp_path: Path, hostile_url: str
) -> None:
    root = tmp_path / "c"
    CollectionStore.create(root, "C").save_request(
        SavedRequest("fine", RpcRequest(action="fine", account_id="a"))
    )
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = run_cli(
        *(root, "--base-url", hostile_url, "--home", blocker / "home"),
        "--allow-production-writes",  # the hostile server lists no accounts
        env={"STACKONE_API_KEY": KEY},
        credentials=MemoryCredentials(),
    )
    assert code == 0, err
    assert "the data folder cannot be written" in err
    assert str(blocker) in err
    assert "1 passed" in out
