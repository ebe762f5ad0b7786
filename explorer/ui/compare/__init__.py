"""Comparing two exchanges: ``control`` (where comparisons start, pinned baselines),
``window`` (the comparison: headline, body and header changes, side by side values),
``model`` (the changes as a Qt table) and ``ignore_editor`` (the action's ignore list)."""
