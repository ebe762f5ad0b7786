"""A local StackOne-compatible server for demo mode and tests (no Qt)."""
