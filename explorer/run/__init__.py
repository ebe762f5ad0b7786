"""Running requests in bulk, without Qt: one engine for the window and the command line.

- ``plan``: what a collection run will send (one plan type, one planning function);
- ``environment``: an environment's values, secrets read from the keyring (the one reader);
- ``engine``: running saved requests in order and judging each (``run_requests``);
- ``reports``: the results table and summary, JUnit XML and JSON;
- ``cli``: ``stackone-explorer run`` over the above, with ``lookup`` finding what its
  arguments name (collection, profile, given values);
- ``production``: the production guard before a command-line run;
- ``accounts``, ``pages``: one request across many accounts, and a list walked page by page.

Nothing in this package imports PySide6 (tests/test_layers.py checks): the window runs these
on its worker threads, and the command line works on a CI machine without a display.
"""
