"""Account and action discovery in the editor: pick an account, complete actions, fill inputs.

``service`` fetches (off the UI thread, cached), ``results`` is what it answers with (a
failure worded for the user, an action search's matches), ``model`` adapts what it found for
Qt views, ``popup`` is the account picker, ``controls`` puts it all into a ``RequestEditor``,
and ``agent_view`` shows the request as StackOne's agent SDK sends it. ``buttons`` are the
controls' widgets, built with the editor: the controls come after the window's first paint,
so this package imports only the service (import ``controls`` and ``results`` from their
modules: ``results``' dataclasses are made after the first paint too).
"""

from explorer.ui.discovery.service import (
    DiscoveryService,
    FetchJob,
    KeyLookup,
    import_discovery,
    quiet_key_lookup,
)

__all__ = [
    "DiscoveryService",
    "FetchJob",
    "KeyLookup",
    "import_discovery",
    "quiet_key_lookup",
]
