"""``POST /actions/search``: both result shapes StackOne's SDKs read."""

from __future__ import annotations

import json

import httpx
import pytest

from explorer.core import errors
from explorer.core.action_search import action_name, search_actions
from explorer.core.client import RpcClient

BASE = "https://api.stackone.com"


def test_searches_the_demo_catalogue(demo_url: str, demo_key: str) -> None:
    with RpcClient() as client:
        matches = search_actions(client, demo_url, demo_key, "list employees", top_k=3)
        drive = search_actions(
            client, demo_url, demo_key, "download file", connector="google_drive"
        )
    assert matches[0].name == "bamboohr_list_employees"
    assert matches[0].connector_key == "bamboohr"
    best, second = matches[0].score, matches[1].score
    assert best is not None and second is not None and best > second
    assert len(matches) <= 3
    assert drive[0].name == "documents_download_file"


def test_versioned_ids_alone_name_their_actions() -> None:
    body = {
        "results": [
            {"id": "slack_1.0.0_slack_send_message_global", "similarity_score": 0.9},
            {"id": "google_drive_1.0.0_google_drive_list_files_global", "similarity_score": 0.8},
            {"id": "slack_1.0.0_slack_send_message_global", "similarity_score": 0.5},
            {"id": "plain_action"},
            {"similarity_score": 0.1},
        ],
        "total_count": 5,
    }
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body)

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        matches = search_actions(client, BASE, "k", "send a message", connector="slack", top_k=2)
    assert [(m.name, m.connector_key, m.score) for m in matches] == [
        ("slack_send_message", "slack", 0.9),
        ("google_drive_list_files", "google_drive", 0.8),
        ("plain_action", "", None),
    ]
    assert json.loads(seen[0].content) == {
        "query": "send a message",
        "connector": "slack",
        "top_k": 2,
    }


def test_the_named_shape_is_read() -> None:
    body = {"results": [{"action_name": "x_get_y", "connector_key": "x", "label": "Get Y"}]}
    with RpcClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body))) as c:
        [match] = search_actions(c, BASE, "k", "y")
    assert (match.name, match.connector_key, match.label) == ("x_get_y", "x", "Get Y")


def test_an_answer_without_results_is_a_bad_response() -> None:
    with (
        RpcClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))) as c,
        pytest.raises(errors.BadResponse),
    ):
        search_actions(c, BASE, "k", "y")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "calendly_1.0.0_calendly_create_scheduling_link_global",
            ("calendly", "calendly_create_scheduling_link"),
        ),
        ("hibob_2.10.3_hibob_search_employees_global", ("hibob", "hibob_search_employees")),
        ("bamboohr_list_employees", ("", "bamboohr_list_employees")),
    ],
)
def test_action_names_of_versioned_ids(raw: str, expected: tuple[str, str]) -> None:
    assert action_name(raw) == expected
