"""Start-up: process start to the first paint of the main window, against a bare QMainWindow.

Every run is a fresh process (``python -m benchmarks.startup_probe``), offscreen. The parent
notes the monotonic clock just before spawning; the child reports the clock at its first
paint; the difference is what a user waits for. Measured cases:

* ``bare QMainWindow``: the floor - Python, PySide6 and one empty window.
* ``explorer, empty home``: the real entry point with ``--smoke`` and a fresh ``--home``.
* ``explorer, 1000 history``: the same with a full default-size history (limit 1000).
* ``python -m explorer --smoke``: plain wall time to exit, the way packaging checks run it.

One unmeasured warm-up run of each comes first so the file cache is warm for all alike, and
bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``) as an installed app would have it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import Metric, now_ms, table

NEAR_BARE_MS = 100.0
_LINE = re.compile(r"BENCH imports=([\d.]+) first_paint=([-\d.]+)")
ROOT = Path(__file__).resolve().parent.parent


# Installed apps (wheel, bundle) run from bytecode; a checkout with PYTHONDONTWRITEBYTECODE
# would recompile every module on every start. Cache bytecode outside the work tree instead.
_PYCACHE = Path(tempfile.gettempdir()) / "stackone-explorer-bench-pycache"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` from the repository root, in the benchmark's environment."""
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, env=_env(), cwd=ROOT
    )


def probe(which: str, home: Path | None) -> tuple[float, float, float]:
    """``(imports done, first paint, exit)`` in ms after the spawn, for one fresh process."""
    command = ["benchmarks.startup_probe", which]
    if home is not None:
        command += ["--home", str(home)]
    start = now_ms()
    done = _python(*command)
    end = now_ms()
    match = _LINE.search(done.stdout)
    if done.returncode != 0 or match is None or float(match.group(2)) < 0:
        raise RuntimeError(f"{which} probe failed ({done.returncode}): {done.stderr[-2000:]}")
    return float(match.group(1)) - start, float(match.group(2)) - start, end - start


def parts(home: Path) -> list[tuple[str, float]]:
    """The probe's ``parts`` mode: how long each big piece of start-up took, in order."""
    done = _python("benchmarks.startup_probe", "parts", "--home", str(home))
    line = next((x for x in done.stdout.splitlines() if x.startswith("PARTS ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"parts probe failed ({done.returncode}): {done.stderr[-2000:]}")
    out = []
    for item in line.split()[1:]:
        name, _eq, value = item.rpartition("=")
        out.append((name.replace("~", " "), float(value)))
    return out


def smoke_wall(home: Path) -> float:
    """Wall time of ``python -m explorer --smoke --home DIR``, spawn to exit."""
    start = now_ms()
    done = _python("explorer", "--smoke", "--home", str(home))
    if done.returncode != 0:
        raise RuntimeError(f"--smoke failed ({done.returncode}): {done.stderr[-2000:]}")
    return now_ms() - start


def measure(runs: int) -> tuple[list[Metric], list[Metric]]:
    """The headline metrics, and the start-up split into its big pieces."""
    from benchmarks.history_data import write_history

    bare = Metric("bare QMainWindow: first paint")
    bare_imports = Metric("bare QMainWindow: PySide6 imported")
    empty = Metric("explorer, empty home: first paint")
    empty_imports = Metric("explorer, empty home: app modules imported")
    full = Metric("explorer, 1000 history: first paint")
    # "Near a bare Qt window": within 100 ms, about the smallest delay people notice.
    overhead = Metric("explorer first paint minus bare (same round)", target=NEAR_BARE_MS)
    wall = Metric("python -m explorer --smoke: spawn to exit")
    bare_wall = Metric("bare QMainWindow: spawn to exit")
    breakdown: dict[str, Metric] = {}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        full_home = Path(tmp) / "full"
        write_history(full_home / "history", 1000)
        for round_number in range(runs + 1):
            # A fresh home each time: a first start also writes its folders and settings.
            empty_home = Path(tmp) / f"empty{round_number}"
            b = probe("bare", None)
            e = probe("explorer", empty_home)
            f = probe("explorer", full_home)
            w = smoke_wall(Path(tmp) / f"smoke{round_number}")
            pieces = parts(Path(tmp) / f"parts{round_number}")
            if round_number == 0:
                continue  # warm-up
            for name, value in pieces:
                breakdown.setdefault(name, Metric(f"  {name}")).add(value)
            bare_imports.add(b[0])
            bare.add(b[1])
            bare_wall.add(b[2])
            empty_imports.add(e[0])
            empty.add(e[1])
            full.add(f[1])
            overhead.add(e[1] - b[1])
            wall.add(w)
    headline = [bare_imports, bare, bare_wall, empty_imports, empty, full, overhead, wall]
    return headline, list(breakdown.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="measured runs (default 7)")
    args = parser.parse_args(argv)
    headline, breakdown = measure(args.runs)
    print(table("startup (offscreen; ms after the process was spawned)", headline))
    print(table("startup, piece by piece (one process, in this order)", breakdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
