"""Validate bodies against the bundled OpenAPI contract of ``POST /actions/rpc``.

The spec is OpenAPI 3.1 in form but uses 3.0's ``nullable: true``; this module turns it into
plain JSON Schema (draft 2020-12) that ``jsonschema`` checks:

- ``$ref: '#/components/schemas/X'`` is inlined (the spec has no cycles);
- ``nullable: true`` becomes ``anyOf: [<schema>, {type: null}]``;
- the 200 response's ``oneOf`` lists a bare id string where a schema belongs (an artefact of the
  published document). It is read as "any JSON object that is not a synced response", so a
  body carrying ``datasync`` must be a valid ``ActionsSyncedResponse`` and ``oneOf`` stays exact;
- ``format: date-time`` is checked (``datetime.fromisoformat``), examples are dropped.

Statuses the spec does not list (412, 405, 413...) are checked against the common error
envelope. Every error body must also carry its own status as ``statusCode``.

Usage::

    from tests.spec_schema import validate_response
    validate_response(response.status_code, response.json())   # raises ValidationError
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SPEC_PATH = Path(__file__).resolve().parents[1] / "resources" / "spec" / "actions-rpc.openapi.yaml"
RPC_OPERATION = ("/actions/rpc", "post")

# What the bare-string artefact in the 200 ``oneOf`` stands for.
PLAIN_RESULT = {"type": "object", "not": {"required": ["datasync"]}}
_COMBINERS = ("oneOf", "anyOf", "allOf")
_DROPPED = ("nullable", "example", "examples")

_format_checker = jsonschema.FormatChecker()


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return True


_format_checker.checks("date-time", raises=ValueError)(_is_date_time)


@functools.cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.safe_load(handle)
    return spec


def schema_fields(name: str) -> set[str]:
    """The property names of component schema ``name`` (e.g. ``ActionsSyncedDatasync``)."""
    return set(load_spec()["components"]["schemas"][name]["properties"])


def _resolve(ref: str) -> Any:
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return load_spec()["components"]["schemas"][ref[len(prefix) :]]


def to_json_schema(node: Any) -> Any:
    """The JSON Schema equivalent of an OpenAPI schema object (see the module docstring)."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return to_json_schema(_resolve(node["$ref"]))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key in _COMBINERS:
            out[key] = [
                PLAIN_RESULT if isinstance(item, str) else to_json_schema(item) for item in value
            ]
        elif key == "properties":
            out[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        elif isinstance(value, dict | list) and key not in ("required", "enum"):
            out[key] = to_json_schema(value)
        else:
            out[key] = value
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _operation() -> dict[str, Any]:
    path, method = RPC_OPERATION
    operation: dict[str, Any] = load_spec()["paths"][path][method]
    return operation


@functools.cache
def response_schema(status: int) -> dict[str, Any]:
    """The JSON Schema for a ``POST /actions/rpc`` response body with ``status``."""
    responses = _operation()["responses"]
    entry = responses.get(str(status))
    if entry is None:
        if status < 400:
            raise KeyError(f"the spec defines no {status} response for POST /actions/rpc")
        entry = responses["404"]  # the plain envelope: statusCode, message, timestamp
    schema: dict[str, Any] = to_json_schema(entry["content"]["application/json"]["schema"])
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@functools.cache
def request_schema() -> dict[str, Any]:
    """The JSON Schema of ``ActionsRpcRequestDto`` (the RPC request body)."""
    schema = _operation()["requestBody"]["content"]["application/json"]["schema"]
    result: dict[str, Any] = to_json_schema(schema)
    return result


def _validate(instance: Any, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=_format_checker).validate(instance)


def validate_response(status: int, body: Any) -> None:
    """Raise ``jsonschema.ValidationError`` unless the spec allows ``body`` for ``status``."""
    _validate(body, response_schema(status))
    if status >= 400 and body.get("statusCode") != status:
        raise jsonschema.ValidationError(
            f"statusCode {body.get('statusCode')!r} does not match the HTTP status {status}"
        )


def validate_request(body: Any) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``body`` is a valid ``ActionsRpcRequestDto``."""
    _validate(body, request_schema())
