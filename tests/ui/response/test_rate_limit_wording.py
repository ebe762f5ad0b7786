"""A 429 is explained from the response: the provider limiting the account is not the key.

Issue 8, item 10: HiBob's 429 (StackOne passing on the provider's rate limit, with
``provider_errors``) was explained as the API key's 1000 requests/minute limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def send_action(qtbot: QtBot, window: MainWindow, action: str, account: str) -> None:
    send(qtbot, window, RpcRequest(action=action, account_id=account))


def test_a_providers_429_names_the_provider_not_the_api_key(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send_action(qtbot, window, "hibob_search_employees", "acct_hibob_demo")
    panel = window.response_view.error_panel
    assert panel.title_label.text().startswith("429")
    meaning = panel.meaning_label.text()
    assert "api.hibob.com" in meaning
    assert "account" in meaning
    assert "API key" not in meaning and "1000" not in meaning


@pytest.fixture
def strict_demo() -> Iterator[DemoServer]:
    with DemoServer(rate_limit_per_minute=1) as server:
        yield server


def test_stackones_own_429_is_the_api_keys_limit(
    qtbot: QtBot, make_window: WindowFactory, strict_demo: DemoServer
) -> None:
    window = make_window(base_url=strict_demo.url, key=strict_demo.api_key)
    # Listing the accounts may have used the one request of the minute already; if not,
    # the second send is over the limit.
    for _attempt in range(2):
        send_action(qtbot, window, "bamboohr_list_employees", "acct_bamboohr_demo")
        response = window.response_view.exchange.response  # type: ignore[union-attr]
        if response is not None and response.status == 429:
            break
    panel = window.response_view.error_panel
    assert panel.title_label.text().startswith("429")
    assert "API key" in panel.meaning_label.text()
