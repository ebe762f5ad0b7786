"""``stackone-explorer run COLLECTION``: run a saved collection from a terminal or CI.

A smoke test of a linked account: each saved request runs in order against the chosen
profile's server and account, and must meet its expectation (its ``expected_status``, or any
2xx). Without ``--profile`` the only profile is used, never a "Demo" one on loopback (see
``is_demo_profile``): a guess could send a real key to the wrong server, so several profiles
need ``--profile`` (or ``--base-url``). Everything that can be checked (arguments, profile,
key, report paths) is checked before the first request is sent.

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

No Qt here: the runner must work on a CI machine without a display.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from explorer import __version__
from explorer.core.client import CancelToken, RpcClient
from explorer.core.errors import ExplorerError, InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest, validate
from explorer.core.secrets import MIN_TEXT_LENGTH, REDACTED, Redactor
from explorer.core.variables import PLACEHOLDER, UnresolvedVariables, find_variables, resolve
from explorer.run.production import (
    ALLOW_PRODUCTION_WRITES,
    GUARD_HELP,
    production_writes,
    refusal,
    target_lines,
)
from explorer.store.collections import (
    COLLECTION_FILE,
    Collection,
    CollectionError,
    CollectionStore,
    LoadProblem,
    SavedRequest,
    find_collections,
    is_collection,
    requests_named,
)
from explorer.store.credentials import CredentialStore, KeyringCredentials
from explorer.store.files import StoreFileError, read_json, write_atomic
from explorer.store.paths import resolve_paths
from explorer.store.profiles import Profile, ProfileStore

KEY_ENV = "STACKONE_API_KEY"
VAR_ENV_PREFIX = "STACKONE_VAR_"
REPORT_FORMAT = "stackone-explorer-run"
# Before --demo's profile became "Demo (built-in server)", held in memory only (ui/app.py), the
# window saved its demo profile under this name, pointing at the demo server's loopback port.
DEMO_PROFILE = "Demo"

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_SETUP = 2
EXIT_REFUSED = 3


class SetupError(ExplorerError):
    """The run cannot start; the message says what to fix (exit status 2)."""


@dataclass
class RunResult:
    """The outcome of one saved request.

    ``outcome`` is ``"passed"``, ``"failed"`` (a response that missed the expectation) or
    ``"error"`` (nothing to judge: unresolved variables, invalid request, no response).
    """

    name: str
    folder: str
    action: str
    expected: str
    outcome: str
    status: int | None = None
    time_ms: float | None = None
    request_id: str | None = None
    message: str = ""
    # What was sent and received, for the window's history; never in a report (it holds the
    # resolved variables, secrets included).
    exchange: Exchange | None = field(default=None, repr=False, compare=False)

    @classmethod
    def not_judged(cls, saved: SavedRequest, message: str = "") -> RunResult:
        """An ``"error"`` result for ``saved`` (filled in as far as the run gets)."""
        return cls(
            name=saved.name,
            folder=saved.folder,
            action=saved.request.action,
            expected=saved.expectation(),
            outcome="error",
            message=message,
        )

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "folder": self.folder,
            "action": self.action,
            "expected_status": self.expected,
            "outcome": self.outcome,
            "passed": self.passed,
            "status": self.status,
            "time_ms": None if self.time_ms is None else round(self.time_ms, 1),
            "request_id": self.request_id,
            "message": self.message,
        }


def run_requests(
    requests: Sequence[SavedRequest],
    *,
    client: RpcClient,
    api_key: str,
    values: Mapping[str, str],
    profile: Profile | None = None,
    base_url: str | None = None,
    masked: Iterable[str] = (),
    progress: Callable[[int, SavedRequest, RunResult | None], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[RunResult]:
    """Send each request in order and judge it. Never raises for a single request's problem.

    Args:
        values: the environment's variables (secrets included) for ``{{name}}`` placeholders.
        profile: supplies the base URL and account id where a request leaves them unset.
        base_url: overrides every request's base URL (``--base-url``).
        masked: secret values; a server message or action that echoes one (or the API key)
            shows ``REDACTED`` instead, so results can be printed and written anywhere.
        progress: called before (result ``None``) and after each request, on the calling
            thread (the window runs this on a worker and forwards it by signal).
        cancel: ``cancel()`` from another thread aborts the request in flight (it ends as an
            error, "Cancelled") and runs no further request; the results so far are returned.
    """
    hide = Redactor([*masked, api_key])
    results: list[RunResult] = []
    for index, saved in enumerate(requests):
        if cancel is not None and cancel.cancelled:
            break
        if progress is not None:
            progress(index, saved, None)
        try:
            result = _run_one(saved, client, api_key, values, profile, base_url, cancel)
        except Exception as exc:  # one request's bug must not cost the run its report
            result = RunResult.not_judged(saved, f"Unexpected error: {type(exc).__name__}: {exc}")
        # The only places a resolved value can come back: the action and free-text messages.
        result.action, result.message = hide.field(result.action), hide.field(result.message)
        results.append(result)
        if progress is not None:
            progress(index, saved, result)
    return results


def variable_env_name(name: str) -> str:
    """The environment variable that sets ``{{name}}``: ``STACKONE_VAR_`` + the name
    upper-cased, each character other than A-Z and 0-9 made ``_`` (``api-key`` ->
    ``STACKONE_VAR_API_KEY``)."""
    return VAR_ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


def parse_vars(items: Sequence[str]) -> dict[str, str]:
    """``--var NAME=VALUE`` arguments as a dict (a later NAME wins).

    Raises:
        SetupError: an item is not ``NAME=VALUE``; the message never repeats the item, which
            may be a secret typed without its name.
    """
    values: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not PLACEHOLDER.fullmatch("{{" + name + "}}"):
            raise SetupError(
                f"--var number {number} is not NAME=VALUE (a variable name without spaces or "
                "braces, then '='). Its text is not shown in case it is a secret."
            )
        values[name] = value
    return values


def target_request(
    saved: SavedRequest,
    values: Mapping[str, str],
    profile: Profile | None,
    base_url: str | None,
) -> tuple[RpcRequest | None, str]:
    """``saved`` as ``run_requests`` sends it: variables filled in, the profile's base URL and
    account where the request leaves them unset (``base_url`` overrides every request's).

    Returns the request and ``""``, or why it cannot be sent (the request is ``None`` when
    its variables could not be resolved).
    """
    try:
        request = resolve(saved.request, values)
    except UnresolvedVariables as exc:
        return None, str(exc)
    if base_url:
        request.base_url = base_url
    elif profile is not None and request.base_url == DEFAULT_BASE_URL:
        request.base_url = profile.base_url
    if not request.account_id.strip() and profile is not None:
        request.account_id = profile.account_id
    if not request.account_id.strip():
        return request, (
            "not sent: no account id. Set it in the request (or a {{variable}}), or run with "
            "a --profile that has a default account."
        )
    return request, ""


def _run_one(
    saved: SavedRequest,
    client: RpcClient,
    api_key: str,
    values: Mapping[str, str],
    profile: Profile | None,
    base_url: str | None,
    cancel: CancelToken | None = None,
) -> RunResult:
    result = RunResult.not_judged(saved)
    request, problem = target_request(saved, values, profile, base_url)
    if request is not None:
        result.action = request.action
    if request is None or problem:
        result.message = problem
        return result
    try:
        exchange = client.exchange(
            request, api_key, cancel=cancel, profile=profile.name if profile else ""
        )
    except InvalidRequest as exc:
        result.message = f"not sent: {exc}"
        return result
    result.exchange = exchange
    if exchange.failure is not None or exchange.response is None:
        result.message = exchange.failure.message if exchange.failure else "no response"
        return result
    response = exchange.response
    result.status = response.status
    result.time_ms = response.timing.total_ms
    result.request_id = response.request_id
    if saved.expects(response.status):
        result.outcome = "passed"
    else:
        result.outcome = "failed"
        detail = response.error.message if response.error and response.error.message else ""
        result.message = f"expected HTTP {result.expected}, got {response.status}" + (
            f": {detail}" if detail else ""
        )
    return result


# -- command line ------------------------------------------------------------------------


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
  2. environment variables {VAR_ENV_PREFIX}<NAME>: the name upper-cased, every
     character other than A-Z and 0-9 made "_" ({{{{api-key}}}} -> {VAR_ENV_PREFIX}API_KEY)
  3. --var NAME=VALUE
  Without a keyring (CI), give secret values with 2 or 3; prefer 2, as command
  lines are visible to other users of the machine. Values given with 2 or 3 and
  keyring secrets are shown as {REDACTED} in the table, progress and reports (inside
  a message only when {MIN_TEXT_LENGTH} or more characters long).

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
        f"profile, not counting the {DEMO_PROFILE!r} one on loopback)",
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
class _Plan:
    store: CollectionStore
    collection: Collection
    problems: list[LoadProblem]
    requests: list[SavedRequest]
    profile: Profile | None
    api_key: str
    values: dict[str, str]
    environment: str | None
    given: list[str]  # names set by --var or STACKONE_VAR_*
    masked: set[str]  # values never to print


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
        plan = _plan(args, env, err, credentials)
    except (SetupError, CollectionError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_SETUP
    except ExplorerError as exc:  # e.g. KeyringUnavailable
        print(f"error: {exc}\nOr set {KEY_ENV} in the environment.", file=err)
        return EXIT_SETUP

    for problem in plan.problems:
        print(f"warning: could not load {problem}", file=err)
    if not _guard_allows(plan, args, err):
        return EXIT_REFUSED
    total = len(plan.requests)
    where = args.base_url or (
        f"{plan.profile.base_url} (profile {plan.profile.name!r})"
        if plan.profile
        else "the requests' URLs"
    )
    print(
        f"Running {total} request(s) of '{plan.collection.name}' against {where}"
        + (f", environment '{plan.environment}'" if plan.environment else "")
        + (f", variables given: {', '.join(plan.given)}" if plan.given else ""),
        file=err,
    )

    def progress(index: int, saved: SavedRequest, result: RunResult | None) -> None:
        if result is None:
            print(f"[{index + 1}/{total}] {saved.label} ...", end="", file=err, flush=True)
            return
        if result.status is not None:
            timing = f" ({result.time_ms:.0f} ms)" if result.time_ms is not None else ""
            word = "ok" if result.passed else f"FAILED, expected {result.expected}"
            print(f" {result.status}{timing} {word}", file=err)
        else:
            print(f" ERROR: {result.message}", file=err)

    started = datetime.now(UTC)
    clock = time.perf_counter()
    with RpcClient() as client:
        results = run_requests(
            plan.requests,
            client=client,
            api_key=plan.api_key,
            values=plan.values,
            profile=plan.profile,
            base_url=args.base_url,
            masked=plan.masked,
            progress=progress,
        )
    elapsed = time.perf_counter() - clock

    print(format_table(results), file=out)
    print(summary(results, plan.problems, elapsed), file=out)
    context = {
        "collection": plan.collection.name,
        "collection_path": str(plan.collection.root),
        "environment": plan.environment,
        "variables_given": plan.given,
        "profile": plan.profile.name if plan.profile else None,
        "base_url": args.base_url or (plan.profile.base_url if plan.profile else None),
        "started_at": started.isoformat(timespec="seconds"),
        "time_s": round(elapsed, 3),
    }
    try:
        if args.junit:
            write_atomic(args.junit, junit_xml(results, plan.problems, context))
        if args.json:
            write_atomic(args.json, json_report(results, plan.problems, context))
    except ExplorerError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_SETUP
    failed = plan.problems or any(not r.passed for r in results)
    return EXIT_FAILED if failed else EXIT_PASSED


def _guard_allows(plan: _Plan, args: argparse.Namespace, err: TextIO) -> bool:
    """The production guard: False (saying why) when a request would write to a production
    account, or one whose type cannot be read, without ``--allow-production-writes``."""
    planned = [
        (s, *target_request(s, plan.values, plan.profile, args.base_url)) for s in plan.requests
    ]
    refused = production_writes(
        [(saved.label, r) for saved, r, why in planned if r is not None and not why],
        api_key=plan.api_key,
    )
    if refused and not args.allow_production_writes:
        print(refusal(refused), file=err)
        return False
    for line in target_lines(refused):
        print(f"note: {ALLOW_PRODUCTION_WRITES}: writing anyway to {line.strip()}", file=err)
    return True


def _plan(
    args: argparse.Namespace,
    env: Mapping[str, str],
    err: TextIO,
    keyring: CredentialStore | None,
) -> _Plan:
    given_on_command_line = parse_vars(args.var)
    if args.base_url is not None:
        args.base_url = _checked_base_url(args.base_url)
    paths = resolve_paths(args.home, environ=env)
    problem = paths.write_problem(create=False)
    if problem is not None:
        print(
            f"note: the data folder cannot be written ({problem}); the run keeps nothing "
            "there and writes only its reports",
            file=err,
        )
    root = _find_collection(args.collection, paths.collections_dir)

    profiles = ProfileStore(paths.profiles_file)
    if profiles.load_error:
        print(f"warning: {profiles.load_error}", file=err)
    profile: Profile | None
    if args.profile:
        profile = profiles.get(args.profile)
        if profile is None:
            known = ", ".join(profiles.names()) or "none yet"
            raise SetupError(f"There is no profile called {args.profile!r} (profiles: {known}).")
    else:
        profile = _default_profile(profiles.list(), args.base_url, err)

    api_key = env.get(KEY_ENV, "").strip()
    credentials = None
    if not api_key or args.env:
        credentials = keyring if keyring is not None else KeyringCredentials()
    if not api_key:
        if profile is None:
            raise SetupError(
                f"No API key: set {KEY_ENV}, or create a profile with a key in the explorer "
                "window and pass --profile NAME."
            )
        assert credentials is not None
        api_key = credentials.get(profile.name) or ""
        if not api_key:
            raise SetupError(
                f"Profile {profile.name!r} has no API key in the OS keyring. Save one in the "
                f"explorer window, or set {KEY_ENV}."
            )

    store = CollectionStore(root, credentials=credentials)
    collection, problems = store.load()
    requests = (
        requests_named(collection, _only_names(args.only, collection))
        if args.only
        else list(collection.requests())
    )
    if not requests:
        raise SetupError(f"The collection {collection.name!r} has no saved requests to run.")

    names = _variable_names(collection)
    given = _variables_from_environ(names, env, err)
    given.update(given_on_command_line)
    for name in sorted(set(given_on_command_line) - names):
        print(f"note: --var {name} matches no variable of the collection; ignored", file=err)
    values: dict[str, str] = {}
    masked = set(given.values())
    if args.env:
        if args.env not in collection.environments:
            known = ", ".join(sorted(collection.environments)) or "none defined"
            raise SetupError(
                f"The collection has no environment called {args.env!r} (environments: {known})."
            )
        environment = collection.environments[args.env]
        # Only the secrets the chosen requests use are read: with --only skipping the rest,
        # a machine without a keyring has nothing to warn about.
        used = set().union(*(find_variables(saved.request) for saved in requests))
        unused = {s for s in environment.secrets if s not in used}
        try:
            values = store.environment_values(args.env, skip=given.keys() | unused)
        except ExplorerError as exc:
            # Without a keyring only the secret variables are missing; the requests that
            # need them report it, the others still run.
            missing = ", ".join(
                s for s in environment.secrets if s not in given and s not in unused
            )
            print(
                f"warning: secret variables unavailable ({missing}): {exc}\n"
                f"Give their values with {VAR_ENV_PREFIX}<NAME> or --var NAME=VALUE.",
                file=err,
            )
            values = dict(environment.variables)
        masked.update(values[s] for s in environment.secrets if s in values)
    elif collection.environments:
        defined = ", ".join(sorted(collection.environments))
        print(f"note: no --env given; the collection defines: {defined}", file=err)
    values.update(given)
    # Last, so a run that cannot start leaves no new folders behind; before any request is
    # sent, so a typo in a report path does not cost a whole run.
    _prepare_report_path("--junit", args.junit)
    _prepare_report_path("--json", args.json)
    return _Plan(
        store,
        collection,
        problems,
        requests,
        profile,
        api_key,
        values,
        args.env,
        sorted(given),
        masked,
    )


def _checked_base_url(url: str) -> str:
    """``--base-url`` trimmed, if the request editor would accept it as a base URL.

    Raises:
        SetupError: it is not one (checked before anything is sent).
    """
    clean = url.strip()
    probe = RpcRequest(action="check", account_id="check", base_url=clean)
    problems = [issue.message for issue in validate(probe) if issue.field == "base_url"]
    if problems:
        raise SetupError(f"--base-url {url!r}: {'; '.join(problems)}.")
    return clean


def _only_names(values: Sequence[str], collection: Collection) -> list[str]:
    """The request names of the ``--only`` values: each value is one name when a request has
    it (names may contain commas), else a comma-separated list of names."""
    names: list[str] = []
    for value in values:
        if collection.find(value):
            names.append(value)
        else:
            names += [name.strip() for name in value.split(",") if name.strip()]
    return names


def _prepare_report_path(option: str, path: Path | None) -> None:
    """Create the report's folder if needed and check that the report can be written there.

    Raises:
        SetupError: the path is a folder, or its folder cannot be created or written to.
    """
    if path is None:
        return
    if path.is_dir():
        raise SetupError(f"{option} {path}: that is a folder; give a file name in it.")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(
            f"{option} {path}: cannot create the folder {folder} ({exc.strerror or exc})."
        ) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SetupError(f"{option} {path}: the folder {folder} is not writable.")


def is_demo_profile(profile: Profile) -> bool:
    """Whether ``profile`` is a demo profile left by an earlier version: "Demo", on loopback.

    The window no longer saves one (its demo profile lives in memory for the run), but such a
    leftover in profiles.json points at a random local port that any program could be
    listening on, so a real key must never go there unless the profile is chosen by name.
    """
    if profile.name.casefold() != DEMO_PROFILE.casefold():
        return False
    host = urlsplit(profile.base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _default_profile(
    listed: Sequence[Profile], base_url: str | None, err: TextIO
) -> Profile | None:
    """The profile to use without ``--profile``: only one that cannot be a wrong guess.

    Exactly one profile besides the demo one is used. Otherwise there is no profile: with
    ``--base-url`` the requests go there, and with no real profile at all they go to their
    own base URLs (a CI machine has no profiles); several profiles need ``--profile``.

    Raises:
        SetupError: several profiles and no ``--base-url``.
    """
    real = [p for p in listed if not is_demo_profile(p)]
    demo = [p.name for p in listed if is_demo_profile(p)]
    if len(real) == 1:
        return real[0]
    if base_url:
        return None
    if len(real) > 1:
        names = ", ".join(repr(p.name) for p in sorted(listed, key=lambda p: p.name.casefold()))
        raise SetupError(
            f"There are several profiles ({names}): choose one with --profile NAME, or send "
            "every request to one server with --base-url URL."
        )
    if demo:
        print(
            f"note: the profile {demo[0]!r} (the demo server on loopback) is only used when "
            f"chosen: --profile {demo[0]}",
            file=err,
        )
    return None


def _variable_names(collection: Collection) -> set[str]:
    """Every variable name the collection knows: used in a request or defined in an
    environment."""
    names: set[str] = set()
    for saved in collection.requests():
        names |= find_variables(saved.request)
    for environment in collection.environments.values():
        names |= set(environment.variables) | set(environment.secrets)
    return names


def _variables_from_environ(
    names: Iterable[str], env: Mapping[str, str], err: TextIO
) -> dict[str, str]:
    """Values of ``STACKONE_VAR_<NAME>`` for each of ``names``. One matching none of them is
    probably a typo: say so (by name only, never the value)."""
    values = {
        name: env[variable_env_name(name)] for name in names if variable_env_name(name) in env
    }
    used = {variable_env_name(name) for name in values}
    for key in sorted(k for k in env if k.startswith(VAR_ENV_PREFIX) and k not in used):
        print(f"note: {key} matches no variable of the collection; ignored", file=err)
    return values


def _find_collection(name: str, collections_dir: Path) -> Path:
    """The collection folder ``name`` means: a path, a folder in the data directory's
    collections, or the display name of one of those (as the window shows it; any case).

    Raises:
        SetupError: nothing matches, or several collections share the name (then each folder
            is listed, to pass instead).
    """
    try:
        candidate = Path(name).expanduser()
    except RuntimeError:  # ~nosuchuser/...
        candidate = Path(name)
    if is_collection(candidate):
        return candidate
    if not candidate.is_absolute() and is_collection(collections_dir / name):
        return collections_dir / name
    named = [(path, _display_name(path)) for path in find_collections(collections_dir)]
    wanted = name.strip().casefold()
    matches = [path for path, shown in named if shown.strip().casefold() == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "\n".join(f"  {path}" for path in matches)
        raise SetupError(
            f"{len(matches)} collections are named {name!r}:\n{listed}\n"
            "Pass the folder of the one to run instead of its name."
        )
    known = ", ".join(f"{shown} ({path.name})" for path, shown in named) or "none"
    raise SetupError(
        f"{name!r} is not a collection: no collection.json in {candidate} or in "
        f"{collections_dir / name}, and no collection has that name. Collections in "
        f"{collections_dir}: {known}."
    )


def _display_name(root: Path) -> str:
    """A collection's name from its collection.json; its folder's name if that is unreadable
    (the run then reports the damaged file when it loads the collection)."""
    try:
        data = read_json(root / COLLECTION_FILE)
    except StoreFileError:
        return root.name
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else root.name


# -- reports -----------------------------------------------------------------------------


def format_table(results: Sequence[RunResult]) -> str:
    """A plain-text table: name, action, status, time, request id."""
    header = ("NAME", "ACTION", "STATUS", "TIME MS", "REQUEST ID")
    rows = [header]
    for r in results:
        if r.status is None:
            status = "ERROR"
        elif r.passed:
            status = str(r.status)
        else:
            status = f"{r.status} (expected {r.expected})"
        rows.append(
            (
                f"{r.folder}/{r.name}" if r.folder else r.name,
                r.action,
                status,
                "" if r.time_ms is None else f"{r.time_ms:.0f}",
                r.request_id or "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {3}  # numbers line up on the right
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def summary(results: Sequence[RunResult], problems: Sequence[LoadProblem], elapsed: float) -> str:
    passed = sum(r.outcome == "passed" for r in results)
    failed = sum(r.outcome == "failed" for r in results)
    errors = sum(r.outcome == "error" for r in results)
    parts = [f"{passed} passed", f"{failed} failed", f"{errors} errors"]
    if problems:
        parts.append(f"{len(problems)} file(s) not loaded")
    return ", ".join(parts) + f" ({len(results)} requests in {elapsed:.2f} s)"


def junit_xml(
    results: Sequence[RunResult], problems: Sequence[LoadProblem], context: Mapping[str, Any]
) -> str:
    """JUnit XML as CI servers read it: one testsuite, one testcase per request.

    Unexpected statuses are ``<failure>``; requests that could not be judged (and files that
    could not be loaded) are ``<error>``. The request id goes to ``<system-out>`` so a failure
    can be quoted to StackOne support.
    """
    suite_name = str(context["collection"])
    failures = sum(r.outcome == "failed" for r in results)
    errors = sum(r.outcome == "error" for r in results) + len(problems)
    total_time = sum((r.time_ms or 0.0) for r in results) / 1000
    attrs = {
        "name": suite_name,
        "tests": str(len(results) + len(problems)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": f"{total_time:.3f}",
        "timestamp": str(context["started_at"]),
    }
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    props = ET.SubElement(suite, "properties")
    for key in ("environment", "profile", "base_url", "collection_path"):
        if context.get(key):
            ET.SubElement(props, "property", {"name": key, "value": str(context[key])})
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"{suite_name}.{r.folder}" if r.folder else suite_name,
                "name": r.name,
                "time": f"{(r.time_ms or 0.0) / 1000:.3f}",
            },
        )
        if r.outcome == "failed":
            node = ET.SubElement(
                case, "failure", {"message": r.message, "type": "UnexpectedStatus"}
            )
            node.text = r.message
        elif r.outcome == "error":
            node = ET.SubElement(case, "error", {"message": r.message, "type": "NotJudged"})
            node.text = r.message
        out = ET.SubElement(case, "system-out")
        out.text = (
            f"action: {r.action}\nexpected status: {r.expected}\n"
            f"status: {r.status if r.status is not None else 'none'}\n"
            f"request id: {r.request_id or 'none'}\n"
        )
    for problem in problems:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": suite_name, "name": f"load {problem.file.name}", "time": "0.000"},
        )
        node = ET.SubElement(case, "error", {"message": str(problem), "type": "LoadProblem"})
        node.text = str(problem)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def json_report(
    results: Sequence[RunResult], problems: Sequence[LoadProblem], context: Mapping[str, Any]
) -> str:
    report = {
        "format": REPORT_FORMAT,
        "version": 1,
        "explorer_version": __version__,
        **context,
        "summary": {
            "total": len(results),
            "passed": sum(r.outcome == "passed" for r in results),
            "failed": sum(r.outcome == "failed" for r in results),
            "errors": sum(r.outcome == "error" for r in results),
            "not_loaded": len(problems),
        },
        "results": [r.to_dict() for r in results],
        "problems": [str(p) for p in problems],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
