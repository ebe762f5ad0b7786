"""Widgets and building blocks more than one feature uses: the JSON editor, a flow layout,
an elided label, the masked secret entry."""
