"""The demo's endpoints, one module per part of StackOne's API, and the table that finds them.

=================================  ==========  =====================================
Path                               Methods     Module
=================================  ==========  =====================================
``/actions/rpc``                   POST        ``rpc``
``/accounts``                      GET         ``accounts``
``/actions``                       GET         ``catalogue``
``/actions/search``                POST        ``catalogue``
``/requests/logs``                 GET         ``logs``
``/requests/logs/steps``           GET         ``logs``
``/requests/logs/{id}``            GET         ``logs``
``/requests/platform-logs``        GET         ``logs``
``/mcp``                           POST, DELETE  ``mcp`` (MCP streamable HTTP)
=================================  ==========  =====================================
"""

from __future__ import annotations

import re

from explorer.demo.routes import accounts, catalogue, logs, mcp, rpc
from explorer.demo.routes.context import Endpoint

# (path pattern, {method: endpoint}); the first pattern that matches wins, so fixed paths come
# before the ``{id}`` they would otherwise match.
ROUTES: tuple[tuple[re.Pattern[str], dict[str, Endpoint]], ...] = (
    (re.compile(r"/actions/rpc"), {"POST": rpc.call_action}),
    (re.compile(r"/accounts"), {"GET": accounts.list_accounts}),
    (re.compile(r"/actions"), {"GET": catalogue.list_actions}),
    (re.compile(r"/actions/search"), {"POST": catalogue.search_actions}),
    (re.compile(r"/requests/logs"), {"GET": logs.list_logs}),
    (re.compile(r"/requests/logs/steps"), {"GET": logs.list_steps}),
    (re.compile(r"/requests/logs/(?P<id>[^/]+)"), {"GET": logs.get_log}),
    (re.compile(r"/requests/platform-logs"), {"GET": logs.list_platform_logs}),
    (re.compile(r"/mcp"), {"POST": mcp.post, "DELETE": mcp.delete}),
)


def resolve(path: str) -> tuple[dict[str, Endpoint], dict[str, str]] | None:
    """The endpoints of ``path`` by method, and the parameters its pattern captured."""
    for pattern, methods in ROUTES:
        match = pattern.fullmatch(path)
        if match:
            return methods, match.groupdict()
    return None
