"""What a run will send, decided before anything is sent: one plan for the window and the CLI.

A plan is the saved requests to run (a whole collection, one folder, or the ones named) in
the collection's order, and the values of their ``{{variables}}``: the chosen environment's
(only the secrets those requests use are read from the keyring), overridden by values given
from outside (the command line's ``--var`` and ``STACKONE_VAR_*``). Where the requests go and
with which key (the profile) is the caller's: the window's chosen profile, the command line's
``--profile`` or ``--base-url``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from explorer.core.errors import ExplorerError
from explorer.run.environment import read_environment, secrets_to_read, variables_of
from explorer.store.collections import (
    Collection,
    CollectionStore,
    LoadProblem,
    SavedRequest,
    requests_named,
)


class SetupError(ExplorerError):
    """The run cannot start; the message says what to fix (the command line's exit status 2).
    Nothing has been sent."""


@dataclass
class RunPlan:
    """What to run and with which values.

    Attributes:
        title: "Smoke" or "Smoke / Employees": what the run is called on screen.
        environment: the environment whose values are used ("" for none).
        values: every variable's value, secrets included (never shown or written).
        secrets: the values to hide wherever results go (masked in results and reports,
            scrubbed from the history): the secret variables read and every value given.
        problems: request files of the collection that could not be loaded (a whole
            collection's run reports them).
        given: the names whose values were given from outside the environment.
        unreadable: secret variables the requests use whose values could not be read, and
            ``keyring_error`` why; their requests end unresolved.
        secrets_read: whether the keyring has been read for the secret variables (see
            ``read_secrets``).
    """

    title: str
    store: CollectionStore
    requests: list[SavedRequest]
    environment: str = ""
    values: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    keyring_error: str = ""
    secrets_read: bool = False

    def target_values(self) -> dict[str, str]:
        """The values to judge the run's targets by before anything is sent (the production
        guard): a variable a capture will set (and no value given from outside overrides)
        stays ``{{name}}``, so an account id taken from a response counts as unknown, and
        unknown counts as production."""
        captured = {c.name for saved in self.requests for c in saved.captures}
        later = {name: "{{" + name + "}}" for name in captured if name not in self.given}
        return {**self.values, **later}


def plan_run(
    store: CollectionStore,
    *,
    folder: str | None = None,
    folder_title: str = "",
    only: Sequence[str] = (),
    environment: str = "",
    given: Mapping[str, str] | None = None,
    secrets: bool = True,
) -> RunPlan:
    """The plan for running ``store``'s collection: every request, those of one ``folder``
    (shown as ``folder_title`` when its name is empty: the top level), or those named in
    ``only`` (see ``Collection.find``), with ``environment``'s values and the ``given`` ones
    over them.

    The secret variables the requests use are read from the keyring unless ``secrets`` is
    false: then the plan has only the plain values until ``read_secrets`` (the window plans
    on its UI thread and reads the keyring on another).

    Raises:
        SetupError: nothing to run, or no such environment.
        CollectionError: a name in ``only`` matches no request.
    """
    collection = store.collection
    requests, title = _chosen(collection, folder, folder_title, only)
    if not requests:
        raise SetupError(f"'{title}' has no saved requests to run.")
    if environment and environment not in collection.environments:
        known = ", ".join(sorted(collection.environments)) or "none defined"
        raise SetupError(
            f"The collection has no environment called {environment!r} (environments: {known})."
        )
    given = dict(given or {})
    plain = collection.environments[environment].variables if environment else {}
    plan = RunPlan(
        title=title,
        store=store,
        requests=requests,
        environment=environment,
        values={**plain, **given},
        secrets=[v for v in given.values() if v],
        problems=list(store.problems) if folder is None else [],
        given=sorted(given),
    )
    return read_secrets(plan) if secrets else plan


def reads_keyring(plan: RunPlan) -> bool:
    """Whether ``read_secrets`` would ask the keyring: the plan's requests use secret
    variables it was not given."""
    environment = plan.store.collection.environments.get(plan.environment)
    if plan.secrets_read or environment is None:
        return False
    needed = variables_of(saved.request for saved in plan.requests)
    return bool(secrets_to_read(environment, needed=needed, skip=plan.given))


def read_secrets(plan: RunPlan) -> RunPlan:
    """A copy of ``plan`` with the values of the secret variables its requests use, read
    from the keyring (none the plan was given), and what could not be read. May block on the
    keyring."""
    given = {name: plan.values[name] for name in plan.given}
    read = read_environment(
        plan.store,
        plan.environment,
        needed=variables_of(saved.request for saved in plan.requests),
        skip=given.keys(),
    )
    return replace(
        plan,
        values={**read.values, **given},
        secrets=[*read.secrets, *(v for v in given.values() if v)],
        unreadable=read.unreadable,
        keyring_error=read.error,
        secrets_read=True,
    )


def _chosen(
    collection: Collection, folder: str | None, folder_title: str, only: Sequence[str]
) -> tuple[list[SavedRequest], str]:
    if folder is not None:
        found = collection.folder(folder)
        requests = list(found.requests) if found else []
        return requests, f"{collection.name} / {folder or folder_title}"
    if only:
        return requests_named(collection, _only_names(only, collection)), collection.name
    return list(collection.requests()), collection.name


def _only_names(values: Sequence[str], collection: Collection) -> list[str]:
    """The request names of the ``--only`` values: each value is one name when a request has
    it (names may contain commas), else a comma-separated list of names."""
    names: list[str] = []
    for value in values:
        if collection.find(value):
            names.append(value)
        else:
            names += [name.strip() for name in value.split(",") if name.strip()]
    return names
