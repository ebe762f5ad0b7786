"""Connection profiles: a name, a base URL and a default account, never the API key.

The key of profile ``name`` lives in the OS keyring under that name (``credentials.py``), so
the profiles file can be shared or backed up without leaking anything. Renaming or deleting
a profile must therefore move or delete its key too: ``credentials.move_secret`` does that.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core.request import DEFAULT_BASE_URL
from explorer.store.files import dump_json, load_store_file, save_store_file

FORMAT = "stackone-explorer-profiles"
FORMAT_VERSION = 1


@dataclass
class Profile:
    """Where requests go and which linked account they use by default."""

    name: str
    base_url: str = DEFAULT_BASE_URL
    account_id: str = ""  # default x-account-id for new requests

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "base_url": self.base_url, "account_id": self.account_id}

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """Tolerant reader: wrong types fall back to defaults; a missing name is an error.

        Raises:
            ValueError: ``data`` is not an object with a non-empty ``name``.
        """
        if not isinstance(data, dict):
            raise ValueError("a profile must be a JSON object")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a profile needs a non-empty name")
        base_url = data.get("base_url")
        account_id = data.get("account_id")
        return cls(
            name=name.strip(),
            base_url=base_url.strip()
            if isinstance(base_url, str) and base_url.strip()
            else DEFAULT_BASE_URL,
            account_id=account_id.strip() if isinstance(account_id, str) else "",
        )


def _key(name: str) -> str:
    # Names compare without case: Windows Credential Manager, which holds the keys there,
    # treats "Prod" and "prod" as the same entry.
    return name.strip().casefold()


class ProfileStore:
    """The list of profiles in ``profiles.json``, in the order the user created them.

    Attributes:
        path: the profiles file.
        load_error: why (part of) the file could not be used, else ``None``.

    Transient profiles (``add_transient``) are listed and found like the others but never
    written: ``--demo`` points one at a server that only lives for this run, and a saved copy
    would be a dead profile at the next start.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.load_error: str | None = None
        self._profiles: list[Profile] = []
        self._transient: list[Profile] = []
        self._damaged = False
        loaded = load_store_file(self.path)
        if loaded.error is not None:
            if loaded.damaged:
                self._fail(f"The profiles file could not be read: {loaded.error}.")
            else:
                self.load_error = f"The profiles file could not be read: {loaded.error}."
            return
        raw = loaded.data.get("profiles", [] if loaded.missing else None)
        if not isinstance(raw, list):
            self._fail(f"The profiles file {self.path} has no list of profiles.")
            return
        skipped: list[str] = []
        for index, item in enumerate(raw, start=1):
            try:
                profile = Profile.from_dict(item)
            except ValueError as exc:
                skipped.append(f"#{index} ({exc})")
                continue
            if self.get(profile.name) is not None:
                skipped.append(f"#{index} (duplicate name {profile.name!r})")
                continue
            self._profiles.append(profile)
        if skipped:
            self._damaged = True
            self.load_error = (
                f"Some profiles in {self.path} were skipped: {', '.join(skipped)}. "
                f"The original file will be kept as {self.path.name}.corrupt."
            )

    def _fail(self, reason: str) -> None:
        self._damaged = True
        self.load_error = (
            f"{reason} No profiles are loaded; the damaged file will be kept as "
            f"{self.path.name}.corrupt when profiles are next saved."
        )

    def list(self) -> builtins.list[Profile]:
        """Copies of the profiles, in insertion order, transient ones last (edit, then
        ``upsert``)."""
        return [Profile(**p.to_dict()) for p in (*self._profiles, *self._transient)]

    def names(self) -> builtins.list[str]:
        return [p.name for p in (*self._profiles, *self._transient)]

    def get(self, name: str) -> Profile | None:
        """The profile called ``name`` (ignoring case and surrounding spaces), or ``None``."""
        key = _key(name)
        for profile in (*self._profiles, *self._transient):
            if _key(profile.name) == key:
                return Profile(**profile.to_dict())
        return None

    def add_transient(self, profile: Profile) -> Profile:
        """Add a profile for this run only: listed, never saved, never replacing a user's.

        If the name is taken (by a saved or another transient profile), `` 2``, `` 3``...
        is appended, so a user's own profile of that name stays as it is.

        Returns:
            A copy of the profile as added, with the name it really got.
        """
        base = profile.name.strip() or "Profile"
        name, number = base, 1
        while self.get(name) is not None:
            number += 1
            name = f"{base} {number}"
        stored = Profile(name, profile.base_url.strip() or DEFAULT_BASE_URL, profile.account_id)
        self._transient.append(stored)
        return Profile(**stored.to_dict())

    def is_transient(self, name: str) -> bool:
        """Whether ``name`` is a profile that lives for this run only (``add_transient``)."""
        return any(_key(p.name) == _key(name) for p in self._transient)

    def _index(self, name: str) -> int | None:
        key = _key(name)
        for index, profile in enumerate(self._profiles):
            if _key(profile.name) == key:
                return index
        return None

    def upsert(self, profile: Profile, *, old_name: str | None = None) -> None:
        """Add ``profile``, or replace the one called ``old_name`` (a rename) or
        ``profile.name`` (an edit), keeping its place in the list.

        Raises:
            ValueError: the name is empty, or another profile already has it.
        """
        name = profile.name.strip()
        if not name:
            raise ValueError("Enter a name for the profile.")
        for taken in (name, old_name):
            if taken is not None and self.is_transient(taken):
                raise ValueError(f"The profile {taken!r} is built in for this run only.")
        stored = Profile(
            name=name, base_url=profile.base_url.strip(), account_id=profile.account_id.strip()
        )
        stored.base_url = stored.base_url or DEFAULT_BASE_URL
        target = self._index(old_name) if old_name is not None else None
        existing = self._index(name)
        if target is None:
            target = existing
        elif existing is not None and existing != target:
            raise ValueError(f"A profile called {self._profiles[existing].name!r} already exists.")
        if target is None:
            self._profiles.append(stored)
        else:
            self._profiles[target] = stored

    def delete(self, name: str) -> None:
        """Remove the profile; no error if there is none by that name."""
        self._transient = [p for p in self._transient if _key(p.name) != _key(name)]
        index = self._index(name)
        if index is not None:
            del self._profiles[index]

    def save(self) -> None:
        """Write ``profiles.json`` atomically (keeping a damaged original aside first),
        without the transient profiles.

        Raises:
            StoreFileError: the disk refused the write (the file is unchanged).
        """
        text = dump_json(
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "profiles": [p.to_dict() for p in self._profiles],
            }
        )
        save_store_file(self.path, text, damaged=self._damaged)
        self._damaged = False
