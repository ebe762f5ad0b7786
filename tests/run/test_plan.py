"""The one planning function and the one environment reader, used by the window and the CLI.

What a user notices: which requests a run sends, with which values, which keyring entries it
reads (a keyring prompt, or a CI machine without one), and what is hidden in its results.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.run.environment import read_environment
from explorer.run.plan import SetupError, plan_run
from explorer.store.collections import (
    CollectionError,
    CollectionStore,
    Environment,
    SavedRequest,
)
from explorer.store.credentials import KeyringCredentials, MemoryCredentials

TOKEN = "tok_PLAN_CANARY_91b2"
SHORT = "k9"  # a secret of two characters is still a secret


class ReadLog(MemoryCredentials):
    """The in-memory keyring, remembering which entries were read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get(self, profile: str) -> str | None:
        self.reads.append(profile.rsplit(":", 1)[-1])
        return super().get(profile)


@pytest.fixture
def log() -> ReadLog:
    return ReadLog()


def _store(root: Path, credentials: MemoryCredentials) -> CollectionStore:
    """Two secrets (``token`` used by ``Get``, ``pin`` by ``Pinned``), one plain variable."""
    store = CollectionStore.create(root, "Plan", credentials=credentials)
    store.set_environment(Environment("ci", {"account": "acct_bamboohr_demo"}))
    store.set_variable("ci", "token", TOKEN, secret=True)
    store.set_variable("ci", "pin", SHORT, secret=True)
    store.save_request(
        SavedRequest(
            "List",
            RpcRequest(action="bamboohr_list_employees", account_id="{{account}}"),
        )
    )
    store.save_request(
        SavedRequest(
            "Get",
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="{{account}}",
                headers={"x-tenant-token": "{{token}}"},
            ),
            folder="Employees",
        )
    )
    store.save_request(
        SavedRequest(
            "Pinned",
            RpcRequest(
                action="bamboohr_get_employee", account_id="{{account}}", path={"id": "{{pin}}"}
            ),
            folder="Employees",
        )
    )
    return store


def test_a_run_reads_only_the_secrets_its_requests_use(tmp_path: Path, log: ReadLog) -> None:
    store = _store(tmp_path / "plan", log)
    log.reads.clear()
    plan = plan_run(store, only=["List"], environment="ci")
    assert [s.name for s in plan.requests] == ["List"]
    assert log.reads == []  # List uses no secret: the keyring is not asked at all
    assert plan.values == {"account": "acct_bamboohr_demo"}

    plan = plan_run(store, only=["Get"], environment="ci")
    assert log.reads == ["token"]
    assert plan.values["token"] == TOKEN
    assert plan.secrets == [TOKEN]


def test_a_folder_run_is_titled_and_planned_like_the_whole(tmp_path: Path, log: ReadLog) -> None:
    store = _store(tmp_path / "plan", log)
    plan = plan_run(store, folder="Employees", folder_title="(top level)", environment="ci")
    assert plan.title == "Plan / Employees"
    assert [s.label for s in plan.requests] == ["Employees/Get", "Employees/Pinned"]
    assert sorted(plan.secrets) == sorted([TOKEN, SHORT])
    top = plan_run(store, folder="", folder_title="(top level)")
    assert top.title == "Plan / (top level)"
    assert [s.name for s in top.requests] == ["List"]


def test_values_given_from_outside_win_are_hidden_and_spare_the_keyring(
    tmp_path: Path, log: ReadLog
) -> None:
    store = _store(tmp_path / "plan", log)
    log.reads.clear()
    plan = plan_run(store, environment="ci", given={"token": "from-ci", "account": "acct_x"})
    assert plan.values == {"account": "acct_x", "token": "from-ci", "pin": SHORT}
    assert log.reads == ["pin"]  # token was given: never read
    assert sorted(plan.secrets) == sorted([SHORT, "from-ci", "acct_x"])
    assert plan.given == ["account", "token"]


def test_nothing_to_run_and_an_unknown_environment_stop_before_anything(
    tmp_path: Path, log: ReadLog
) -> None:
    store = _store(tmp_path / "plan", log)
    store.create_folder("Empty")
    with pytest.raises(SetupError, match="'Plan / Empty' has no saved requests to run"):
        plan_run(store, folder="Empty")
    with pytest.raises(SetupError, match=r"no environment called 'prod' \(environments: ci\)"):
        plan_run(store, environment="prod")
    with pytest.raises(CollectionError, match="No saved request is called 'Nope'"):
        plan_run(store, only=["Nope"])


def test_without_a_keyring_the_plain_values_remain_and_the_problem_is_named(
    tmp_path: Path, log: ReadLog, no_keyring: KeyringCredentials
) -> None:
    _store(tmp_path / "plan", log)
    store = CollectionStore(tmp_path / "plan", credentials=no_keyring)
    store.load()

    plan = plan_run(store, only=["Get"], environment="ci")
    assert plan.values == {"account": "acct_bamboohr_demo"}
    assert plan.unreadable == ["token"]
    assert "keyring" in plan.keyring_error.lower()

    plan = plan_run(store, only=["List"], environment="ci")
    assert plan.keyring_error == "" and plan.unreadable == []


def test_the_reader_without_an_environment_reads_nothing(tmp_path: Path, log: ReadLog) -> None:
    store = _store(tmp_path / "plan", log)
    log.reads.clear()
    assert read_environment(store, "").values == {}
    assert read_environment(store, "gone").values == {}
    everything = read_environment(store, "ci")  # no list of needed names: every secret
    assert sorted(log.reads) == ["pin", "token"]
    assert everything.values == {"account": "acct_bamboohr_demo", "token": TOKEN, "pin": SHORT}
