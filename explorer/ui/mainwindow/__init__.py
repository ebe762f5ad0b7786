"""The main window, glue between the features: ``window`` builds and wires them, ``menus``
arranges their commands, ``keyboard`` moves between panes, ``state`` is what the window
remembers, ``help`` the Help menu's windows."""
