"""Account and action discovery in the editor: pick an account, complete actions, fill inputs.

``service`` fetches (off the UI thread, cached), ``model`` adapts what it found for Qt views,
``popup`` is the account picker, ``controls`` puts it all into a ``RequestEditor``, and
``agent_view`` shows the request as StackOne's agent SDK sends it.
"""

from explorer.ui.discovery.controls import ACCOUNT_SETTLE_MS, DiscoveryControls
from explorer.ui.discovery.service import (
    DiscoveryFailure,
    DiscoveryService,
    FetchJob,
    KeyLookup,
    describe_failure,
    quiet_key_lookup,
)

__all__ = [
    "ACCOUNT_SETTLE_MS",
    "DiscoveryControls",
    "DiscoveryFailure",
    "DiscoveryService",
    "FetchJob",
    "KeyLookup",
    "describe_failure",
    "quiet_key_lookup",
]
