"""Widgets more than one feature uses: ``banner`` (notices), ``json_editor``, ``row_table``,
``flow_layout``, ``elided_label`` and ``secret_entry`` (a masked field with a show toggle)."""
