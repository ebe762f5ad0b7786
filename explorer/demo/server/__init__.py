"""The demo server: HTTP handling (``handler``), limits and the ``DemoServer`` life cycle.

The endpoints themselves are ``explorer.demo.routes``.
"""

from explorer.demo.routes.context import error_body
from explorer.demo.server.demo_server import (
    COMPRESS_MIN_BYTES,
    DEMO_ACCOUNT_ID,
    DEMO_ACTIONS_ONLY_KEY,
    DEMO_API_KEY,
    EXAMPLE_REQUEST,
    INCLUDE_VALUES,
    RATE_LIMIT_PER_MINUTE,
    DemoServer,
)

__all__ = [
    "COMPRESS_MIN_BYTES",
    "DEMO_ACCOUNT_ID",
    "DEMO_ACTIONS_ONLY_KEY",
    "DEMO_API_KEY",
    "EXAMPLE_REQUEST",
    "INCLUDE_VALUES",
    "RATE_LIMIT_PER_MINUTE",
    "DemoServer",
    "error_body",
]
