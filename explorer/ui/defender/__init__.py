"""The Defender check of a response in the window (``window.DefenderWindow``)."""
