"""Widgets more than one feature uses: ``banner`` (notices), ``json_editor``, ``row_table``,
``flow_layout``, ``elided_label``, ``secret_entry`` (a masked field with a show toggle),
``save_text`` (a text to a file the user picks, written off the UI thread) and ``work_dialog``
(a window over work in progress that Esc and closing cancel)."""
