"""Share a case in the window: the export dialog (``dialog.ShareCaseDialog``)."""
