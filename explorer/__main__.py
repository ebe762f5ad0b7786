"""Command line: ``stackone-explorer [--demo] [--smoke] [--home DIR]`` and ``... run``.

This module only parses arguments and hands over; Qt is imported only when a window is wanted,
so ``run`` (the collection runner) and ``--version`` start fast and work without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from explorer import __version__

if TYPE_CHECKING:
    import argparse

# The window's switches, as ``build_parser`` names their values.
_SWITCHES = {"--demo": "demo", "--smoke": "smoke", "--read-only": "read_only"}


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="stackone-explorer",
        description="A desktop explorer for StackOne's POST /actions/rpc endpoint.",
        epilog="Run 'stackone-explorer run --help' for the command-line collection runner.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in demo StackOne server on a free loopback port and use it",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, wait for the first paint, then exit 0 (for packaging checks)",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep settings, history and collections in DIR "
        "(default: $STACKONE_EXPLORER_HOME or the platform's data folder)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="write nothing to the data folder this session (history off); asked anyway "
        "when the folder cannot be written",
    )
    return parser


def usual_start(args: Sequence[str]) -> SimpleNamespace | None:
    """The window's options when ``args`` hold only its switches and ``--home DIR``, each at
    most once (a launcher, a packaging check, a user starting it), read without argparse:
    importing it and building the parser cost ~3-5 ms of every start (its help formatter,
    gettext's catalogue lookups). ``None`` for anything else (``--help``, ``--version``,
    ``--home=DIR``, an abbreviation, a mistake): ``build_parser`` reads those, as before."""
    options: dict[str, object] = {"demo": False, "smoke": False, "home": None, "read_only": False}
    seen: set[str] = set()
    rest = iter(args)
    for arg in rest:
        if arg in seen:
            return None
        seen.add(arg)
        if arg in _SWITCHES:
            options[_SWITCHES[arg]] = True
        elif arg == "--home":
            home = next(rest, None)
            if home is None or home.startswith("-"):
                return None  # argparse decides what a value starting with "-" is
            options["home"] = home
        else:
            return None
    return SimpleNamespace(**options)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["run"]:
        # httpx imports its own command line (httpx._main) when click is installed, and with
        # it pygments (~30 ms); a run never uses it. Blocked here, in the process's entry
        # point only, so the import fails and httpx carries on without it, as it is written
        # to when its CLI's dependencies are missing.
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
        from explorer.run.cli import main as run_main

        return run_main(args_list[1:])
    args = usual_start(args_list) or build_parser().parse_args(args_list)
    # No garbage collection while the window's modules are imported and it is built: ``run``
    # turns the collector back on once the window has painted (and after it, in any case).
    from explorer.core import collector

    collector.pause(collector.START_UP)
    # Imports ``explorer.ui``: PySide, then its import hook told about the app's modules.
    from explorer.ui.pyside_scan import PlainImports

    with PlainImports():  # the window's modules without PySide's feature hook
        from explorer.ui.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
