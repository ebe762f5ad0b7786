"""Reading an exchange: ``view`` (status line and tabs), ``body`` (the Pretty and Raw pages,
big bodies formatted off the UI thread), ``lines_view`` (a huge text, drawn row by row),
``error_panel`` (what went wrong and what to do) and ``find_bar``."""
