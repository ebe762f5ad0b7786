"""Start-up: process start to a usable window, against a bare QMainWindow's first paint.

Every run is a fresh process (``python -m benchmarks.startup_probe``), offscreen. The parent
notes the monotonic clock just before spawning; the child reports the clock at the moments
that matter; the difference is what a user waits for. Measured cases:

* ``bare QMainWindow``: the floor - Python, PySide6 and one empty window, first paint.
* ``minimal window``: the smallest window the usable probe can watch (a ``QTableView`` of 40
  rows and a ``QLineEdit``), timed to usable as the explorer is: what any PySide window with a
  painted list and a field to type in pays on top of the bare one (the ``Qt`` namespace's
  enum classes, a font for the first text, a key press handled). Not a target; it shows how
  much of the ratio's budget is left for an app's own modules and widgets.
* ``explorer, saved home``: what a returning user starts: a saved profile (selected), the
  request they were editing, 1,000 history entries, two collections and the window's saved
  geometry, pane sizes and open tabs. Timed to its first
  paint and to **usable**: the history list painted with rows, the editor painted with the
  restored request, and a key press posted after both reached the action field and typed.
* ``explorer, empty home``: a first start, to the first paint (``--smoke``'s moment).
* ``python -m explorer --smoke``: plain wall time to exit, the way packaging checks run it.

The target is a ratio measured in the same round: usable within 1.5 times the bare window's
first paint. One unmeasured warm-up run of each comes first so the file cache is warm for all
alike, and bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``) as an installed app
would have it. The keyring is the ``null`` backend: no OS keyring is touched (the saved
profile's key is read after the first paint, and not found).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import STALL_TARGET_MS, Metric, now_ms, table

USABLE_RATIO = 1.5  # usable within 1.5x a bare window's first paint
_LINE = re.compile(r"BENCH imports=([\d.]+) first_paint=([-\d.]+)")
_USABLE = re.compile(r"history=([-\d.]+) editor=([-\d.]+) usable=([-\d.]+) stall_after=([-\d.]+)")
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
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
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


def usable(home: Path | None) -> tuple[float, float, float, float, float, float]:
    """``(imports, first paint, history rows painted, editor painted, usable)`` in ms after
    the spawn, for one fresh process on a copy of ``home`` (the window saves its state), and
    the longest UI stall in the 1.5 s after usable. Without a home: the probe's minimal
    window (a table and a text field), where "imports" is the moment it was built."""
    with tempfile.TemporaryDirectory(prefix="bench-usable-") as tmp:
        command = ["benchmarks.startup_probe", "minimal"]
        if home is not None:
            copy = Path(tmp) / "home"
            shutil.copytree(home, copy)
            command = ["benchmarks.startup_probe", "usable", "--home", str(copy)]
        start = now_ms()
        done = _python(*command)
    first = _LINE.search(done.stdout)
    rest = _USABLE.search(done.stdout)
    if done.returncode != 0 or first is None or rest is None:
        raise RuntimeError(f"usable probe failed ({done.returncode}): {done.stderr[-2000:]}")
    stamps = [float(first.group(1)), float(first.group(2)), *map(float, rest.groups()[:3])]
    times = [x - start for x in stamps]
    return times[0], times[1], times[2], times[3], times[4], float(rest.group(4))


def saved_home(root: Path, history: int = 1000) -> Path:
    """A returning user's data folder: a saved, selected profile, the request being edited,
    ``history`` entries, two collections of saved requests, and what the window saved as it
    last closed."""
    from benchmarks.history_data import write_history
    from explorer.core.request import RpcRequest
    from explorer.store.collections import CollectionStore, SavedRequest
    from explorer.store.paths import resolve_paths
    from explorer.store.profiles import Profile, ProfileStore
    from explorer.store.settings import Settings

    paths = resolve_paths(root).ensure()
    profiles = ProfileStore(paths.profiles_file)
    # Port 9 (discard): nothing is listening, nothing is sent (the key is not found anyway).
    profiles.upsert(Profile("Bench", base_url="http://127.0.0.1:9", account_id="acct_bench"))
    profiles.save()
    settings = Settings(paths.settings_file)
    settings.set("last_profile", "Bench")
    request = RpcRequest(
        action="bamboohr_list_employees", account_id="acct_bench", query={"page_size": 25}
    )
    settings.set("last_request", request.to_dict())
    settings.save()
    write_history(paths.history_dir, history)
    collections = (("hris", "HRIS checks", "bamboohr"), ("ats", "ATS", "greenhouse"))
    for folder, name, provider in collections:
        store = CollectionStore.create(paths.collections_dir / folder, name)
        for verb in ("list_employees", "get_employee", "create_employee", "list_time_off"):
            action = f"{provider}_{verb}"
            store.save_request(
                SavedRequest(action, RpcRequest(action=action, account_id="acct_bench"))
            )
    # What the window saves as it closes (geometry, toolbars, pane sizes, the open tabs), which
    # every returning user's home holds and the window restores at start: written by the real
    # window, which ``--smoke`` closes after its first paint.
    done = _python("explorer", "--smoke", "--home", str(root))
    if done.returncode != 0:
        raise RuntimeError(f"saving the window's state failed: {done.stderr[-2000:]}")
    return root


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
    bare = Metric("bare QMainWindow: first paint")
    bare_imports = Metric("bare QMainWindow: PySide6 imported")
    bare_wall = Metric("bare QMainWindow: spawn to exit")
    saved_imports = Metric("explorer, saved home: app modules imported")
    saved_paint = Metric("explorer, saved home: first paint")
    saved_history = Metric("explorer, saved home: history rows painted")
    saved_editor = Metric("explorer, saved home: restored request painted")
    saved_usable = Metric("explorer, saved home: usable (a key press typed)")
    ratio = Metric("usable / bare first paint (same round)", unit="x", target=USABLE_RATIO)
    floor = Metric("minimal window (a 40-row table, a text field): usable")
    floor_ratio = Metric("  minimal usable / bare first paint (same round)", unit="x")
    after = Metric(
        "  longest UI stall in the 1.5 s after usable (the rest being built)",
        target=STALL_TARGET_MS,
    )
    empty = Metric("explorer, empty home: first paint")
    wall = Metric("python -m explorer --smoke: spawn to exit")
    breakdown: dict[str, Metric] = {}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        home = saved_home(Path(tmp) / "saved")
        for round_number in range(runs + 1):
            b = probe("bare", None)
            u = usable(home)
            m = usable(None)
            # A fresh home each time: a first start also writes its folders and settings.
            e = probe("explorer", Path(tmp) / f"empty{round_number}")
            w = smoke_wall(Path(tmp) / f"smoke{round_number}")
            pieces = parts(Path(tmp) / f"parts{round_number}")
            if round_number == 0:
                continue  # warm-up
            for name, value in pieces:
                breakdown.setdefault(name, Metric(f"  {name}")).add(value)
            bare_imports.add(b[0])
            bare.add(b[1])
            bare_wall.add(b[2])
            for metric, value in zip(
                (saved_imports, saved_paint, saved_history, saved_editor, saved_usable),
                u[:5],
                strict=True,
            ):
                metric.add(value)
            ratio.add(u[4] / b[1])
            floor.add(m[4])
            floor_ratio.add(m[4] / b[1])
            after.add(u[5])
            empty.add(e[1])
            wall.add(w)
    headline = [
        bare_imports,
        bare,
        bare_wall,
        saved_imports,
        saved_paint,
        saved_history,
        saved_editor,
        saved_usable,
        ratio,
        after,
        floor,
        floor_ratio,
        empty,
        wall,
    ]
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
