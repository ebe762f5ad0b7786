"""``stackone-explorer run`` starts without importing what a run does not use.

In CI a collection is tens of requests, so start-up is most of a run: every module imported
and never used is paid on every build. Checked in a fresh interpreter (this test process has
imported everything), through ``explorer.__main__`` as the installed command starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.request import RpcRequest
from explorer.demo.server import DemoServer
from explorer.store.collections import CollectionStore, SavedRequest
from tests.run.command import python

KEY = "sk_imports_7d1c"

# Nothing a run needs: the window, the demo, the keyring when the key comes from the
# environment, highlighting, schema and filter libraries, and httpx's own command line.
NEVER = (
    "PySide6",
    "shiboken6",
    "explorer.ui",
    "explorer.demo",
    "pygments",
    "click",
    "jsonschema",
    "yaml",
    "jq",
    "jsonpath",
    "stackone_defender",
)

PROBE = """
import contextlib, io, json, sys
from explorer.__main__ import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
modules = sorted(name for name, module in sys.modules.items() if module is not None)
print(json.dumps({"code": code, "modules": modules}))
"""


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    demo = DemoServer(port=0, api_key=KEY).start()
    yield demo
    demo.stop()


def _imported(*args: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    done = python("-c", PROBE, "run", *args, env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], report["modules"]


def _heavy(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_help_imports_neither_a_client_nor_a_keyring() -> None:
    code, modules = _imported("--help")
    assert code == 0
    assert _heavy(modules, (*NEVER, "keyring", "httpx", "httpcore", "xml.etree")) == []


def test_a_one_request_run_imports_only_what_it_sends_with(
    tmp_path: Path, server: DemoServer
) -> None:
    store = CollectionStore.create(tmp_path / "one", "One")
    store.save_request(
        SavedRequest(
            "List", RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
        )
    )
    code, modules = _imported(
        str(store.root),
        "--base-url",
        server.url,
        "--home",
        str(tmp_path / "home"),
        env={"STACKONE_API_KEY": KEY},
    )
    assert code == 0
    assert "httpx" in modules  # it did send
    # The key came from the environment and no report was asked for.
    assert _heavy(modules, (*NEVER, "keyring", "xml.etree")) == []
