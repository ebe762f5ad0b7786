"""curl in and out of a collection: paste a command, share a collection as a script."""

from __future__ import annotations

from pathlib import Path

from explorer.core.curl import from_curl
from explorer.store.collections import CollectionStore, SavedRequest, curl_script

CANARY = "sk_CANARY_7d1e0b"

PASTED = f"""curl --request POST \\
  --url https://api.stackone.com/actions/rpc \\
  -u '{CANARY}:' \\
  --header 'x-account-id: acct_bamboohr_demo' \\
  --header 'Content-Type: application/json' \\
  --data-raw '{{"action": "bamboohr_get_employee", "path": {{"id": "1"}}}}'"""


def test_pasted_curl_becomes_a_saved_request_without_the_key(tmp_path: Path) -> None:
    imported = from_curl(PASTED)
    assert imported.api_key == CANARY  # handed back for the keyring, not for the file
    store = CollectionStore.create(tmp_path / "c", "C")
    saved = store.save_request(SavedRequest("Get employee 1", imported.request))

    collection, problems = CollectionStore(tmp_path / "c").load()
    assert problems == []
    [loaded] = collection.requests()
    assert loaded.request.action == "bamboohr_get_employee"
    assert loaded.request.account_id == "acct_bamboohr_demo"
    assert loaded.request.path == {"id": "1"}
    assert saved.path is not None
    for path in (tmp_path / "c").rglob("*"):
        if path.is_file():
            assert CANARY not in path.read_text(), path


def test_collection_exports_as_a_curl_script_that_reads_back(tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "c", "C")
    store.save_request(SavedRequest("Get employee 1", from_curl(PASTED).request))
    store.save_request(
        SavedRequest(
            "Templated",
            from_curl(PASTED).request.copy(
                account_id="{{account_id}}", headers={"x-token": "{{token}}"}
            ),
            folder="More",
            expected_status=404,
        )
    )
    script = curl_script(
        store.collection.requests(),
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
