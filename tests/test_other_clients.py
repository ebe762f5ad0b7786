"""The same request, sent by other well-behaved StackOne clients, is accepted too.

The demo server must not merely accept what ``explorer.core`` happens to send: httpx with its
own Basic auth, the ``curl`` command the explorer exports, and the standard library's
``urllib`` each build the request their own way (header case, ``User-Agent``, body spacing).
Each must get a 200 with exactly the data the core client got for the same request.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import httpx
import pytest

from explorer.core.client import RpcClient
from explorer.core.curl import to_curl
from explorer.core.request import RpcRequest
from explorer.demo import DEMO_ACCOUNT_ID
from tests.spec_schema import validate_response


@pytest.fixture
def request_(demo_url: str) -> RpcRequest:
    return RpcRequest(
        action="bamboohr_list_employees",
        account_id=DEMO_ACCOUNT_ID,
        query={"page_size": 5},
        base_url=demo_url,
        timeout=30,
    )


@pytest.fixture
def core_body(request_: RpcRequest, demo_key: str) -> dict[str, Any]:
    """What the explorer's own client receives: the reference for every other client."""
    with RpcClient() as core:
        response = core.send(request_, demo_key)
    assert response.status == 200
    assert response.result is not None and len(response.result.data) == 5
    body: dict[str, Any] = response.json
    return body


def assert_same_answer(status: int, body: Any, core_body: dict[str, Any]) -> None:
    assert status == 200
    validate_response(status, body)
    assert body["data"] == core_body["data"]
    assert body["next"] == core_body["next"]


def without_proxies() -> dict[str, str]:
    """The environment minus proxy settings: loopback traffic must not leave via a proxy."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def test_plain_httpx_with_basic_auth(
    request_: RpcRequest, demo_key: str, core_body: dict[str, Any]
) -> None:
    with httpx.Client(auth=(demo_key, ""), trust_env=False, timeout=30) as client:
        response = client.post(
            request_.url(),
            json=request_.rpc_body(),
            headers={"x-account-id": request_.account_id},
        )

    assert response.request.headers["user-agent"].startswith("python-httpx/")
    assert_same_answer(response.status_code, response.json(), core_body)


def test_the_exported_curl_command(
    request_: RpcRequest, demo_key: str, core_body: dict[str, Any], tmp_path: Path
) -> None:
    if shutil.which("curl") is None:
        pytest.skip("the curl binary is not installed")
    body_file = tmp_path / "body.json"
    # Run exactly what a user would paste into a shell, plus options saying where the
    # answer goes (appended after the exported command's last argument).
    output = shlex.quote(str(body_file))
    command = to_curl(request_, demo_key, reveal_key=True) + (
        f" --silent --show-error --output {output} --write-out '%{{http_code}}'"
    )

    finished = subprocess.run(
        ["/bin/sh", "-c", command],
        capture_output=True,
        text=True,
        env=without_proxies(),
        timeout=60,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    status = int(finished.stdout)
    assert_same_answer(status, json.loads(body_file.read_bytes()), core_body)


def test_urllib_with_a_hand_built_basic_header(
    request_: RpcRequest, demo_key: str, core_body: dict[str, Any]
) -> None:
    token = base64.b64encode(f"{demo_key}:".encode()).decode("ascii")
    sent = urllib.request.Request(
        request_.url(),
        data=json.dumps(request_.rpc_body()).encode(),
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/json",
            "x-account-id": request_.account_id,
        },
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with opener.open(sent, timeout=30) as answer:
        status = answer.status
        body = json.loads(answer.read())

    assert_same_answer(status, body, core_body)
