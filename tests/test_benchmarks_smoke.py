"""The benchmarks still run against today's window (they measure; these tests only run them).

Each benchmark is run once with tiny inputs in a fresh interpreter, as ``benchmarks/run`` would,
so a renamed widget or changed constructor breaks here rather than on the day someone wants
numbers. Nothing here asserts a time: speed is judged from the benchmarks' tables.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _run(*args: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_startup_benchmark_reports_the_window_and_the_bare_baseline() -> None:
    out = _run("benchmarks.startup", "--runs", "1")
    assert "bare QMainWindow: first paint" in out
    assert "explorer, empty home: first paint" in out
    # The minimal window's row has a figure: its probe reached usable.
    assert re.search(r"minimal window \(a 40-row table, a text field\): usable +\d+ ms", out)
    assert "import keyring" in out  # the piece-by-piece table


def test_the_usable_probe_s_import_stamp_imports_nothing_the_app_does_not() -> None:
    """The probe times the app from its spawn: a module the probe imports for itself (here
    ``importlib.abc``, with ``importlib.resources``: ~3-4 ms) counts as the app's start-up,
    though neither a user's start nor the bare window imports it."""
    code = (
        "import sys\n"
        "from benchmarks import startup_probe\n"
        "stamp = startup_probe._stamp_when_imported('json')\n"
        "import json\n"
        "print('at' in stamp, sorted(m for m in sys.modules if m.startswith('importlib.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split(" ", 1)[0] == "True"  # the stamp still comes
    assert "importlib.abc" not in done.stdout
    assert "importlib.resources" not in done.stdout


def test_the_startup_benchmark_s_saved_home_holds_what_the_window_saves_on_close(
    tmp_path: Path,
) -> None:
    """A returning user's home holds what the window saved as it last closed: its geometry,
    toolbars and pane sizes, and the open tabs. Without them the benchmark timed a window
    that sizes itself afresh, which no returning user starts."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from benchmarks.startup import saved_home\n"
        "from explorer.store.paths import resolve_paths\n"
        "home = saved_home(Path(sys.argv[1]))\n"
        "print(json.dumps(json.loads(resolve_paths(home).settings_file.read_text())))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "home")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    settings = json.loads(done.stdout)
    for key in ("window_geometry", "window_state", "splitters", "open_tabs"):
        assert settings.get(key), key
    (tab,) = settings["open_tabs"]["tabs"]
    assert tab["request"]["action"] == "bamboohr_list_employees"
    assert tab["edited"] is False


def test_big_response_benchmark_sends_through_the_window() -> None:
    out = _run("benchmarks.big_response", "--runs", "1", "--mb", "0.5")
    for row in (
        "send -> Pretty visible",
        "switch to Raw",
        "find (no match)",
        "reopen from history",
    ):
        assert row in out
    assert "did not find the needle" not in out


def test_history_benchmark_runs_every_step() -> None:
    out = _run("benchmarks.history", "--runs", "1", "--entries", "300")
    for row in (
        "open HistoryStore, lazily (300 entries)",
        "every row listed",
        "filter 'greenhouse 400'",
        "add one entry",
        "filter by its new tag",
    ):
        assert row in out


def test_analysis_benchmark_compares_and_filters() -> None:
    out = _run("benchmarks.analysis", "--runs", "1", "--mb", "0.3")
    for row in ("compare two", "ignore $..updated_at", "filter JSONPath", "filter jq"):
        assert row in out
    assert "compare in brief in a helper process, from a pool thread" in out
    assert "compare window: two history entries to the changes shown" in out
    assert "longest UI stall meanwhile" in out


def test_defender_benchmark_checks_a_body_with_both_tiers() -> None:
    out = _run("benchmarks.defender", "--runs", "1", "--mb", "0.01")
    for row in ("first check in a new helper process", "tier 1", "tiers 1 and 2"):
        assert row in out


def test_memory_benchmark_measures_every_case() -> None:
    out = _run("benchmarks.memory", "--runs", "1", "--mb", "2")
    for row in ("2 MB JSON: peak above idle", "2 MB JSON, gzip", "gzip bomb, 2 MB"):
        assert row in out
    assert "gzip bomb, 2 MB -> 200 OK" in out  # 2 MB is under the limit: not refused


def test_runner_benchmark_compares_the_command_with_plain_httpx() -> None:
    out = _run("benchmarks.runner", "--runs", "1", "--requests", "8")
    for row in (
        "plain httpx, 8 requests",
        "stackone-explorer run, 8 requests",
        "stackone-explorer run --help",
        "stackone-explorer run, 1 request",
    ):
        assert row in out
    assert "runner at" in out


def test_send_benchmark_times_the_window_against_plain_httpx() -> None:
    out = _run("benchmarks.send", "--runs", "1")
    for row in ("plain httpx: post -> JSON read", "window: Send -> Pretty painted"):
        assert row in out
    assert "window minus plain httpx (same round)" in out


def test_accounts_benchmark_runs_across_accounts_in_the_window() -> None:
    out = _run("benchmarks.accounts", "--runs", "1", "--accounts", "3")
    assert "3 accounts at 1000/min: start -> finished" in out
    assert "longest UI stall, start..settled" in out


def test_cells_benchmark_counts_the_python_calls_of_each_lists_repaint() -> None:
    out = _run("benchmarks.cells", "--runs", "1")
    for row in (
        "the history (1,000 entries): Python calls a repaint",
        "a run's results (100 accounts): a repaint while a thread runs Python",
        "the compare window's changes (1,000): a repaint",
    ):
        assert row in out
    assert "multiData" in out


def test_compare_runs_a_benchmark_on_two_commits_side_by_side() -> None:
    # The same commit twice: both exports must run and every row must pair up.
    out = _run(
        "benchmarks.compare", "HEAD", "HEAD", "--bench", "analysis", "--", "--runs", "1",
        "--mb", "0.3",
    )  # fmt: skip
    header = next(line for line in out.splitlines() if line.lstrip().startswith("metric"))
    assert "A " in header and "B " in header and "change" in header
    for row in ("compare two", "filter JSONPath", "filter jq"):
        assert row in out
    assert "Only in" not in out


def test_compare_keeps_each_steps_stall_row_apart() -> None:
    """Several steps of one table have a row named "longest UI stall": each keeps its own."""
    from benchmarks.compare import Tables, parse_tables

    output = (
        "big_response (1 MB JSON; offscreen)\n"
        "  metric                      median         p95  runs  verdict\n"
        "  switch to Raw -> painted      1 ms        1 ms     2\n"
        "    longest UI stall            6 ms        7 ms     2  ok\n"
        "  find -> painted               4 ms        5 ms     2\n"
        "    longest UI stall           15 ms       16 ms     2  ok\n"
        "  usable / bare              3.69 x       3.7 x     2  MISSED (target 1.5 x)\n"
    )
    tables: Tables = {}
    parse_tables(output, tables)
    rows = {name: (row.medians, row.unit) for (_title, name), row in tables.items()}
    assert rows == {
        "switch to Raw -> painted": ([1.0], "ms"),
        "switch to Raw -> painted: longest UI stall": ([6.0], "ms"),
        "find -> painted": ([4.0], "ms"),
        "find -> painted: longest UI stall": ([15.0], "ms"),
        "usable / bare": ([3.69], "x"),
    }


def test_compare_shows_the_figure_of_a_row_only_one_commit_has() -> None:
    """A row new in B (e.g. a new baseline) is listed with its median, not its name alone."""
    from benchmarks.compare import Tables, parse_tables, side_by_side

    before = "startup\n  metric  median  p95  runs\n  usable  235 ms  240 ms  5\n"
    after = before + "  minimal window: usable  158 ms  170 ms  5\n"
    a: Tables = {}
    b: Tables = {}
    parse_tables(before, a)
    parse_tables(after, b)
    out = side_by_side(("A", "B"), a, b)
    only = out.split("Only in B:", 1)[1]
    assert "minimal window: usable" in only and "158 ms" in only
