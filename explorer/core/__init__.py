"""Pure-Python core (no Qt): the request model, the wire format, responses, errors, exports."""
