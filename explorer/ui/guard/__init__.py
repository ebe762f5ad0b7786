"""The production guard in the window: marks on production accounts, and the question before
writing to one (``explorer.core.guard`` holds the rule and its words).

``marks`` paints the marks (editor badge, window title, history, picker, run results);
``gate`` holds a send until the rule allows it or the user says yes. Import them from their
modules: the picker's model needs ``marks`` without the discovery service ``gate`` uses.
"""
