"""Saved requests in collections: the pane, its tree model, and its dialogs."""
