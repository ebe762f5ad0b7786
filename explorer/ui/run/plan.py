"""What a run of a collection (or one folder of it) will send, before the profile is known.

The window adds the profile and its key when the run starts; the plan holds the rest: the
saved requests in order and the active environment's values, secrets read from the keyring.
No Qt here: it is plain data and one function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.core.errors import ExplorerError
from explorer.store.collections import CollectionStore, LoadProblem, SavedRequest


@dataclass
class RunPlan:
    """What to run and with which values: everything but the profile and key (the window's).

    Attributes:
        title: "Smoke" or "Smoke / Employees", for the dialog title.
        secrets: values of secret variables; masked in results, scrubbed from history.
    """

    title: str
    store: CollectionStore
    requests: list[SavedRequest]
    environment: str = ""
    values: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


def plan_run(
    store: CollectionStore, folder: str | None, environment: str, *, folder_title: str = ""
) -> tuple[RunPlan | None, str]:
    """A run of ``store`` (or of one ``folder``) with ``environment``'s values when the
    collection defines it, and a note for the user ("" for none). No plan when there is
    nothing to run; a secret that cannot be read leaves its requests unresolved, as on the
    command line."""
    collection = store.collection
    if folder is None:
        requests, title = collection.requests(), collection.name
    else:
        found = collection.folder(folder)
        requests = list(found.requests) if found else []
        title = f"{collection.name} / {folder or folder_title}"
    if not requests:
        return None, f"'{title}' has no saved requests to run."
    env = collection.environments.get(environment)
    values: dict[str, str] = {}
    note = ""
    if env is not None:
        try:
            values = store.environment_values(environment)
        except ExplorerError as exc:
            note = f"Secret variables of '{environment}' could not be read: {exc}"
            values = dict(env.variables)
    secrets = [values[s] for s in env.secrets if values.get(s)] if env else []
    plan = RunPlan(
        title=title,
        store=store,
        requests=list(requests),
        environment=environment if env is not None else "",
        values=values,
        secrets=secrets,
        problems=list(store.problems) if folder is None else [],
    )
    return plan, note
