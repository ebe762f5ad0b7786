"""A starting request from an action's input schema: which keys go in ``path``, ``query``,
``headers`` and ``body``, each with a placeholder the user overwrites.

Two schema shapes exist. StackOne's ``action_details`` (and the demo) describe the whole RPC
input, grouped: ``{"properties": {"path": {...}, "query": {...}, "body": {...}}}``. Other
sources (an MCP tool, a hand-written schema) give one flat object; its properties go in
``body``, where most actions take their input.

Placeholders are chosen so the skeleton is obviously unfinished yet still valid JSON for the
server to judge: ``""``, ``0``, ``false``, ``[]``, ``{}``. A property's ``default`` wins (sending
the default means what leaving it out means, and a ``page_size`` of 0 would only earn a 400);
then ``const``, then the first ``enum`` value. An optional property that may be ``null`` is
``null``, so e.g. a pagination cursor starts at the first page.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

from explorer.core.request import OBJECT_FIELDS, RpcRequest

JsonObject = dict[str, Any]

# Fields of the RPC body that may sit next to the groups in a grouped schema.
_RPC_KEYS = frozenset({*OBJECT_FIELDS, "action", "defender_config", "defender_enabled"})
# Deep enough for any real input; stops a self-referencing ``$ref`` from recursing forever.
_MAX_DEPTH = 12


def skeleton_from_schema(
    input_schema: Mapping[str, Any] | None, *, include_optional: bool = True
) -> dict[str, JsonObject]:
    """The starting ``path``/``query``/``headers``/``body`` objects for an action.

    Args:
        input_schema: the action's input JSON Schema, grouped or flat; ``None`` (no
            details were fetched) gives ``{}``.
        include_optional: also list the optional properties of each group, after the
            required ones, so the user sees what the action accepts. Nested objects only
            ever get their required properties: the skeleton stays readable.

    Returns:
        Only the non-empty groups, in the order the editor shows them, e.g.
        ``{"body": {"first_name": "", "last_name": "", "emails": []}}``.
    """
    if not isinstance(input_schema, Mapping):
        return {}
    root = dict(input_schema)
    schema = _resolve(root, root)
    properties = _properties(schema, root)
    if _is_grouped(properties, root):
        groups = {
            name: _group(properties.get(name), root, include_optional) for name in OBJECT_FIELDS
        }
    else:
        groups = {"body": _group(schema, root, include_optional)}
    return {name: values for name, values in groups.items() if values}


def with_skeleton(request: RpcRequest, skeleton: Mapping[str, JsonObject]) -> RpcRequest:
    """A copy of ``request`` whose four objects are exactly the skeleton's.

    Groups the skeleton lacks become empty (``None``), so nothing from the previous action
    leaks into the new one.
    """
    changes = {name: copy.deepcopy(skeleton.get(name)) or None for name in OBJECT_FIELDS}
    return request.copy(**changes)


def _is_grouped(properties: JsonObject, root: JsonObject) -> bool:
    """Grouped when every property is an RPC field and each group present is an object.

    A flat schema may well have a ``query`` property (a search term): it is a string, not an
    object of query parameters, and so does not make the schema grouped.
    """
    groups = [name for name in OBJECT_FIELDS if name in properties]
    if not groups or not set(properties) <= _RPC_KEYS:
        return False
    return all(_kind(_resolve(properties[name], root)) == "object" for name in groups)


def _group(schema: Any, root: JsonObject, include_optional: bool) -> JsonObject:
    resolved = _resolve(schema, root)
    return _fill_object(resolved, root, depth=1, include_optional=include_optional)


def _fill_object(
    schema: JsonObject, root: JsonObject, *, depth: int, include_optional: bool
) -> JsonObject:
    properties = _properties(schema, root)
    required = [name for name in _required(schema, root) if name in properties]
    names = required + (
        [name for name in properties if name not in required] if include_optional else []
    )
    return {
        name: _placeholder(properties[name], root, required=name in required, depth=depth + 1)
        for name in names
    }


def _placeholder(schema: Any, root: JsonObject, *, required: bool, depth: int) -> Any:
    """The value a property starts with (see the module docstring for the order of choice)."""
    schema = _resolve(schema, root)
    if depth > _MAX_DEPTH:
        return None
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return copy.deepcopy(enum[0])
    if not required and _nullable(schema, root):
        return None
    branch = _first_branch(schema, root)
    if branch is not None:
        return _placeholder(branch, root, required=required, depth=depth + 1)
    return _empty(schema, root, depth=depth)


def _empty(schema: JsonObject, root: JsonObject, *, depth: int) -> Any:
    """The empty value of the schema's type: ``""``, 0 (within its bounds), an object with
    its required properties..."""
    kind = _kind(schema)
    if kind == "string":
        return ""
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return _fill_object(schema, root, depth=depth, include_optional=False)
    return None


def _number(schema: JsonObject, *, integer: bool) -> int | float:
    """0, unless the schema's bounds exclude it (``minimum: 1`` gives 1)."""
    low = _as_number(schema.get("minimum"))
    exclusive = _as_number(schema.get("exclusiveMinimum"))
    high = _as_number(schema.get("maximum"))
    value = 0.0
    if low is not None and low > value:
        value = low
    if exclusive is not None and exclusive >= value:
        value = math.floor(exclusive) + 1 if integer else exclusive + 1
    if high is not None and high < value:
        value = high
    if integer or value.is_integer():
        return math.ceil(value)
    return value


def _as_number(value: Any) -> float | None:
    """A numeric keyword's value; ``None`` if absent or not a number (``true`` is not)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _kind(schema: JsonObject) -> str:
    """The schema's one non-null type, inferring ``object``/``array`` from their keywords."""
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    concrete = [t for t in types if isinstance(t, str) and t != "null"]
    if concrete:
        return concrete[0]
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if types == ["null"]:
        return "null"
    return ""


def _nullable(schema: JsonObject, root: JsonObject) -> bool:
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        return True
    if schema.get("nullable") is True:  # OpenAPI 3.0
        return True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and any(
            _resolve(b, root).get("type") == "null" for b in branches
        ):
            return True
    return False


def _first_branch(schema: JsonObject, root: JsonObject) -> JsonObject | None:
    """The first non-null alternative of ``anyOf``/``oneOf``, when the schema has no type."""
    if schema.get("type") or "properties" in schema:
        return None
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            for branch in branches:
                resolved = _resolve(branch, root)
                if resolved.get("type") != "null":
                    return resolved
    return None


def _properties(schema: JsonObject, root: JsonObject) -> JsonObject:
    """``properties``, merged with those of any ``allOf`` parts (in order)."""
    merged: JsonObject = {}
    for part in _all_of(schema, root):
        properties = part.get("properties")
        if isinstance(properties, dict):
            merged.update(properties)
    return merged


def _required(schema: JsonObject, root: JsonObject) -> list[str]:
    names: list[str] = []
    for part in _all_of(schema, root):
        required = part.get("required")
        if isinstance(required, list):
            names += [n for n in required if isinstance(n, str) and n not in names]
    return names


def _all_of(schema: JsonObject, root: JsonObject) -> list[JsonObject]:
    parts = [schema]
    nested = schema.get("allOf")
    if isinstance(nested, list):
        parts += [_resolve(part, root) for part in nested]
    return parts


def _resolve(schema: Any, root: JsonObject) -> JsonObject:
    """Follow local ``$ref``s (``#/$defs/...``, ``#/definitions/...``); others become ``{}``.

    Keywords next to the ``$ref`` (2019-09 and later allow them) override the target's.
    """
    seen: set[str] = set()
    current: Any = schema
    while isinstance(current, dict) and isinstance(current.get("$ref"), str):
        ref = current["$ref"]
        if ref in seen or not ref.startswith("#"):
            return {k: v for k, v in current.items() if k != "$ref"}
        seen.add(ref)
        target = _pointer(root, ref[1:])
        siblings = {k: v for k, v in current.items() if k != "$ref"}
        current = {**target, **siblings} if isinstance(target, dict) else siblings
    return current if isinstance(current, dict) else {}


def _pointer(document: Any, pointer: str) -> Any:
    """RFC 6901: ``/a/b~1c`` walks ``document["a"]["b/c"]``; ``None`` where it leads nowhere."""
    current = document
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return None
    return current
