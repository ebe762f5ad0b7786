"""Filtering a response: ``panel`` (the Filter tab: a JSONPath or jq box over the response,
run in a helper process that Stop ends, errors inline, the result copyable and savable)."""
