"""The trace of a request in the window: what StackOne did with an RPC call, provider call by
provider call (``explorer.core.trace`` builds it, masked).

``model`` lists the steps (failing ones marked), ``window`` shows a trace with each step's
request and response, ``control`` opens it for a response's request id or a pasted one and
fetches the log off the UI thread.
"""
