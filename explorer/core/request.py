"""The RPC request model: every field of ``ActionsRpcRequestDto`` plus what the transport needs.

The model is plain data. The editor builds one with ``to_request()``, history and collections
store it with ``to_dict()``/``from_dict()``, and ``explorer.core.wire`` turns it into the bytes
StackOne receives.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from explorer.core.errors import InvalidRequest, Issue
from explorer.core.limits import MAX_JSON_DEPTH, json_depth, too_deep_at

# What a secret value is replaced with wherever it must not be kept (history, settings,
# exports). Never a value to send: ``validate`` refuses any field holding it.
from explorer.core.secrets import REDACTED

DEFAULT_BASE_URL = "https://api.stackone.com"
DEFAULT_TIMEOUT = 60.0
# The longest a request may wait (the editor's range): also what keeps a hand-edited
# ``1e308`` from reaching the socket layer, which cannot represent it.
MAX_TIMEOUT = 600.0
# Integers longer than this are refused when JSON is read (Python's own default limit).
MAX_INT_DIGITS = 4300
RPC_PATH = "/actions/rpc"

# The four objects an action receives, in the order the editor shows them.
OBJECT_FIELDS = ("path", "query", "headers", "body")
# The plain-text fields, in the order the editor shows them.
_TEXT_FIELDS = ("action", "account_id", "connector_profile_id", "base_url")

# RFC 9110 token characters: what an HTTP header name may contain.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")

JsonObject = dict[str, Any]

# The HTTP headers the two ids travel in, named in messages so the user knows why they matter.
_ID_HEADERS = {"account_id": "x-account-id", "connector_profile_id": "x-connector-profile-id"}

_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
}


@dataclass
class DefenderConfig:
    """Per-request Defender settings; ``None`` means "use the project default"."""

    enabled: bool | None = None
    block_high_risk: bool | None = None
    use_tier1_classification: bool | None = None
    use_tier2_classification: bool | None = None

    def is_unset(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def to_json(self) -> JsonObject:
        """Only the flags that are set: an unset flag must not override the project."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }

    @classmethod
    def from_json(cls, data: Any) -> DefenderConfig:
        if not isinstance(data, dict):
            return cls()
        kwargs = {f.name: _tri(data.get(f.name)) for f in fields(cls)}
        return cls(**kwargs)


def _tri(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@dataclass
class RpcRequest:
    """One call to ``POST {base_url}/actions/rpc``.

    ``path``, ``query``, ``headers`` and ``body`` are ``None`` when the user left them empty, so
    the wire body omits them. ``sync``/``debug`` are only sent when true.
    """

    action: str = ""
    account_id: str = ""
    connector_profile_id: str = ""
    path: JsonObject | None = None
    query: JsonObject | None = None
    headers: JsonObject | None = None
    body: JsonObject | None = None
    defender: DefenderConfig = field(default_factory=DefenderConfig)
    defender_enabled: bool | None = None  # deprecated by StackOne; kept for old integrations
    sync: bool = False
    debug: bool = False
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT

    def copy(self, **changes: Any) -> RpcRequest:
        """A deep-enough copy: the JSON objects are copied too, so edits don't leak."""
        clone = replace(
            self,
            path=_copy_obj(self.path),
            query=_copy_obj(self.query),
            headers=_copy_obj(self.headers),
            body=_copy_obj(self.body),
            defender=replace(self.defender),
        )
        return replace(clone, **changes) if changes else clone

    def rpc_body(self) -> JsonObject:
        """The JSON body StackOne receives (``ActionsRpcRequestDto``), unset fields omitted."""
        out: JsonObject = {"action": self.action}
        for name in OBJECT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if not self.defender.is_unset():
            out["defender_config"] = self.defender.to_json()
        if self.defender_enabled is not None:
            out["defender_enabled"] = self.defender_enabled
        return out

    def url(self) -> str:
        """The full URL including ``sync``/``debug`` when set."""
        params = [name for name in ("sync", "debug") if getattr(self, name)]
        query = "&".join(f"{p}=true" for p in params)
        return self.base_url.strip().rstrip("/") + RPC_PATH + (f"?{query}" if query else "")

    # -- persistence ---------------------------------------------------------------------
    def to_dict(self) -> JsonObject:
        """A stable, JSON-ready form for history and collections (no secrets in it)."""
        return {
            "action": self.action,
            "account_id": self.account_id,
            "connector_profile_id": self.connector_profile_id,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "defender_config": {
                f.name: getattr(self.defender, f.name) for f in fields(DefenderConfig)
            },
            "defender_enabled": self.defender_enabled,
            "sync": self.sync,
            "debug": self.debug,
            "base_url": self.base_url,
            "timeout": self.timeout,
        }

    @classmethod
    def from_dict(cls, data: Any) -> RpcRequest:
        """Tolerant reader: unknown keys are ignored, wrong types fall back to defaults."""
        if not isinstance(data, dict):
            raise ValueError("a saved request must be a JSON object")

        def text(key: str, default: str = "") -> str:
            value = data.get(key, default)
            return value if isinstance(value, str) else default

        def obj(key: str) -> JsonObject | None:
            value = data.get(key)
            return value if isinstance(value, dict) else None

        timeout = data.get("timeout", DEFAULT_TIMEOUT)
        return cls(
            action=text("action"),
            account_id=text("account_id"),
            connector_profile_id=text("connector_profile_id"),
            path=obj("path"),
            query=obj("query"),
            headers=obj("headers"),
            body=obj("body"),
            defender=DefenderConfig.from_json(data.get("defender_config")),
            defender_enabled=_tri(data.get("defender_enabled")),
            sync=data.get("sync") is True,
            debug=data.get("debug") is True,
            base_url=text("base_url", DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
            timeout=sane_timeout(timeout),
        )


def timeout_seconds(value: Any) -> float | None:
    """``value`` as a timeout in seconds if it is a finite number above 0, else ``None``.

    Never raises: a 400-digit integer (``float()`` overflows) or ``1e309`` (infinity) is
    simply not a timeout.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def sane_timeout(value: Any) -> float:
    """A usable timeout from any value: ``DEFAULT_TIMEOUT`` if it is not a positive finite
    number, at most ``MAX_TIMEOUT``."""
    seconds = timeout_seconds(value)
    return DEFAULT_TIMEOUT if seconds is None else min(seconds, MAX_TIMEOUT)


def _copy_obj(value: JsonObject | None) -> JsonObject | None:
    return None if value is None else json.loads(json.dumps(value))


# -- validation --------------------------------------------------------------------------


class _NonFiniteConstant(Exception):
    def __init__(self, constant: str, message: str = "") -> None:
        super().__init__(constant)
        self.constant = constant
        self.message = message or (
            f'{constant} is not a JSON number; use null or a string such as "{constant}"'
        )


def parse_json(text: str) -> Any:
    """``json.loads`` within the explorer's limits, where every failure is a ``JSONDecodeError``.

    Refused, each at its line and column: ``NaN``, ``Infinity`` and ``-Infinity`` (Python
    reads them, but they are not JSON and ``json.dumps`` would write them back into a body
    StackOne refuses); a number too large for a float (``1e400`` would read as infinity);
    an integer of more than ``MAX_INT_DIGITS`` digits; nesting deeper than
    ``limits.MAX_JSON_DEPTH`` levels (which would fail later, far from the text, in
    whatever walks the value).

    Raises:
        json.JSONDecodeError: for any invalid JSON, these included.
    """

    def refuse(constant: str) -> Any:
        raise _NonFiniteConstant(constant)

    def finite(number: str) -> float:
        value = float(number)
        if not math.isfinite(value):
            raise _NonFiniteConstant(
                number, f"{number} is too large for a JSON number; write it as a string"
            )
        return value

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise _NonFiniteConstant(
                digits[:20],
                f"a number of {len(digits)} digits is too long to read (at most "
                f"{MAX_INT_DIGITS}); write it as a string",
            )
        return int(digits)

    try:
        value = json.loads(text, parse_constant=refuse, parse_float=finite, parse_int=integer)
    except _NonFiniteConstant as exc:
        raise json.JSONDecodeError(
            exc.message, text, _position_outside_strings(text, exc.constant)
        ) from None
    except RecursionError:
        raise _too_deep(text) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise _too_deep(text)
    return value


def _too_deep(text: str) -> json.JSONDecodeError:
    return json.JSONDecodeError(
        f"nested deeper than {MAX_JSON_DEPTH} levels, more than the explorer reads",
        text,
        too_deep_at(text) or 0,
    )


def _position_outside_strings(text: str, token: str) -> int:
    """Index of the first ``token`` that is not inside a JSON string (0 if none)."""
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif text.startswith(token, index):
            return index
    return 0


def parse_json_object(text: str, field_name: str) -> JsonObject | None:
    """Parse an editor's text: empty means "not set", anything else must be a JSON object.

    Raises:
        InvalidRequest: with one ``Issue`` carrying the line and column of the problem.
    """
    if not text.strip():
        return None
    try:
        value = parse_json(text)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            [Issue(field_name, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]
        ) from None
    if value is None:
        return None
    if not isinstance(value, dict):
        kind = _JSON_KINDS.get(type(value), "something else")
        raise InvalidRequest(
            [Issue(field_name, f"must be a JSON object {{...}}, not {kind}", 1, 1)]
        )
    return value


# What ``validate`` finds in one JSON object field (``object_field_issues``): its kind (a JSON
# object, finite numbers), its headers (``headers`` only), the secret values hidden in it.
FieldIssues = tuple[list[Issue], list[Issue], list[Issue]]


def validate(request: RpcRequest, checked: Mapping[str, FieldIssues] | None = None) -> list[Issue]:
    """Every problem that would make StackOne reject the request, in words a person can act on.

    ``checked``: ``object_field_issues`` of object fields already checked (an editor keeps
    them while a field's text is unchanged: a key typed elsewhere does not walk a big body
    again). The issues are the same, in the same order.
    """
    issues: list[Issue] = []
    if not request.action.strip():
        issues.append(Issue("action", "enter the action to run, e.g. bamboohr_list_employees"))
    elif request.action != request.action.strip() or any(c.isspace() for c in request.action):
        issues.append(Issue("action", "action names contain no spaces"))
    if not request.account_id.strip():
        issues.append(
            Issue("account_id", "enter the linked account id (sent as the x-account-id header)")
        )
    issues += _id_issues(request)
    issues += _object_issues(request, checked or {})
    if base_url_message := base_url_problem(request.base_url):
        issues.append(Issue("base_url", base_url_message))
    if timeout_seconds(request.timeout) is None:
        issues.append(Issue("timeout", "must be a positive number of seconds"))
    elif request.timeout > MAX_TIMEOUT:
        issues.append(Issue("timeout", f"must be at most {MAX_TIMEOUT:g} seconds"))
    return issues


def _object_issues(request: RpcRequest, checked: Mapping[str, FieldIssues]) -> list[Issue]:
    """``path``, ``query``, ``headers`` and ``body`` must be JSON objects JSON can send:
    each field's kind, then the headers, then the secrets hidden in a text field, then in an
    object field (the headers say theirs among their own issues)."""
    found = [
        checked[name] if name in checked else object_field_issues(name, getattr(request, name))
        for name in OBJECT_FIELDS
    ]
    issues = [issue for kind, _headers, _hidden in found for issue in kind]
    issues += found[OBJECT_FIELDS.index("headers")][1]
    issues += [_hidden_issue(n, n) for n in _TEXT_FIELDS if REDACTED in getattr(request, n)]
    return issues + [issue for _kind, _headers, hidden in found for issue in hidden]


def object_field_issues(name: str, value: Any) -> FieldIssues:
    """What ``validate`` finds in the object field ``name`` holding ``value`` (see
    ``FieldIssues``): it depends on that value alone."""
    kind: list[Issue] = []
    if value is not None and not isinstance(value, dict):
        kind.append(Issue(name, "must be a JSON object {...}"))
    elif value is not None and (issue := non_finite_issue(name, value)):
        kind.append(issue)
    headers: list[Issue] = []
    if name == "headers":
        if isinstance(value, dict):
            for key, item in value.items():
                headers += _header_issues(key, item)
        return kind, headers, []  # a hidden header value is said among the headers' issues
    return kind, headers, [_hidden_issue(name, place) for place in _hidden_in(value, name)]


def _hidden_issue(name: str, place: str) -> Issue:
    return Issue(
        name,
        f"{place} holds {REDACTED}: its secret value was not kept (secret values "
        "are never saved); type it again, or use a {{variable}}",
    )


def hidden_places(request: RpcRequest) -> list[str]:
    """Where ``request`` holds the placeholder a secret value was hidden behind
    (``body.note``, ``headers.x-token``, ``account_id``): a value the history did not keep,
    so never one to send. Every send path refuses it through ``validate``."""
    places = [name for name in _TEXT_FIELDS if REDACTED in getattr(request, name)]
    for name in OBJECT_FIELDS:
        places += _hidden_in(getattr(request, name), name)
    return places


def _hidden_in(value: Any, place: str) -> list[str]:
    if isinstance(value, str):
        return [place] if REDACTED in value else []
    if isinstance(value, dict):
        items = [(f"{place}.{key}", item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{place}[{index}]", item) for index, item in enumerate(value)]
    else:
        return []
    return [found for where, item in items for found in _hidden_in(item, where)]


def _id_issues(request: RpcRequest) -> list[Issue]:
    """The ids travel in HTTP headers: no line breaks, plain ASCII."""
    issues = []
    for name, header in _ID_HEADERS.items():
        value = getattr(request, name)
        if "\r" in value or "\n" in value:
            issues.append(Issue(name, "must not contain line breaks"))
        elif problem := _first_bad_character(value.strip(), _is_id_character):
            offset = len(value) - len(value.lstrip())  # the wire value is trimmed; count as typed
            issues.append(
                Issue(
                    name,
                    f"{_describe(problem, offset)}; ids are plain ASCII (sent in the {header} "
                    "header), so retype the id rather than pasting it",
                )
            )
    return issues


def _header_issues(key: str, value: Any) -> list[Issue]:
    """What keeps one provider header (the RPC ``headers`` object) from being sent."""
    issues = []
    if not _TOKEN.match(key):
        issues.append(
            Issue("headers", f"{key!r} is not a valid header name (letters, digits, - and _)")
        )
    if not isinstance(value, str):
        return issues
    if REDACTED in value:
        issues.append(
            Issue(
                "headers",
                f"the value of {key!r} was not kept (secret values are never saved); "
                "type it again, or use a {{variable}}",
            )
        )
    elif "\r" in value or "\n" in value:
        issues.append(Issue("headers", f"the value of {key!r} must not contain line breaks"))
    elif problem := _first_bad_character(value, _is_header_value_character):
        issues.append(
            Issue(
                "headers",
                f"the value of {key!r} {_describe(problem)}, which an HTTP header "
                "cannot carry (Latin-1 text only); retype or remove it",
            )
        )
    return issues


def non_finite_issue(field_name: str, value: Any) -> Issue | None:
    """The first NaN or infinity inside ``value``, with its place (``pay.rates[1]``), if any.

    An editor cannot produce one (``parse_json`` refuses them), but a request built in code
    or read from a hand-edited file can, and JSON has no way to send it.
    """
    where = _non_finite_place(value)
    if where is None:
        return None
    return Issue(field_name, f"{where}, which JSON cannot carry; use null or a string")


def _non_finite_place(value: Any, place: str = "") -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        name = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return f"{place or 'the value'} is {name}"
    if isinstance(value, dict):
        items: list[tuple[str, Any]] = [
            (f"{place}.{key}" if place else str(key), item) for key, item in value.items()
        ]
    elif isinstance(value, list):
        items = [(f"{place}[{index}]", item) for index, item in enumerate(value)]
    else:
        return None
    for item_place, item in items:
        found = _non_finite_place(item, item_place)
        if found:
            return found
    return None


_ONLY_THE_HOST = "enter only the host, e.g. https://api.stackone.com"


def base_url_problem(base_url: str) -> str | None:
    """What is wrong with a base URL, or ``None``: it must be ``http(s)://host[:port][/prefix]``.

    Only the first problem is named, in the order that helps most: a URL pasted whole from
    the docs (``.../actions/rpc?sync=true``) is told to drop the RPC path, not the query.
    Credentials are refused outright because the base URL is saved in history and
    collections, where a password must never go.
    """
    url = base_url.strip()
    offset = len(base_url) - len(base_url.lstrip())
    bad = _first_bad_character(url, _is_url_character)
    if bad:
        return f"{_describe(bad, offset)}, which a URL cannot hold; {_ONLY_THE_HOST}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        detail = str(exc)
        if "port" in detail.lower():
            detail = "the port must be a number from 1 to 65535"
        return f"is not a valid URL ({detail}); {_ONLY_THE_HOST}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// URL, e.g. https://api.stackone.com"
    if port == 0:
        return f"is not a valid URL (the port must be a number from 1 to 65535); {_ONLY_THE_HOST}"
    if "@" in parts.netloc:
        return (
            "must not include a user name or password: they would be saved in history with "
            "the URL; the API key belongs in the profile"
        )
    if parts.path.rstrip("/").lower().endswith(RPC_PATH):
        return f"ends with {RPC_PATH}, which the explorer adds itself; {_ONLY_THE_HOST}"
    if "?" in url or "#" in url:
        return (
            "must not include a query (?...) or fragment (#...); use the Sync and Debug "
            f"options for those, and {_ONLY_THE_HOST}"
        )
    return None


def _is_url_character(char: str) -> bool:
    """Visible ASCII, or visible non-ASCII (an international host or path is fine)."""
    if char <= "~":
        return char > " "
    return unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _is_id_character(char: str) -> bool:
    """Printable ASCII: what an id can be, and all httpx can encode in a header value."""
    return " " <= char <= "~"


def _is_header_value_character(char: str) -> bool:
    """What an HTTP field value may hold (RFC 9110): tab, visible ASCII, space and Latin-1.

    StackOne passes these headers on to the provider, so a character beyond Latin-1 (or a
    control character) would fail there, far from the editor where it can be fixed.
    """
    return char == "\t" or " " <= char <= "~" or "\xa0" <= char <= "\xff"


def _first_bad_character(text: str, allowed: Callable[[str], bool]) -> tuple[int, str] | None:
    """``(index, character)`` of the first character ``allowed`` refuses, if any."""
    for index, char in enumerate(text):
        if not allowed(char):
            return index, char
    return None


def _describe(problem: tuple[int, str], offset: int = 0) -> str:
    """E.g. ``has an invisible character U+200B (ZERO WIDTH SPACE) at position 3``.

    The position is 1-based because a person counts that way; the code point is named
    because the character itself may not show on screen.
    """
    index, char = problem
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    category = unicodedata.category(char)
    if char == " ":
        what = "a space"
    elif category == "Cc":
        what = f"a control character {code}"
    elif category in ("Cf", "Zs", "Zl", "Zp") or char.isspace():
        what = f"an invisible character {code}" + (f" ({name})" if name else "")
    else:
        what = f"the character {char!r} ({code})"
    return f"has {what} at position {index + offset + 1}"


def check(request: RpcRequest) -> None:
    """Raise ``InvalidRequest`` if ``validate`` finds anything."""
    issues = validate(request)
    if issues:
        raise InvalidRequest(issues)
