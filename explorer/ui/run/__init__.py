"""Running a collection or folder from the window: ``plan`` (what will be sent), ``control``
(starting a run with the profile's key), ``job`` (the run on a pool thread) and ``dialog``
(results as they come)."""
