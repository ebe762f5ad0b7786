"""Saved requests in collections: ``pane`` (the tree and the selection, loading and saving),
``model`` (the tree's Qt model), ``edits`` (undoable renames, moves, deletes), ``transfer``
(curl, history, Postman in and out), ``environments`` (the active one), ``library`` (which
collection folders are shown), ``menus`` and ``dialogs``."""
