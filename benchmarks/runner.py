"""The command-line runner against a plain httpx loop: the same requests, whole processes.

In CI a collection is tens of requests, so start-up is most of a run: both sides are timed
from just before the process is spawned to its exit. The demo server runs in a third process
(``python -m explorer.demo``) so neither side shares a GIL with it. Cases, alternated round by
round so machine load hits both alike:

* ``plain httpx``: one ``httpx.Client`` posting the collection's requests in order with Basic
  auth and reading each JSON body - the floor a runner cannot beat.
* ``stackone-explorer run``: ``python -m explorer run FOLDER --base-url URL`` over the same
  requests saved as a collection in a temporary home (key from ``STACKONE_API_KEY``).
* ``run --help`` and a one-request run: what a run pays before its first request.

The verdict is the throughput ratio runner/httpx (target >= 0.8), measured in one run because
this machine's absolute times drift 10-30 %.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.demo_process import start_demo
from benchmarks.measure import Metric, now_ms, table

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 0.8
_PYCACHE = Path(tempfile.gettempdir()) / "stackone-explorer-bench-pycache"

# The mix a smoke collection has: lists, gets, a 422 and a 404, each answered at once. Defender
# is off in every request (both sides send the same bodies): the demo's screening costs ~10 ms
# of ONNX per answer, which would hide whatever the runner itself costs.
_MIX: list[dict[str, object]] = [
    {"action": "bamboohr_list_employees", "query": {"page_size": "5"}},
    {"action": "bamboohr_get_employee", "path": {"id": "40001"}},
    {"action": "google_drive_list_files", "_account": "acct_drive_demo"},
    {"action": "bamboohr_get_employee", "path": {"id": "49999"}},
]
_ACCOUNT = "acct_bamboohr_demo"

_PLAIN = """
import base64, json, sys, httpx
url, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
bodies = json.load(open(path))
auth = "Basic " + base64.b64encode((key + ":").encode()).decode()
with httpx.Client(base_url=url, timeout=30) as client:
    for body in bodies:
        account = body.pop("_account")
        r = client.post("/actions/rpc", json=body,
                        headers={"Authorization": auth, "x-account-id": account})
        r.json()
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["STACKONE_EXPLORER_HOME"] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def _timed(cmd: list[str], env: dict[str, str], expect: set[int]) -> float:
    start = now_ms()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = now_ms() - start
    if done.returncode not in expect:
        raise SystemExit(f"{cmd[3:5]} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def _collection(home: Path, count: int) -> tuple[Path, Path]:
    """The same ``count`` requests as a saved collection and as the plain script's JSON."""
    sys.path.insert(0, str(ROOT))
    from explorer.core.request import RpcRequest
    from explorer.store.collections import CollectionStore, SavedRequest

    folder = home / "collections" / "bench"
    store = CollectionStore.create(folder, "Bench")
    bodies = []
    for index in range(count):
        spec = {**_MIX[index % len(_MIX)], "defender_config": {"enabled": False}}
        account = str(spec.pop("_account", _ACCOUNT))
        request = RpcRequest.from_dict({"account_id": account, **spec})
        missing = spec.get("path") == {"id": "49999"}
        store.save_request(
            SavedRequest(f"Request {index:03d}", request, expected_status=404 if missing else None)
        )
        bodies.append({"_account": account, **spec})
    plain = home / "bodies.json"
    plain.write_text(json.dumps(bodies))
    return folder, plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--requests", type=int, default=120)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="explorer-bench-runner-") as tmp:
        home = Path(tmp)
        env = _env(home)
        folder, plain = _collection(home, args.requests)
        one = home / "collections" / "one"
        _collection_one(one)
        demo, url, key = start_demo(env)
        env["STACKONE_API_KEY"] = key
        py = sys.executable
        plain_cmd = [py, "-c", _PLAIN, url, key, str(plain)]
        run_cmd = [py, "-m", "explorer", "run", str(folder), "--base-url", url]
        one_cmd = [py, "-m", "explorer", "run", str(one), "--base-url", url]
        help_cmd = [py, "-m", "explorer", "run", "--help"]
        m_plain = Metric(f"plain httpx, {args.requests} requests: spawn to exit")
        m_run = Metric(f"stackone-explorer run, {args.requests} requests: spawn to exit")
        m_ratio = Metric("throughput runner / plain httpx", unit="x")
        m_help = Metric("stackone-explorer run --help: spawn to exit")
        m_one = Metric("stackone-explorer run, 1 request: spawn to exit")
        try:
            for cmd, expect in ((plain_cmd, {0}), (run_cmd, {0}), (help_cmd, {0}), (one_cmd, {0})):
                _timed(cmd, env, expect)  # warm-up: file cache and bytecode
            for _ in range(args.runs):
                p = _timed(plain_cmd, env, {0})
                r = _timed(run_cmd, env, {0})
                m_plain.add(p)
                m_run.add(r)
                m_ratio.add(p / r)
                m_help.add(_timed(help_cmd, env, {0}))
                m_one.add(_timed(one_cmd, env, {0}))
        finally:
            demo.terminate()
            demo.wait(10)
    print(
        table(
            f"runner ({args.requests} requests against the demo, whole processes)",
            [m_plain, m_run, m_ratio, m_help, m_one],
        )
    )
    ratio = m_ratio.median
    verdict = "ok" if ratio >= RATIO_TARGET else f"MISSED (target >= {RATIO_TARGET:g}x)"
    print(f"  runner at {ratio:.2f}x plain httpx (median of per-round ratios): {verdict}")
    return 0


def _collection_one(folder: Path) -> None:
    from explorer.core.request import RpcRequest
    from explorer.store.collections import CollectionStore, SavedRequest

    store = CollectionStore.create(folder, "One")
    store.save_request(
        SavedRequest("List", RpcRequest(action="bamboohr_list_employees", account_id=_ACCOUNT))
    )


if __name__ == "__main__":
    sys.exit(main())
