"""What a command-line run is told to use, found and checked before anything is sent: the
collection (a path, a folder of the data directory, or a collection's name), the profile, the
values given from outside (``STACKONE_VAR_<NAME>``, ``--var``), the base URL and the report
paths. Every problem is a ``SetupError`` that says what to fix.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from explorer.core.request import RpcRequest, validate
from explorer.core.variables import PLACEHOLDER, find_variables
from explorer.run.plan import SetupError
from explorer.store.collections import (
    COLLECTION_FILE,
    Collection,
    find_collections,
    is_collection,
)
from explorer.store.files import StoreFileError, read_json
from explorer.store.profiles import Profile

KEY_ENV = "STACKONE_API_KEY"
VAR_ENV_PREFIX = "STACKONE_VAR_"
# Before --demo's profile became "Demo (built-in server)", held in memory only (ui/app.py), the
# window saved its demo profile under this name, pointing at the demo server's loopback port.
DEMO_PROFILE = "Demo"


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


def checked_base_url(url: str) -> str:
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


def prepare_report_path(option: str, path: Path | None) -> None:
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


def default_profile(listed: Sequence[Profile], base_url: str | None, err: TextIO) -> Profile | None:
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


def variable_names(collection: Collection) -> set[str]:
    """Every variable name the collection knows: used in a request or defined in an
    environment."""
    names: set[str] = set()
    for saved in collection.requests():
        names |= find_variables(saved.request)
    for environment in collection.environments.values():
        names |= set(environment.variables) | set(environment.secrets)
    return names


def variables_from_environ(
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


def find_collection(name: str, collections_dir: Path) -> Path:
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
    named = [(path, display_name(path)) for path in find_collections(collections_dir)]
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


def display_name(root: Path) -> str:
    """A collection's name from its collection.json; its folder's name if that is unreadable
    (the run then reports the damaged file when it loads the collection)."""
    try:
        data = read_json(root / COLLECTION_FILE)
    except StoreFileError:
        return root.name
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else root.name
