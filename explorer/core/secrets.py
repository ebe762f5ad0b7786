"""The one secrets policy: what is secret, how it is hidden, and with what placeholder.

History, exports (HAR, curl, Postman, the case), the runner's table and reports, and the screen
all call this module; none has a rule of its own.

A value is secret because of where it came from, never because of its length or its look:
the API key, the value of a secret variable, or the value of a header whose name looks like a
credential (``Authorization``, ``X-Api-Token``, ``Set-Cookie``...). How it is hidden:

- a whole field or header holding one (a JSON string, a header value, a message that is only
  the secret) is always replaced by ``REDACTED``, however short the secret;
- inside free text (messages, tables, bodies) every occurrence of a secret of
  ``MIN_TEXT_LENGTH`` or more characters is replaced; shorter ones are left there, since hiding
  every "1" or "no" would garble the text and protect nothing;
- templates (``{{name}}``, ``$STACKONE_API_KEY``) name where a secret comes from and are never
  masks: they stay as written.

Personal data (emails, phone numbers, names, addresses) is another matter: it is not secret to
the user, only to the people a case is shared with. Its scrubbing (below ``Redactor``) has
placeholders of its own that stay readable (the same email, the same placeholder), so a shared
case keeps its meaning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from explorer.core.body import BodyFile
    from explorer.core.exchange import Exchange
    from explorer.core.filters import JsonPath

# The one placeholder for a hidden value. The request editor refuses to send it, so a request
# replayed from the history cannot carry it to a provider by mistake.
REDACTED = "<redacted>"
# Free text hides secrets of at least this many characters; whole fields hide any.
MIN_TEXT_LENGTH = 3

# Anywhere in a name: ``X-Auth-Token``, ``x-csrftoken``, ``client-secret``, ``set-cookie``.
_SECRET_PARTS = ("authorization", "cookie", "token", "secret", "passw", "apikey", "credential")
# Only as a whole word, because as parts they occur in harmless names (``keep-alive``,
# ``www-authenticate``): ``api-key``, ``Ocp-Apim-Subscription-Key``, ``X-Auth``.
_SECRET_WORDS = frozenset({"key", "auth", "pwd"})
# A key that is not a credential and that a user needs to see when debugging duplicates.
_PUBLIC_KEY_WORDS = frozenset({"idempotency"})

# A reference to a value kept elsewhere: a collection variable or a shell/CI variable.
_REFERENCE = r"\{\{\s*[^{}\s]+\s*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*"
# A value written only with references, optionally after an auth scheme word: ``{{token}}``,
# ``Bearer {{token}}``, ``$STACKONE_API_KEY``; ``{{user}}:{{password}}`` is not (the colon is
# literal), nor ``sk_{{suffix}}``.
_TEMPLATE = r"\s*(?:[A-Za-z][A-Za-z-]*\s+)?(?:(?:" + _REFERENCE + r")\s*)+"


@cache
def _compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern of this module, compiled on first use: the window imports this module before
    its first paint, which needs none of them (~0.6 ms of compiling)."""
    return re.compile(source, flags)


def is_secret_header(name: str) -> bool:
    """Whether a header's value must never be shown or stored: the one rule for all of them.

    Used for the headers we send, the provider headers in the RPC body, response headers
    (``Set-Cookie``) and the headers a collection may hold. It errs towards hiding: a
    redacted harmless value costs a glance at the live request; a stored key costs a leak.
    """
    lower = name.strip().lower()
    if any(part in lower for part in _SECRET_PARTS):
        return True
    words = set(re.split(r"[-_.\s]+", lower))
    return bool(words & _SECRET_WORDS) and not words & _PUBLIC_KEY_WORDS


def is_template(value: Any) -> bool:
    """Whether a value only refers to secrets kept elsewhere, and so is no secret itself.

    ``{"x-tenant-token": "{{tenant_token}}"}`` names where the secret comes from; it is kept as
    written wherever secret values are hidden, so a restart or an export does not turn it into
    ``<redacted>``.
    """
    return isinstance(value, str) and _compiled(_TEMPLATE).fullmatch(value) is not None


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """HTTP header pairs with the value of each secret-looking header replaced."""
    return [(k, _header_value(k, v)) for k, v in headers]


def redact_header_object(headers: dict[str, Any]) -> dict[str, Any]:
    """The RPC ``headers`` object (name -> value) with every secret value replaced."""
    return {k: _header_value(k, v) for k, v in headers.items()}


def _header_value(name: str, value: Any) -> Any:
    return REDACTED if is_secret_header(name) and not is_template(value) else value


def key_hint(secret: str) -> str:
    """Enough of a key to recognise it on screen ("sk_l…1234"), never enough to use it.

    Short keys show less (at most a third of the characters); empty stays empty.
    """
    if not secret:
        return ""
    shown = min(4, len(secret) // 6)
    if shown == 0:
        return "…"
    return f"{secret[:shown]}…{secret[-shown:]}"


def _forms(secret: str) -> list[str]:
    """How a secret can appear in a text: as itself, and JSON-escaped (with and without
    ``\\u`` escapes) when the text is, or embeds, JSON."""
    return sorted(
        {
            secret,
            json.dumps(secret)[1:-1],
            json.dumps(secret, ensure_ascii=False)[1:-1],
        },
        key=len,
        reverse=True,
    )


class Redactor:
    """Hides a known set of secret values wherever they appear, by the rules above.

    Built once per exchange or run from the secrets that went into it (the API key, the secret
    variables' values) and then applied to each output. Every method returns its input object
    itself when nothing in it was secret, so callers can skip copying big bodies.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        self.values = frozenset(s for s in secrets if s and s.strip())
        self._whole = frozenset(s.strip() for s in self.values)
        long_forms = sorted(
            {f for s in self.values if len(s) >= MIN_TEXT_LENGTH for f in _forms(s)},
            key=len,
            reverse=True,
        )
        # A short secret is hidden in JSON text only as a whole string value (not a key).
        short_tokens = sorted(
            {'"' + f + '"' for s in self.values if len(s) < MIN_TEXT_LENGTH for f in _forms(s)},
            key=len,
            reverse=True,
        )
        self._text_needles = long_forms
        self._json_needles = long_forms + short_tokens
        secret_alternatives = [re.escape(f) for f in long_forms]
        token_alternatives = [re.escape(t) + r"(?!\s*:)" for t in short_tokens]
        # Secrets first: a template only protects a name, never a secret starting where it does.
        self._text = _pattern(secret_alternatives)
        self._json = _pattern(secret_alternatives + token_alternatives)
        self._json_bytes = _bytes_pattern(secret_alternatives + token_alternatives)

    def __bool__(self) -> bool:
        return bool(self.values)

    def field(self, value: str) -> str:
        """A whole field (a JSON string, a header value, a message): replaced outright when it
        is a secret, else treated as free text."""
        if value.strip() in self._whole:
            return REDACTED
        return self.text(value)

    def text(self, text: str) -> str:
        """Free text: every occurrence of a secret of ``MIN_TEXT_LENGTH`` or more characters."""
        if self._text is None or not any(n in text for n in self._text_needles):
            return text
        return self._text.sub(_replace_str, text)

    def json_text(self, text: str) -> str:
        """JSON (or text that may be JSON): free-text rules, and short secrets as whole string
        values."""
        if self._json is None or not any(n in text for n in self._json_needles):
            return text
        return self._json.sub(_replace_str, text)

    def body(self, body: bytes) -> bytes:
        """A response or request body, text or binary, by the JSON-text rules on its bytes."""
        if self._json_bytes is None:
            return body
        needles = [n.encode("utf-8", "surrogatepass") for n in self._json_needles]
        if not any(n in body for n in needles):
            return body
        return self._json_bytes.sub(_replace_bytes, body)

    def data(self, value: Any) -> Any:
        """JSON data: every string value as a field; keys and other types unchanged."""
        return _map_values(value, self.field, lambda number: number)

    def exchange(self, exchange: Exchange) -> Exchange:
        """A copy of ``exchange`` with every secret hidden (``exchange`` itself if none was
        in it): the request as sent, the wire record, the response's headers and body, and the
        failure message. Secret-looking headers are replaced whatever the values."""
        if not self:
            return exchange
        data = exchange.to_dict(include_body=False)
        clean = self.data(data)
        sent = data.get("sent")
        if isinstance(sent, dict) and isinstance(sent.get("body"), str):
            clean["sent"]["body"] = self.json_text(sent["body"])
        body = exchange.response.body if exchange.response is not None else None
        clean_body = self.body(body) if body is not None else None
        on_disk = exchange.response.body_file if exchange.response is not None else None
        clean_file = self._body_file(on_disk) if on_disk is not None else None
        if clean == data and clean_body is body and clean_file is on_disk:
            return exchange
        return type(exchange).from_dict(clean, body=clean_body, body_file=clean_file)

    def _body_file(self, source: BodyFile) -> BodyFile:
        """A body over the body limit, streamed through the JSON-text rules' plain forms (a
        template next to a secret is no concern in a body this size); ``source`` itself when
        no secret is in it."""
        from explorer.core.body import file_contains, replace_in_file

        long_forms = [n for n in self._json_needles if not n.startswith('"')]
        short_tokens = [n for n in self._json_needles if n.startswith('"')]
        if not file_contains(source, self._json_needles):
            return source
        cleaned = replace_in_file(source, long_forms, REDACTED) if long_forms else source
        if short_tokens:
            cleaned = replace_in_file(cleaned, short_tokens, f'"{REDACTED}"')
        return cleaned

    def found(self, content: str | bytes) -> list[str]:
        """The secrets ``content`` still shows by these rules (checks for tests and exports)."""
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        hits = [s for s in self.values if any(f in text for f in _forms(s))]
        return sorted(s for s in hits if len(s) >= MIN_TEXT_LENGTH or text.strip() == s.strip())


def _map_values(
    value: Any, string: Callable[[str], Any], number: Callable[[int | float], Any]
) -> Any:
    """JSON data with each string and number value mapped; keys, booleans and null kept."""
    if isinstance(value, str):
        return string(value)
    if isinstance(value, dict):
        return {key: _map_values(item, string, number) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_values(item, string, number) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return value


def _replace_str(match: re.Match[str]) -> str:
    return match.group(0) if match.group("template") else _token(match.group(0), REDACTED)


def _replace_bytes(match: re.Match[bytes]) -> bytes:
    if match.group("template"):
        return match.group(0)
    return _token(match.group(0).decode("utf-8", "surrogatepass"), REDACTED).encode()


def _token(found: str, placeholder: str) -> str:
    """A short secret matched with its quotes keeps them: ``"ab"`` -> ``"<redacted>"``."""
    quoted = len(found) >= 2 and found.startswith('"') and found.endswith('"')
    return f'"{placeholder}"' if quoted and not placeholder.startswith('"') else placeholder


def _pattern(alternatives: list[str]) -> re.Pattern[str] | None:
    """One regex for the secrets (tried first) and the templates left alone; ``None`` for
    no secrets."""
    if not alternatives:
        return None
    return re.compile("|".join(alternatives) + "|(?P<template>" + _REFERENCE + ")")


def _bytes_pattern(alternatives: list[str]) -> re.Pattern[bytes] | None:
    """``_pattern`` for bodies, which may not be text at all."""
    pattern = _pattern(alternatives)
    return None if pattern is None else re.compile(pattern.pattern.encode("utf-8", "surrogatepass"))


def redact_exchange(exchange: Exchange, secrets: Iterable[str]) -> Exchange:
    """``exchange`` with ``secrets`` (the values that went into it) hidden: for the history."""
    return Redactor(secrets).exchange(exchange)


# "Bearer xyz" / "Basic xyz" inside free text (a logged error message quoting a header).
_SCHEME_TOKEN = r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}"


# -- credentials in logs -----------------------------------------------------------------
#
# What StackOne logged of a provider call holds the provider's credentials under names, not
# values we know: masked by field or parameter name (the header rule), scheme tokens in text,
# and form bodies; the StackOne key (known values) wherever it appears.


def mask(value: Any, secrets: Iterable[str] = ()) -> Any:
    """``value`` with every credential replaced by the placeholder: fields and headers whose
    name says secret (``authorization``, ``refresh_token``, ``client_secret``, ``api_key``...),
    ``Bearer``/``Basic`` tokens in text, and each of ``secrets`` (the StackOne API key and its
    Basic form) wherever it appears.

    The one function the trace masks with (see the module docstring).
    """
    known = sorted({s for s in secrets if s and len(s) >= MIN_TEXT_LENGTH}, key=len, reverse=True)
    return _mask(value, known)


def _mask(value: Any, known: list[str]) -> Any:
    if isinstance(value, Mapping):
        return {
            k: REDACTED if is_secret_header(str(k)) and v not in (None, "") else _mask(v, known)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(item, known) for item in value]
    if isinstance(value, str):
        return _mask_text(value, known)
    return value


def _mask_text(text: str, known: list[str]) -> str:
    for secret in known:
        text = text.replace(secret, REDACTED)
    scheme_token = _compiled(_SCHEME_TOKEN, re.IGNORECASE)
    return _mask_form(scheme_token.sub(lambda m: f"{m.group(1)} {REDACTED}", text))


def _mask_form(text: str) -> str:
    """A form body (``grant_type=refresh_token&refresh_token=…``) with secret fields masked."""
    if "\n" in text or "=" not in text:
        return text
    segments = text.split("&")
    if not all("=" in segment for segment in segments):
        return text
    masked = []
    for segment in segments:
        name, _, value = segment.partition("=")
        secret = value and is_secret_header(unquote_plus(name))
        masked.append(f"{name}={REDACTED}" if secret else segment)
    return "&".join(masked)


def mask_url(url: str, secrets: Iterable[str] = ()) -> str:
    """The URL with secret-named query parameters (``api_key``, ``access_token``) masked."""
    known = sorted({s for s in secrets if s and len(s) >= MIN_TEXT_LENGTH}, key=len, reverse=True)
    try:
        parts = urlsplit(url)
    except ValueError:
        return _mask_text(url, known)
    if not parts.query:
        return _mask_text(url, known)
    query = [
        (k, REDACTED if is_secret_header(k) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    masked = urlunsplit(parts._replace(query=urlencode(query, safe="<>")))
    return _mask_text(masked, known)


# -- personal data -------------------------------------------------------------------------
#
# Not secret to the user, only to the people a case is shared with. Found in two ways: values
# of well-known fields (first_name, phone_numbers, home_address, ...; any key spelling:
# ``firstName``, ``first-name``) and custom field paths (JSONPath), and patterns in any text
# (email addresses, international phone numbers). Each value found gets one numbered
# placeholder (the same email, the same ``<email 1>``, in every exchange of a case), which then
# replaces it everywhere: as a whole field, and inside text as a word or words (names in a
# note's text), by the same length rule as secrets.

EMAIL, PHONE, NAME, ADDRESS, FIELD = "email", "phone", "name", "address", "field"
PERSONAL_KINDS = (EMAIL, PHONE, NAME, ADDRESS)

_EMAIL_PATTERN = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# In free text only numbers written internationally: local digit runs are ids and dates.
_PHONE_PATTERN = r"(?<![\w+])\+\d[\d ().-]{6,}\d(?!\w)"
_NAME_SUFFIXES = (
    "firstname",
    "lastname",
    "surname",
    "middlename",
    "fullname",
    "displayname",
    "givenname",
    "familyname",
    "preferredname",
    "maidenname",
    "nickname",
    "legalname",
)
_NAME_KEYS = frozenset({"author", "owner", "assignee", "reporter"})
_PHONE_PARTS = ("phone", "mobile", "telephone", "fax")
_ADDRESS_PARTS = ("address", "street", "postalcode", "postcode", "zipcode")
_ADDRESS_KEYS = frozenset({"zip", "homelocation", "residence"})
_WORD = r"\w+"
_MAX_PLACES = 5  # places listed per value in the preview; the count says how many in all


def _key_kind(key: str) -> str | None:
    """The personal-data kind a JSON key holds, by its name in any spelling."""
    folded = re.sub(r"[^a-z0-9]", "", key.lower())
    if folded.endswith(_NAME_SUFFIXES) or folded in _NAME_KEYS:
        return NAME
    if any(part in folded for part in _PHONE_PARTS) or folded == "tel":
        return PHONE
    if any(part in folded for part in _ADDRESS_PARTS) or folded in _ADDRESS_KEYS:
        return ADDRESS
    if "email" in folded:
        return EMAIL
    return None


@dataclass(frozen=True)
class Replacement:
    """One value the scrub replaces: for the preview, before anything is written."""

    kind: str
    value: str
    placeholder: str
    places: tuple[str, ...]  # the first few places it occurs ("response body $['data'][0]...")
    count: int  # how many places in all


class _Finder:
    """Collects personal values (with where they are) while walking an exchange's parts."""

    def __init__(self, kinds: Iterable[str], fields: list[JsonPath]) -> None:
        self.kinds = frozenset(kinds)
        self.fields = fields
        self.found: dict[str, str] = {}  # value -> kind, in order of discovery

    def add(self, kind: str, value: str) -> None:
        if value.strip() and (kind == FIELD or kind in self.kinds):
            self.found.setdefault(value, kind)

    def text(self, text: str) -> None:
        if EMAIL in self.kinds and "@" in text:
            for match in _compiled(_EMAIL_PATTERN).finditer(text):
                self.add(EMAIL, match.group(0))
        if PHONE in self.kinds and "+" in text:
            for match in _compiled(_PHONE_PATTERN).finditer(text):
                self.add(PHONE, match.group(0))

    def data(self, value: Any, kind: str | None = None) -> None:
        if isinstance(value, str):
            if kind is not None:
                self.add(kind, value)
            self.text(value)
        elif isinstance(value, dict):
            # "name" is a person's only beside other personal fields (not a department's).
            personal = any(_key_kind(str(k)) in (NAME, EMAIL, PHONE) for k in value)
            for key, item in value.items():
                own = _key_kind(str(key)) or (NAME if personal and key == "name" else None)
                self.data(item, own or _inherited(kind, str(key)))
        elif isinstance(value, list):
            for item in value:
                self.data(item, kind)
        elif kind in (PHONE, FIELD) and _is_number(value):
            self.add(kind, str(value))  # a phone number written as a JSON number

    def custom(self, data: Any) -> None:
        for query in self.fields:
            for match in query.find(data):
                self._leaves(match.value)

    def _leaves(self, value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                self._leaves(item)
        elif isinstance(value, list):
            for item in value:
                self._leaves(item)
        elif isinstance(value, str) or _is_number(value):
            self.add(FIELD, str(value))


# Inside {"type": "mobile", "value": "+44..."} or an address object, which keys hold the value.
_LABEL_KEYS = frozenset({"id", "type", "label", "kind", "primary", "isprimary", "country"})
_VALUE_KEYS = frozenset({"value", "number", "text", "formatted"})


def _inherited(kind: str | None, key: str) -> str | None:
    """The kind a key inside a personal container holds: every part of an address, only the
    value of a phone, email or name entry, never its labels."""
    folded = re.sub(r"[^a-z0-9]", "", key.lower())
    if kind is None or folded in _LABEL_KEYS:
        return None
    return kind if kind == ADDRESS or folded in _VALUE_KEYS else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class ScrubPlan:
    """What a personal-data scrub replaces, and the function that does it.

    Made by ``PersonalData.plan`` from the exchanges of a case; the window shows
    ``replacements`` (the preview), the user may drop some (``without``), and the same plan
    then scrubs every exchange, so each value has one placeholder across the whole case.
    """

    def __init__(self, mapping: dict[str, tuple[str, str]]) -> None:
        self._mapping = mapping  # value -> (kind, placeholder)
        self._whole = {value.strip(): value for value in mapping}  # as a whole field
        # Inside text, each value is looked for where its first word is: (value, offset of
        # that word in the value), longest value first.
        self._by_word: dict[str, list[tuple[str, int]]] = {}
        for value in sorted(mapping, key=len, reverse=True):
            word = _compiled(_WORD).search(value)
            if len(value) >= MIN_TEXT_LENGTH and word is not None:
                self._by_word.setdefault(word.group(0), []).append((value, word.start()))
        self.replacements: list[Replacement] = []

    def __bool__(self) -> bool:
        return bool(self._mapping)

    def without(self, values: Iterable[str]) -> ScrubPlan:
        """The plan less some values (unticked in the preview); placeholders are kept."""
        dropped = set(values)
        plan = ScrubPlan({v: m for v, m in self._mapping.items() if v not in dropped})
        plan.replacements = [r for r in self.replacements if r.value not in dropped]
        return plan

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where the plan's values occur in ``text`` as whole words, left to right."""
        spans: list[tuple[int, int, str]] = []
        taken = 0
        for word in _compiled(_WORD).finditer(text):
            for value, offset in self._by_word.get(word.group(0), ()):
                start = word.start() - offset
                end = start + len(value)
                if (
                    start >= taken
                    and text.startswith(value, start)
                    and not (start > 0 and value[0].isalnum() and text[start - 1].isalnum())
                    and not (end < len(text) and value[-1].isalnum() and text[end].isalnum())
                ):
                    spans.append((start, end, value))
                    taken = end
                    break
        return spans

    def text(self, text: str) -> str:
        """Free text: every occurrence (as whole words) of a value of 3 or more characters."""
        spans = self._spans(text) if self._mapping else []
        if not spans:
            return text
        out, at = [], 0
        for start, end, value in spans:
            out += [text[at:start], self._mapping[value][1]]
            at = end
        return "".join(out) + text[at:]

    def field(self, value: str) -> str:
        whole = self._whole.get(value.strip())
        return self._mapping[whole][1] if whole is not None else self.text(value)

    def data(self, value: Any) -> Any:
        """JSON data: string values as fields, numbers that are planned values (phones, custom
        fields) replaced; keys kept."""

        def number(found: int | float) -> Any:
            whole = self._whole.get(str(found))
            return found if whole is None else self._mapping[whole][1]

        return _map_values(value, self.field, number)

    def json_text(self, text: str) -> str:
        """JSON text scrubbed structurally (re-written compactly); other text as text."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return self.text(text)
        return json.dumps(self.data(data), ensure_ascii=False, separators=(",", ":"))

    def exchange(self, exchange: Exchange) -> Exchange:
        """``exchange`` scrubbed. A binary body (a downloaded file) cannot be scrubbed and is
        left out (empty); ``Exchange.response.size`` still tells its size."""
        if not self:
            return exchange
        data = self.data(exchange.to_dict(include_body=False))
        sent = data.get("sent")
        if isinstance(sent, dict) and exchange.sent is not None:
            sent["body"] = self.json_text(exchange.sent.body)
        body: bytes | None = None
        response = exchange.response
        if response is not None:
            if response.kind == "json":
                body = json.dumps(self.data(response.json), ensure_ascii=False).encode()
            elif response.kind == "binary":
                body = b""
            else:
                body = self.text(response.body.decode("utf-8", "replace")).encode()
        return type(exchange).from_dict(data, body=body)


class PersonalData:
    """Finds personal data in exchanges and plans its consistent scrub.

    Args:
        kinds: which of ``PERSONAL_KINDS`` to look for (all by default).
        fields: custom field paths (RFC 9535 JSONPath) whose values are scrubbed too, e.g.
            ``$..national_identity_number``.

    Raises:
        FilterError: a custom field path is not valid JSONPath.
    """

    def __init__(self, *, kinds: Iterable[str] = PERSONAL_KINDS, fields: Iterable[str] = ()):
        from explorer.core.filters import JsonPath  # (~3 ms: not at the window's start-up)

        self.kinds = tuple(kinds)
        self.fields = [JsonPath(query) for query in fields]

    def plan(self, exchanges: Iterable[Exchange]) -> ScrubPlan:
        """Find every personal value in ``exchanges`` and number its placeholder."""
        exchanges = list(exchanges)
        finder = _Finder(self.kinds, self.fields)
        for exchange in exchanges:
            for _, data in _parts(exchange):
                finder.custom(data)
                finder.data(data)
        numbers: dict[str, int] = {}
        mapping: dict[str, tuple[str, str]] = {}
        for value, kind in finder.found.items():
            numbers[kind] = numbers.get(kind, 0) + 1
            mapping[value] = (kind, f"<{kind} {numbers[kind]}>")
        plan = ScrubPlan(mapping)
        plan.replacements = _preview(plan, mapping, exchanges)
        return plan


def _parts(exchange: Exchange) -> list[tuple[str, Any]]:
    """The places personal data can be in, as (name, JSON data or text)."""
    request = exchange.request
    parts: list[tuple[str, Any]] = [
        (f"request {name}", getattr(request, name)) for name in ("path", "query", "headers", "body")
    ]
    response = exchange.response
    if response is not None:
        parts.append(("response headers", dict(response.headers)))
        if response.kind == "json":
            parts.append(("response body", response.json))
        elif response.kind != "binary" and response.body:
            parts.append(("response body", response.body.decode("utf-8", "replace")))
    if exchange.failure is not None:
        parts.append(("failure message", exchange.failure.message))
    return parts


def _hits(plan: ScrubPlan, value: str | float) -> list[str]:
    """The planned values in one string or number: all of it, or each found inside a text."""
    text = str(value)
    whole = plan._whole.get(text.strip())
    if whole is not None:
        return [whole]
    if isinstance(value, str):
        return list(dict.fromkeys(found for _, _, found in plan._spans(text)))
    return []


def _preview(
    plan: ScrubPlan, mapping: dict[str, tuple[str, str]], exchanges: list[Exchange]
) -> list[Replacement]:
    """Where each planned value occurs, found with the very matcher the scrub uses."""
    places: dict[str, list[str]] = {value: [] for value in mapping}

    def visit(where: str, value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(where, item, f"{path}[{json.dumps(str(key), ensure_ascii=False)}]")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(where, item, f"{path}[{index}]")
        elif isinstance(value, str) or _is_number(value):
            for hit in _hits(plan, value):
                places[hit].append(where if path == "$" else f"{where} {path}")

    for number, exchange in enumerate(exchanges, start=1):
        label = f"exchange {number}: " if len(exchanges) > 1 else ""
        for where, data in _parts(exchange):
            visit(label + where, data, "$")
    return [
        Replacement(
            kind, value, placeholder, tuple(places[value][:_MAX_PLACES]), len(places[value])
        )
        for value, (kind, placeholder) in mapping.items()
    ]
