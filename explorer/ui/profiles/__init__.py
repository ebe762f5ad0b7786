"""Profiles (name, base URL, account) and their API keys: the manage-profiles dialog."""
