"""The main window, glue between the features: ``window`` builds and wires them, ``actions``
names their commands and ``menus`` arranges them, ``workspace`` connects the request tabs to
the profile, collections and history, ``keyboard`` moves between panes, ``state`` is what the
window remembers, ``help`` the Help menu's windows."""
