"""Writing a request: the editor of its fields."""
