"""The engine the window and the command line share, against the demo server over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from explorer.demo.server import DemoServer
from explorer.run.engine import ERROR, FAILED, PASSED, run_requests
from explorer.store.collections import SavedRequest
from explorer.store.profiles import Profile
from tests.smoke_collection import create_smoke_collection

SECRET_ACCOUNT = "acct_SECRET_engine_4e1f"


def _requests(root: Path) -> list[SavedRequest]:
    """The smoke collection (three requests that meet their expectation), a request echoing a
    secret account id in the server's message, and one with a variable nobody gives."""
    store = create_smoke_collection(root)
    store.save_request(SavedRequest("Secret account", RpcRequest(action="bamboohr_list_employees")))
    store.save_request(
        SavedRequest(
            "Unresolved",
            RpcRequest(action="bamboohr_get_employee", path={"id": "{{nobody}}"}),
            folder="Extra",
        )
    )
    [secret] = store.collection.find("Secret account")
    secret.request.account_id = "{{account}}"
    return store.collection.requests()


@pytest.mark.parametrize("keep", [True, False], ids=["window", "command line"])
def test_the_same_results_with_or_without_the_exchanges(
    tmp_path: Path, demo_server: DemoServer, keep: bool
) -> None:
    with RpcClient(keep_alive=not keep) as client:
        results = run_requests(
            _requests(tmp_path / "smoke"),
            client=client,
            api_key=demo_server.api_key,
            values={"employee": "40001", "page_size": "3", "account": SECRET_ACCOUNT},
            profile=Profile("local", base_url=demo_server.url, account_id="acct_bamboohr_demo"),
            masked=[SECRET_ACCOUNT],
            keep_exchanges=keep,
        )
    by_name = {r.name: r for r in results}
    assert {name: (r.outcome, r.status) for name, r in by_name.items()} == {
        "List employees": (PASSED, 200),
        "Get employee": (PASSED, 200),
        "Reject bad candidate": (PASSED, 422),
        "Secret account": (FAILED, 404),
        "Unresolved": (ERROR, None),
    }
    sent = [r for r in results if r.status is not None]
    assert all(r.request_id for r in sent)
    assert all((r.exchange is not None) == keep for r in sent)
    message = by_name["Secret account"].message
    assert "<redacted>" in message and SECRET_ACCOUNT not in message
    assert "nobody" in by_name["Unresolved"].message


class _Broken(dict[str, str]):
    """Values whose lookup of ``page_size`` fails as a bug would."""

    def __getitem__(self, name: str) -> str:
        if name == "page_size":
            raise ValueError("boom")
        return super().__getitem__(name)


def test_a_request_whose_run_hits_a_bug_is_reported_and_the_run_goes_on(
    tmp_path: Path, demo_server: DemoServer
) -> None:
    values = _Broken(employee="40001", page_size="3")
    with RpcClient() as client:
        results = run_requests(
            create_smoke_collection(tmp_path / "smoke").collection.requests()[:2],
            client=client,
            api_key=demo_server.api_key,
            values=values,
            profile=Profile("local", base_url=demo_server.url, account_id="acct_bamboohr_demo"),
        )
    assert [(r.outcome, r.message) for r in results] == [
        (ERROR, "Unexpected error: ValueError: boom"),
        (PASSED, ""),
    ]
