"""``stackone-explorer run COLLECTION``: run a saved collection from a terminal or CI.

A smoke test of a linked account: each saved request runs in order against the chosen
profile's server and account, and must meet its expectation (its ``expected_status``, or any
2xx). Without ``--profile`` the only profile is used, never a "Demo" one on loopback (see
``lookup.is_demo_profile``): a guess could send a real key to the wrong server, so several
profiles need ``--profile`` (or ``--base-url``). Everything that can be checked (arguments,
profile, key, report paths) is checked before the first request is sent.

Progress goes to stderr, the results table and summary to stdout, and optional JUnit XML and
JSON reports to files that CI can keep. The API key comes from ``STACKONE_API_KEY`` or the
profile's entry in the OS keyring and is never written anywhere.

Variables: the ``--env`` environment's values (secrets from the OS keyring), overridden by
``STACKONE_VAR_<NAME>`` environment variables, overridden by ``--var NAME=VALUE``. The last two
are how a CI machine without a keyring gets secret values; every value given that way, and
every keyring secret, and the API key, is hidden by ``core.secrets`` in the table, progress
and reports.

Exit status: 0 every request met its expectation; 1 at least one did not (or a request file
could not be loaded); 2 the run could not start (bad arguments, no key, unknown collection,
profile or environment, no profile chosen among several, an unwritable report path), or a
report could not be written at the end; 3 the production guard refused the run: a request
would write to a production account (or one whose type could not be read) and
``--allow-production-writes`` was not given. Nothing is sent with 2 or 3.

This module is the command around the engine, as httpx's ``_main.py`` is around ``Client``:
arguments in, the plan (``explorer.run.plan``), the run (``explorer.run.engine``), the printed
table and the reports (``explorer.run.reports``) out. No Qt: it must work on a CI machine
without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from explorer.core.client import RpcClient
from explorer.core.errors import ExplorerError
from explorer.core.secrets import MIN_TEXT_LENGTH, REDACTED
from explorer.run.engine import RunResult, run_requests, target_request
from explorer.run.lookup import (
    DEMO_PROFILE,
    KEY_ENV,
    VAR_ENV_PREFIX,
    checked_base_url,
    default_profile,
    find_collection,
    parse_vars,
    prepare_report_path,
    variable_names,
    variables_from_environ,
)
from explorer.run.plan import RunPlan, SetupError, plan_run
from explorer.run.production import (
    ALLOW_PRODUCTION_WRITES,
    GUARD_HELP,
    production_writes,
    refusal,
    target_lines,
)
from explorer.run.reports import format_table, json_report, junit_xml, summary
from explorer.store.collections import CollectionError, CollectionStore, SavedRequest
from explorer.store.credentials import CredentialStore, KeyringCredentials
from explorer.store.files import write_atomic
from explorer.store.paths import resolve_paths
from explorer.store.profiles import Profile, ProfileStore

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_SETUP = 2
EXIT_REFUSED = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stackone-explorer run",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run a saved collection's requests in order and check each one's expected\n"
        "status (default: any 2xx).",
        epilog=f"""\
API key:
  Read from ${KEY_ENV}, else from the profile's entry in the OS keyring.
  It is never written to any output.

Variables ({{{{name}}}} in the requests), later sources winning:
  1. the --env environment of the collection (secret values from the OS keyring)
  2. captures: a value a saved request's "captures" take from its response
     (RFC 9535 JSONPath), for the requests after it; one that matches nothing
     fails its request
  3. environment variables {VAR_ENV_PREFIX}<NAME>: the name upper-cased, every
     character other than A-Z and 0-9 made "_" ({{{{api-key}}}} -> {VAR_ENV_PREFIX}API_KEY)
  4. --var NAME=VALUE
  Without a keyring (CI), give secret values with 3 or 4; prefer 3, as command
  lines are visible to other users of the machine. Values given with 3 or 4,
  secret-looking captures and keyring secrets are shown as {REDACTED} in the
  table, progress and reports (inside a message only when {MIN_TEXT_LENGTH} or more
  characters long).

Exit status:
  0  every request met its expected status
  1  at least one did not, could not be sent, or a request file did not load
  2  the run could not start (usage, no key, unknown collection, profile or
     environment, several profiles and no --profile, a report path that cannot
     be written); nothing was sent
  3  refused by the production guard: a request would write to a production
     account, or to one whose type could not be read (GET /accounts failed or
     does not list it), and {ALLOW_PRODUCTION_WRITES} was not given; nothing
     was sent

Production guard:
{GUARD_HELP}
""",
    )
    parser.add_argument(
        "collection",
        metavar="COLLECTION",
        help="the collection folder, the name of a folder in the data directory's "
        "collections, or the name of such a collection as the window shows it",
    )
    parser.add_argument("--env", metavar="NAME", help="the collection environment to use")
    parser.add_argument(
        "--var",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help=f"set {{{{NAME}}}}, over the environment and {VAR_ENV_PREFIX}<NAME> (repeatable)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="the profile giving base URL, default account and key (default: the only "
        f"profile, not counting a leftover {DEMO_PROFILE!r} one on loopback)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        default=[],
        help="run only this request (by name, or Folder/Name; several separated by commas); "
        "repeatable; the collection's order is kept",
    )
    parser.add_argument("--junit", metavar="FILE", type=Path, help="write a JUnit XML report")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write a JSON report")
    parser.add_argument(
        "--base-url", metavar="URL", help="send every request to this server instead"
    )
    parser.add_argument(
        ALLOW_PRODUCTION_WRITES,
        action="store_true",
        help="send requests that write to production accounts (or to accounts whose type "
        "cannot be read) instead of refusing the run with exit status 3",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="the explorer's data directory (profiles, collections); default: "
        "$STACKONE_EXPLORER_HOME or the platform's data folder",
    )
    return parser


@dataclass
class _Run:
    """A run ready to start: the plan, and where and as whom its requests go."""

    plan: RunPlan
    profile: Profile | None
    api_key: str
    base_url: str | None


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    credentials: CredentialStore | None = None,
) -> int:
    """Entry point of ``stackone-explorer run``. Returns the exit status.

    ``environ``, the streams and ``credentials`` (default: the OS keyring) are for tests.
    """
    env = os.environ if environ is None else environ
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else EXIT_SETUP
    try:
        run = _prepare(args, env, err, credentials)
    except (SetupError, CollectionError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_SETUP
    except ExplorerError as exc:  # e.g. KeyringUnavailable
        print(f"error: {exc}\nOr set {KEY_ENV} in the environment.", file=err)
        return EXIT_SETUP

    plan = run.plan
    for problem in plan.problems:
        print(f"warning: could not load {problem}", file=err)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    # One client for the guard's look at the accounts and every request of the run; the
    # command line has no Cancel, so its connections are kept alive between requests.
    with RpcClient(keep_alive=True) as client:
        if not _guard_allows(run, client, args.allow_production_writes, err):
            return EXIT_REFUSED
        print(_announcement(run), file=err)
        results = run_requests(
            plan.requests,
            client=client,
            api_key=run.api_key,
            values=plan.values,
            profile=run.profile,
            base_url=run.base_url,
            masked=plan.secrets,
            progress=_Progress(len(plan.requests), err),
            keep_exchanges=False,
            given=plan.given,
        )
    elapsed = time.perf_counter() - clock
    print(format_table(results), file=out)
    print(summary(results, plan.problems, elapsed), file=out)
    if not _write_reports(args, _context(run, started, elapsed), results, plan, err):
        return EXIT_SETUP
    failed = plan.problems or any(not r.passed for r in results)
    return EXIT_FAILED if failed else EXIT_PASSED


def _announcement(run: _Run) -> str:
    plan = run.plan
    where = run.base_url or (
        f"{run.profile.base_url} (profile {run.profile.name!r})"
        if run.profile
        else "the requests' URLs"
    )
    return (
        f"Running {len(plan.requests)} request(s) of '{plan.title}' against {where}"
        + (f", environment '{plan.environment}'" if plan.environment else "")
        + (f", variables given: {', '.join(plan.given)}" if plan.given else "")
    )


class _Progress:
    """``[3/12] Folder/Name ... 200 (41 ms) ok`` on stderr, as each request runs."""

    def __init__(self, total: int, err: TextIO) -> None:
        self.total = total
        self.err = err

    def __call__(self, index: int, saved: SavedRequest, result: RunResult | None) -> None:
        if result is None:
            print(f"[{index + 1}/{self.total}] {saved.label} ...", end="", file=self.err)
            self.err.flush()
            return
        if result.status is not None:
            timing = f" ({result.time_ms:.0f} ms)" if result.time_ms is not None else ""
            word = "ok" if result.passed else f"FAILED, expected {result.expected}"
            if result.capture_failed:
                word = f"FAILED: {result.message}"
            print(f" {result.status}{timing} {word}", file=self.err)
        else:
            print(f" ERROR: {result.message}", file=self.err)


def _context(run: _Run, started: datetime, elapsed: float) -> dict[str, Any]:
    """What the reports say about the run besides its results."""
    profile = run.profile
    return {
        "collection": run.plan.store.collection.name,
        "collection_path": str(run.plan.store.collection.root),
        "environment": run.plan.environment or None,
        "variables_given": run.plan.given,
        "profile": profile.name if profile else None,
        "base_url": run.base_url or (profile.base_url if profile else None),
        "started_at": started.isoformat(timespec="seconds"),
        "time_s": round(elapsed, 3),
    }


def _write_reports(
    args: argparse.Namespace,
    context: Mapping[str, Any],
    results: Sequence[RunResult],
    plan: RunPlan,
    err: TextIO,
) -> bool:
    try:
        if args.junit:
            write_atomic(args.junit, junit_xml(results, plan.problems, context))
        if args.json:
            write_atomic(args.json, json_report(results, plan.problems, context))
    except ExplorerError as exc:
        print(f"error: {exc}", file=err)
        return False
    return True


def _guard_allows(run: _Run, client: RpcClient, allowed: bool, err: TextIO) -> bool:
    """The production guard: False (saying why) when a request would write to a production
    account, or one whose type cannot be read, without ``--allow-production-writes``."""
    plan = run.plan
    planned = [
        (s, *target_request(s, plan.target_values(), run.profile, run.base_url))
        for s in plan.requests
    ]
    refused = production_writes(
        [(saved.label, r) for saved, r, why in planned if r is not None and not why],
        api_key=run.api_key,
        client=client,
    )
    if refused and not allowed:
        print(refusal(refused), file=err)
        return False
    for line in target_lines(refused):
        print(f"note: {ALLOW_PRODUCTION_WRITES}: writing anyway to {line.strip()}", file=err)
    return True


def _prepare(
    args: argparse.Namespace,
    env: Mapping[str, str],
    err: TextIO,
    keyring: CredentialStore | None,
) -> _Run:
    """Everything checked and read before the first request: the collection, the profile and
    key, the plan, and the report paths.

    Raises:
        SetupError, CollectionError, ExplorerError: the run cannot start.
    """
    given_on_command_line = parse_vars(args.var)
    base_url = checked_base_url(args.base_url) if args.base_url is not None else None
    paths = resolve_paths(args.home, environ=env)
    problem = paths.write_problem(create=False)
    if problem is not None:
        print(
            f"note: the data folder cannot be written ({problem}); the run keeps nothing "
            "there and writes only its reports",
            file=err,
        )
    root = find_collection(args.collection, paths.collections_dir)
    profile = _profile(args.profile, paths.profiles_file, base_url, err)

    api_key = env.get(KEY_ENV, "").strip()
    credentials = None
    if not api_key or args.env:
        credentials = keyring if keyring is not None else KeyringCredentials()
    if not api_key:
        api_key = _key_from_keyring(profile, credentials)

    store = CollectionStore(root, credentials=credentials)
    collection, _problems = store.load()
    known = variable_names(collection)
    given = variables_from_environ(known, env, err)
    given.update(given_on_command_line)
    for name in sorted(set(given_on_command_line) - known):
        print(f"note: --var {name} matches no variable of the collection; ignored", file=err)
    plan = plan_run(store, only=args.only, environment=args.env or "", given=given)
    if plan.keyring_error:
        # Without a keyring only the secret variables are missing; the requests that need
        # them report it, the others still run.
        print(
            f"warning: secret variables unavailable ({', '.join(plan.unreadable)}): "
            f"{plan.keyring_error}\n"
            f"Give their values with {VAR_ENV_PREFIX}<NAME> or --var NAME=VALUE.",
            file=err,
        )
    if not args.env and collection.environments:
        defined = ", ".join(sorted(collection.environments))
        print(f"note: no --env given; the collection defines: {defined}", file=err)
    # Last, so a run that cannot start leaves no new folders behind; before any request is
    # sent, so a typo in a report path does not cost a whole run.
    prepare_report_path("--junit", args.junit)
    prepare_report_path("--json", args.json)
    return _Run(plan, profile, api_key, base_url)


def _profile(name: str | None, file: Path, base_url: str | None, err: TextIO) -> Profile | None:
    """The ``--profile`` named, or the one to use without it (see ``default_profile``).

    Raises:
        SetupError: no profile of that name; several profiles and neither option.
    """
    profiles = ProfileStore(file)
    if profiles.load_error:
        print(f"warning: {profiles.load_error}", file=err)
    if not name:
        return default_profile(profiles.list(), base_url, err)
    profile = profiles.get(name)
    if profile is None:
        known = ", ".join(profiles.names()) or "none yet"
        raise SetupError(f"There is no profile called {name!r} (profiles: {known}).")
    return profile


def _key_from_keyring(profile: Profile | None, credentials: CredentialStore | None) -> str:
    """The profile's API key from the OS keyring.

    Raises:
        SetupError: no profile, or it has no key.
        KeyringUnavailable: no keyring to read.
    """
    if profile is None or credentials is None:
        raise SetupError(
            f"No API key: set {KEY_ENV}, or create a profile with a key in the explorer "
            "window and pass --profile NAME."
        )
    api_key = credentials.get(profile.name) or ""
    if not api_key:
        raise SetupError(
            f"Profile {profile.name!r} has no API key in the OS keyring. Save one in the "
            f"explorer window, or set {KEY_ENV}."
        )
    return api_key


if __name__ == "__main__":
    sys.exit(main())
