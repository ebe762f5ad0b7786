"""Writing and sending a request.

``editor`` (its fields, validated as typed) with ``options`` (sync, debug, Defender, advanced);
``send_control`` (what Send, Retry and Cancel do) over ``sender`` (one request in flight, off
the UI thread); ``curl_import`` (pasting a curl command, also for the collections pane).
"""
