"""PyInstaller entry script: the bundle's executable starts here.

PyInstaller needs a script file, not a ``module:function`` entry point, so this mirrors the
``stackone-explorer`` console script from ``pyproject.toml`` and nothing more.
"""

import sys

from explorer.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
