"""Starting and stopping the demo server, in-process and as ``python -m explorer.demo``."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from explorer.demo import DEMO_API_KEY, DemoServer
from explorer.demo.__main__ import exposure_warning
from tests.demo.conftest import DemoCommand
from tests.demo.rpc_calls import client_for

ROOT = Path(__file__).resolve().parents[2]
# Generous bounds that only stop a broken test from hanging; they are not performance claims.
HANG_GUARD = 15.0


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.01)


def _slow_call_in_background(server: DemoServer, read_timeout: float = 60) -> list[object]:
    """Start a slow report on a thread; the list receives the response or the exception."""
    outcome: list[object] = []

    def call() -> None:
        with client_for(server, timeout=httpx.Timeout(5, read=read_timeout)) as client:
            try:
                outcome.append(
                    client.post(
                        "/actions/rpc",
                        json={"action": "bamboohr_generate_report"},
                        headers={"x-account-id": "acct_bamboohr_demo"},
                    )
                )
            except httpx.HTTPError as exc:
                outcome.append(exc)

    threading.Thread(target=call, daemon=True).start()
    return outcome


def test_stop_is_prompt_while_a_slow_action_runs() -> None:
    server = DemoServer(slow_seconds=60).start()
    outcome = _slow_call_in_background(server)
    _wait_for(lambda: server.active_requests == 1, "the slow action to start")

    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(HANG_GUARD)
    assert not stopper.is_alive(), "stop() waited for the 60 s action"
    _wait_for(lambda: bool(outcome), "the client to notice")
    assert isinstance(outcome[0], httpx.TransportError)  # the connection closed, no answer
    assert server.active_requests == 0
    with pytest.raises(httpx.ConnectError), httpx.Client() as client:
        client.get(server.url + "/accounts")


def test_a_client_that_gives_up_ends_the_slow_action_early() -> None:
    with DemoServer(slow_seconds=60) as server:
        outcome = _slow_call_in_background(server, read_timeout=0.2)
        _wait_for(lambda: bool(outcome), "the client to time out")
        assert isinstance(outcome[0], httpx.ReadTimeout)
        _wait_for(lambda: server.active_requests == 0, "the server to drop the action")


def test_stop_closes_idle_keep_alive_connections() -> None:
    server = DemoServer().start()
    with client_for(server) as client:
        assert client.get("/accounts").status_code == 200  # leaves a pooled connection open
        server.stop()
        with pytest.raises(httpx.TransportError):
            client.get("/accounts")


def test_server_misuse_is_reported() -> None:
    server = DemoServer()
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
        with pytest.raises(RuntimeError):
            server.start()
    server.stop()  # a second stop is harmless


def test_only_loopback_is_quiet_anything_else_is_warned_about() -> None:
    # Never started: nothing binds to a public address during the test.
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert exposure_warning(DemoServer(host)) is None, host
    for host in ("0.0.0.0", "192.168.1.20", "::", "myhost.example"):
        warning = exposure_warning(DemoServer(host))
        assert warning and host in warning and "API key is public" in warning


def test_importing_the_demo_loads_no_qt_and_no_client_code() -> None:
    # The one exception: the adapter over StackOne's Defender library, which the explorer's
    # Defender check shares so that both screen a response the same way.
    shared = ("explorer.core", "explorer.core.errors", "explorer.core.defender")
    code = (
        "import sys, explorer.demo, explorer.demo.__main__\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'explorer.core'))\n"
        f"             and m not in {shared!r})\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_command_line_server_prints_url_and_key_serves_and_exits_on_ctrl_c(
    demo_command: Callable[..., DemoCommand],
) -> None:
    demo = demo_command()
    banner = demo.wait_for("Press Ctrl+C", HANG_GUARD)
    assert f"API key: {DEMO_API_KEY}" in banner
    assert "acct_bamboohr_demo" in banner and "acct_suspended" in banner

    with httpx.Client(base_url=demo.url(), auth=(DEMO_API_KEY, "")) as client:
        response = client.post(
            "/actions/rpc",
            json={"action": "bamboohr_get_employee", "path": {"id": "40001"}},
            headers={"x-account-id": "acct_bamboohr_demo"},
        )
    assert response.status_code == 200

    log = demo.stop(HANG_GUARD)
    assert "Stopped." in "".join(demo.lines)
    assert '"POST /actions/rpc HTTP/1.1" 200' in log
    assert DEMO_API_KEY not in log  # request lines only: no headers, no key
