"""Profiles (name, base URL, account) and their API keys: ``selector`` (the toolbar's choice
and reading a key), ``dialog`` (Manage profiles) with its ``key_box``."""
