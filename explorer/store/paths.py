"""Where the explorer keeps its files: one root, decided in one place.

Every store receives its path from here (or from a test's ``tmp_path``), so nothing else in the
code base guesses a location. The root can be moved with an argument (``--home``) or the
``STACKONE_EXPLORER_HOME`` environment variable, which is how tests, portable installs and
"try it with a clean slate" runs keep away from a user's real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "STACKONE_EXPLORER_HOME"
APP_DIR_NAME = "StackOne Explorer"  # macOS and Windows convention: a readable name
XDG_DIR_NAME = "stackone-explorer"  # Linux convention: lower case, no spaces


@dataclass(frozen=True)
class AppPaths:
    """The directory layout below one root.

    Settings and profiles are small configuration files; history and collections are data
    that can grow. Both live under ``home`` so one directory holds (and moves) everything.
    """

    home: Path

    @property
    def config_dir(self) -> Path:
        return self.home / "config"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def profiles_file(self) -> Path:
        return self.config_dir / "profiles.json"

    @property
    def history_dir(self) -> Path:
        return self.data_dir / "history"

    @property
    def collections_dir(self) -> Path:
        return self.data_dir / "collections"

    @property
    def baselines_dir(self) -> Path:
        """Pinned responses and per-action ignore rules (``store.baselines``)."""
        return self.data_dir / "baselines"

    def ensure(self) -> AppPaths:
        """Create every directory (private to the user: history holds customer data).

        Returns:
            ``self``, so ``resolve_paths().ensure()`` reads naturally.
        """
        for directory in (
            self.home,
            self.config_dir,
            self.data_dir,
            self.history_dir,
            self.collections_dir,
        ):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self

    def write_problem(self, *, create: bool = True) -> str | None:
        """Why the explorer cannot keep its files here, naming the folder, or ``None``.

        With ``create`` each folder is made (``ensure``) and a file written and removed in
        it, which also catches a read-only file system (where even root cannot write).
        Without, nothing is created: the nearest existing folder is checked for write
        access (the command-line runner keeps nothing here, it only says so).
        """
        folders = (self.home, self.config_dir, self.data_dir, self.history_dir)
        for directory in (*folders, self.collections_dir):
            try:
                if create:
                    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                    fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=directory)
                    os.close(fd)
                    os.unlink(probe)
                else:
                    existing = next(p for p in (directory, *directory.parents) if p.exists())
                    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
                        return f"{existing}: it is not a folder the explorer can write to"
            except OSError as exc:
                where = exc.filename if isinstance(exc.filename, str) else str(directory)
                return f"{where}: {exc.strerror or exc}"
        return None


def resolve_paths(
    home: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> AppPaths:
    """Decide the root directory: ``home`` argument, then ``$STACKONE_EXPLORER_HOME``, then
    the platform's convention.

    Args:
        home: an explicit root (e.g. from ``--home``); ``~`` is expanded.
        environ: the environment to read (defaults to ``os.environ``); injectable for tests.
        platform: ``sys.platform``-style name (defaults to the running one); injectable for tests.

    Returns:
        The paths below the chosen root (directories are not created: call ``ensure()``).
    """
    env = os.environ if environ is None else environ
    if home is not None and str(home).strip():
        return AppPaths(_absolute(Path(home)))
    from_env = env.get(HOME_ENV, "").strip()
    if from_env:
        return AppPaths(_absolute(Path(from_env)))
    return AppPaths(_platform_home(env, platform or sys.platform))


def _absolute(path: Path) -> Path:
    return path.expanduser().absolute()


def _user_home(env: Mapping[str, str]) -> Path:
    # Read HOME/USERPROFILE from the injected environment first, so tests never see the real one.
    for key in ("HOME", "USERPROFILE"):
        value = env.get(key, "").strip()
        if value:
            return Path(value)
    return Path.home()


def _platform_home(env: Mapping[str, str], platform: str) -> Path:
    if platform == "darwin":
        return _user_home(env) / "Library" / "Application Support" / APP_DIR_NAME
    if platform.startswith("win"):
        appdata = env.get("APPDATA", "").strip()
        base = Path(appdata) if appdata else _user_home(env) / "AppData" / "Roaming"
        return base / APP_DIR_NAME
    # Linux and other XDG systems. The XDG spec says relative values must be ignored.
    xdg = env.get("XDG_DATA_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / XDG_DIR_NAME
    return _user_home(env) / ".local" / "share" / XDG_DIR_NAME
