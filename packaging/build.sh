#!/usr/bin/env bash
# Build the one-folder bundle for the OS this runs on: dist/stackone-explorer/ (and, on macOS,
# "dist/StackOne RPC Explorer.app"), then prove the executable starts by asking its version.
#
#   packaging/build.sh                  (what `make bundle` runs)
#   DIST=/tmp/out packaging/build.sh    build somewhere else (WORK= sets the scratch folder,
#                                       PYTHON= another interpreter than .venv's)
#   ARCHIVE=1 packaging/build.sh        also pack the folder as a .tar.gz to hand out
#
# Needs the dev environment (scripts/bootstrap --dev, or `pip install -e ".[dev]"` in .venv).
# Runs on Linux, macOS and on Windows in Git Bash; see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) venv_py=.venv/Scripts/python.exe; exe_suffix=.exe; cli_name=stackone-explorer-cli ;;
  *) venv_py=.venv/bin/python; exe_suffix=; cli_name=stackone-explorer ;;
esac
py=${PYTHON:-$venv_py}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "build: no Python at $py; run scripts/bootstrap --dev first (or set PYTHON=...)." >&2
  exit 1
fi
if ! "$py" -c "import PyInstaller, PySide6, httpx, keyring, pygments" 2>/dev/null; then
  echo "build: .venv lacks PyInstaller or an app dependency; run: $py -m pip install -e '.[dev]'" >&2
  exit 1
fi

dist=${DIST:-dist}
work=${WORK:-build/pyinstaller}
version=$("$py" -c "import explorer; print(explorer.__version__)")  # cwd is the repo root

echo "build: stackone-explorer $version -> $dist/stackone-explorer/"
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/stackone-explorer.spec

if [ "$(uname -s)" = Linux ]; then
  # The per-user installer (menu entry, icons, launcher) travels inside the folder.
  cp packaging/linux/install.sh "$dist/stackone-explorer/install.sh"
fi

# The console executable (on Windows the -cli twin; the windowed one has no stdout).
exe="$dist/stackone-explorer/$cli_name$exe_suffix"
got=$("$exe" --version)
if [ "$got" != "stackone-explorer $version" ]; then
  echo "build: $exe --version printed '$got', expected 'stackone-explorer $version'." >&2
  exit 1
fi
echo "build: ok: $got ($(du -sh "$dist/stackone-explorer" | cut -f1))"

if [ "${ARCHIVE:-0}" = 1 ]; then
  # One file to hand out: unpack anywhere, then run ./install.sh (Linux) or the executable.
  os=$(uname -s | tr '[:upper:]' '[:lower:]'); arch=$(uname -m)
  archive="$dist/stackone-explorer-$version-$os-$arch.tar.gz"
  tar -C "$dist" -czf "$archive" stackone-explorer
  echo "build: archive: $archive ($(du -sh "$archive" | cut -f1))"
fi
