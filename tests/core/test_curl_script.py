"""A collection shared as a shell script of curl commands ("Export as curl")."""

from __future__ import annotations

from explorer.core.curl import from_curl
from explorer.core.curl_script import curl_script
from explorer.store.collections import SavedRequest

CANARY = "sk_CANARY_7d1e0b"

PASTED = f"""curl --request POST \\
  --url https://api.stackone.com/actions/rpc \\
  -u '{CANARY}:' \\
  --header 'x-account-id: acct_bamboohr_demo' \\
  --header 'Content-Type: application/json' \\
  --data-raw '{{"action": "bamboohr_get_employee", "path": {{"id": "1"}}}}'"""


def test_collection_exports_as_a_curl_script_that_reads_back() -> None:
    requests = [
        SavedRequest("Get employee 1", from_curl(PASTED).request),
        SavedRequest(
            "Templated",
            from_curl(PASTED).request.copy(
                account_id="{{account_id}}", headers={"x-token": "{{token}}"}
            ),
            folder="More",
            expected_status=404,
        ),
    ]
    script = curl_script(
        requests,
        values={"account_id": "acct_42"},
        base_url="http://127.0.0.1:8000",
    )
    assert script.startswith("#!/bin/sh\n")
    assert CANARY not in script
    assert '"$STACKONE_API_KEY:"' in script
    assert "# More/Templated" in script
    assert "# expects HTTP 404" in script
    # each command reads back as the request it came from, with the shared values filled in
    commands = [block for block in script.split("\n\n") if "curl " in block]
    first, second = (
        from_curl("\n".join(line for line in block.splitlines() if line[:1] != "#")).request
        for block in commands
    )
    assert first.action == "bamboohr_get_employee"
    assert first.base_url == "http://127.0.0.1:8000"
    assert second.account_id == "acct_42"
    assert second.rpc_body()["headers"] == {"x-token": "{{token}}"}
