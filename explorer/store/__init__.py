"""Pure-Python storage (no Qt): paths, settings, profiles, credentials, history, collections."""
