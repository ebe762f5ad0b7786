"""PyInstaller entry script: the bundle's executable starts here.

PyInstaller needs a script file, not a ``module:function`` entry point, so this mirrors the
``stackone-explorer`` console script from ``pyproject.toml``. It adds one thing the bundle
needs: the few libraries it takes from the system (see ``packaging/README.md``) are missing on
a bare Linux, and a traceback about ``libGL.so.1`` would not tell the user what to install.
"""

import multiprocessing
import sys

from explorer.__main__ import main

# What a minimal Debian/Ubuntu lacks; the package names are in the README, section Linux.
_SYSTEM_LIBRARY_HINT = (
    "StackOne RPC Explorer cannot start: the system library {library} is missing.\n"
    "On Debian or Ubuntu install it with:\n"
    "    sudo apt install libgl1 libegl1 fontconfig-config\n"
    "On Fedora: sudo dnf install libglvnd-glx libglvnd-egl fontconfig"
)


def _missing_system_library(error: ImportError) -> str | None:
    """The library name when Qt failed to load a shared library from the system."""
    text = str(error)
    if "cannot open shared object file" in text:
        return text.split(":", 1)[0]
    return None


if __name__ == "__main__":
    # The response view formats big bodies in a helper process (spawned: this executable
    # again, with multiprocessing's arguments). In the bundle this call runs that helper
    # and exits instead of opening a second window; elsewhere it does nothing.
    multiprocessing.freeze_support()
    try:
        sys.exit(main())
    except ImportError as error:
        library = _missing_system_library(error)
        if library is None or not sys.platform.startswith("linux"):
            raise
        print(_SYSTEM_LIBRARY_HINT.format(library=library), file=sys.stderr)
        sys.exit(1)
