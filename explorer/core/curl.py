"""curl in and out: share a request with someone who has a terminal, or paste one from the docs.

``to_curl`` writes the same HTTP request ``explorer.core.wire`` sends, as a POSIX shell command
(``sh``, ``bash``, ``zsh``). By default the key is the shell variable ``$STACKONE_API_KEY``
and provider credentials in the body's ``headers`` (``X-Api-Token``...) read ``<redacted>``, so
an exported command can be pasted into a chat or a ticket without leaking anything.

``from_curl`` reads the commands people actually paste: from StackOne's docs, from a browser's
"Copy as cURL" (bash ``$'...'`` strings, or Windows ``cmd`` with ``^`` escapes), or our own
export. It understands only what maps onto ``POST /actions/rpc``; anything else is either
reported in ``CurlImport.warnings`` (options that change nothing the explorer sends) or refused
with a ``CurlImportError`` naming the problem, because guessing would send a different request
from the one the user pasted.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from explorer.core.body import read_regular_file
from explorer.core.errors import CurlImportError
from explorer.core.limits import DEFAULT_BODY_LIMIT
from explorer.core.request import (
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    OBJECT_FIELDS,
    RPC_PATH,
    DefenderConfig,
    RpcRequest,
    parse_json,
)
from explorer.core.secrets import REDACTED, is_secret_header, is_template
from explorer.core.shell_words import split_words
from explorer.core.wire import build_headers

KEY_VARIABLE = "STACKONE_API_KEY"

# Headers ``wire.build_headers`` sends that the export leaves to curl:
# - Authorization becomes ``-u``, so the key can stay a shell variable;
# - User-Agent: curl sends its own (``curl/<version>``), which satisfies StackOne's request for
#   one and tells the truth about which program made the call;
# - Accept: curl's default ``*/*`` accepts everything ours does;
# - Accept-Encoding: ``--compressed`` asks for what curl can decode, and decodes it.
_LEFT_TO_CURL = frozenset({"authorization", "user-agent", "accept", "accept-encoding"})


# The headers /actions/rpc reads, and the request fields they fill.
_ID_FIELDS = {"x-account-id": "account_id", "x-connector-profile-id": "connector_profile_id"}


@dataclass
class CurlImport:
    """What ``from_curl`` understood.

    ``api_key`` is the key found in ``-u`` or an ``Authorization: Basic`` header (``None`` when
    absent or a placeholder such as ``$STACKONE_API_KEY``). It is handed back separately because
    it must never be written into a request file: the UI decides whether to offer it for the
    keyring. ``warnings`` names every option that was read but ignored.
    """

    request: RpcRequest
    api_key: str | None = None
    warnings: list[str] = field(default_factory=list)


# -- export --------------------------------------------------------------------------------


def to_curl(request: RpcRequest, api_key: str | None = None, *, reveal_key: bool = False) -> str:
    """The request as a copy-pasteable, multi-line POSIX shell curl command.

    The request is not validated: a half-finished request can still be shared, and the
    command shows exactly what would be sent. The real key is written only when
    ``reveal_key`` is true *and* a key is given; otherwise ``-u "$STACKONE_API_KEY:"`` lets the
    reader's shell supply it. Likewise the values of secret-looking provider headers in the
    body (``secrets.is_secret_header``) are written only with ``reveal_key``; otherwise they read
    ``<redacted>`` and a ``#`` comment line above the command says which to fill in. A value
    that only refers to variables (``{{token}}``, ``Bearer $TOKEN``) is not a secret, and is kept.
    """
    hidden = [] if reveal_key else _secret_headers(request)
    comment = ""
    if hidden:
        request = request.copy(
            headers={k: REDACTED if k in hidden else v for k, v in (request.headers or {}).items()}
        )
        names = ", ".join(hidden)
        comment = f"# {names} in the body's headers: {REDACTED}, put the real value in first\n"
    user = shlex.quote(f"{api_key}:") if reveal_key and api_key else f'"${KEY_VARIABLE}:"'
    parts = [f"curl -X POST {shlex.quote(request.url())}", f"-u {user}", "--compressed"]
    for name, value in build_headers(request, api_key or ""):
        if name.lower() not in _LEFT_TO_CURL:
            parts.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if request.timeout != DEFAULT_TIMEOUT:
        # Not part of the wire request, but worth keeping: curl then gives up when we would.
        seconds = float(request.timeout)
        parts.append(f"--max-time {int(seconds) if seconds.is_integer() else seconds!r}")
    body = json.dumps(request.rpc_body(), indent=2, ensure_ascii=False)
    parts.append(f"--data-raw {shlex.quote(body)}")
    return comment + " \\\n  ".join(parts)


def _secret_headers(request: RpcRequest) -> list[str]:
    """Names of the body's provider headers whose value ``to_curl`` hides by default."""
    headers = request.headers if isinstance(request.headers, dict) else {}
    return [
        name
        for name, value in headers.items()
        if is_secret_header(name) and value != REDACTED and not is_template(value)
    ]


# Unquoted shell words after which the rest of the line is not part of the curl command.
_SHELL_OPERATORS = frozenset({"|", "||", "&&", ";", "&", ">", ">>", "2>", "2>&1", "<"})


# -- import: reading curl's options ------------------------------------------------------------

# Options that change only what curl prints or how it retries: they do not change the request.
_QUIET = {
    "-s": "--silent",
    "-S": "--show-error",
    "-v": "--verbose",
    "-i": "--include",
    "-#": "--progress-bar",
    "-f": "--fail",
    "-g": "--globoff",
    "-N": "--no-buffer",
}
_QUIET_LONG = frozenset(
    {
        *_QUIET.values(),
        "--compressed",
        "--no-progress-meter",
        "--fail-with-body",
        "--http1.1",
        "--http2",
        "--tr-encoding",
        "--no-keepalive",
    }
)
# Options without an argument that the explorer does not reproduce: worth a warning.
_NOTED = {
    "-k": ("--insecure", "certificate checks stay on in the explorer"),
    "-L": ("--location", "the explorer does not follow redirects"),
}
_NOTED_LONG = {long: why for long, why in _NOTED.values()}
# Options with an argument that change nothing StackOne receives: skipped with a warning.
_SKIPPED_WITH_ARG = {
    "-o": "--output",
    "-w": "--write-out",
    "-D": "--dump-header",
    "-A": "--user-agent",
    "-e": "--referer",
    "-b": "--cookie",
    "-c": "--cookie-jar",
    "-x": "--proxy",
    "-E": "--cert",
}
_SKIPPED_LONG_WITH_ARG = frozenset(
    {
        *_SKIPPED_WITH_ARG.values(),
        "--connect-timeout",
        "--retry",
        "--retry-delay",
        "--retry-max-time",
        "--cacert",
        "--capath",
        "--key",
        "--resolve",
        "--connect-to",
        "--limit-rate",
        "--stderr",
        "--trace",
        "--trace-ascii",
    }
)
# Skipped options whose value can be a credential (a session cookie, proxy user:password, a
# certificate's passphrase): the warning names the option only.
_MAY_HOLD_SECRETS = frozenset({"--cookie", "--proxy", "--cert", "--key"})
# Options the explorer understands, all taking an argument.
_UNDERSTOOD = {
    "-X": "--request",
    "-H": "--header",
    "-u": "--user",
    "-d": "--data",
    "-m": "--max-time",
}
_DATA_LONG = frozenset({"--data", "--data-raw", "--data-binary", "--data-ascii", "--json"})
_UNDERSTOOD_LONG = frozenset({*_UNDERSTOOD.values(), *_DATA_LONG, "--url"})
# Options that make a different kind of request than a JSON POST.
_REFUSED = {
    "-G": ("--get", "it sends the data in the URL instead of a JSON body"),
    "-I": ("--head", "it sends a HEAD request"),
    "-F": ("--form", "it sends a multipart form, not a JSON body"),
    "-T": ("--upload-file", "it uploads a file instead of a JSON body"),
}
_REFUSED_LONG = {long: why for long, why in _REFUSED.values()} | {
    "--data-urlencode": "it URL-encodes the data, so the body is not JSON",
}
_SHORT_WITH_ARG = frozenset({*_UNDERSTOOD, *_SKIPPED_WITH_ARG, "-F", "-T"})


def _long_name(option: str) -> str:
    """``-d`` -> ``--data`` for every short option we know; long options unchanged."""
    for table in (_QUIET, _UNDERSTOOD, _SKIPPED_WITH_ARG):
        if option in table:
            return table[option]
    if option in _NOTED:
        return _NOTED[option][0]
    if option in _REFUSED:
        return _REFUSED[option][0]
    return option


def _options(words: list[str]) -> list[tuple[str, str | None]]:
    """``(long option name, argument)`` pairs; a bare URL comes back as ``("--url", url)``.

    Short options may be bundled (``-sSL``) and may carry their argument attached
    (``-XPOST``, ``-d{...}``), as curl allows.
    """
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("--"):
            name = word
            if name in _UNDERSTOOD_LONG or name in _SKIPPED_LONG_WITH_ARG:
                if i >= len(words):
                    raise CurlImportError(f"The option {name} needs a value after it.")
                out.append((name, words[i]))
                i += 1
            elif name in _QUIET_LONG or name in _REFUSED_LONG or name in _NOTED_LONG:
                out.append((name, None))
            else:
                raise CurlImportError(
                    f"Unknown curl option {name}: the explorer cannot tell what it does to the "
                    "request. Remove it and import again."
                )
        elif word.startswith("-") and len(word) > 1:
            i = _short_options(word, words, i, out)
        else:
            out.append(("--url", word))
    return out


def _short_options(word: str, words: list[str], i: int, out: list[tuple[str, str | None]]) -> int:
    """Read the bundle ``word`` (``-sSL``, ``-XPOST``) into ``out``; ``i`` is the index of
    the next word, returned past the one a last option took as its value."""
    for j in range(1, len(word)):
        short = "-" + word[j]
        if short in _SHORT_WITH_ARG:
            if j + 1 < len(word):
                value = word[j + 1 :]
            elif i < len(words):
                value = words[i]
                i += 1
            else:
                raise CurlImportError(f"The option {short} needs a value after it.")
            out.append((_long_name(short), value))
            return i
        if short in _QUIET or short in _NOTED or short in _REFUSED:
            out.append((_long_name(short), None))
        else:
            raise CurlImportError(
                f"Unknown curl option {short}: the explorer cannot tell what it does "
                "to the request. Remove it and import again."
            )
    return i


# -- import: from options to an RpcRequest ----------------------------------------------------

# ``$STACKONE_API_KEY``, ``${KEY}``, ``%KEY%`` (cmd), ``$env:KEY`` (PowerShell), ``<API_KEY>``,
# ``{{api_key}}``, ``YOUR_API_KEY``: a reference to a key, not a key.
_PLACEHOLDER = re.compile(
    r"^(\$\{?\w+\}?|%\w+%|\$env:\w+|<[^<>]*>|\{\{[^{}]*\}\}|your[_-]?api[_-]?key)$", re.I
)


def _key_or_none(key: str) -> str | None:
    key = key.strip()
    return None if not key or _PLACEHOLDER.match(key) else key


@dataclass
class _Parsed:
    url: str | None = None
    method: str | None = None
    data: list[tuple[str, str]] = field(default_factory=list)  # (option, text)
    headers: list[tuple[str, str]] = field(default_factory=list)
    user: str | None = None
    max_time: float | None = None
    warnings: list[str] = field(default_factory=list)


def from_curl(
    command: str, *, base_dir: Path | None = None, max_size: int = DEFAULT_BODY_LIMIT
) -> CurlImport:
    """Read a curl command calling ``/actions/rpc`` into an ``RpcRequest``.

    ``base_dir`` is where ``--data @file`` paths are relative to (usually the folder of the
    file the command came from); without it only absolute ``@`` paths can be read. Such a
    file must be a regular file of at most ``max_size`` bytes (the body limit). Reading one
    may wait on a slow disk: call this off the UI thread when ``reads_files(command)``.

    Raises:
        CurlImportError: the command is not a curl call to ``/actions/rpc`` with a JSON body
            holding an ``action``, or uses an option the explorer cannot reproduce.
    """
    parsed = _Parsed()
    for option, value in _options(_arguments(command, parsed.warnings)):
        _apply(parsed, option, value, base_dir, max_size)
    return _to_import(parsed)


def reads_files(command: str) -> bool:
    """Whether ``from_curl(command)`` would read a body file (``-d @file``): then it may wait
    on the disk and belongs off the UI thread. Reads nothing; ``False`` if it cannot tell."""
    try:
        options = _options(_arguments(command, []))
    except CurlImportError:
        return False
    return any(
        option in _DATA_LONG and option != "--data-raw" and (value or "").startswith("@")
        for option, value in options
    )


def _arguments(command: str, warnings: list[str]) -> list[str]:
    """The words after ``curl``, up to a shell operator (what follows is noted in
    ``warnings``).

    Raises:
        CurlImportError: unbalanced quotes, or the command does not start with curl.
    """
    words = split_words(command)
    while words and not words[0].quoted and words[0].text in ("$", ">", "PS>"):
        words = words[1:]  # a copied prompt
    if not words or not re.search(r"(^|[/\\])curl(\.exe)?$", words[0].text, re.I):
        raise CurlImportError("This is not a curl command: it should start with curl.")
    args: list[str] = []
    for position, word in enumerate(words[1:], start=1):
        if not word.quoted and word.text in _SHELL_OPERATORS:
            rest = " ".join(w.text for w in words[position:])
            warnings.append(f"Ignored what follows the curl command: {rest}")
            break
        args.append(word.text)
    return args


def _apply(
    parsed: _Parsed, option: str, value: str | None, base_dir: Path | None, max_size: int
) -> None:
    if _ignored(option, value, parsed.warnings):
        return
    assert value is not None  # every remaining option takes a value
    if option == "--url":
        if parsed.url is not None:
            raise CurlImportError("The command has more than one URL; import one call at a time.")
        parsed.url = value
    elif option == "--request":
        parsed.method = value
    elif option == "--header":
        name, sep, header_value = value.partition(":")
        if not sep:
            parsed.warnings.append(f"Ignored the header {value!r}: it has no 'Name: value' form.")
            return
        parsed.headers.append((name.strip(), header_value.strip()))
    elif option == "--user":
        parsed.user = value
    elif option == "--max-time":
        parsed.max_time = _max_time(value, parsed.warnings) or parsed.max_time
    elif option in _DATA_LONG:
        parsed.data.append((option, _read_data(option, value, base_dir, max_size)))


def _ignored(option: str, value: str | None, warnings: list[str]) -> bool:
    """Whether ``option`` changes nothing the explorer sends (noted in ``warnings`` unless it
    is only about curl's output).

    Raises:
        CurlImportError: the option changes the request in a way the explorer cannot send.
    """
    if option in _REFUSED_LONG:
        raise CurlImportError(f"Cannot import {option}: {_REFUSED_LONG[option]}.")
    if option in _NOTED_LONG:
        warnings.append(f"Ignored {option}: {_NOTED_LONG[option]}.")
    elif option in _SKIPPED_LONG_WITH_ARG:
        shown = "(value hidden)" if option in _MAY_HOLD_SECRETS else value
        warnings.append(f"Ignored {option} {shown}: it does not change the RPC request.")
    return option in _QUIET_LONG or option in _NOTED_LONG or option in _SKIPPED_LONG_WITH_ARG


def _max_time(value: str, warnings: list[str]) -> float | None:
    """``--max-time``'s seconds, at most the explorer's longest timeout; ``None`` for 0 (no
    limit, to curl: the request keeps its timeout)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise CurlImportError(f"--max-time {value!r} is not a number of seconds.")
    if seconds > MAX_TIMEOUT:
        warnings.append(
            f"--max-time {value} is longer than the explorer waits; the timeout is "
            f"{MAX_TIMEOUT:g} s."
        )
        seconds = MAX_TIMEOUT
    return seconds if seconds > 0 else None


def _read_data(option: str, value: str, base_dir: Path | None, max_size: int) -> str:
    """The text of a data option, reading ``@file`` as curl does (not for ``--data-raw``).

    Only what a person means by "the body is in this file": a regular file of at most
    ``max_size`` bytes. A device (``@/dev/zero``), a pipe (``@/dev/stdin``) or a huge file is
    refused with a message rather than read forever or into all memory.
    """
    if option == "--data-raw" or not value.startswith("@"):
        return value
    name = value[1:]
    if name == "-":
        raise CurlImportError(
            f"{option} @- reads the body from standard input: paste the JSON body into the "
            "command instead."
        )
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # ~nosuchuser
        raise CurlImportError(
            f"The body file {name!r} starts with a user's home folder that does not exist "
            "on this machine; use a full path."
        ) from None
    if not path.is_absolute():
        if base_dir is None:
            raise CurlImportError(
                f"The body is read from the file {name!r}, but it is not known which folder "
                "that path is relative to. Use an absolute path or import the command from a file."
            )
        path = base_dir / path
    try:
        return read_regular_file(path, max_size).decode("utf-8")
    except FileNotFoundError:
        raise CurlImportError(f"The body file {str(path)!r} does not exist.") from None
    except UnicodeDecodeError:
        raise CurlImportError(f"The body file {str(path)!r} is not UTF-8 text.") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise CurlImportError(f"The body file {str(path)!r} cannot be read: {reason}.") from None


def _to_import(parsed: _Parsed) -> CurlImport:
    if parsed.url is None:
        raise CurlImportError("The command has no URL.")
    if parsed.method is not None and parsed.method.upper() != "POST":
        raise CurlImportError(
            f"The command uses -X {parsed.method}; StackOne's /actions/rpc only takes POST."
        )
    request = RpcRequest()
    warnings = parsed.warnings
    request.base_url, request.sync, request.debug, url_user = _read_url(parsed.url, warnings)
    if parsed.user is None:
        parsed.user = url_user  # curl reads URL credentials as if given with -u
    if parsed.max_time is not None:
        request.timeout = parsed.max_time

    api_key = _key_or_none(parsed.user.split(":", 1)[0]) if parsed.user is not None else None
    if parsed.user is not None and parsed.user.partition(":")[2]:
        warnings.append("Ignored the password in -u: StackOne keys use an empty password.")
    api_key = _read_headers(parsed.headers, request, warnings, api_key)
    _read_body(parsed, request, warnings)
    return CurlImport(request=request, api_key=api_key, warnings=warnings)


def _read_headers(
    headers: list[tuple[str, str]], request: RpcRequest, warnings: list[str], api_key: str | None
) -> str | None:
    """The two id headers into ``request``; returns the key, ``api_key`` (from ``-u``) unless
    an ``Authorization`` header says otherwise. Every other header is noted as ignored (the
    transport's own quietly)."""
    ids: dict[str, str] = {}  # header name -> the value last given
    for name, value in headers:
        lower = name.lower()
        if lower in _ID_FIELDS:
            # curl would send every copy; which one StackOne reads decides whose data the
            # call touches, so a silent choice is not good enough.
            earlier = ids.get(lower)
            if earlier is not None and earlier != value:
                warnings.append(
                    f"The header {lower} is given twice, {earlier!r} and then {value!r}; the "
                    f"explorer uses the last one, {value!r}: check it is the one you meant."
                )
            ids[lower] = value
            setattr(request, _ID_FIELDS[lower], value)
        elif lower == "authorization":
            # curl lets an explicit header win over -u; so do we.
            api_key = _key_from_authorization(value, warnings)
        elif lower == "content-type":
            if "json" not in value.lower():
                warnings.append(
                    f"Ignored Content-Type {value!r}: the explorer always sends application/json."
                )
        elif lower not in ("user-agent", "accept"):
            warnings.append(
                f"Ignored the header {name!r}: /actions/rpc reads only x-account-id and "
                "x-connector-profile-id (headers for the provider go in the body's "
                '"headers" object).'
            )
    return api_key


def _read_url(url: str, warnings: list[str]) -> tuple[str, bool, bool, str | None]:
    """``(base_url, sync, debug, user)``: the base URL is everything before ``/actions/rpc``.

    ``user`` is the URL's ``user:password`` (percent-decoded), if any: taken out of the base
    URL, which is saved in history, and handed back to be read as ``-u`` is.
    """
    if "://" not in url:
        warnings.append(f"The URL {url!r} has no scheme; assumed https://.")
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - checks the port is a number in range
    except ValueError as exc:
        raise CurlImportError(f"The URL {url!r} is not a valid URL ({exc}).") from None
    path = parts.path.rstrip("/")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise CurlImportError(f"The URL {url!r} is not an http:// or https:// URL.")
    if not path.endswith(RPC_PATH):
        raise CurlImportError(
            f"The URL {url!r} does not call {RPC_PATH}; the explorer only imports RPC actions."
        )
    userinfo, _, host = parts.netloc.rpartition("@")
    base_url = f"{parts.scheme}://{host}{path[: -len(RPC_PATH)]}"
    flags = {"sync": False, "debug": False}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in flags:
            flags[name] = value.lower() in ("", "true", "1", "yes")
        else:
            warnings.append(f"Ignored the URL parameter {name}={value}.")
    return base_url, flags["sync"], flags["debug"], unquote(userinfo) if userinfo else None


def _key_from_authorization(value: str, warnings: list[str]) -> str | None:
    scheme, _, credentials = value.strip().partition(" ")
    if scheme.lower() != "basic":
        warnings.append(
            f"Ignored the Authorization header: StackOne uses Basic authentication, not {scheme}."
        )
        return None
    if _PLACEHOLDER.match(credentials.strip()):
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        warnings.append("Ignored the Authorization header: its Basic credentials are not base64.")
        return None
    return _key_or_none(decoded.split(":", 1)[0])


def _read_body(parsed: _Parsed, request: RpcRequest, warnings: list[str]) -> None:
    if not parsed.data:
        raise CurlImportError(
            'The command has no body: an RPC call needs a JSON body such as {"action": "..."}.'
        )
    if len(parsed.data) > 1:
        raise CurlImportError(
            "The command has more than one data option; the RPC body must be one JSON object."
        )
    text = parsed.data[0][1]
    try:
        body = parse_json(text)
    except json.JSONDecodeError as exc:
        raise CurlImportError(
            f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    if not isinstance(body, dict):
        raise CurlImportError("The body must be a JSON object with an action.")
    action = body.get("action")
    if not isinstance(action, str) or not action:
        raise CurlImportError('The body has no "action" naming the action to run.')
    request.action = action
    for name in OBJECT_FIELDS:
        value: Any = body.get(name)
        if value is not None and not isinstance(value, dict):
            raise CurlImportError(f'The body\'s "{name}" must be a JSON object.')
        setattr(request, name, value)
    defender = body.get("defender_config")
    if defender is not None and not isinstance(defender, dict):
        raise CurlImportError('The body\'s "defender_config" must be a JSON object.')
    request.defender = DefenderConfig.from_json(defender)
    enabled = body.get("defender_enabled")
    request.defender_enabled = enabled if isinstance(enabled, bool) else None
    known = {"action", *OBJECT_FIELDS, "defender_config", "defender_enabled"}
    for extra in body.keys() - known:
        warnings.append(f'Ignored the body field "{extra}": it is not part of an RPC request.')
