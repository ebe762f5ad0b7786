"""An environment's values for ``{{variables}}``, secrets read from the OS keyring.

The one reader for the window's Send, its collection runs and ``stackone-explorer run``. It
reads only the secrets the caller needs (the requests' own variables) and none the caller
already has from elsewhere, so a machine without a keyring can still send every request that
uses no secret. When the keyring cannot be read, the plain variables are still returned and the
failure is reported as data: the requests that need a secret then report it as unresolved
instead of failing obscurely, and each caller says so in its own words.

Reading the keyring can block (a locked Secret Service asks for a password): the window calls
this off the UI thread.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from explorer.core.errors import ExplorerError
from explorer.core.request import RpcRequest
from explorer.core.variables import find_variables
from explorer.store.collections import CollectionStore, Environment


@dataclass
class EnvironmentValues:
    """What ``read_environment`` found.

    Attributes:
        values: the plain variables and every secret that could be read.
        secrets: the values of the secret variables read: hidden in results and reports,
            scrubbed from the history.
        unreadable: the secret names that were wanted but could not be read.
        error: why they could not be read ("" when nothing went wrong).
    """

    values: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    error: str = ""


def read_environment(
    store: CollectionStore,
    name: str,
    *,
    needed: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> EnvironmentValues:
    """The values of environment ``name`` of ``store`` (nothing for no or an unknown name).

    Args:
        needed: the variable names the requests to send use; secrets outside it are not
            read (``None``: read them all).
        skip: names whose values the caller has from elsewhere (``--var``); never read.
    """
    environment = store.collection.environments.get(name) if name else None
    if environment is None:
        return EnvironmentValues()
    wanted = secrets_to_read(environment, needed=needed, skip=skip)
    try:
        values = store.environment_values(
            name, skip=[s for s in environment.secrets if s not in wanted]
        )
    except ExplorerError as exc:
        return EnvironmentValues(dict(environment.variables), [], wanted, str(exc))
    secrets = [values[s] for s in environment.secrets if values.get(s)]
    return EnvironmentValues(values, secrets)


def secrets_to_read(
    environment: Environment,
    *,
    needed: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> list[str]:
    """The secret names ``read_environment`` reads from the keyring for these arguments:
    none means the keyring is not asked at all."""
    return [s for s in environment.secrets if s not in skip and (needed is None or s in needed)]


def variables_of(requests: Iterable[RpcRequest]) -> set[str]:
    """Every ``{{variable}}`` name the requests use."""
    names: set[str] = set()
    for request in requests:
        names |= find_variables(request)
    return names
