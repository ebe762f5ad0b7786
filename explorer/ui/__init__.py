"""The PySide6 window. The only layer that imports Qt."""
