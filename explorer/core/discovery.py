"""What a project holds: its linked accounts (``GET /accounts``) and its action catalogue
(``GET /actions``), read into plain data for the account picker, action autocompletion and
request skeletons.

Both endpoints go through ``RpcClient.send_http``, so a listing is cancelled, times out and
fails exactly like an RPC call: transport problems raise the ``TransportError`` family, and an
HTTP error status raises ``RemoteError`` whose ``response`` the UI shows like any RPC error.

Readers are tolerant on purpose: StackOne's documentation and its guides disagree on some shapes
(a bare array or ``{"data": [...]}``), and a picker that shows an account with a missing label
is more use than one that refuses the whole list.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypedDict, TypeVar, Unpack

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.errors import InvalidRequest, Issue
from explorer.core.request import base_url_problem

if TYPE_CHECKING:
    import httpx  # imported where a request is built: see explorer.core.client

    from explorer.core.response import RpcResponse

JsonObject = dict[str, Any]

# Discovery answers are small and quick; a user waiting on a picker should not wait a minute.
DEFAULT_TIMEOUT = 30.0
# Upper bound on pages fetched per listing, so a server that never stops paging (or repeats
# the same page) cannot keep a worker busy forever.
MAX_PAGES = 50
# The largest page GET /accounts accepts.
ACCOUNTS_PAGE_SIZE = 100
# ``GET /actions?include=`` values that add input schemas: the docs' first, then the
# TypeScript SDK's (4.28.0 allows only that one). Read in either field of an action.
INCLUDE_VALUES = ("action_details", "operation_details")
DETAIL_FIELDS = ("operation_details", "action_details")

_T = TypeVar("_T")


class Listing(list[_T]):
    """A list of what the server returned, plus whether it is all of it.

    ``complete`` is ``False`` when paging stopped at ``MAX_PAGES`` or the server repeated a
    cursor: the UI can say "showing the first N" instead of pretending the list is whole.
    """

    complete: bool

    def __init__(self, items: Iterable[_T] = (), *, complete: bool = True) -> None:
        super().__init__(items)
        self.complete = complete


def _text(data: JsonObject, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else str(item) for item in value if item is not None]


@dataclass(frozen=True)
class StatusReason:
    """Why an account is not active, e.g. ``credentials_revoked``."""

    code: str = ""
    description: str = ""
    timestamp: str = ""

    @classmethod
    def from_json(cls, data: Any) -> StatusReason:
        if not isinstance(data, dict):
            return cls(description=str(data))
        return cls(
            code=_text(data, "code"),
            description=_text(data, "description"),
            timestamp=_text(data, "timestamp"),
        )


@dataclass
class Account:
    """One linked account of ``GET /accounts``; ``id`` is what ``x-account-id`` takes."""

    id: str
    provider: str = ""
    provider_name: str = ""
    origin_owner_id: str = ""
    origin_owner_name: str = ""
    origin_username: str = ""
    label: str = ""
    status: str = ""
    status_reasons: list[StatusReason] = field(default_factory=list)
    type: str = ""
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_json(cls, data: Any) -> Account | None:
        """``None`` for an item without an id: it cannot be picked, so it is not listed."""
        if not isinstance(data, dict):
            return None
        account_id = _text(data, "id").strip()
        if not account_id:
            return None
        reasons = data.get("status_reasons")
        return cls(
            id=account_id,
            provider=_text(data, "provider"),
            provider_name=_text(data, "provider_name"),
            origin_owner_id=_text(data, "origin_owner_id"),
            origin_owner_name=_text(data, "origin_owner_name"),
            origin_username=_text(data, "origin_username"),
            label=_text(data, "label"),
            status=_text(data, "status"),
            status_reasons=[StatusReason.from_json(r) for r in reasons]
            if isinstance(reasons, list)
            else [],
            type=_text(data, "type"),
            created_at=_text(data, "created_at"),
            updated_at=_text(data, "updated_at"),
        )

    @property
    def usable(self) -> bool:
        """Only active accounts run actions; the others answer 412 until reconnected."""
        return self.status.lower() == "active"

    def title(self) -> str:
        """The name a person recognises: the label, else the origin user, else the id."""
        return self.label or self.origin_username or self.id

    def describe(self) -> str:
        """One line for a picker, e.g. ``Acme - BambooHR (BambooHR, suspended) acct_1``."""
        facts = [self.provider_name or self.provider]
        if self.status and not self.usable:
            facts.append(self.status)
        if self.type and self.type.upper() != "PRODUCTION":
            facts.append(self.type.lower())
        inside = ", ".join(f for f in facts if f)
        title = self.title()
        line = f"{title} ({inside})" if inside else title
        return line if title == self.id else f"{line} {self.id}"


@dataclass
class ActionInfo:
    """One action of the catalogue; ``name`` is what ``/actions/rpc`` takes as ``action``.

    ``input_schema`` is the JSON Schema of the action's input when the listing asked for
    details (see ``explorer.core.skeleton``); ``details`` keeps the whole
    ``operation_details``/``action_details`` object because its other fields are not documented.
    """

    name: str
    label: str = ""
    description: str = ""
    connector_key: str = ""
    connector_name: str = ""
    schema_type: str = ""
    tags: list[str] = field(default_factory=list)
    required_scopes: list[str] = field(default_factory=list)
    input_schema: JsonObject | None = None
    details: JsonObject | None = None

    @classmethod
    def from_json(
        cls, data: Any, *, connector_key: str = "", connector_name: str = ""
    ) -> ActionInfo | None:
        """``None`` for an item without an id: there would be nothing to send."""
        if not isinstance(data, dict):
            return None
        name = _text(data, "id").strip() or _text(data, "name").strip()
        if not name:
            return None
        details = _details(data)
        return cls(
            name=name,
            label=_text(data, "label"),
            description=_text(data, "description"),
            connector_key=connector_key,
            connector_name=connector_name,
            schema_type=_text(data, "schema_type"),
            tags=_strings(data.get("tags")),
            required_scopes=_strings(data.get("required_scopes")),
            input_schema=_input_schema(details),
            details=details,
        )

    def matches(self, text: str) -> bool:
        """Whether every word of ``text`` appears in the name, label, description or connector.

        Word by word, case-insensitive: "bamboo list" finds ``bamboohr_list_employees``.
        """
        haystack = " ".join(
            (self.name, self.label, self.description, self.connector_key, self.connector_name)
        ).casefold()
        return all(word in haystack for word in text.casefold().split())


def _details(action: JsonObject) -> JsonObject | None:
    """The action's details block under either name the sources use.

    StackOne's TypeScript SDK (generated from its OpenAPI) reads ``operation_details``; the
    docs say ``action_details``. Whichever holds an object wins, the SDK's first.
    """
    for key in DETAIL_FIELDS:
        details = action.get(key)
        if isinstance(details, dict):
            return details
    return None


def _input_schema(details: JsonObject | None) -> JsonObject | None:
    """The input schema inside the details block.

    The demo (and StackOne's MCP ``tools/list``) use ``input_schema``/``inputSchema``; the
    public docs only say "the action's parameter schema", so ``parameters`` is read too.
    """
    if details is None:
        return None
    for key in ("input_schema", "inputSchema", "parameters"):
        schema = details.get(key)
        if isinstance(schema, dict):
            return schema
    return None


@dataclass
class ConnectorInfo:
    """One connector of ``GET /actions`` (``ConnectorMeta``) with its actions."""

    key: str
    name: str = ""
    description: str = ""
    icon: str = ""
    version: str = ""
    release_stage: str = ""
    categories: list[str] = field(default_factory=list)
    actions: list[ActionInfo] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> ConnectorInfo | None:
        if not isinstance(data, dict):
            return None
        key = _text(data, "key")
        name = _text(data, "name")
        raw_actions = data.get("actions")
        actions = [
            ActionInfo.from_json(item, connector_key=key, connector_name=name)
            for item in (raw_actions if isinstance(raw_actions, list) else [])
        ]
        return cls(
            key=key,
            name=name,
            description=_text(data, "description"),
            icon=_text(data, "icon"),
            version=_text(data, "version"),
            release_stage=_text(data, "release_stage"),
            categories=_strings(data.get("categories")),
            actions=[a for a in actions if a is not None],
        )


def _names(value: str | Sequence[str] | None) -> list[str]:
    """A filter given as one string or several, without blanks (a lone str is one name)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def check_base_url(base_url: str) -> str:
    """The root to list from, held to the same rules as the base URL of an RPC call.

    Sharing ``base_url_problem`` keeps the two paths from disagreeing: a URL the request
    editor refuses (credentials in it, the RPC path pasted whole) is refused here too,
    before the API key is sent anywhere.
    """
    if problem := base_url_problem(base_url):
        raise InvalidRequest([Issue("base_url", problem)])
    return base_url.strip().rstrip("/")


class ServiceClient:
    """A client of one of StackOne's other endpoints (discovery, MCP) over an ``RpcClient``.

    Pass the app's ``RpcClient`` to share its transport and TLS settings, or ``transport``
    (e.g. ``httpx.MockTransport``) to get a private one that ``close()`` closes. Like
    ``RpcClient``, one instance may be used from several threads; give each call its own
    ``CancelToken``.

    Args:
        timeout: seconds each request may take.
        max_pages: how many pages a listing follows before it reports itself incomplete.
    """

    def __init__(
        self,
        client: RpcClient | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        verify: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        max_pages: int = MAX_PAGES,
    ) -> None:
        if client is not None and transport is not None:
            raise ValueError("pass either an RpcClient or a transport, not both")
        self._owns_client = client is None
        self._client = client or RpcClient(transport=transport, verify=verify)
        self.timeout = timeout
        self.max_pages = max(1, max_pages)

    def close(self) -> None:
        """Close the private client; a shared ``RpcClient`` stays open for its owner."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ServiceOptions(TypedDict, total=False):
    """``ServiceClient``'s keywords, for the subclasses that add to its constructor."""

    transport: httpx.BaseTransport | None
    verify: bool
    timeout: float
    max_pages: int


class CatalogueQuery(TypedDict, total=False):
    """``list_connectors``' filters that ``list_actions`` passes on."""

    account_id: str | None
    connectors: str | Sequence[str] | None
    include_details: bool
    search: str | None
    cancel: CancelToken | None


class DiscoveryClient(ServiceClient):
    """Lists accounts and actions, sharing an ``RpcClient``'s connection settings."""

    def __init__(self, client: RpcClient | None = None, **options: Unpack[ServiceOptions]) -> None:
        super().__init__(client, **options)
        # Base URL -> the ``include`` value that brought details there, for this run.
        self._includes: dict[str, str] = {}
        self._includes_lock = threading.Lock()

    def include_for(self, base_url: str) -> str | None:
        """The ``include`` value that worked at ``base_url`` so far, if any."""
        with self._includes_lock:
            return self._includes.get(base_url.strip().rstrip("/"))

    # -- GET /accounts ----------------------------------------------------------------------
    def list_accounts(
        self,
        base_url: str,
        api_key: str,
        *,
        providers: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        page_size: int = ACCOUNTS_PAGE_SIZE,
        cancel: CancelToken | None = None,
    ) -> Listing[Account]:
        """Every linked account of the key's project, following ``page`` until a short page.

        Accepts a bare JSON array (the spec) and ``{"data": [...]}`` (one of the guides).
        Filters are sent as repeated parameters (``providers=a&providers=b``).

        Raises:
            InvalidRequest: ``base_url`` is not an http(s) URL (nothing is sent).
            TransportError: no complete response arrived (including ``Cancelled``).
            RemoteError: StackOne answered an error status; ``.response`` holds it.
        """
        root = check_base_url(base_url)
        page_size = max(1, page_size)
        params: list[tuple[str, str]] = [("providers", p) for p in _names(providers)]
        params += [("status", s) for s in _names(status)]
        accounts: list[Account] = []
        seen: set[str] = set()
        for page in range(1, self.max_pages + 1):
            page_params = [*params, ("page", str(page)), ("page_size", str(page_size))]
            body = self._get(root, "/accounts", page_params, api_key, cancel)
            items = body.get("data") if isinstance(body, dict) else body
            if not isinstance(items, list):
                raise errors.BadResponse(
                    root, "GET /accounts answered neither a JSON array nor {data: [...]}"
                )
            fresh = [
                a for a in (Account.from_json(item) for item in items) if a and a.id not in seen
            ]
            accounts += fresh
            seen.update(a.id for a in fresh)
            # A short page is the last; a page with nothing new means the server ignores
            # ``page`` and would repeat itself forever.
            if len(items) < page_size or not fresh:
                return Listing(accounts)
        return Listing(accounts, complete=False)

    # -- GET /actions -----------------------------------------------------------------------
    def list_connectors(
        self,
        base_url: str,
        api_key: str,
        *,
        account_id: str | None = None,
        connectors: str | Sequence[str] | None = None,
        include_details: bool = True,
        search: str | None = None,
        page_size: int | None = None,
        cancel: CancelToken | None = None,
    ) -> Listing[ConnectorInfo]:
        """The catalogue grouped by connector, following ``next`` until it is null.

        ``account_id`` keeps the connectors of that linked account; ``page_size`` counts
        connectors and is left to the server's default (25) unless given.

        ``include_details`` asks for the input schemas skeletons are built from. The sources
        disagree on how: the docs' ``include=action_details`` is tried first; a 400 about
        ``include``, or a non-empty catalogue whose actions carry no details, tries the
        TypeScript SDK's ``include=operation_details``. What worked is remembered per base
        URL for the life of this client, so later listings ask once.

        Raises:
            InvalidRequest: ``base_url`` is not an http(s) URL (nothing is sent).
            TransportError: no complete response arrived (including ``Cancelled``).
            RemoteError: StackOne answered an error status; ``.response`` holds it.
        """
        root = check_base_url(base_url)
        params = _catalogue_params(account_id, connectors, search, page_size)
        if not include_details:
            return self._catalogue(root, params, api_key, cancel)
        remembered = self.include_for(root)
        values = [remembered] if remembered else []
        values += [v for v in INCLUDE_VALUES if v != remembered]
        for attempt, value in enumerate(values, start=1):
            last = attempt == len(values)
            try:
                listing = self._catalogue(root, [*params, ("include", value)], api_key, cancel)
            except errors.RemoteError as exc:
                if last or not _refuses_include(exc):
                    raise
                continue
            details = _has_details(listing)
            if details is False and not last:
                continue  # the server ignored this include value
            if details:
                with self._includes_lock:
                    self._includes[root] = value
            return listing
        raise AssertionError("unreachable: the last include value returns or raises")

    def _catalogue(
        self,
        root: str,
        params: list[tuple[str, str]],
        api_key: str,
        cancel: CancelToken | None,
    ) -> Listing[ConnectorInfo]:
        """Every page of ``GET /actions`` with ``params``, following ``next``."""
        items, complete = get_pages(
            self._client, root, "/actions", params, api_key, cancel, self.timeout, self.max_pages
        )
        found = [c for c in (ConnectorInfo.from_json(item) for item in items) if c]
        return Listing(found, complete=complete)

    def list_actions(
        self, base_url: str, api_key: str, **query: Unpack[CatalogueQuery]
    ) -> Listing[ActionInfo]:
        """Every action of ``list_connectors``, flattened, each knowing its connector; the
        same keywords but ``page_size``.

        Raises:
            The same as ``list_connectors``.
        """
        listing = self.list_connectors(base_url, api_key, **query)
        return Listing(_flatten(listing), complete=listing.complete)

    # -- one request ------------------------------------------------------------------------
    def _get(
        self,
        root: str,
        path: str,
        params: list[tuple[str, str]],
        api_key: str,
        cancel: CancelToken | None,
    ) -> Any:
        """GET one page and return its parsed JSON body."""
        return get_json(self._client, root, path, params, api_key, cancel, self.timeout)


def get_json(
    client: RpcClient,
    root: str,
    path: str,
    params: list[tuple[str, str]],
    api_key: str,
    cancel: CancelToken | None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Any:
    """GET ``root + path`` with StackOne's auth and return the parsed JSON body.

    Raises:
        TransportError: no complete response arrived (including ``Cancelled``).
        RemoteError: StackOne answered an error status; ``.response`` holds it.
        BadResponse: the answer is not JSON.
    """
    import httpx

    from explorer.core.wire import service_headers  # as httpx: where a request is built

    request = httpx.Request(
        "GET",
        root + path,
        params=[(name, value) for name, value in params],  # widened for httpx's types
        headers=service_headers(api_key),
    )
    response = client.send_http(request, base_url=root, timeout=timeout, cancel=cancel)
    response.raise_for_error()
    return _json_body(response, root, path)


def get_pages(
    client: RpcClient,
    root: str,
    path: str,
    params: list[tuple[str, str]],
    api_key: str,
    cancel: CancelToken | None,
    timeout: float,
    max_pages: int,
) -> tuple[list[Any], bool]:
    """The items of every page of ``GET root + path``, following ``next`` until it is null;
    and whether that was all (not cut at ``max_pages`` or by a server going round in circles).

    Raises:
        The same as ``get_json``; ``BadResponse`` also for a page without a ``data`` list.
    """
    items: list[Any] = []
    cursors: set[str] = set()
    cursor: str | None = None
    for _ in range(max_pages):
        page = params + ([("next", cursor)] if cursor else [])
        body = get_json(client, root, path, page, api_key, cancel, timeout)
        data = body.get("data") if isinstance(body, dict) else body
        if not isinstance(data, list):
            raise errors.BadResponse(root, f"GET {path} answered no {{data: [...]}} list")
        items += data
        cursor = _next_cursor(body)
        if cursor is None:
            return items, True
        if cursor in cursors:  # the server is going round in circles
            return items, False
        cursors.add(cursor)
    return items, False


def _json_body(response: RpcResponse, root: str, path: str) -> Any:
    if response.kind != "json":
        shown = response.content_type or "no content type"
        raise errors.BadResponse(root, f"GET {path} answered {shown}, not JSON")
    return response.json


def _catalogue_params(
    account_id: str | None,
    connectors: str | Sequence[str] | None,
    search: str | None,
    page_size: int | None,
) -> list[tuple[str, str]]:
    """``GET /actions``'s query for ``list_connectors``' filters (blank ones are left out)."""
    params: list[tuple[str, str]] = []
    if names := _names(connectors):
        params.append(("filter[connectors]", ",".join(names)))
    if account_id and account_id.strip():
        params.append(("filter[account_ids]", account_id.strip()))
    if search and search.strip():
        params.append(("search", search.strip()))
    if page_size is not None:
        params.append(("page_size", str(max(1, page_size))))
    return params


def _refuses_include(error: errors.RemoteError) -> bool:
    """A 400 whose message is about ``include``: the server does not know that value."""
    response = error.response
    if response.status != 400:
        return False
    message = response.error.message if response.error is not None else ""
    return "include" in f"{message} {error}".lower()


def _has_details(connectors: Iterable[ConnectorInfo]) -> bool | None:
    """Whether any action came with details; ``None`` for a catalogue with no actions."""
    actions = [a for c in connectors for a in c.actions]
    if not actions:
        return None
    return any(a.details is not None for a in actions)


def _next_cursor(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    cursor = body.get("next", body.get("next_cursor"))
    if cursor is None or cursor == "":
        return None
    return str(cursor)


def _flatten(connectors: Iterable[ConnectorInfo]) -> Iterator[ActionInfo]:
    """Each action once, in catalogue order (a connector listed twice adds nothing new)."""
    seen: set[str] = set()
    for connector in connectors:
        for action in connector.actions:
            if action.name not in seen:
                seen.add(action.name)
                yield action
