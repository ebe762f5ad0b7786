"""The PySide6 window, the only layer that imports Qt, one folder per feature.

``request`` (editing and sending), ``response`` (reading an exchange), ``history``,
``collections``, ``run`` (running a collection), ``discovery`` (accounts and actions),
``guard`` (the production guard), ``profiles``, ``preferences``; ``mainwindow`` is the glue
that builds them and lays them out, ``widgets`` the pieces several features use. At the top:
``app`` (start-up), ``theme``, ``accessibility``, ``confirm`` (destructive questions), ``jobs``
(pure work on a pool thread), ``screenshots`` and ``pyside_scan`` (run first, here: PySide
skips reading the source of every module imported after it).
"""

import PySide6  # noqa: F401  (every module here uses it; its import hook must be loaded)

from explorer.ui.pyside_scan import skip_source_scan

skip_source_scan()
