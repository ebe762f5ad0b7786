"""The request as StackOne SDK code: what the snippets say, and that they run against the demo.

The Python snippet uses ``stackone-ai``, which finds the action over MCP: it runs where the demo
serves MCP (the fidelity work adds it, and ``stackone-ai[mcp]`` to the dev extra). The
TypeScript snippet runs under node with StackOne's SDK as ``tests/conformance/ts`` installs it;
like the conformance tests, it may skip on a developer's machine without node but fails under
``STACKONE_REQUIRE_NODE=1``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.core.client import RpcClient
from explorer.core.request import DefenderConfig, RpcRequest
from explorer.core.snippets import env_name, to_python, to_typescript
from explorer.demo import DemoServer
from tests.private_demo import private_demo

KEY = "sk_SNIPPET_CANARY_0123456789abcdefghijkl"
TS_SDK = Path(__file__).resolve().parent / "conformance" / "ts" / "node_modules"
REQUEST = RpcRequest(
    action="bamboohr_get_employee",
    account_id="acct_bamboohr_demo",
    path={"id": "40002"},
    query={"fields": "first_name,last_name"},
    headers={"X-Api-Token": "sk_live_provider_secret", "x-tenant": "{{tenant}}"},
    body={"note": 'it\'s "quoted"', "flags": [True, None, 1.5]},
)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    yield from private_demo(KEY)


def test_no_key_and_no_secret_header_value_in_either_snippet() -> None:
    for code in (to_python(REQUEST), to_typescript(REQUEST)):
        assert "sk_live_provider_secret" not in code
        assert "STACKONE_API_KEY" in code and "X_API_TOKEN" in code
        assert "{{tenant}}" in code  # a template stays as written, and is named in a note
        assert "Fill in {{tenant}}" in code


def test_the_python_snippet_is_valid_python_with_the_sdks_flat_arguments() -> None:
    code = to_python(REQUEST)
    compile(code, "snippet.py", "exec")
    assert "fetch_tools(account_ids=['acct_bamboohr_demo'], actions=['bamboohr_get_employee'])" in (
        code
    )
    for argument in ("'path_id': '40002'", "'query_fields':", "'headers_X-Api-Token': os.environ["):
        assert argument in code
    assert "'body_note': 'it\\'s \"quoted\"'" in code
    assert "'body_flags': [\n        True,\n        None,\n        1.5," in code


def test_what_an_sdk_cannot_send_is_said_not_dropped_silently() -> None:
    request = REQUEST.copy(
        defender=DefenderConfig(block_high_risk=True), sync=True, connector_profile_id="cp_9"
    )
    python, typescript = to_python(request), to_typescript(request)
    for code in (python, typescript):
        assert "defender_config" in code and "sync=true" in code
    assert "sends no x-connector-profile-id (cp_9)" in python
    assert '"x-connector-profile-id": "cp_9"' in typescript  # an HTTP header it can set


def test_the_default_base_url_is_left_to_the_sdk() -> None:
    request = REQUEST.copy(base_url="https://api.stackone.com/")
    assert "StackOneToolSet()" in to_python(request)
    assert "serverURL" not in to_typescript(request)
    assert env_name("x-api-token") == "X_API_TOKEN"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_typescript_snippet_is_valid_javascript(tmp_path: Path) -> None:
    script = tmp_path / "snippet.mjs"
    script.write_text(to_typescript(REQUEST))
    done = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _expected(server: DemoServer, request: RpcRequest) -> Any:
    with RpcClient() as client:
        response = client.send(request.copy(base_url=server.url), KEY)
    return response.json


RUNNABLE = [
    RpcRequest(
        action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40002"}
    ),
    RpcRequest(
        action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": "2"}
    ),
]


def test_the_python_snippet_runs_against_the_demo(server: DemoServer, tmp_path: Path) -> None:
    if importlib.util.find_spec("explorer.demo.mcp") is None:
        pytest.skip("the demo serves no MCP yet, which stackone-ai needs to find the action")
    assert importlib.util.find_spec("stackone_ai") is not None, "stackone-ai[mcp] is a dev extra"
    for request in RUNNABLE:
        script = tmp_path / "snippet.py"
        script.write_text(to_python(request.copy(base_url=server.url)))
        done = subprocess.run(
            [sys.executable, "-W", "ignore::DeprecationWarning", str(script)],
            env=dict(os.environ, STACKONE_API_KEY=KEY),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["data"] == _expected(server, request)["data"]


def test_the_typescript_snippet_runs_against_the_demo(server: DemoServer, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (TS_SDK / "@stackone" / "stackone-client-ts").is_dir():
        why = "node and StackOne's TypeScript SDK (tests/conformance/ts) are not installed"
        if os.environ.get("STACKONE_REQUIRE_NODE") == "1":
            pytest.fail(why + " [STACKONE_REQUIRE_NODE=1]")
        pytest.skip(why)
    (tmp_path / "node_modules").symlink_to(TS_SDK, target_is_directory=True)
    for request in RUNNABLE:
        script = tmp_path / "snippet.mjs"
        script.write_text(to_typescript(request.copy(base_url=server.url)))
        done = subprocess.run(
            [node, str(script)],
            cwd=tmp_path,
            env=dict(os.environ, STACKONE_API_KEY=KEY),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        status, _, body = done.stdout.partition(" ")
        assert status == "200"
        assert json.loads(body)["data"] == _expected(server, request)["data"]
