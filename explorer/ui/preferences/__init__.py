"""The preferences: history size, timeouts, body limits, automatic retry, appearance."""
