"""Canary secrets through every output that exists: none may write one, in any form.

A 3-character and a 40-character secret variable value go into real requests to the demo
server, which echoes both (``Account <id> not found``, ``Employee <id> not found``); the API key
is a canary too. Each test first checks that the canary really reached the data the output is
made from, so it cannot pass by never seeing a secret. The case export is checked the same way,
with personal data too, in ``tests/test_case_export.py``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.client import RpcClient
from explorer.core.curl import to_curl
from explorer.core.curl_script import curl_script
from explorer.core.exchange import Exchange
from explorer.core.har import history_export, to_har
from explorer.core.postman import PostmanRequest, to_postman
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED, redact_exchange
from explorer.core.variables import resolve
from explorer.demo import DemoServer
from explorer.run.cli import main
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.profiles import Profile, ProfileStore
from tests.canaries import LONG, SHORT, assert_no_canary, leaks
from tests.private_demo import private_demo

KEY = "sk_KEYCANARY_abcdefghij0123456789ZYXWVUT"
CANARIES = (SHORT, LONG, KEY)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """Its own demo server, the canary key."""
    yield from private_demo(KEY)


@pytest.fixture
def store(tmp_path: Path) -> CollectionStore:
    """Two requests whose secret variables the demo echoes back in its errors."""
    credentials = MemoryCredentials()
    store = CollectionStore.create(tmp_path / "canaries", "Canaries", credentials=credentials)
    store.set_environment(Environment("ci", {"employee": "40001"}, []))
    store.set_variable("ci", "account", LONG, secret=True)
    store.set_variable("ci", "secret_id", SHORT, secret=True)
    store.save_request(
        SavedRequest(
            "Unknown account",
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="{{account}}",
                path={"id": "{{employee}}"},
            ),
        )
    )
    store.save_request(
        SavedRequest(
            "Unknown employee",
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="acct_bamboohr_demo",
                path={"id": "{{secret_id}}"},
                headers={"x-api-token": "{{secret_id}}"},
            ),
        )
    )
    return store


def _secrets(store: CollectionStore) -> list[str]:
    values = store.environment_values("ci")
    return [values[name] for name in store.collection.environments["ci"].secrets]


def _send_all(store: CollectionStore, server: DemoServer) -> list[Exchange]:
    values = store.environment_values("ci")
    with RpcClient() as client:
        return [
            client.exchange(resolve(saved.request.copy(base_url=server.url), values), KEY)
            for saved in store.collection.requests()
        ]


def _carry_canaries(exchanges: list[Exchange]) -> None:
    raw = json.dumps([e.to_dict() for e in exchanges]).encode()
    assert leaks(raw, (SHORT, LONG)) == [SHORT, LONG]


def test_history_files_hold_no_secret(
    store: CollectionStore, server: DemoServer, tmp_path: Path
) -> None:
    exchanges = _send_all(store, server)
    _carry_canaries(exchanges)
    history = HistoryStore(tmp_path / "history")
    for exchange in exchanges:  # what the window's history writer does with each exchange
        history.add(redact_exchange(exchange, [*_secrets(store), KEY]))
    assert_no_canary(tmp_path / "history", CANARIES)
    # The echo is still there to read, with the secret hidden.
    bodies = [history.load(e.id).response for e in history.entries()]
    assert any(r is not None and f"Account {REDACTED} not found" in r.text() for r in bodies)
    assert any(r is not None and f"Employee {REDACTED} not found" in r.text() for r in bodies)


def test_har_and_history_exports_hold_no_secret(
    store: CollectionStore, server: DemoServer, tmp_path: Path
) -> None:
    history = HistoryStore(tmp_path / "history")
    for exchange in _send_all(store, server):
        history.add(redact_exchange(exchange, _secrets(store)))
    exchanges = [history.load(entry.id) for entry in history.entries()]
    (tmp_path / "out").mkdir()
    har = to_har(exchanges, creator_version="test")
    (tmp_path / "out" / "history.har").write_text(json.dumps(har))
    (tmp_path / "out" / "history.json").write_text(json.dumps(history_export(exchanges)))
    assert_no_canary(tmp_path / "out", CANARIES)


def test_curl_exports_hold_no_secret(store: CollectionStore, tmp_path: Path) -> None:
    requests = store.collection.requests()
    env = store.collection.environments["ci"]
    script = curl_script(requests, values=env.variables)  # as "Export as curl" calls it
    assert "{{account}}" in script and "{{secret_id}}" in script  # left for the reader
    commands = [to_curl(saved.request, KEY) for saved in requests]  # "Copy as curl"
    # A request resolved for sending, with a literal secret header: the header is hidden.
    resolved = resolve(requests[1].request, store.environment_values("ci"))
    assert resolved.headers == {"x-api-token": SHORT}
    commands.append(to_curl(resolved, KEY))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "requests.sh").write_text(script + "\n".join(commands))
    assert_no_canary(tmp_path / "out", (KEY,))
    assert REDACTED in commands[-1] and "$STACKONE_API_KEY" in commands[-1]


def test_postman_export_holds_no_secret(store: CollectionStore, tmp_path: Path) -> None:
    collection = store.collection
    env = collection.environments["ci"]
    assert sorted(_secrets(store)) == sorted([LONG, SHORT])
    data = to_postman(  # as the collections pane's "Export as Postman" calls it
        collection.name,
        [PostmanRequest(r.name, r.request, r.description, r.folder) for r in collection.requests()],
        variables=env.variables,
        secrets=env.secrets,
    )
    out = tmp_path / "canaries.postman_collection.json"
    out.write_text(json.dumps(data))
    assert_no_canary(out, CANARIES)
    exported = {v["key"]: v["value"] for v in data["variable"]}
    assert exported["account"] == "" and exported["secret_id"] == ""


def test_runner_table_progress_and_reports_hold_no_secret(
    store: CollectionStore, server: DemoServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    profiles = ProfileStore(home / "config" / "profiles.json")
    profiles.upsert(Profile("local", base_url=server.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    reports = tmp_path / "reports"
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            *(str(store.root), "--env", "ci", "--home", str(home)),
            *("--junit", str(reports / "junit.xml"), "--json", str(reports / "report.json")),
        ],
        environ={"STACKONE_API_KEY": KEY},
        stdout=out,
        stderr=err,
        credentials=store.credentials,
    )
    assert code == 1  # both requests fail, echoing their secrets
    (reports / "stdout.txt").write_text(out.getvalue())
    (reports / "stderr.txt").write_text(err.getvalue())
    assert_no_canary(reports, CANARIES)
    messages = [r["message"] for r in json.loads((reports / "report.json").read_text())["results"]]
    assert f"Account {REDACTED} not found" in messages[0]
    assert f"Employee {REDACTED} not found" in messages[1]
