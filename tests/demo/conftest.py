"""Fixtures for the demo server's tests, on the session's shared ``demo_server``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from explorer.demo import DemoServer
from tests.demo.rpc_calls import Rpc, client_for, make_rpc


@pytest.fixture
def client(demo_server: DemoServer) -> Iterator[httpx.Client]:
    with client_for(demo_server) as c:
        yield c


@pytest.fixture
def rpc(client: httpx.Client) -> Rpc:
    return make_rpc(client)


ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DemoCommand:
    """``python -m explorer.demo`` running as a user starts it; ``lines`` fills with what it
    prints (read on a thread, unbuffered)."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def wait_for(self, start: str, guard: float) -> str:
        """Wait until a printed line starts with ``start`` (``guard`` seconds at most: a hang
        guard, not a speed claim); all printed so far."""
        deadline = time.monotonic() + guard
        while not any(line.startswith(start) for line in self.lines):
            if time.monotonic() > deadline:
                pytest.fail(f"gave up waiting for {start!r}:\n{''.join(self.lines)}")
            time.sleep(0.01)
        return "".join(self.lines)

    def url(self) -> str:
        """The server's address, from its banner."""
        found = re.search(
            r"^StackOne demo server on (http://127\.0\.0\.1:\d+)$", "".join(self.lines), re.M
        )
        assert found, "".join(self.lines)
        return found.group(1)

    def stop(self, guard: float) -> str:
        """Ctrl+C: it must exit with 0 and say nothing more; what it wrote to stderr."""
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=guard) == 0
        if self.reader is not None:
            self.reader.join(guard)
        assert self.process.stderr is not None
        return self.process.stderr.read()


@pytest.fixture
def demo_command() -> Iterator[Callable[..., DemoCommand]]:
    """Start ``python -m explorer.demo --port 0`` with more arguments; killed after the test
    if still running."""
    started: list[DemoCommand] = []

    def start(*args: str) -> DemoCommand:
        process = subprocess.Popen(
            [sys.executable, "-m", "explorer.demo", "--port", "0", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        command = DemoCommand(process)
        stdout = process.stdout
        assert stdout is not None
        command.reader = threading.Thread(
            target=lambda: command.lines.extend(iter(stdout.readline, "")), daemon=True
        )
        command.reader.start()
        started.append(command)
        return command

    yield start
    for command in started:
        process = command.process
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
