"""Compare two commits on the same benchmarks, side by side, measured in the same run.

``benchmarks/compare REV_A REV_B [--bench startup,history] [--rounds 2] [-- ARGS...]`` exports
each commit's tree (``git archive``: a clean snapshot, nothing of the work tree's state and
nothing registered in the repository) into a temporary folder, then runs each chosen benchmark
there (``python -m benchmarks.NAME ARGS...``, with this checkout's interpreter), A then B, round
after round so machine load hits both alike. Every table row found on both sides is printed
with A's and B's median (the median over the rounds) and the change.

This machine's absolute times drift 10-30 % with the load: compare only figures taken in the
same run, as this command does.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCHMARKS = ("startup",)
# One row of ``measure.table``: name, median, p95, runs, verdict.
_ROW = re.compile(
    r"^(?P<indent> {2,})(?P<name>\S.*?)\s{2,}(?P<median>-|-?[\d.]+(?:e[+-]?\d+)? \S+)\s+"
    r"(?P<p95>-|-?[\d.]+(?:e[+-]?\d+)? \S+)\s+(?P<runs>\d+)\s*(?P<verdict>.*)$"
)


@dataclass
class Row:
    """One metric of one benchmark on one side: its medians over the rounds."""

    unit: str
    medians: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.medians) if self.medians else math.nan


Tables = dict[tuple[str, str], Row]
"""``(table title, metric) -> Row``, in the order the benchmark printed them."""


def parse_tables(output: str, into: Tables) -> None:
    """Add the medians of every table row in a benchmark's ``output`` to ``into``.

    An indented row (``  longest UI stall`` under the step it belongs to) is named after its
    step, and a name met twice in one table gets a number, so that no two rows merge.
    """
    title = ""
    parent, parent_indent = "", 0
    seen: dict[str, int] = {}
    for line in output.splitlines():
        if line and not line.startswith(" "):
            title, parent, parent_indent, seen = line.strip(), "", 0, {}
            continue
        match = _ROW.match(line)
        if match is None or match.group("name") == "metric":
            continue
        name = match.group("name").rstrip()
        indent = len(match.group("indent"))
        if parent and indent > parent_indent:
            name = f"{parent}: {name}"
        else:
            parent, parent_indent = name, indent
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        median = match.group("median")
        if median == "-":
            continue
        value, unit = median.split(" ", 1)
        into.setdefault((title, name), Row(unit)).medians.append(float(value))


def export(rev: str, where: Path) -> str:
    """Write commit ``rev``'s tree into ``where``; returns its short hash."""
    sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}").strip()
    where.mkdir(parents=True)
    archive = where.with_suffix(".tar")
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", sha], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(where, filter="data")
    archive.unlink()
    return sha[:9]


class BenchmarkFailed(Exception):
    """A benchmark exited with an error (or does not exist at that commit)."""


def run_benchmark(tree: Path, name: str, args: Sequence[str]) -> str:
    """``python -m benchmarks.NAME ARGS`` in ``tree``; its standard output.

    Raises:
        BenchmarkFailed: it exited non-zero; the message ends with its last error lines.
    """
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BenchmarkFailed(f"benchmarks.{name} failed ({done.returncode}):\n{last}")
    return done.stdout


def side_by_side(names: tuple[str, str], a: Tables, b: Tables) -> str:
    """Every row measured on both sides, grouped by table, with the change from A to B."""
    rows = [key for key in a if key in b]
    if not rows:
        return "(no table row was found on both sides)"
    width = max(len(metric) for _title, metric in rows)
    lines: list[str] = []
    title = None
    for key in rows:
        if key[0] != title:
            title = key[0]
            lines += ["", title, f"  {'metric':<{width}}  {names[0]:>12}  {names[1]:>12}  change"]
        left, right = a[key], b[key]
        lines.append(
            f"  {key[1]:<{width}}  {_fmt(left):>12}  {_fmt(right):>12}  "
            f"{_change(left.median, right.median)}"
        )
    for side, mine, other in ((names[0], a, b), (names[1], b, a)):
        only = [(key[1], _fmt(row)) for key, row in mine.items() if key not in other]
        if only:
            wide = max(len(metric) for metric, _value in only)
            lines += ["", f"Only in {side}:"]
            lines += [f"  {metric:<{wide}}  {value:>12}" for metric, value in only]
    return "\n".join(lines).lstrip("\n")


def _fmt(row: Row) -> str:
    value = row.median
    if math.isnan(value):
        return "-"
    return f"{value:.0f} {row.unit}" if row.unit == "ms" else f"{value:.3g} {row.unit}"


def _change(a: float, b: float) -> str:
    if math.isnan(a) or math.isnan(b) or a == 0:
        return ""
    return f"{(b - a) / abs(a) * 100:+.0f} %"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    passed: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, passed = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(
        prog="benchmarks/compare", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("rev_a", help="the commit to compare from (any git revision)")
    parser.add_argument("rev_b", help="the commit to compare with")
    parser.add_argument(
        "--bench",
        default=",".join(DEFAULT_BENCHMARKS),
        help="comma-separated benchmark modules (default: startup)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="A-then-B rounds (default 1)")
    args = parser.parse_args(argv)
    benchmarks = [name.strip() for name in args.bench.split(",") if name.strip()]
    failed = False
    try:
        with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
            trees = (Path(tmp) / "a", Path(tmp) / "b")
            names = (export(args.rev_a, trees[0]), export(args.rev_b, trees[1]))
            if names[0] == names[1]:
                names = (f"A {names[0]}", f"B {names[1]}")
            for name in benchmarks:
                print(f"# benchmarks.{name}, {args.rounds} round(s), {' '.join(passed)}".rstrip())
                tables: tuple[Tables, Tables] = ({}, {})
                try:
                    for _round in range(args.rounds):
                        for side, tree, into in zip(names, trees, tables, strict=True):
                            try:
                                parse_tables(run_benchmark(tree, name, passed), into)
                            except BenchmarkFailed as exc:
                                raise BenchmarkFailed(f"{side}: {exc}") from None
                except BenchmarkFailed as exc:
                    failed = True
                    print(exc, end="\n\n", flush=True)
                    continue
                print(side_by_side(names, *tables), end="\n\n", flush=True)
    except subprocess.CalledProcessError as exc:
        print(f"benchmarks/compare: {exc.stderr or exc}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
