"""The command-line runner against the real demo server over loopback."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.demo.server import DemoServer
from explorer.run.lookup import variable_env_name
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import CredentialStore, KeyringCredentials, MemoryCredentials
from explorer.store.profiles import Profile, ProfileStore
from tests.private_demo import private_demo
from tests.run.command import python, run_cli
from tests.smoke_collection import create_smoke_collection

KEY = "sk_RUNNER_CANARY_5c2e9a"
# The smoke collection writes to the demo's production Greenhouse account on purpose (a
# candidate it rejects); the production guard's refusal is tested in test_cli_guard.py.
ALLOW = "--allow-production-writes"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """This module's own demo server, not the session ``demo_server``: it sends about twenty
    requests (no ``hibob_search_employees``, whose 429 cycle is per key)."""
    yield from private_demo(KEY)


def _collection(root: Path, *, failing: bool = False) -> Path:
    store = create_smoke_collection(root)
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
    return python("-m", "explorer", "run", *args, ALLOW, env=env)


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
    assert data["profile"] == "local"
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


def _main(
    *args: str | Path,
    env: dict[str, str] | None = None,
    credentials: CredentialStore | None = None,
) -> tuple[int, str, str]:
    return run_cli(*args, ALLOW, env=env, credentials=credentials)


def test_only_runs_the_named_requests_in_collection_order(tmp_path: Path, home: Path) -> None:
    collection = _collection(tmp_path / "smoke", failing=True)
    code, out, _ = _main(
        collection, "--env", "demo", "--home", home,
        "--only", "Reject bad candidate", "--only", "employees/get employee",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0
    names = [line.split("  ")[0] for line in out.splitlines()[1:-1]]
    assert names == ["Employees/Get employee", "Candidates/Reject bad candidate"]


def test_only_before_the_collection_leaves_the_collection_alone(tmp_path: Path, home: Path) -> None:
    """``--only`` takes one value (repeat it, or separate names by commas), so the collection
    after it is still the COLLECTION argument."""
    collection = _collection(tmp_path / "smoke")
    store = CollectionStore(collection)
    store.load()
    store.save_request(
        SavedRequest(
            "Reject, again",  # a comma in a name: the whole name still matches
            RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": ""},
            ),
            expected_status=422,
        )
    )
    code, out, err = _main(
        "--only", "List employees,Employees/Get employee", "--only", "Reject, again",
        collection, "--env", "demo", "--home", home,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    names = [line.split("  ")[0] for line in out.splitlines()[1:-1]]
    assert names == ["List employees", "Reject, again", "Employees/Get employee"]


def test_help_shows_only_as_repeatable(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("--help")[0] == 0
    text = capsys.readouterr().out
    assert "--only NAME " in text and "NAME ..." not in text
    assert "repeatable" in text.split("\n  --only NAME", 1)[1].split("--junit", 1)[0]


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
        (["--profile", "nope"], "no profile called 'nope' (profiles: local)"),
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


@pytest.mark.parametrize("url", ["notaurl", "ftp://example.com", "https://", "api.stackone.com"])
def test_a_base_url_that_is_not_a_url_stops_the_run_before_it_starts(
    tmp_path: Path, home: Path, url: str
) -> None:
    code, out, err = _main(
        _collection(tmp_path / "smoke"), "--env", "demo", "--home", home, "--base-url", url,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 2
    assert out == "" and "[1/" not in err
    assert f"--base-url {url!r}" in err and "http:// or https://" in err


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


# -- variables given on the command line or in STACKONE_VAR_* (CI without a keyring) ---------

SECRET = "acct_SECRET_CANARY_77f3"  # the demo answers "Account <id> not found": an echo
EMPLOYEE = "EMPLOYEE_CANARY_0c41"  # and "Employee <id> not found in BambooHR"


def _secret_collection(root: Path) -> Path:
    """One request whose account id is a secret variable and whose employee id is plain."""
    store = CollectionStore.create(root, "Secrets")
    store.set_environment(Environment("ci", {"employee": "40001"}, ["account"]))
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="{{account}}",
                path={"id": "{{employee}}"},
            ),
        )
    )
    return root


def _outputs(out: str, err: str, *reports: Path) -> str:
    return "\n".join([out, err, *(r.read_text() for r in reports)])


def test_variable_env_names() -> None:
    assert variable_env_name("account") == "STACKONE_VAR_ACCOUNT"
    assert variable_env_name("api-key") == "STACKONE_VAR_API_KEY"
    assert variable_env_name("tenant.id2") == "STACKONE_VAR_TENANT_ID2"


def test_secrets_from_environment_variables_run_without_a_keyring(
    tmp_path: Path, home: Path
) -> None:
    """A CI machine: no keyring backend at all, the secret given as STACKONE_VAR_ACCOUNT."""
    collection = _secret_collection(tmp_path / "secrets")
    done = _run(
        collection, "--env", "ci", "--home", home,
        env={
            "STACKONE_API_KEY": KEY,
            "STACKONE_VAR_ACCOUNT": "acct_bamboohr_demo",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "variables given: account" in done.stderr
    assert "warning" not in done.stderr  # the keyring was never needed
    assert done.stdout.splitlines()[-1].startswith("1 passed, 0 failed, 0 errors")


def test_given_values_override_the_environment_and_never_reach_outputs(
    tmp_path: Path, home: Path
) -> None:
    collection = _secret_collection(tmp_path / "secrets")
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    code, out, err = _main(
        collection, "--env", "ci", "--home", home, "--junit", junit, "--json", report,
        "--var", f"employee={EMPLOYEE}",  # over the environment's 40001 and the env variable
        env={
            "STACKONE_API_KEY": KEY,
            "STACKONE_VAR_ACCOUNT": "acct_bamboohr_demo",
            "STACKONE_VAR_EMPLOYEE": "40002",
        },
        credentials=MemoryCredentials(),
    )  # fmt: skip
    assert code == 1  # the canary employee does not exist: 404
    assert "404 (expected 2xx)" in out
    data = json.loads(report.read_text())
    assert data["variables_given"] == ["account", "employee"]
    assert "Employee <redacted> not found" in data["results"][0]["message"]
    assert EMPLOYEE not in _outputs(out, err, junit, report)

    # Without --var the environment variable wins over the collection's value.
    code, out, err = _main(
        collection, "--env", "ci", "--home", home, "--junit", junit,
        env={
            "STACKONE_API_KEY": KEY,
            "STACKONE_VAR_ACCOUNT": SECRET,
            "STACKONE_VAR_EMPLOYEE": "40002",
        },
        credentials=MemoryCredentials(),
    )  # fmt: skip
    assert code == 1
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and "Account <redacted> not found" in failure.attrib["message"]
    assert SECRET not in _outputs(out, err, junit)


def test_keyring_secrets_are_masked_too(tmp_path: Path, home: Path) -> None:
    collection = _secret_collection(tmp_path / "secrets")
    keyring = MemoryCredentials()
    store = CollectionStore(collection, credentials=keyring)
    store.load()
    store.set_variable("ci", "account", SECRET, secret=True)
    report = tmp_path / "report.json"
    code, out, err = _main(
        collection, "--env", "ci", "--home", home, "--json", report,
        env={"STACKONE_API_KEY": KEY}, credentials=keyring,
    )  # fmt: skip
    assert code == 1
    assert "Account <redacted> not found" in json.loads(report.read_text())["results"][0]["message"]
    assert SECRET not in _outputs(out, err, report)


def test_a_secret_without_a_value_names_the_ways_to_give_it(tmp_path: Path, home: Path) -> None:
    collection = _secret_collection(tmp_path / "secrets")
    code, out, err = _main(
        collection, "--env", "ci", "--home", home,
        env={"STACKONE_API_KEY": KEY, "STACKONE_VAR_ACOUNT": "typo"},
        credentials=MemoryCredentials(),
    )  # fmt: skip
    assert code == 1
    assert "note: STACKONE_VAR_ACOUNT matches no variable of the collection" in err
    assert "1 variable has no value: {{account}}" in err
    assert out.splitlines()[-1].startswith("0 passed, 0 failed, 1 errors")


def test_without_a_keyring_the_warning_is_about_secret_variables_and_only_when_needed(
    tmp_path: Path, home: Path, no_keyring: KeyringCredentials
) -> None:
    collection = _secret_collection(tmp_path / "secrets")
    store = CollectionStore(collection)
    store.load()
    store.save_request(
        SavedRequest(
            "Reject candidate",
            RpcRequest(
                action="greenhouse_create_candidate",
                account_id="acct_greenhouse_demo",
                body={"first_name": ""},
            ),
            expected_status=422,
        )
    )
    code, _, err = _main(
        collection, "--env", "ci", "--home", home,
        env={"STACKONE_API_KEY": KEY}, credentials=no_keyring,
    )  # fmt: skip
    assert code == 1  # "Get employee" needs {{account}}, which has no value
    assert "warning: secret variables unavailable (account)" in err
    assert "to store secret variable values" in err and "API key" not in err

    code, _, err = _main(
        collection, "--env", "ci", "--home", home, "--only", "Reject candidate",
        env={"STACKONE_API_KEY": KEY}, credentials=no_keyring,
    )  # fmt: skip
    assert code == 0, err
    assert "warning" not in err


def test_a_malformed_var_is_a_setup_error_that_does_not_echo_it(tmp_path: Path) -> None:
    collection = _secret_collection(tmp_path / "secrets")
    code, out, err = _main(
        collection, "--var", "employee=1", "--var", SECRET, env={"STACKONE_API_KEY": KEY}
    )
    assert code == 2
    assert "--var number 2 is not NAME=VALUE" in err
    assert SECRET not in out + err


def test_help_documents_variables_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _main("--help")
    assert code == 0
    text = capsys.readouterr().out
    assert "--var NAME=VALUE" in text
    assert "STACKONE_VAR_<NAME>" in text
    assert "2  the run could not start" in text


# -- which profile runs without --profile -----------------------------------------------------


def _home_with(tmp_path: Path, *profiles: Profile) -> Path:
    home = tmp_path / "home"
    store = ProfileStore(home / "config" / "profiles.json")
    for profile in profiles:
        store.upsert(profile)
    store.save()
    return home


def _demo(server: DemoServer) -> Profile:
    """The window's leftover demo profile: loopback, listed first."""
    return Profile("Demo", base_url=server.url, account_id="acct_bamboohr_demo")


def test_the_one_real_profile_is_used_and_a_leftover_demo_profile_never(
    tmp_path: Path, server: DemoServer
) -> None:
    home = _home_with(
        tmp_path, _demo(server), Profile("Customer", server.url, "acct_bamboohr_demo")
    )
    report = tmp_path / "report.json"
    code, _, err = _main(
        _collection(tmp_path / "smoke"), "--env", "demo", "--home", home, "--json", report,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(report.read_text())["profile"] == "Customer"
    assert "profile 'Customer'" in err


def test_several_profiles_need_a_choice_before_anything_is_sent(
    tmp_path: Path, server: DemoServer
) -> None:
    home = _home_with(
        tmp_path,
        _demo(server),
        Profile("Customer X", server.url, "acct_bamboohr_demo"),
        Profile("Customer Y", server.url, "acct_bamboohr_demo"),
    )
    code, out, err = _main(
        _collection(tmp_path / "smoke"), "--env", "demo", "--home", home,
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 2
    assert out == "" and "[1/" not in err
    assert "'Customer X', 'Customer Y', 'Demo'" in err
    assert "--profile NAME" in err

    # --base-url is a choice too: no profile then, the account ids come from the requests.
    report = tmp_path / "report.json"
    code, out, err = _main(
        _collection(tmp_path / "other"), "--env", "demo", "--home", home, "--json", report,
        "--base-url", server.url, "--only", "Reject bad candidate",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(report.read_text())["profile"] is None


def test_a_demo_profile_alone_is_not_used_unless_chosen(tmp_path: Path, server: DemoServer) -> None:
    home = _home_with(tmp_path, _demo(server))
    collection = _collection(tmp_path / "smoke")
    # "List employees" has no account id of its own: without a profile it is not sent at all.
    code, _, err = _main(
        collection, "--env", "demo", "--home", home, "--only", "List employees",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 1
    assert "ERROR: not sent: no account id" in err
    assert "--profile Demo" in err  # says how to use it

    code, _, err = _main(
        collection, "--env", "demo", "--home", home, "--only", "List employees",
        "--profile", "demo",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    assert f"against {server.url}" in err


# -- report files are checked before anything runs --------------------------------------------


def test_report_folders_are_created_before_the_run(tmp_path: Path, home: Path) -> None:
    junit = tmp_path / "reports" / "ci" / "junit.xml"
    report = tmp_path / "reports" / "json" / "report.json"
    code, _, err = _main(
        _collection(tmp_path / "smoke"), "--env", "demo", "--home", home,
        "--junit", junit, "--json", report, "--only", "List employees",
        env={"STACKONE_API_KEY": KEY},
    )  # fmt: skip
    assert code == 0, err
    assert ET.parse(junit).getroot().tag == "testsuites"
    assert json.loads(report.read_text())["summary"]["passed"] == 1


@pytest.mark.parametrize("option", ["--junit", "--json"])
def test_a_report_path_that_cannot_be_written_stops_the_run_before_it_starts(
    tmp_path: Path, home: Path, option: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    for target, words in [
        (blocker / "report.out", "cannot create the folder"),
        (tmp_path, "is a folder"),
    ]:
        code, out, err = _main(
            _collection(tmp_path / f"smoke-{len(words)}"), "--env", "demo", "--home", home,
            option, target,
            env={"STACKONE_API_KEY": KEY},
        )  # fmt: skip
        assert code == 2
        assert out == "" and "[1/" not in err  # nothing was sent
        assert f"{option} {target}" in err and words in err


def test_a_saved_request_holding_the_history_placeholder_is_never_sent(
    tmp_path: Path, home: Path, server: DemoServer
) -> None:
    # Saved from the history by an older version: a secret's value reads <redacted>.
    store = CollectionStore.create(tmp_path / "old", "Old")
    store.save_request(
        SavedRequest(
            "Search",
            RpcRequest(
                action="bamboohr_list_employees",
                account_id="acct_bamboohr_demo",
                body={"note": "<redacted>"},
            ),
        )
    )
    before = len(server.logs.all())
    code, out, err = _main(store.root, "--home", home, env={"STACKONE_API_KEY": KEY})
    assert code == 1
    assert "body.note holds <redacted>" in out + err
    assert len(server.logs.all()) == before
