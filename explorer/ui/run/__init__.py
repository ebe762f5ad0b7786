"""Running a collection or folder: the results dialog."""
