"""Account and action discovery in the editor: pick an account, complete actions, fill inputs.

``service`` fetches (off the UI thread, cached), ``model`` adapts what it found for Qt views,
``popup`` is the account picker, ``controls`` puts it all into a ``RequestEditor``, and
``agent_view`` shows the request as StackOne's agent SDK sends it. ``buttons`` are the
controls' widgets, built with the editor: the controls come after the window's first paint,
so this package imports only the service (import ``controls`` from its module).
"""

from explorer.ui.discovery.service import (
    DiscoveryFailure,
    DiscoveryService,
    FetchJob,
    KeyLookup,
    describe_failure,
    import_discovery,
    quiet_key_lookup,
)

__all__ = [
    "DiscoveryFailure",
    "DiscoveryService",
    "FetchJob",
    "KeyLookup",
    "describe_failure",
    "import_discovery",
    "quiet_key_lookup",
]
