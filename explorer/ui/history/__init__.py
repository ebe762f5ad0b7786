"""The history of sent exchanges: ``pane`` with its ``filters``, ``model`` (the Qt adapter),
``writer`` and ``reader`` (writing new and reading big entries off the UI thread) and
``export`` (JSON or HAR)."""
