"""Widgets more than one feature uses: ``banner`` (notices), ``json_editor``, ``row_table``,
``flow_layout``, ``elided_label``, ``secret_entry`` (a masked field with a show toggle) and
``save_text`` (a text to a file the user picks, written off the UI thread)."""
