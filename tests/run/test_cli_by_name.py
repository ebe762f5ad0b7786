"""``stackone-explorer run NAME`` finds a collection by its display name, not only its folder.

Issue 8, item 10: the CLI accepted only the folder slug. Display names need not be unique:
when several collections match, the run lists them and asks for the folder; nothing is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.demo.server import DemoServer
from tests.run.command import run_cli
from tests.smoke_collection import create_smoke_collection

KEY = "sk_RUNNER_BY_NAME_7f3a1c"


LOG: list[str] = []  # one line per request the module's server answered


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    demo = DemoServer(port=0, api_key=KEY, rate_limit_per_minute=1000, log=LOG.append).start()
    yield demo
    demo.stop()


def run(*args: str | Path) -> tuple[int, str, str]:
    return run_cli(*args, env={"STACKONE_API_KEY": KEY})


def smoke_named(home: Path, folder: str, name: str) -> Path:
    root = home / "data" / "collections" / folder
    store = create_smoke_collection(root)
    store.set_info(name, "")
    return root


def test_the_display_name_finds_the_collection(tmp_path: Path, server: DemoServer) -> None:
    home = tmp_path / "home"
    smoke_named(home, "bamboohr-smoke", "BambooHR smoke")
    for given in ("BambooHR smoke", "bamboohr SMOKE"):
        code, out, err = run(
            given,
            "--home",
            home,
            "--base-url",
            server.url,
            "--only",
            "Reject bad candidate",
            "--allow-production-writes",  # a 422 from a production account, on purpose
        )
        assert code == 0, err
        assert "422" in out
        assert "'BambooHR smoke'" in err


def test_a_name_several_collections_share_lists_them_and_sends_nothing(
    tmp_path: Path, server: DemoServer
) -> None:
    home = tmp_path / "home"
    first = smoke_named(home, "team-a", "Team")
    second = smoke_named(home, "team-b", "Team")
    before = len(LOG)
    code, out, err = run("Team", "--home", home, "--base-url", server.url)
    assert code == 2
    assert out == ""
    assert "2 collections are named 'Team'" in err
    assert str(first) in err and str(second) in err
    assert "folder" in err
    assert len(LOG) == before


def test_a_folder_name_still_wins(tmp_path: Path, server: DemoServer) -> None:
    home = tmp_path / "home"
    smoke_named(home, "team", "Smoke")
    smoke_named(home, "other", "team")  # its display name is another's folder name
    code, _out, err = run(
        "team",
        *("--home", home, "--base-url", server.url, "--only", "Reject bad candidate"),
        "--allow-production-writes",
    )
    assert code == 0, err
    assert "'Smoke'" in err


def test_an_unknown_name_lists_the_collections_by_name(tmp_path: Path) -> None:
    home = tmp_path / "home"
    smoke_named(home, "bamboohr-smoke", "BambooHR smoke")
    code, _out, err = run("Nothing like it", "--home", home, "--base-url", "http://127.0.0.1:9")
    assert code == 2
    assert "BambooHR smoke (bamboohr-smoke)" in err
