"""The PySide6 window, the only layer that imports Qt, one folder per feature.

``request`` (editing and sending), ``response`` (reading an exchange), ``history``,
``collections``, ``run`` (running a collection), ``discovery`` (accounts and actions),
``guard`` (the production guard), ``profiles``, ``preferences``; ``mainwindow`` is the glue
that builds them and lays them out, ``widgets`` the pieces several features use. At the top:
``app`` (start-up), ``theme``, ``accessibility``, ``confirm`` (destructive questions), ``jobs``
(pure work on a pool thread) and ``screenshots``.
"""
