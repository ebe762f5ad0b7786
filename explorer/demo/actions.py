"""The demo's action catalogue and what each action does.

``ACTIONS`` is the one table of actions: adding an action is one ``ActionSpec`` entry plus its
handler (a plain paged list is one ``_paged_list`` entry, with no handler of its own).
``GET /actions``, ``DEMO_ACTIONS`` and ``POST /actions/rpc`` all read that table.

A handler receives a ``Call`` (the validated RPC request and its account) and returns a
``Reply``, or raises ``ApiError`` for a StackOne error response. ``explorer.demo.execution``
wraps every handler with what StackOne adds around any action.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from explorer.demo.accounts import ACCOUNTS, Account
from explorer.demo.provider_calls import ProviderCall, provider_headers
from explorer.demo.records import (
    DRIVE_FILES,
    EMPLOYEES,
    DemoFile,
    employees_for,
    hibob_person,
    notes_for,
)

JsonObject = dict[str, Any]

MAX_PAGE_SIZE = 100
MAX_REPORT_SECONDS = 120.0
BAMBOOHR_API = "https://api.bamboohr.com/api/gateway.php/acmedemo/v1"
GREENHOUSE_API = "https://harvest.greenhouse.io/v1"
DRIVE_API = "https://www.googleapis.com/drive/v3"
WORKDAY_API = "https://wd2-impl-services1.workday.com/ccx/api/v1/acme_demo"


class ApiError(Exception):
    """An error response in StackOne's envelope (``statusCode``, ``message``, ``timestamp``)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        provider_errors: list[JsonObject] | None = None,
        data: JsonObject | None = None,
        headers: dict[str, str] | None = None,
        calls: list[ProviderCall] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.provider_errors = provider_errors
        self.data = data
        self.headers = headers or {}
        # What was sent to the provider before failing (request logs); ``None``: derive it.
        self.calls = calls


class RequestAborted(Exception):
    """The server is stopping or the client went away: send nothing, close the connection."""


class Runtime(Protocol):
    """What a handler may ask of the server for the request it is serving."""

    slow_seconds: float
    action_timeout: float

    def sleep(self, seconds: float) -> None:
        """Wait, raising ``RequestAborted`` early if the server stops or the client leaves."""

    def next_candidate_id(self) -> int:
        """A fresh id for a created record (unique per server)."""

    def hibob_wait(self) -> int | None:
        """Seconds the caller must still wait under HiBob's demo rate limit, or ``None``."""


@dataclass
class Call:
    """One validated RPC call, as a handler sees it."""

    action: str
    account: Account
    runtime: Runtime
    path: JsonObject = field(default_factory=dict)
    query: JsonObject = field(default_factory=dict)
    headers: JsonObject = field(default_factory=dict)
    body: JsonObject = field(default_factory=dict)


@dataclass
class Reply:
    """A handler's success: JSON ``data`` (+ ``next`` cursor for lists) or a file."""

    data: Any = None
    next: str | None = None
    file: DemoFile | None = None
    provider_url: str = ""
    # The provider calls behind this answer (request logs); ``None``: one call to provider_url.
    calls: list[ProviderCall] | None = None


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class ActionSpec:
    """One action of the catalogue.

    ``lists`` marks actions that return a collection: only those accept ``sync=true``.
    ``input_schema`` is the JSON Schema of the RPC body's ``path``/``query``/``body`` parts,
    served in ``operation_details`` by ``GET /actions?include=operation_details`` (or the docs'
    ``include=action_details``) and as the MCP tool's ``inputSchema``.
    """

    name: str
    connector: str
    label: str
    description: str
    handler: Handler
    provider_method: str
    provider_url: str
    input_schema: JsonObject
    lists: bool = False
    tags: tuple[str, ...] = ()
    required_scopes: tuple[str, ...] = ()
    provider_ms: int = 120

    @property
    def resource(self) -> str:
        """What the action works on, as request logs name it: ``employees``, ``candidate``..."""
        words = self.name.removeprefix(self.connector + "_").split("_")
        return "_".join(words[1:]) or self.name

    def to_json(self, *, details: bool) -> JsonObject:
        """The action item of ``GET /actions``; ``id`` is the name ``/actions/rpc`` takes."""
        item: JsonObject = {
            "id": self.name,
            "label": self.label,
            "description": self.description,
            "schema_type": "native",
            "tags": list(self.tags),
            "required_scopes": list(self.required_scopes),
        }
        if details:
            # The TypeScript SDK's name for the block; what is inside is not modelled there
            # (a free-form record), so the demo says what a schema filler needs.
            item["operation_details"] = {
                "method": self.provider_method,
                "input_schema": self.input_schema,
            }
        return item


# -- input helpers ------------------------------------------------------------------------


def _obj(properties: JsonObject, required: list[str] | None = None) -> JsonObject:
    schema: JsonObject = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


_PAGING = {
    "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 10},
    "next": {"type": ["string", "null"], "description": "The `next` cursor of the last page."},
}


def _page_size(call: Call, default: int = 10) -> int:
    value = call.query.get("page_size", default)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ApiError(
            400, f"query.page_size must be an integer between 1 and {MAX_PAGE_SIZE}, got {value!r}"
        )
    return value


def encode_cursor(offset: int) -> str:
    raw = json.dumps({"offset": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: Any, total: int) -> int:
    bad = ApiError(
        400,
        f"Invalid cursor {cursor!r} in query.next: pass the `next` value of the previous page "
        "unchanged, or leave it out for the first page",
    )
    if not isinstance(cursor, str) or not cursor:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["offset"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise bad from None
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= total:
        raise bad
    return offset


def _page(call: Call, records: list[Any], provider_url: str) -> Reply:
    size = _page_size(call)
    cursor = call.query.get("next")
    start = 0 if cursor is None else _decode_cursor(cursor, len(records))
    end = start + size
    return Reply(
        data=records[start:end],
        next=encode_cursor(end) if end < len(records) else None,
        provider_url=provider_url,
    )


def _paged_list(
    name: str,
    connector: str,
    label: str,
    description: str,
    records: Callable[[Call], list[Any]],
    provider_url: str,
    *,
    tags: tuple[str, ...],
    required_scopes: tuple[str, ...],
) -> ActionSpec:
    """A read-only list action: ``records(call)`` a page at a time, fetched as ``GET provider_url``.

    Every such action takes the same input (``query.page_size`` and ``query.next``) and pages
    the same way, so only what differs is written in the catalogue.
    """
    return ActionSpec(
        name,
        connector,
        label,
        description,
        lambda call: _page(call, records(call), provider_url),
        "GET",
        provider_url,
        _obj({"query": _obj(_PAGING)}),
        lists=True,
        tags=tags,
        required_scopes=required_scopes,
    )


def _required_path_id(call: Call) -> str:
    value = call.path.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(
            400,
            f'path.id is required for {call.action}: send it as "path": {{"id": "..."}}',
        )
    return value.strip()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- handlers -------------------------------------------------------------------------------


def _get_employee(call: Call) -> Reply:
    employee_id = _required_path_id(call)
    url = f"{BAMBOOHR_API}/employees/{employee_id}"
    employee = next((e for e in employees_for(call.account.id) if e["id"] == employee_id), None)
    if employee is None:
        raise ApiError(
            404,
            f"Employee {employee_id} not found in BambooHR",
            provider_errors=[
                {
                    "status": 404,
                    "url": url,
                    "raw": {"error": "Not Found", "message": f"Employee {employee_id} not found"},
                    "headers": {"content-type": "application/json"},
                }
            ],
        )
    return Reply(data=employee, provider_url=url)


def _generate_report(call: Call) -> Reply:
    seconds = call.body.get("seconds", call.runtime.slow_seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise ApiError(400, f"body.seconds must be a number of seconds >= 0, got {seconds!r}")
    seconds = min(float(seconds), MAX_REPORT_SECONDS)
    timeout = call.runtime.action_timeout
    if seconds > timeout:
        call.runtime.sleep(timeout)
        url = f"{BAMBOOHR_API}/reports/custom?format=JSON"
        raise ApiError(
            408,
            f"Request timed out: {call.action} took longer than {timeout:g} s. Retry later.",
            headers={"Retry-After": str(max(1, math.ceil(timeout)))},
            # StackOne gave up waiting: the provider call has no answer to log.
            calls=[
                ProviderCall(
                    "POST", url, None, int(timeout * 1000), provider_headers(url), call.body
                )
            ],
        )
    call.runtime.sleep(seconds)
    return Reply(
        data={
            "report_id": "rpt_headcount_by_department",
            "title": "Headcount by department",
            "status": "complete",
            "generated_in_seconds": seconds,
            "rows": [
                {"department": dept, "headcount": sum(e["department"] == dept for e in EMPLOYEES)}
                for dept in sorted({e["department"] for e in EMPLOYEES})
            ],
        },
        provider_url=f"{BAMBOOHR_API}/reports/custom?format=JSON",
    )


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMAIL_TYPES = ("personal", "work", "other")


def _candidate_problems(body: JsonObject) -> list[tuple[str, str]]:
    problems = []
    for name in ("first_name", "last_name"):
        value = body.get(name)
        if value is None:
            problems.append((name, f"{name} is required"))
        elif not isinstance(value, str) or not value.strip():
            problems.append((name, f"{name} must be a non-empty string"))
    emails = body.get("emails")
    if emails is not None:
        if not isinstance(emails, list):
            problems.append(("emails", "emails must be a list of {value, type} objects"))
        else:
            for i, email in enumerate(emails):
                where = f"emails[{i}]"
                if not isinstance(email, dict):
                    problems.append((where, f"{where} must be an object {{value, type}}"))
                    continue
                value = email.get("value")
                if not isinstance(value, str) or not _EMAIL.match(value):
                    problems.append((f"{where}.value", f"{where}.value must be an email address"))
                if email.get("type") not in _EMAIL_TYPES:
                    problems.append(
                        (f"{where}.type", f"{where}.type must be one of {', '.join(_EMAIL_TYPES)}")
                    )
    return problems


def _create_candidate(call: Call) -> Reply:
    url = f"{GREENHOUSE_API}/candidates"
    problems = _candidate_problems(call.body)
    if problems:
        raise ApiError(
            422,
            f"Greenhouse rejected the candidate: {'; '.join(m for _, m in problems)}",
            provider_errors=[
                {
                    "status": 422,
                    "url": url,
                    "raw": {"message": "Validation error", "field": name, "error": message},
                    "headers": {"content-type": "application/json"},
                }
                for name, message in problems
            ],
        )
    now = _now()
    candidate = {
        "id": str(call.runtime.next_candidate_id()),
        "first_name": call.body["first_name"].strip(),
        "last_name": call.body["last_name"].strip(),
        "emails": call.body.get("emails") or [],
        "created_at": now,
        "updated_at": now,
    }
    return Reply(data=candidate, provider_url=url)


def _search_employees(call: Call) -> Reply:
    url = "https://api.hibob.com/v1/people/search"
    wait = call.runtime.hibob_wait()
    if wait is not None:
        raise ApiError(
            429,
            f"Too many requests: HiBob is rate limiting this account. Retry after {wait} s.",
            headers={"Retry-After": str(wait)},
            provider_errors=[
                {
                    "status": 429,
                    "url": url,
                    "raw": {"error": "Too Many Requests"},
                    "headers": {"retry-after": str(wait)},
                }
            ],
        )
    term = call.body.get("query")
    if term is not None and not isinstance(term, str):
        raise ApiError(400, "body.query must be a string (a name, title or department)")
    people = [hibob_person(e) for e in employees_for(call.account.id)]
    if term:
        needle = term.casefold()
        people = [
            p
            for p in people
            if needle in p["displayName"].casefold()
            or needle in p["work"]["title"].casefold()
            or needle in p["work"]["department"].casefold()
        ]
    return Reply(data=people, provider_url=url)


def _download_file(call: Call) -> Reply:
    file_id = _required_path_id(call)
    url = f"{DRIVE_API}/files/{file_id}?alt=media"
    demo_file = DRIVE_FILES.get(file_id)
    if demo_file is None:
        raise ApiError(
            404,
            f"File {file_id} not found in Google Drive",
            provider_errors=[
                {
                    "status": 404,
                    "url": url,
                    "raw": {"error": {"code": 404, "message": f"File not found: {file_id}."}},
                }
            ],
        )
    meta_url = f"{DRIVE_API}/files/{file_id}?fields=id,name,mimeType,size"
    return Reply(
        file=demo_file,
        provider_url=url,
        calls=[
            ProviderCall(
                "GET",
                meta_url,
                200,
                95,
                provider_headers(meta_url),
                response_headers={"content-type": "application/json"},
                response_body=demo_file.to_json(),
            ),
            ProviderCall(
                "GET",
                url,
                200,
                310,
                provider_headers(url),
                response_headers={"content-type": demo_file.mime_type},
                response_body=f"<{len(demo_file.content)} bytes of {demo_file.mime_type}>",
            ),
        ],
    )


def _drive_files(call: Call) -> list[Any]:
    return [f.to_json() for f in DRIVE_FILES.values()]


def _list_drive_files(call: Call) -> Reply:
    """The drive's files; the log shows Google's expired-token 401 and StackOne's refresh."""
    url = f"{DRIVE_API}/files"
    reply = _page(call, _drive_files(call), url)
    token_url = "https://oauth2.googleapis.com/token"
    expired = {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials.",
            "status": "UNAUTHENTICATED",
        }
    }
    json_type = {"content-type": "application/json"}
    reply.calls = [
        ProviderCall("GET", url, 401, 64, provider_headers(url), None, json_type, expired),
        ProviderCall(
            "POST",
            token_url,
            200,
            133,
            {"content-type": "application/x-www-form-urlencoded"},
            "grant_type=refresh_token&refresh_token=<refresh token of the linked account>",
            json_type,
            {"access_token": "<new access token>", "expires_in": 3599, "token_type": "Bearer"},
        ),
        ProviderCall(
            "GET", url, 200, 188, provider_headers(url), None, json_type, {"files": reply.data}
        ),
    ]
    return reply


def _list_workers(call: Call) -> Reply:
    url = f"{WORKDAY_API}/workers?limit=20"
    down = {
        "error": "Service Unavailable",
        "message": "The tenant acme_demo is unavailable during scheduled maintenance.",
    }
    headers = {"content-type": "application/json", "retry-after": "120"}
    # StackOne retries a provider's 503 once before giving up: two failed steps in the log.
    attempts = [
        ProviderCall("GET", url, 503, ms, provider_headers(url), None, headers, down)
        for ms in (840, 1210)
    ]
    raise ApiError(
        502,
        "Workday returned an error: Service Unavailable. The provider failed; retry later.",
        provider_errors=[
            {
                "status": 503,
                "url": f"{WORKDAY_API}/workers?limit=20",
                "raw": {
                    "error": "Service Unavailable",
                    "message": "The tenant acme_demo is unavailable during scheduled maintenance.",
                },
                "headers": {"content-type": "application/json", "retry-after": "120"},
            }
        ],
        calls=attempts,
    )


# -- the catalogue ----------------------------------------------------------------------------

_PATH_ID = {"path": _obj({"id": {"type": "string"}}, ["id"])}

ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        _paged_list(
            "bamboohr_list_employees",
            "bamboohr",
            "List Employees",
            "List the 23 demo employees, a page at a time (query.page_size, query.next).",
            lambda call: employees_for(call.account.id),
            f"{BAMBOOHR_API}/employees/directory",
            tags=("employees", "read"),
            required_scopes=("hris.employees:read",),
        ),
        ActionSpec(
            "bamboohr_get_employee",
            "bamboohr",
            "Get Employee",
            "One employee by path.id (40001-40023); an unknown id gives 404 with provider errors.",
            _get_employee,
            "GET",
            f"{BAMBOOHR_API}/employees/{{id}}",
            _obj(_PATH_ID, ["path"]),
            tags=("employees", "read"),
            required_scopes=("hris.employees:read",),
        ),
        _paged_list(
            "bamboohr_list_employee_notes",
            "bamboohr",
            "List Employee Notes",
            "Employee notes; one holds a prompt injection that Defender flags (or blocks).",
            lambda call: notes_for(call.account.id),
            f"{BAMBOOHR_API}/employees/notes",
            tags=("employees", "notes", "read"),
            required_scopes=("hris.employees:read",),
        ),
        ActionSpec(
            "bamboohr_generate_report",
            "bamboohr",
            "Generate Report",
            "A slow report: answers after body.seconds (default 10 s) to try Cancel and timeouts.",
            _generate_report,
            "POST",
            f"{BAMBOOHR_API}/reports/custom",
            _obj(
                {
                    "body": _obj(
                        {"seconds": {"type": "number", "minimum": 0, "maximum": MAX_REPORT_SECONDS}}
                    )
                }
            ),
            tags=("reports",),
            required_scopes=("hris.reports:read",),
            provider_ms=10_000,
        ),
        ActionSpec(
            "greenhouse_create_candidate",
            "greenhouse",
            "Create Candidate",
            "Create a candidate from body {first_name, last_name, emails}; bad input gives 422.",
            _create_candidate,
            "POST",
            f"{GREENHOUSE_API}/candidates",
            _obj(
                {
                    "body": _obj(
                        {
                            "first_name": {"type": "string", "minLength": 1},
                            "last_name": {"type": "string", "minLength": 1},
                            "emails": {
                                "type": "array",
                                "items": _obj(
                                    {
                                        "value": {"type": "string", "format": "email"},
                                        "type": {"enum": list(_EMAIL_TYPES)},
                                    },
                                    ["value", "type"],
                                ),
                            },
                        },
                        ["first_name", "last_name"],
                    )
                },
                ["body"],
            ),
            tags=("candidates", "write"),
            required_scopes=("ats.candidates:write",),
        ),
        ActionSpec(
            "hibob_search_employees",
            "hibob",
            "Search Employees",
            "Search people by body.query; the first call of each cycle is rate limited (429).",
            _search_employees,
            "POST",
            "https://api.hibob.com/v1/people/search",
            _obj({"body": _obj({"query": {"type": "string"}})}),
            lists=True,
            tags=("employees", "read"),
            required_scopes=("hris.employees:read",),
        ),
        ActionSpec(
            "google_drive_list_files",
            "google_drive",
            "List Files",
            "The files of the demo drive, with the ids documents_download_file takes.",
            _list_drive_files,
            "GET",
            f"{DRIVE_API}/files",
            _obj({"query": _obj(_PAGING)}),
            lists=True,
            tags=("files", "read"),
            required_scopes=("documents.files:read",),
        ),
        ActionSpec(
            "documents_download_file",
            "google_drive",
            "Download File",
            "Download a file by path.id (e.g. file_q1_overview): raw bytes, not JSON.",
            _download_file,
            "GET",
            f"{DRIVE_API}/files/{{id}}?alt=media",
            _obj(_PATH_ID, ["path"]),
            tags=("files", "download"),
            required_scopes=("documents.files:read",),
        ),
        ActionSpec(
            "workday_list_workers",
            "workday",
            "List Workers",
            "Always fails upstream: 502 with Workday's 503 in provider_errors.",
            _list_workers,
            "GET",
            f"{WORKDAY_API}/workers",
            _obj({"query": _obj(_PAGING)}),
            lists=True,
            tags=("employees", "read"),
            required_scopes=("hris.employees:read",),
        ),
    )
}


def actions_for(connector: str) -> list[ActionSpec]:
    return [spec for spec in ACTIONS.values() if spec.connector == connector]


# The demo account to run each action against: what the UI pre-fills when one is picked.
DEMO_ACTION_ACCOUNTS: dict[str, str] = {
    spec.name: next(
        a.id for a in ACCOUNTS.values() if a.provider == spec.connector and a.status == "active"
    )
    for spec in ACTIONS.values()
}

# (name, one-line description) of every demo action, for the UI's action picker.
DEMO_ACTIONS: list[tuple[str, str]] = [(s.name, s.description) for s in ACTIONS.values()]
