"""``stackone-explorer run`` in a test: in this process with its output captured, or in a
fresh interpreter as a terminal or CI starts it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from explorer.run.cli import main
from explorer.store.credentials import CredentialStore

REPO = Path(__file__).resolve().parents[2]


def python(
    *argv: str | Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python ARGV`` at the repository root; the API key and ``STACKONE_VAR_*`` values of
    this machine's environment are left out, so only those in ``env`` count."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if k != "STACKONE_API_KEY" and not k.startswith("STACKONE_VAR_")
    }
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, *map(str, argv)],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_cli(
    *args: str | Path,
    env: Mapping[str, str] | None = None,
    credentials: CredentialStore | None = None,
) -> tuple[int, str, str]:
    """``main(args)`` with ``env`` as the whole environment: the exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [str(a) for a in args], environ=env or {}, stdout=out, stderr=err, credentials=credentials
    )
    return code, out.getvalue(), err.getvalue()
