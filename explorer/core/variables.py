"""``{{name}}`` placeholders in saved requests, filled in from the active environment.

A collection keeps one request file for many accounts and stages ("staging", "customer X
prod"); what differs between them is written as ``{{name}}`` and defined per environment.
Placeholders are looked for in the action, the account id, the connector profile id, the base
URL and in every *string value* of ``path``, ``query``, ``headers`` and ``body`` (nested objects
and arrays included). Object *keys* are left alone: a key that changes per environment is
almost always a mistake, and substituting keys could silently merge two entries.

Substitution is textual and always yields a string: ``{"count": "{{limit}}"}`` with
``limit=5`` becomes ``{"count": "5"}``, not ``{"count": 5}``. Guessing a JSON type from the text
would turn an account id such as ``"007"`` into a number; a request that needs a number keeps
the number literally in its file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from explorer.core.errors import ExplorerError
from explorer.core.request import OBJECT_FIELDS, RpcRequest

# ``{{ name }}``: Postman's syntax. Names are anything without braces or spaces, so Postman
# names such as ``base-url`` or ``customer.id`` work too.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")

# The plain-text fields, in the order the editor shows them.
TEXT_FIELDS = ("action", "account_id", "connector_profile_id", "base_url")


class UnresolvedVariables(ExplorerError):
    """Some placeholders have no value in the active environment; nothing was sent.

    Attributes:
        names: the missing variable names, sorted.
        locations: for each missing name, the fields it appears in (``"body"``, ``"account_id"``).
    """

    def __init__(self, locations: Mapping[str, list[str]]) -> None:
        self.names = sorted(locations)
        self.locations = {name: list(locations[name]) for name in self.names}
        listed = ", ".join(
            "{{" + name + "}} (in " + ", ".join(self.locations[name]) + ")" for name in self.names
        )
        noun = "variable has" if len(self.names) == 1 else "variables have"
        super().__init__(
            f"{len(self.names)} {noun} no value: {listed}. Define them in the active "
            "environment of the collection (Collections pane > Environments), or choose an "
            "environment that defines them."
        )


def names_in(text: str) -> list[str]:
    """The placeholder names in ``text``, in order of appearance (duplicates kept)."""
    return PLACEHOLDER.findall(text)


def find_locations(request: RpcRequest) -> dict[str, list[str]]:
    """Every placeholder name mapped to the fields that use it (each field listed once)."""
    found: dict[str, list[str]] = {}

    def note(field: str) -> Callable[[str], str]:
        def visit(text: str) -> str:
            for name in names_in(text):
                places = found.setdefault(name, [])
                if field not in places:
                    places.append(field)
            return text

        return visit

    for field in TEXT_FIELDS:
        note(field)(getattr(request, field))
    for field in OBJECT_FIELDS:
        _map_strings(getattr(request, field), note(field))
    return found


def find_variables(request: RpcRequest) -> set[str]:
    """The names of every placeholder used anywhere in ``request``."""
    return set(find_locations(request))


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders of ``text`` that have a value; leave the others as they are."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return PLACEHOLDER.sub(value_of, text)


def resolve(request: RpcRequest, values: Mapping[str, str]) -> RpcRequest:
    """A copy of ``request`` with every placeholder filled in from ``values``.

    Values are inserted once, not re-scanned, so a value that itself contains ``{{x}}`` is sent
    as written.

    Raises:
        UnresolvedVariables: naming every placeholder without a value (nothing is half-filled).
    """
    missing = {
        name: places for name, places in find_locations(request).items() if name not in values
    }
    if missing:
        raise UnresolvedVariables(missing)
    return fill(request, values)


def fill(request: RpcRequest, values: Mapping[str, str]) -> RpcRequest:
    """Like ``resolve`` but placeholders without a value stay as they are.

    For exports: fill in what may be shared and leave ``{{secret}}`` for the reader to supply.
    """
    resolved = request.copy()
    for field in TEXT_FIELDS:
        setattr(resolved, field, substitute(getattr(resolved, field), values))
    for field in OBJECT_FIELDS:
        setattr(
            resolved,
            field,
            _map_strings(getattr(resolved, field), lambda text: substitute(text, values)),
        )
    return resolved


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """Apply ``fn`` to every string value inside JSON data; keys and other types unchanged."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, fn) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, fn) for item in value]
    return value
