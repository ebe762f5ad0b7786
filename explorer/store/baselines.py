"""Pinned baselines and ignore rules: "what did this action return when it worked?".

A support engineer pins a good response as the baseline of its action and account; later
responses are compared with it (``core.compare``). Per action, an ignore list names the
fields that change on every call (timestamps, request ids, cursors). Both live in the data
directory::

    baselines/
      ignore.json                                   {"actions": {action: {"body": [...], ...}}}
      bamboohr_list_employees--acct-1-<hash>.json   one pinned exchange

A baseline holds an exchange as the history does (secrets already hidden by
``core.secrets``), so pinning costs nothing new in privacy. To share one, ``export`` writes it
into a collection folder (``<collection>/baselines/``, which the collection loader ignores)
after the caller's ``clean`` function (the case export's rules: secrets and personal data)
has scrubbed it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.store.files import (
    StoreFileError,
    StoreFileMissing,
    dump_json,
    load_store_file,
    read_json,
    save_store_file,
    write_atomic,
)

if TYPE_CHECKING:
    # Imported where rules are made: the window builds this store at start-up, and the
    # comparison module (~5 ms) is needed only once a comparison or a rules file is.
    from explorer.core.compare import IgnoreRules
    from explorer.core.exchange import Exchange

FORMAT = "stackone-explorer-baseline"
IGNORE_FORMAT = "stackone-explorer-ignore-rules"
VERSION = 1
IGNORE_FILE = "ignore.json"
SHARED_FOLDER = "baselines"  # inside a collection folder
SUFFIX = ".baseline.json"


@dataclass(frozen=True)
class Baseline:
    """One pinned exchange and what it is the baseline of."""

    action: str
    account_id: str
    pinned_at: str
    exchange: Exchange

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "action": self.action,
            "account_id": self.account_id,
            "pinned_at": self.pinned_at,
            "exchange": self.exchange.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Baseline:
        """Raises: ValueError: not a baseline file (or from a newer explorer)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a StackOne Explorer baseline")
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise ValueError(f"baseline version {version!r} is newer than this explorer")
        action, account, pinned = data.get("action"), data.get("account_id"), data.get("pinned_at")
        if not isinstance(action, str) or not isinstance(account, str):
            raise ValueError("the baseline names no action and account")
        from explorer.core.exchange import Exchange  # with the first baseline, not at start-up

        return cls(
            action,
            account,
            pinned if isinstance(pinned, str) else "",
            Exchange.from_dict(data.get("exchange") or {}),
        )


def baseline_key(action: str, account_id: str) -> str:
    """The file stem for an action and account: readable, and unique by a short hash (two
    accounts may slugify alike)."""
    import hashlib  # OpenSSL's library: ~3 ms, for a file name nobody needs at start-up

    from explorer.store.collections import slugify  # the collections' modules: not at start-up

    digest = hashlib.sha256(f"{action}\n{account_id}".encode()).hexdigest()[:10]
    return f"{slugify(action)}--{slugify(account_id)}-{digest}"


class BaselineStore:
    """Baselines (one per action and account) and ignore rules (one list per action).

    Args:
        directory: ``AppPaths.baselines_dir``; created on the first save.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.load_error: str | None = None
        self._rules: dict[str, IgnoreRules] = {}
        self._rules_damaged = False
        self._load_rules()

    # -- baselines -----------------------------------------------------------------------

    def _path(self, action: str, account_id: str) -> Path:
        return self.directory / (baseline_key(action, account_id) + ".json")

    def pin(self, exchange: Exchange) -> Baseline:
        """Make ``exchange`` the baseline of its action and account, replacing any (the
        window asks before replacing one). Secrets must already be hidden (as in the history).

        Raises:
            StoreFileError: the disk refused the write.
            ValueError: the exchange got no response: there is nothing to compare with.
        """
        if exchange.response is None:
            raise ValueError("only a response can be a baseline; this exchange got none")
        request = exchange.request
        baseline = Baseline(
            request.action,
            request.account_id,
            datetime.now(UTC).isoformat(timespec="seconds"),
            exchange,
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomic(
            self._path(baseline.action, baseline.account_id), dump_json(baseline.to_dict())
        )
        return baseline

    def exists(self, action: str, account_id: str) -> bool:
        """Whether a baseline is pinned (a cheap check: the file is not read)."""
        return self._path(action, account_id).is_file()

    def shared_path(self, action: str, account_id: str, collection_root: Path) -> Path:
        """Where ``export`` writes the baseline in a collection folder."""
        name = baseline_key(action, account_id) + SUFFIX
        return Path(collection_root) / SHARED_FOLDER / name

    def get(self, action: str, account_id: str) -> Baseline | None:
        """The pinned baseline, or ``None`` (also for a damaged file: ``load_error`` says)."""
        path = self._path(action, account_id)
        try:
            return Baseline.from_dict(read_json(path))
        except StoreFileMissing:
            return None
        except (StoreFileError, ValueError) as exc:
            self.load_error = f"The baseline {path.name} could not be read: {exc}"
            return None

    def unpin(self, action: str, account_id: str) -> bool:
        """Remove a baseline; ``False`` when there was none."""
        try:
            self._path(action, account_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def list(self) -> list[Baseline]:
        """Every readable baseline, by action then account."""
        found = []
        for path in sorted(self.directory.glob("*--*.json")):
            try:
                found.append(Baseline.from_dict(read_json(path)))
            except (StoreFileError, ValueError):
                continue
        return sorted(found, key=lambda b: (b.action, b.account_id))

    def export(
        self,
        action: str,
        account_id: str,
        collection_root: Path,
        *,
        clean: Callable[[Exchange], Exchange],
    ) -> Path:
        """Write the baseline into ``collection_root/baselines/``, scrubbed by ``clean``.

        Raises:
            KeyError: there is no such baseline.
            StoreFileError: the disk refused the write.
        """
        baseline = self.get(action, account_id)
        if baseline is None:
            raise KeyError(f"no baseline is pinned for {action} on {account_id}")
        shared = Baseline(action, account_id, baseline.pinned_at, clean(baseline.exchange))
        target = self.shared_path(action, account_id, collection_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, dump_json(shared.to_dict()))
        return target

    # -- ignore rules --------------------------------------------------------------------

    def _load_rules(self) -> None:
        path = self.directory / IGNORE_FILE
        loaded = load_store_file(path)
        if loaded.missing:
            return
        if loaded.error is not None:
            self.load_error = str(loaded.error)
            self._rules_damaged = loaded.damaged
            return
        actions = loaded.data.get("actions")
        if not isinstance(actions, dict):
            self.load_error = f"{path} is not an ignore-rules file; it is kept as it is"
            self._rules_damaged = True
            return
        from explorer.core.compare import IgnoreRules

        for action, rules in actions.items():
            if isinstance(rules, dict):
                self._rules[str(action)] = IgnoreRules(
                    body=_strings(rules.get("body"), []),
                    headers=_strings(rules.get("headers"), IgnoreRules().headers),
                )

    def ignore_rules(self, action: str) -> IgnoreRules:
        """The action's rules (the default header list and no body fields until edited)."""
        from explorer.core.compare import IgnoreRules

        rules = self._rules.get(action)
        return IgnoreRules(list(rules.body), list(rules.headers)) if rules else IgnoreRules()

    def set_ignore_rules(self, action: str, rules: IgnoreRules) -> None:
        """Save the action's rules (a damaged file is kept aside as ``.corrupt`` first).

        Raises:
            StoreFileError: the disk refused the write.
        """
        self._rules[action] = replace(rules, body=list(rules.body), headers=list(rules.headers))
        document = {
            "format": IGNORE_FORMAT,
            "version": VERSION,
            "actions": {
                name: {"body": r.body, "headers": r.headers} for name, r in self._rules.items()
            },
        }
        save_store_file(
            self.directory / IGNORE_FILE, dump_json(document), damaged=self._rules_damaged
        )
        self._rules_damaged = False


def _strings(value: Any, default: list[str]) -> list[str]:
    if not isinstance(value, list):
        return list(default)
    return [item for item in value if isinstance(item, str)]
