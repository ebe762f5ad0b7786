"""The main window: glue between the features, its menus and its saved layout."""
