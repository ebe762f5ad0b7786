"""The command-line runner against the real demo server over loopback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.demo.server import DemoServer
from explorer.runner import main
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.profiles import Profile, ProfileStore

KEY = "sk_RUNNER_CANARY_5c2e9a"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    demo = DemoServer(port=0, api_key=KEY).start()
    yield demo
    demo.stop()


@pytest.fixture
def home(tmp_path: Path, server: DemoServer) -> Path:
    """An explorer home with one profile pointing at the demo server."""
    home = tmp_path / "home"
    profiles = ProfileStore(home / "config" / "profiles.json")
    profiles.upsert(Profile("demo", base_url=server.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    return home


def _collection(root: Path, *, failing: bool = False) -> Path:
    store = CollectionStore.create(root, "Smoke")
    store.set_environment(Environment("demo", {"employee": "40001", "page_size": "3"}))
    store.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(action="bamboohr_list_employees", query={"page_size": "{{page_size}}"}),
        )
    )
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(action="bamboohr_get_employee", path={"id": "{{employee}}"}),
            folder="Employees",
            expected_status=200,
        )
    )
    store.save_request(
        SavedRequest(
            "Reject bad candidate",
            RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": ""},
            ),
            folder="Candidates",
            expected_status=422,
        )
    )
    if failing:
        store.save_request(
            SavedRequest(
                "Workers",
                RpcRequest(action="workday_list_workers", account_id="acct_workday_demo"),
                folder="Workday",
            )
        )
    return root


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "STACKONE_API_KEY"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "explorer", "run", *map(str, args)],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _no_key_in(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path


def test_a_good_collection_passes_with_reports(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke")
    junit, report = tmp_path / "out" / "junit.xml", tmp_path / "out" / "report.json"
    junit.parent.mkdir()
    done = _run(
        collection,
        "--env",
        "demo",
        "--home",
        home,
        "--junit",
        junit,
        "--json",
        report,
        env={"STACKONE_API_KEY": KEY},
    )
    assert done.returncode == 0, done.stderr
    # progress on stderr, table and summary on stdout
    assert "[1/3] List employees ... 200" in done.stderr
    assert "[2/3] Employees/Get employee ... 200" in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["NAME", "ACTION", "STATUS", "TIME", "MS", "REQUEST", "ID"]
    assert lines[3].startswith("Candidates/Reject bad candidate  greenhouse_create_candidate  422")
    assert lines[-1].startswith("3 passed, 0 failed, 0 errors (3 requests in")

    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.attrib["name"] == "Smoke"
    assert (suite.attrib["tests"], suite.attrib["failures"], suite.attrib["errors"]) == (
        "3",
        "0",
        "0",
    )
    cases = suite.findall("testcase")
    assert [c.attrib["name"] for c in cases] == [
        "List employees",
        "Get employee",
        "Reject bad candidate",
    ]
    assert cases[1].attrib["classname"] == "Smoke.Employees"
    assert float(cases[0].attrib["time"]) >= 0
    out = cases[0].findtext("system-out") or ""
    assert "request id: " in out and "request id: none" not in out

    data = json.loads(report.read_text())
    assert data["summary"] == {"total": 3, "passed": 3, "failed": 0, "errors": 0, "not_loaded": 0}
    assert data["environment"] == "demo"
    assert data["profile"] == "demo"
    assert [r["status"] for r in data["results"]] == [200, 200, 422]
    assert all(r["request_id"] for r in data["results"])
    _no_key_in(tmp_path)


def test_a_request_missing_its_expectation_fails_the_run(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke", failing=True)
    junit = tmp_path / "junit.xml"
    done = _run(
        collection, "--env", "demo", "--home", home, "--junit", junit,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "502 (expected 2xx)" in done.stdout
    assert "FAILED, expected 2xx" in done.stderr
    assert done.stdout.splitlines()[-1].startswith("3 passed, 1 failed, 0 errors")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.attrib["failures"] == "1"
    [failed] = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert failed.attrib["name"] == "Workers"
    failure = failed.find("failure")
    assert failure is not None and "expected HTTP 2xx, got 502" in failure.attrib["message"]
    _no_key_in(tmp_path)


def _main(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], environ=env or {}, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_only_runs_the_named_requests_in_collection_order(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke", failing=True)
    code, out, _ = _main(
        collection, "--env", "demo", "--home", home,
        "--only", "Reject bad candidate", "employees/get employee",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0
    names = [line.split("  ")[0] for line in out.splitlines()[1:-1]]
    assert names == ["Employees/Get employee", "Candidates/Reject bad candidate"]


def test_base_url_option_and_collection_by_name(tmp_path: Path, server: DemoServer) -> None:
    home = tmp_path / "home"  # no profile at all: account ids come from the requests
    root = _collection(home / "data" / "collections" / "smoke")
    CollectionStore(root).load()
    code, out, err = _main(
        "smoke", "--home", home, "--base-url", server.url, "--only", "Reject bad candidate",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    assert "422" in out


def test_unresolved_variables_are_an_error_that_names_them(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke")
    code, out, err = _main(collection, "--home", home, env={"STACKONE_API_KEY": KEY})
    assert code == 1
    assert "note: no --env given; the collection defines: demo" in err
    assert "ERROR: 1 variable has no value: {{page_size}} (in query)" in err
    assert out.splitlines()[-1].startswith("1 passed, 0 failed, 2 errors")


def test_a_broken_request_file_fails_the_run_but_the_rest_runs(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke")
    broken = collection / "Employees" / "get-employee.request.json"
    broken.write_text('{"name": "Get employee",\n "request": }\n')
    code, out, err = _main(
        collection, "--env", "demo", "--home", home, env={"STACKONE_API_KEY": KEY}
    )
    assert code == 1
    assert f"could not load {broken}, line 2, column 13" in err
    assert out.splitlines()[-1].startswith("2 passed, 0 failed, 0 errors, 1 file(s) not loaded")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--env", "prod"], "no environment called 'prod' (environments: demo)"),
        (["--profile", "nope"], "no profile called 'nope' (profiles: demo)"),
        (["--only", "Nope"], "No saved request is called 'Nope'"),
    ],
)
def test_setup_errors_exit_2_with_a_clear_message(
    tmp_path: Path, home: Path, args: list[str], message: str
) -> None:
    collection = _collection(tmp_path / "smoke")
    code, out, err = _main(collection, "--home", home, *args, env={"STACKONE_API_KEY": KEY})
    assert code == 2
    assert message in err
    assert out == ""


def test_no_key_anywhere_is_a_setup_error(tmp_path: Path) -> None:
    collection = _collection(tmp_path / "smoke")
    code, _, err = _main(collection, "--home", tmp_path / "empty-home")
    assert code == 2
    assert "No API key: set STACKONE_API_KEY" in err


def test_not_a_collection_is_a_setup_error(tmp_path: Path) -> None:
    done = _run(tmp_path / "nothing-here", "--home", tmp_path / "home")
    assert done.returncode == 2
    assert "is not a collection" in done.stderr


def test_usage_error_exits_2(tmp_path: Path) -> None:
    code, _, _ = _main("--no-such-option")
    assert code == 2
