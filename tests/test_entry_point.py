"""The command line: the window's usual starts are read without argparse, as argparse reads them.

Building the parser costs ~2-3 ms of every start (its help formatter, gettext's catalogue
lookups); ``--help``, ``--version`` and anything unusual still go through it.
"""

from __future__ import annotations

import pytest

from explorer.__main__ import build_parser, main, usual_start

USUAL = [
    [],
    ["--demo"],
    ["--home", "/tmp/explorer home"],
    ["--smoke", "--home", "/data/explorer", "--read-only"],
    ["--home", ""],
    ["--read-only", "--demo", "--smoke"],
]
# Help, abbreviations, the ``=`` form, a value argparse must judge, repeats, strays.
LEFT_TO_ARGPARSE = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["--dem"],
    ["--home=/tmp/x"],
    ["--home", "-1"],
    ["--home"],
    ["--demo", "--demo"],
    ["--home", "a", "--home", "b"],
    ["--", "--demo"],
    ["extra"],
]


@pytest.mark.parametrize("argv", USUAL)
def test_a_usual_start_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    options = usual_start(argv)
    assert options is not None
    assert vars(options) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert usual_start(argv) is None


def test_help_is_argparse_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == build_parser().format_help()
