"""The history of sent exchanges: ``pane`` with its ``filters``, ``table`` (the list, its
buttons and the selection a filter hides), ``model`` (the Qt adapter), ``notes`` (notes and
tags: the dialog and the strip under the list), ``writer`` and ``reader`` (writing new entries,
reading big ones and a lazy store's rows off the UI thread) and ``export`` ("Save history…":
JSON or HAR)."""
