"""``GET /accounts``: the project's linked accounts, a bare JSON array paged by ``page``.

As the TypeScript SDK sends it: ``providers``, ``account_ids``, ``status`` (repeated, or
comma-separated, or with ``[]``), ``origin_owner_id``, ``page`` (from 1) and ``page_size``
(default 25, at most 100). ``status`` is an open enum, so any status string filters.
"""

from __future__ import annotations

from explorer.demo.accounts import ACCOUNTS
from explorer.demo.routes.context import Answer, DemoRequest, int_param, list_param

DEFAULT_PAGE_SIZE = 25


def list_accounts(request: DemoRequest) -> Answer:
    request.demo.check_rate(request.api_key)
    params = request.params
    providers = list_param(params, "providers") + list_param(params, "provider")
    account_ids = list_param(params, "account_ids")
    statuses = {s.lower() for s in list_param(params, "status")}
    owners = list_param(params, "origin_owner_id") + list_param(params, "origin_owner_ids")
    page = int_param(params, "page", 1, minimum=1)
    page_size = int_param(params, "page_size", DEFAULT_PAGE_SIZE, minimum=1, maximum=100)
    items = [
        a.to_json()
        for a in ACCOUNTS.values()
        if (not providers or a.provider in providers)
        and (not account_ids or a.id in account_ids)
        and (not statuses or a.status.lower() in statuses)
        and (not owners or a.origin_owner_id in owners)
    ]
    start = (page - 1) * page_size
    return Answer.json(200, items[start : start + page_size])
