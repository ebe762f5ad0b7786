"""Conformance: StackOne's own SDKs, unchanged, against the demo server over loopback.

The TypeScript SDK runs under node (Debian's package, installed by ``scripts/bootstrap --dev``
with the SDK pinned in ``ts/package-lock.json``). Where node or the installed SDK is missing
the tests skip on a developer's machine, but fail under ``STACKONE_REQUIRE_NODE=1`` (as in
``scripts/test`` and CI), where a skip would hide that StackOne's client was never tried.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.demo import DemoServer

TS_DIR = Path(__file__).resolve().parent / "ts"
SDK_PACKAGE = TS_DIR / "node_modules" / "@stackone" / "stackone-client-ts" / "package.json"

SdkCalls = Callable[..., dict[str, Any]]


def _node_or_why() -> tuple[str | None, str]:
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed (scripts/bootstrap --dev installs Debian's nodejs)"
    if not SDK_PACKAGE.is_file():
        return None, (
            "StackOne's TypeScript SDK is not installed in tests/conformance/ts "
            "(scripts/bootstrap --dev runs npm ci there)"
        )
    return node, ""


@pytest.fixture(scope="session")
def node() -> str:
    found, why = _node_or_why()
    if found is None:
        if os.environ.get("STACKONE_REQUIRE_NODE") == "1":
            pytest.fail(why + " [STACKONE_REQUIRE_NODE=1]")
        pytest.skip(why)
    return found


@pytest.fixture
def conformance_server() -> Iterator[DemoServer]:
    """A private server: rate limits and request logs start empty for each test."""
    with DemoServer(rate_limit_retry_after=30) as server:
        yield server


@pytest.fixture
def sdk_calls(node: str, conformance_server: DemoServer) -> SdkCalls:
    """``sdk_calls(calls, api_key=None)``: run calls through the TypeScript SDK; results by name."""

    def run(calls: list[dict[str, Any]], api_key: str | None = None) -> dict[str, Any]:
        done = subprocess.run(
            [
                node,
                str(TS_DIR / "sdk_calls.mjs"),
                conformance_server.url,
                api_key or conformance_server.api_key,
                json.dumps(calls),
            ],
            cwd=TS_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return {result["name"]: result for result in json.loads(done.stdout)}

    return run
