"""Postman Collection v2.1: export saved RPC requests, import the RPC calls of a collection.

Teams arrive with Postman collections and leave with them, so both directions matter. The
format is plain data here (no collection store, no files): the store adapts its own model to
``PostmanRequest`` and back.

Export writes every request as ``POST {{base_url}}/actions/rpc`` (or the request's own base URL
when it has one) with the ``x-account-id`` header and the RPC body as raw JSON. Authentication is
collection-level Basic with the username ``{{STACKONE_API_KEY}}``: a reference, never a key.
An expected status becomes a ``pm.test`` script, which import reads back. Postman has no
per-request timeout and drops fields it does not know, so a timeout other than the default
becomes the last line of the request's description ("Timeout: 15 s (StackOne RPC Explorer)"),
which Postman keeps and import reads back (and takes out of the description).

Import keeps what is an RPC call (a POST to ``.../actions/rpc`` whose raw JSON body names an
``action``) and lists everything else in ``skipped`` with the reason: nothing is dropped silently.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from explorer.core.errors import ExplorerError
from explorer.core.request import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    RPC_PATH,
    RpcRequest,
    parse_json,
)

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
API_KEY_VARIABLE = "STACKONE_API_KEY"
BASE_URL_VARIABLE = "base_url"
# The headers the explorer itself sets on every call: on import they carry nothing to keep.
_TRANSPORT_HEADERS = frozenset({"content-type", "accept", "user-agent", "authorization"})
_RPC_BODY_KEYS = frozenset(
    {"action", "path", "query", "headers", "body", "defender_config", "defender_enabled"}
)
_EXPECT = re.compile(r"pm\.response\.to\.have\.status\(\s*(\d{3})\s*\)")
_TIMEOUT_LINE = "Timeout: {} s (StackOne RPC Explorer)"
_TIMEOUT = re.compile(r"(?:\A|\n)[ \t]*Timeout: (\S+) s \(StackOne RPC Explorer\)[ \t]*\s*\Z")


class PostmanImportError(ExplorerError):
    """The file is not a Postman v2.0/v2.1 collection at all (nothing could be imported)."""


@dataclass
class PostmanRequest:
    """One saved request as Postman sees it. ``folder`` is ``""`` for the collection's top level."""

    name: str
    request: RpcRequest
    description: str = ""
    folder: str = ""
    expected_status: int | None = None


@dataclass
class Skipped:
    """An item that was not imported; ``name`` is its path in the Postman tree."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass
class PostmanImport:
    """What an import produced; ``warnings`` are details dropped from requests that were kept."""

    name: str
    description: str = ""
    requests: list[PostmanRequest] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- export ------------------------------------------------------------------------------


def to_postman(
    name: str,
    requests: Iterable[PostmanRequest],
    *,
    description: str = "",
    folders: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
    secrets: Iterable[str] = (),
    collection_id: str | None = None,
) -> dict[str, Any]:
    """A Postman v2.1 collection (a JSON-ready dict).

    Args:
        folders: folder order; folders not listed follow in order of first use.
        variables: the environment to carry along as collection variables.
        secrets: names of variables whose values must not leave the machine (whether or not
            they are in ``variables``): exported with an empty value for the recipient to set.
        collection_id: the collection's id, so exporting it again gives the same Postman id.
    """
    secret_names = set(secrets)
    items: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for folder in folders:
        if folder:
            groups.setdefault(folder, [])
    for saved in requests:
        item = _export_item(saved)
        if saved.folder:
            groups.setdefault(saved.folder, []).append(item)
        else:
            items.append(item)
    items += [{"name": folder, "item": children} for folder, children in groups.items()]

    exported_vars: list[dict[str, Any]] = [
        {
            "key": API_KEY_VARIABLE,
            "value": "",
            "type": "string",
            "description": "Your StackOne API key (Basic auth username). Set it locally.",
        }
    ]
    values = dict(variables or {})
    values.setdefault(BASE_URL_VARIABLE, DEFAULT_BASE_URL)
    for secret in secret_names:
        values.setdefault(secret, "")  # listed so the recipient sees what to set
    for key in sorted(values):
        if key == API_KEY_VARIABLE:
            continue
        entry: dict[str, Any] = {"key": key, "value": values[key], "type": "string"}
        if key in secret_names:
            entry["value"] = ""
            entry["description"] = "Secret: not exported. Set it locally."
        exported_vars.append(entry)

    info: dict[str, Any] = {
        "_postman_id": uuid_form(collection_id) if collection_id else str(uuid.uuid4()),
        "name": name,
        "schema": SCHEMA_URL,
    }
    if description:
        info["description"] = description
    return {
        "info": info,
        "item": items,
        "auth": {
            "type": "basic",
            "basic": [
                {"key": "username", "value": "{{" + API_KEY_VARIABLE + "}}", "type": "string"},
                {"key": "password", "value": "", "type": "string"},
            ],
        },
        "variable": exported_vars,
    }


def uuid_form(text: str) -> str:
    """Postman ids look like UUIDs; ours are 32 hex digits. Anything else stays as it is."""
    if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def _export_item(saved: PostmanRequest) -> dict[str, Any]:
    request = saved.request
    headers = []
    if request.account_id:
        headers.append({"key": "x-account-id", "value": request.account_id, "type": "text"})
    if request.connector_profile_id:
        headers.append(
            {"key": "x-connector-profile-id", "value": request.connector_profile_id, "type": "text"}
        )
    headers.append({"key": "Content-Type", "value": "application/json", "type": "text"})
    body = json.dumps(request.rpc_body(), indent=2, ensure_ascii=False)
    http: dict[str, Any] = {
        "method": "POST",
        "header": headers,
        "body": {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}},
        "url": _export_url(request),
    }
    description = saved.description
    if request.timeout != DEFAULT_TIMEOUT:
        seconds = request.timeout
        line = _TIMEOUT_LINE.format(int(seconds) if seconds.is_integer() else seconds)
        description = f"{description.rstrip()}\n\n{line}" if description.strip() else line
    if description:
        http["description"] = description
    item: dict[str, Any] = {"name": saved.name, "request": http, "response": []}
    if saved.expected_status is not None:
        status = saved.expected_status
        item["event"] = [
            {
                "listen": "test",
                "script": {
                    "type": "text/javascript",
                    "exec": [
                        f'pm.test("status is {status}", function () {{',
                        f"    pm.response.to.have.status({status});",
                        "});",
                    ],
                },
            }
        ]
    return item


def _export_url(request: RpcRequest) -> dict[str, Any]:
    """Postman's URL object. A default base URL becomes the ``{{base_url}}`` variable."""
    flags = [name for name in ("sync", "debug") if getattr(request, name)]
    query = [{"key": name, "value": "true"} for name in flags]
    suffix = ("?" + "&".join(f"{name}=true" for name in flags)) if flags else ""
    rpc_path = RPC_PATH.strip("/").split("/")
    base = request.base_url.rstrip("/")
    url: dict[str, Any]
    if base == DEFAULT_BASE_URL or base.startswith("{{"):
        host = "{{" + BASE_URL_VARIABLE + "}}" if base == DEFAULT_BASE_URL else base
        url = {"raw": host + RPC_PATH + suffix, "host": [host], "path": rpc_path}
    else:
        parts = urlsplit(base)
        url = {
            "raw": base + RPC_PATH + suffix,
            "protocol": parts.scheme,
            "host": (parts.hostname or "").split("."),
            "path": [p for p in parts.path.split("/") if p] + rpc_path,
        }
        if parts.port:
            url["port"] = str(parts.port)
    if query:
        url["query"] = query
    return url


# -- import ------------------------------------------------------------------------------


def from_postman(data: Any) -> PostmanImport:
    """Read a Postman v2.0/v2.1 collection (parsed JSON).

    Raises:
        PostmanImportError: ``data`` is not such a collection (e.g. a v1 export or an
            environment file).
    """
    if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
        raise PostmanImportError(
            "This is not a Postman collection: it has no 'info' section. Export the collection "
            "from Postman as 'Collection v2.1' and import that file."
        )
    schema = str(data["info"].get("schema", ""))
    if schema and "/v2." not in schema:
        raise PostmanImportError(
            f"This Postman collection uses an old format ({schema}). Open it in Postman and "
            "export it again as 'Collection v2.1'."
        )
    if not isinstance(data.get("item"), list):
        raise PostmanImportError("This Postman collection has no 'item' list to import.")

    result = PostmanImport(
        name=str(data["info"].get("name") or "Imported from Postman"),
        description=_text(data["info"].get("description")),
    )
    variables = data.get("variable")
    for var in variables if isinstance(variables, list) else []:
        if not isinstance(var, dict) or var.get("disabled") is True:
            continue
        key = str(var.get("key") or var.get("id") or "")
        value = var.get("value")
        if not key:
            continue
        if key == API_KEY_VARIABLE:
            if value:
                result.warnings.append(
                    f"The collection variable {key} holds a value; API keys are never "
                    "imported. Keep the key in a profile (it lives in the OS keyring)."
                )
            continue
        result.variables[key] = "" if value is None else str(value)
    _walk(data["item"], [], result)
    return result


def _walk(items: list[Any], trail: list[str], result: PostmanImport) -> None:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            result.skipped.append(Skipped(_label(trail, f"item {index + 1}"), "not an object"))
            continue
        name = str(item.get("name") or f"item {index + 1}")
        if isinstance(item.get("item"), list):
            _walk(item["item"], [*trail, name], result)
        elif "request" in item:
            try:
                saved = _import_request(item, name, result.warnings)
            except _NotRpc as exc:
                result.skipped.append(Skipped(_label(trail, name), str(exc)))
                continue
            saved.folder = " - ".join(trail)
            result.requests.append(saved)
        else:
            result.skipped.append(
                Skipped(_label(trail, name), "neither a request nor a folder (no 'request'/'item')")
            )


def _label(trail: list[str], name: str) -> str:
    return " / ".join([*trail, name])


class _NotRpc(Exception):
    """Why an item is not an RPC call (becomes a ``Skipped`` entry)."""


def _import_request(item: dict[str, Any], name: str, warnings: list[str]) -> PostmanRequest:
    http = item["request"]
    if isinstance(http, str):
        raise _NotRpc(f"a plain GET of {http}, not POST .../actions/rpc")
    if not isinstance(http, dict):
        raise _NotRpc("the request is not an object")
    raw_url, query = _rpc_url(http)
    rpc = _rpc_body(http)

    where = f"'{name}'"
    for key in sorted(set(rpc) - _RPC_BODY_KEYS):
        warnings.append(f"{where}: body field {key!r} is not part of an RPC call; dropped")
    fields: dict[str, Any] = {key: rpc[key] for key in _RPC_BODY_KEYS if key in rpc}
    for key, value in query:
        if key in ("sync", "debug"):
            fields[key] = value.lower() in ("true", "1")
        else:
            warnings.append(f"{where}: URL query parameter {key!r} dropped")
    _read_headers(http.get("header"), fields, warnings, where)
    fields["base_url"] = _base_url(raw_url)
    description = _text(http.get("description")) or _text(item.get("description"))
    description = _read_timeout(description, fields, warnings, where)
    return PostmanRequest(
        name=name,
        request=RpcRequest.from_dict(fields),
        description=description,
        expected_status=_expected_status(item.get("event")),
    )


def _rpc_url(http: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """(raw URL, query pairs) of a ``POST .../actions/rpc``; anything else is ``_NotRpc``."""
    method = str(http.get("method") or "GET").upper()
    try:
        raw_url, path, query = _read_url(http.get("url"))
    except ValueError as exc:  # e.g. https://[/actions/rpc
        raise _NotRpc(f"the URL is not valid ({exc})") from None
    if method != "POST" or not path.rstrip("/").endswith(RPC_PATH):
        raise _NotRpc(f"{method} {raw_url or '(no URL)'} is not POST .../actions/rpc")
    return raw_url, query


def _rpc_body(http: dict[str, Any]) -> dict[str, Any]:
    """The raw JSON body with its ``action``; anything else is ``_NotRpc``."""
    body = http.get("body")
    if not isinstance(body, dict) or body.get("mode") != "raw":
        mode = body.get("mode") if isinstance(body, dict) else None
        raise _NotRpc(f"the body is {mode or 'missing'}, not raw JSON with an 'action'")
    try:
        rpc = parse_json(str(body.get("raw") or ""))
    except json.JSONDecodeError as exc:
        raise _NotRpc(
            f"the body is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(rpc, dict) or not isinstance(rpc.get("action"), str) or not rpc["action"]:
        raise _NotRpc("the JSON body has no 'action' string, so it is not an RPC call")
    return rpc


def _read_headers(raw: Any, fields: dict[str, Any], warnings: list[str], where: str) -> None:
    """The two id headers into ``fields``; every other header is dropped, with a warning
    unless it only concerns the transport."""
    for key, value in _headers(raw):
        lower = key.lower()
        if lower == "x-account-id":
            fields["account_id"] = value
        elif lower == "x-connector-profile-id":
            fields["connector_profile_id"] = value
        elif lower == "authorization" and "{{" not in value:
            warnings.append(f"{where}: a literal Authorization header was not imported")
        elif lower not in _TRANSPORT_HEADERS:
            warnings.append(
                f"{where}: HTTP header {key!r} dropped (provider headers go in the "
                "RPC 'headers' object)"
            )


def _base_url(raw_url: str) -> str:
    """The part before ``/actions/rpc``; StackOne's own for ``{{baseUrl}}`` or nothing."""
    base = raw_url.split("?", 1)[0]
    base = base[: base.rstrip("/").rfind(RPC_PATH)] if RPC_PATH in base else base
    return DEFAULT_BASE_URL if base in ("", "{{" + BASE_URL_VARIABLE + "}}") else base


def _read_timeout(description: str, fields: dict[str, Any], warnings: list[str], where: str) -> str:
    """The timeout our export writes into the description, into ``fields``; returns the
    description without it (kept whole when the timeout is not usable)."""
    match = _TIMEOUT.search(description)
    if not match:
        return description
    try:
        seconds = float(match.group(1))
    except ValueError:
        seconds = math.nan
    if math.isfinite(seconds) and seconds > 0:
        fields["timeout"] = min(seconds, MAX_TIMEOUT)
        return description[: match.start()].rstrip()
    warnings.append(
        f"{where}: the timeout in the description is not a positive number of "
        f"seconds; the default ({DEFAULT_TIMEOUT:g} s) is used"
    )
    return description


def _read_url(url: Any) -> tuple[str, str, list[tuple[str, str]]]:
    """(raw URL, path, query pairs) from Postman's string-or-object URL."""
    if isinstance(url, str):
        raw = url
        # urlsplit needs a scheme to find the path; {{host}} variables have none.
        parts = urlsplit(raw if "://" in raw else "http://" + raw)
        return raw, parts.path, parse_qsl(parts.query)
    if not isinstance(url, dict):
        return "", "", []
    path_value = url.get("path")
    if isinstance(path_value, list):
        path = "/" + "/".join(str(p) for p in path_value)
    elif isinstance(path_value, str):
        path = "/" + path_value.lstrip("/")
    else:
        path = ""
    raw = str(url.get("raw") or "")
    if not raw:
        host = url.get("host")
        host_text = ".".join(str(h) for h in host) if isinstance(host, list) else str(host or "")
        protocol = url.get("protocol")
        raw = (f"{protocol}://" if protocol else "") + host_text + path
    if not path:
        path = _read_url(raw)[1]
    query: list[tuple[str, str]] = []
    if isinstance(url.get("query"), list):
        for entry in url["query"]:
            if isinstance(entry, dict) and entry.get("disabled") is not True and entry.get("key"):
                query.append((str(entry["key"]), str(entry.get("value") or "")))
    else:
        query = _read_url(raw)[2]
    return raw, path, query


def _headers(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str):
        pairs = [line.split(":", 1) for line in value.splitlines() if ":" in line]
        return [(k.strip(), v.strip()) for k, v in pairs]
    if not isinstance(value, list):
        return []
    return [
        (str(h["key"]), str(h.get("value") or ""))
        for h in value
        if isinstance(h, dict) and h.get("key") and h.get("disabled") is not True
    ]


def _text(value: Any) -> str:
    """Postman descriptions are a string or ``{"content": ..., "type": ...}``."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else ""


def _expected_status(events: Any) -> int | None:
    if not isinstance(events, list):
        return None
    for event in events:
        if not isinstance(event, dict) or event.get("listen") != "test":
            continue
        script = event.get("script")
        lines = script.get("exec") if isinstance(script, dict) else None
        text = (
            "\n".join(str(line) for line in lines) if isinstance(lines, list) else str(lines or "")
        )
        match = _EXPECT.search(text)
        if match:
            return int(match.group(1))
    return None
