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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange

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
_TEMPLATE = re.compile(r"\s*(?:[A-Za-z][A-Za-z-]*\s+)?(?:(?:" + _REFERENCE + r")\s*)+")


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
    return isinstance(value, str) and _TEMPLATE.fullmatch(value) is not None


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
        if isinstance(value, str):
            return self.field(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        return value

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
        if clean == data and clean_body is body:
            return exchange
        return type(exchange).from_dict(clean, body=clean_body)

    def found(self, content: str | bytes) -> list[str]:
        """The secrets ``content`` still shows by these rules (checks for tests and exports)."""
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        hits = [s for s in self.values if any(f in text for f in _forms(s))]
        return sorted(s for s in hits if len(s) >= MIN_TEXT_LENGTH or text.strip() == s.strip())


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
