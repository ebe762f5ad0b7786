"""The demo's second key, with only the Actions scope: what such a key can and cannot do at
StackOne (actions yes; the account list and request logs answer 403)."""

from __future__ import annotations

import httpx

from explorer.demo import DEMO_ACTIONS_ONLY_KEY, DemoServer


def get(server: DemoServer, key: str, path: str) -> httpx.Response:
    headers = {"User-Agent": "tests"}
    return httpx.get(server.url + path, auth=(key, ""), headers=headers, timeout=10)


def test_a_key_with_only_the_actions_scope_runs_actions(demo_server: DemoServer) -> None:
    response = httpx.post(
        demo_server.url + "/actions/rpc",
        auth=(DEMO_ACTIONS_ONLY_KEY, ""),
        headers={"User-Agent": "tests", "x-account-id": "acct_bamboohr_demo"},
        json={"action": "bamboohr_list_employees"},
        timeout=10,
    )
    assert response.status_code == 200
    assert get(demo_server, DEMO_ACTIONS_ONLY_KEY, "/actions").status_code == 200


def test_it_cannot_list_accounts_or_read_logs(demo_server: DemoServer) -> None:
    for path in ("/accounts", "/requests/logs", "/requests/logs/steps"):
        response = get(demo_server, DEMO_ACTIONS_ONLY_KEY, path)
        assert response.status_code == 403, path
        assert "only the Actions scope" in response.json()["message"]
    # The full key still can; an unknown key is not let in at all.
    assert get(demo_server, demo_server.api_key, "/accounts").status_code == 200
    assert get(demo_server, "someone_elses_key", "/actions").status_code == 401
