"""Running requests in bulk, without Qt: the production guard's check before a command-line
run (``production``) and one request across many accounts (``accounts``).

The collection runner (``explorer.runner`` today) moves here with the architecture issue;
nothing in this package imports PySide6, so the window and the command line share it.
"""
