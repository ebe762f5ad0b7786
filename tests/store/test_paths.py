"""Where data lives: an explicit argument beats the environment, which beats the platform."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from explorer.store.paths import AppPaths, resolve_paths


def test_argument_beats_environment(tmp_path: Path) -> None:
    env = {"STACKONE_EXPLORER_HOME": str(tmp_path / "from-env"), "HOME": str(tmp_path)}
    paths = resolve_paths(tmp_path / "from-arg", environ=env, platform="linux")
    assert paths.home == tmp_path / "from-arg"


def test_environment_beats_platform(tmp_path: Path) -> None:
    env = {"STACKONE_EXPLORER_HOME": str(tmp_path / "from-env"), "XDG_DATA_HOME": str(tmp_path)}
    assert resolve_paths(environ=env, platform="linux").home == tmp_path / "from-env"


def test_blank_values_are_ignored(tmp_path: Path) -> None:
    env = {"STACKONE_EXPLORER_HOME": "  ", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert resolve_paths("", environ=env, platform="linux").home == (
        tmp_path / "xdg" / "stackone-explorer"
    )


def test_linux_follows_xdg_then_local_share(tmp_path: Path) -> None:
    with_xdg = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    assert resolve_paths(environ=with_xdg, platform="linux").home == (
        tmp_path / "xdg" / "stackone-explorer"
    )
    # The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored.
    relative = {"XDG_DATA_HOME": "relative/dir", "HOME": str(tmp_path / "home")}
    expected = tmp_path / "home" / ".local" / "share" / "stackone-explorer"
    assert resolve_paths(environ=relative, platform="linux").home == expected
    assert (
        resolve_paths(environ={"HOME": str(tmp_path / "home")}, platform="linux").home == expected
    )


def test_macos_and_windows_conventions(tmp_path: Path) -> None:
    mac = resolve_paths(environ={"HOME": str(tmp_path)}, platform="darwin")
    assert mac.home == tmp_path / "Library" / "Application Support" / "StackOne Explorer"
    win = resolve_paths(environ={"APPDATA": str(tmp_path / "Roaming")}, platform="win32")
    assert win.home == tmp_path / "Roaming" / "StackOne Explorer"


def test_layout_and_ensure(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "root")
    assert paths.ensure() is paths
    assert paths.settings_file == tmp_path / "root" / "config" / "settings.json"
    assert paths.profiles_file == tmp_path / "root" / "config" / "profiles.json"
    for directory in (paths.config_dir, paths.history_dir, paths.collections_dir):
        assert directory.is_dir()
    assert paths.history_dir.parent == paths.data_dir
    assert (paths.home.stat().st_mode & 0o777) == 0o700  # history holds customer data


def test_tilde_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_paths("~/explorer", environ={}).home == tmp_path / "explorer"


def test_store_never_imports_qt() -> None:
    """The store must run in the command-line runner and in tests without a display."""
    code = (
        "import sys\n"
        "import explorer.store.paths, explorer.store.files, explorer.store.settings\n"
        "import explorer.store.profiles, explorer.store.credentials, explorer.store.history\n"
        "import explorer.core.har\n"
        "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
