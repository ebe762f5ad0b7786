"""The history of sent exchanges: the pane, its Qt model, and the writer thread."""
