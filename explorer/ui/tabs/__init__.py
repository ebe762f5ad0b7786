"""Request tabs: several requests open at once, each with its own response.

``tab`` (one tab: its editor, response, sender, tie and dirty mark), ``tab_set`` (the bar,
opening, closing, reopening and switching tabs), ``session`` (open tabs across a restart,
closed tabs until reopened; never a secret on disk).
"""
