"""The app installs like a desktop program: wheel, bundle, icons and desktop metadata.

Fast tests check what ships (the wheel's launcher and resources, the icon set, the .desktop and
AppStream files, one version everywhere). The ``slow`` tests build the PyInstaller bundle once
per session into a temporary folder and start it the way a user would on a machine without
Python: with an empty ``PATH``, a fresh home and no inherited environment.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import explorer
from explorer import resources
from explorer.resources import resource_path

REPO = Path(__file__).resolve().parent.parent
APP_ID = "com.stackone.Explorer"
LAUNCHER = "stackone-explorer"
DESKTOP_FILE = REPO / "resources" / "linux" / f"{APP_ID}.desktop"
METAINFO_FILE = REPO / "resources" / "linux" / f"{APP_ID}.metainfo.xml"
ICON_DIR = REPO / "resources" / "icons"
IS_WINDOWS = sys.platform == "win32"


# --- resource_path -------------------------------------------------------------------------


def test_resource_path_finds_icon_and_spec_in_checkout() -> None:
    assert resource_path("icons", "stackone-explorer.svg").is_file()
    assert resource_path("spec", "actions-rpc.openapi.yaml").is_file()


def test_missing_resources_folder_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "_candidates", lambda: [tmp_path / "nowhere"])
    resources.resources_root.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=r"nowhere.*Reinstall"):
            resource_path("icons", "stackone-explorer.svg")
    finally:
        resources.resources_root.cache_clear()


# --- the wheel -----------------------------------------------------------------------------


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pip offline: these tests must never reach a package index."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    return subprocess.run([*command, "--no-index"], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel with the environment's hatchling (no build isolation, so no download)."""
    if importlib.util.find_spec("hatchling") is None:
        pytest.fail("hatchling is missing: install the dev extra (pip install -e '.[dev]')")
    out = tmp_path_factory.mktemp("wheel")
    result = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO))
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("stackone_explorer-*.whl")
    return built


def test_wheel_installs_the_launcher_and_the_resources(wheel: Path) -> None:
    assert wheel.name.startswith(f"stackone_explorer-{explorer.__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = (n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = configparser.ConfigParser()
        scripts.read_string(archive.read(entry_points).decode())
    assert scripts["console_scripts"][LAUNCHER] == "explorer.__main__:main"
    for expected in (
        "explorer/resources.py",
        "explorer/resources/icons/stackone-explorer.svg",
        "explorer/resources/icons/stackone-explorer-256.png",
        f"explorer/resources/linux/{APP_ID}.desktop",
        "explorer/resources/spec/actions-rpc.openapi.yaml",
    ):
        assert expected in names


def test_installed_wheel_has_a_working_launcher_and_finds_its_resources(
    wheel: Path, tmp_path: Path
) -> None:
    """After ``pip install``: the launcher runs, and resources come from the install."""
    site = tmp_path / "site"
    installed = _pip("install", "--no-deps", "--target", str(site), str(wheel))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env = {**os.environ, "PYTHONPATH": str(site)}

    (launcher,) = (site / "bin").glob(f"{LAUNCHER}*")
    version = subprocess.run(
        [str(launcher), "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert version.stdout.strip() == f"{LAUNCHER} {explorer.__version__}", version.stderr

    code = "from explorer.resources import resource_path; print(resource_path('icons', 'x.svg'))"
    found = subprocess.run(
        [sys.executable, "-s", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert Path(found.stdout.strip()) == site / "explorer" / "resources" / "icons" / "x.svg"
    assert (site / "explorer" / "resources" / "icons" / "stackone-explorer.svg").is_file()


# --- icons and desktop metadata ------------------------------------------------------------


def test_every_png_icon_has_the_size_its_name_says() -> None:
    from PIL import Image

    sizes = []
    for png in ICON_DIR.glob("stackone-explorer-*.png"):
        named = re.fullmatch(r"stackone-explorer-(\d+)\.png", png.name)
        assert named is not None, png.name
        size = int(named.group(1))
        with Image.open(png) as image:
            assert image.size == (size, size), png.name
            assert image.mode == "RGBA", f"{png.name} lost its transparency"
        sizes.append(size)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256, 512]


def test_windows_and_macos_icons_hold_every_size() -> None:
    from PIL import Image

    with Image.open(ICON_DIR / "stackone-explorer.ico") as ico:
        assert {16, 32, 48, 256} <= {w for w, _ in ico.info["sizes"]}
    with Image.open(ICON_DIR / "stackone-explorer.icns") as icns:
        assert {(512, 512, 2), (16, 16, 2)} <= set(icns.info["sizes"])


@pytest.mark.gui
@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("size", [16, 256])
def test_committed_icons_match_the_svg_source(size: int) -> None:
    """Someone who edits the SVG must rerun packaging/make_icons.py (and commit the result)."""
    from PIL import Image, ImageChops, ImageStat

    spec = importlib.util.spec_from_file_location("make_icons", REPO / "packaging/make_icons.py")
    assert spec is not None and spec.loader is not None
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)

    fresh = make_icons.render(ICON_DIR / "stackone-explorer.svg", size)
    with Image.open(ICON_DIR / f"stackone-explorer-{size}.png") as committed:
        difference = ImageChops.difference(fresh, committed.convert("RGBA"))
    # Tolerates anti-aliasing differences between Qt versions, not a changed drawing.
    assert max(ImageStat.Stat(difference).mean) < 2.0, "run packaging/make_icons.py"


class _CaseSensitiveParser(configparser.ConfigParser):
    """Desktop entry keys are case-sensitive (``Name`` and ``name`` differ)."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def _desktop_entry() -> configparser.SectionProxy:
    parser = _CaseSensitiveParser(interpolation=None)
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_starts_the_launcher_with_the_app_icon() -> None:
    entry = _desktop_entry()
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert LAUNCHER in pyproject["project"]["scripts"]
    assert entry["Exec"].split()[0] == LAUNCHER
    # Desktops look the icon up by this name; Linux installs copy the PNGs under it.
    assert entry["Icon"] == APP_ID
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"


def test_metainfo_describes_this_version_and_this_launcher() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == LAUNCHER
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == explorer.__version__, "add a <release> for the new version"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils absent")
def test_desktop_file_passes_the_freedesktop_validator() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream tools absent")
def test_metainfo_passes_the_appstream_validator() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the bundle (slow) ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the one-folder bundle once, with the same script as ``make bundle``."""
    out = tmp_path_factory.mktemp("bundle")
    env = {
        **os.environ,
        "DIST": str(out / "dist"),
        "WORK": str(out / "work"),
        "PYTHON": sys.executable,
    }
    result = subprocess.run(
        ["bash", str(REPO / "packaging" / "build.sh")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    yield out / "dist" / "stackone-explorer"


def _bare_env(tmp_path: Path) -> dict[str, str]:
    """An environment like a fresh login without Python: empty PATH, new home, no display."""
    empty_bin = tmp_path / "bin"
    runtime = tmp_path / "runtime"
    empty_bin.mkdir()
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": str(empty_bin),
        "HOME": str(tmp_path / "home"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    # Windows cannot start any process without these.
    env.update({k: v for k, v in os.environ.items() if k in ("SYSTEMROOT", "WINDIR", "TEMP")})
    return env


def _run_bundle(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = bundle / (f"{LAUNCHER}.exe" if IS_WINDOWS else LAUNCHER)
    return subprocess.run(
        [str(exe), *args],
        cwd=tmp_path,
        env=_bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,  # a hang guard, not a speed assertion
    )


def _failure(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.mark.slow
def test_bundle_reports_the_version_without_python(bundle: Path, tmp_path: Path) -> None:
    cli = bundle / (f"{LAUNCHER}-cli.exe" if IS_WINDOWS else LAUNCHER)
    result = subprocess.run(
        [str(cli), "--version"],
        env=_bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, _failure(result)
    assert result.stdout.strip() == f"{LAUNCHER} {explorer.__version__}"


@pytest.mark.slow
def test_bundle_carries_the_resources_where_resource_path_looks(bundle: Path) -> None:
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    assert (internal / "explorer" / "resources" / "icons" / "stackone-explorer.svg").is_file()
    assert (internal / "explorer" / "resources" / "spec" / "actions-rpc.openapi.yaml").is_file()


def _bundled_modules(bundle: Path) -> set[str]:
    """Names of the Python modules inside the executable's archive (PyInstaller's PYZ)."""
    from PyInstaller.archive.readers import CArchiveReader

    exe = bundle / (f"{LAUNCHER}.exe" if IS_WINDOWS else LAUNCHER)
    return set(CArchiveReader(str(exe)).open_embedded_archive("PYZ.pyz").toc)


@pytest.mark.slow
def test_bundle_has_the_modules_loaded_by_name_at_run_time(bundle: Path) -> None:
    """keyring backends and pygments styles are found by name, invisible to PyInstaller."""
    from pygments.styles import STYLE_MAP

    from explorer.ui.theme import DARK_PYGMENTS_STYLE, LIGHT_PYGMENTS_STYLE

    modules = _bundled_modules(bundle)
    keyring_backend = {
        "linux": "keyring.backends.SecretService",
        "win32": "keyring.backends.Windows",
        "darwin": "keyring.backends.macOS",
    }[sys.platform if sys.platform in ("win32", "darwin") else "linux"]
    expected = {keyring_backend, "explorer.ui.app", "explorer.demo.server", "explorer.resources"}
    expected |= {"pygments.lexers.data", "pygments.lexers.special", "pygments.lexers.textfmts"}
    for style in (LIGHT_PYGMENTS_STYLE, DARK_PYGMENTS_STYLE):
        expected.add("pygments.styles." + STYLE_MAP[style].split("::")[0])
    if sys.platform.startswith("linux"):
        expected |= {"secretstorage", "jeepney.io.blocking"}
    assert expected <= modules, f"missing from the bundle: {sorted(expected - modules)}"
    # keyring discovers its backends through its entry points: the metadata must travel too.
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    assert list(internal.glob("keyring-*.dist-info/entry_points.txt"))
    # Kept small: no unused Qt module, no Pillow.
    assert not {"PySide6.QtNetwork", "PySide6.QtQml", "PIL"} & modules


@pytest.mark.slow
def test_bundle_carries_the_filter_engines(bundle: Path) -> None:
    """The response filter's JSONPath (pure Python) and jq (an extension module) are imported
    only when a filter runs: both must be in the bundle all the same."""
    assert {"explorer.core.filters", "jsonpath", "jsonpath.env"} <= _bundled_modules(bundle)
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    assert [
        p for p in internal.iterdir() if p.name.startswith("jq.") and p.suffix in (".so", ".pyd")
    ]


# Libraries a bundle may take from the system: glibc, the GPU driver stack (must match the
# machine's driver), libxcb (follows the X server) and Wayland's client libraries. The README
# lists the Debian packages that provide them.
_SYSTEM_LIBRARIES = re.compile(
    r"(ld-linux.*|lib(c|m|dl|pthread|rt|resolv|util|crypt)"
    r"|lib(E?GL|GLX|OpenGL|GLdispatch|drm)|libxcb|libwayland-(client|cursor|egl))\.so(\.\d+)*"
)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF dependencies: Linux only")
@pytest.mark.skipif(not shutil.which("readelf"), reason="readelf (binutils) absent")
def test_bundle_needs_only_libraries_a_minimal_linux_has(bundle: Path) -> None:
    """Every library a bundled binary links is inside the bundle or a documented system one."""
    bundled = {p.name for p in bundle.rglob("*")}
    missing: dict[str, set[str]] = {}
    for binary in bundle.rglob("*"):
        if not binary.is_file() or binary.is_symlink():
            continue
        with binary.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        dynamic = subprocess.run(
            ["readelf", "-d", str(binary)], capture_output=True, text=True, check=True
        ).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic):
            if needed not in bundled and not _SYSTEM_LIBRARIES.fullmatch(needed):
                missing.setdefault(needed, set()).add(binary.name)
    assert not missing, f"bundled binaries need libraries that are not shipped: {missing}"


@pytest.mark.slow
def test_bundle_opens_its_window(bundle: Path, tmp_path: Path) -> None:
    result = _run_bundle(bundle, tmp_path, "--smoke", "--home", str(tmp_path / "data"))
    assert result.returncode == 0, _failure(result)


@pytest.mark.slow
def test_bundle_runs_the_demo_server_inside(bundle: Path, tmp_path: Path) -> None:
    result = _run_bundle(bundle, tmp_path, "--demo", "--smoke", "--home", str(tmp_path / "data"))
    assert result.returncode == 0, _failure(result)


@pytest.mark.slow
@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the per-user installer is Linux's"
)
def test_linux_install_script_adds_menu_entry_icons_and_launcher(
    bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = {**_bare_env(tmp_path), "HOME": str(home), "PATH": "/usr/bin:/bin"}
    installed = subprocess.run(
        ["sh", str(bundle / "install.sh")], env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, _failure(installed)

    share = home / ".local" / "share"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
    program = Path(exec_line.removeprefix("Exec="))
    assert program == home / ".local" / "opt" / LAUNCHER / LAUNCHER
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    version = subprocess.run(
        [str(home / ".local" / "bin" / LAUNCHER), "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"{LAUNCHER} {explorer.__version__}"

    removed = subprocess.run(
        ["sh", str(program.parent / "install.sh"), "--uninstall"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert removed.returncode == 0, _failure(removed)
    assert not desktop.exists()
    assert not program.exists()
    assert not (home / ".local" / "bin" / LAUNCHER).is_symlink()
