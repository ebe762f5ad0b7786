"""The demo server in a process of its own, for benchmarks that measure a client against it.

A third process, so that neither the measured window or command nor the plain httpx baseline
shares a GIL with the server. Without StackOne's 1000 requests a minute unless asked (a
benchmark round may send more); ``accounts`` adds that many active test accounts (copies of
the demo's BambooHR account, ``acct_bench_000``...) for runs across accounts.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import dataclasses, sys, threading
from explorer.demo.accounts import ACCOUNTS
from explorer.demo.server import DemoServer
per_minute, extra = int(sys.argv[1]), int(sys.argv[2])
template = ACCOUNTS["acct_bamboohr_demo"]
for number in range(extra):
    account = dataclasses.replace(
        template, id=f"acct_bench_{number:03d}", label=f"Bench {number:03d}", type="test"
    )
    ACCOUNTS[account.id] = account
server = DemoServer(rate_limit_per_minute=per_minute).start()
print(f"StackOne demo server on {server.url}")
print(f"API key: {server.api_key}", flush=True)
threading.Event().wait()
"""


def start_demo(
    env: dict[str, str], *, per_minute: int = 10**9, accounts: int = 0
) -> tuple[subprocess.Popen[str], str, str]:
    """``(process, base URL, API key)`` of a demo server started in a new process."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(per_minute), str(accounts)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    url = key = ""
    deadline = time.monotonic() + 30
    while not (url and key) and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("StackOne demo server on "):
            url = line.split(" on ", 1)[1].strip()
        elif line.startswith("API key: "):
            key = line.split(": ", 1)[1].strip()
    if not (url and key):
        proc.kill()
        raise SystemExit("the demo server did not start")
    return proc, url, key
