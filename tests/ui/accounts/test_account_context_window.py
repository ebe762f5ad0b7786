"""The account's context in the window, against the demo over real sockets: beside the account
field (customer, provider, type, status with its reasons, last update) and in the details of
an exchange, the one just sent and one read back from the history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DEMO_ACTIONS_ONLY_KEY
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import click_row, send, type_account

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]


def test_beside_the_field_the_account_says_who_what_and_why_not_active(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    label = window.support.account_context.label

    type_account(qtbot, window, "acct_bamboohr_initech")
    assert label.isVisible()
    text = label.text()
    assert "Initech" in text and "BambooHR" in text and "PRODUCTION" in text
    assert "inactive" in text
    # Each reason StackOne gave, in words, not only its code.
    account = window.marks.account("acct_bamboohr_initech")
    assert account is not None and account.status_reasons
    for reason in account.status_reasons:
        assert reason.code in text and reason.description[:20] in text
    assert "Last update:" in label.toolTip() and "Customer: Initech" in label.toolTip()

    type_account(qtbot, window, "acct_bamboohr_sandbox")
    assert "test" in label.text() and "active" in label.text()
    assert " - " not in label.text()  # an active account has no reasons to list

    type_account(qtbot, window, "acct_nobody")
    assert label.text() == (
        "acct_nobody: customer, type and status unknown "
        "(it is not among the 11 accounts this API key lists)"
    )
    type_account(qtbot, window, "")
    assert not label.isVisible()


def test_a_key_that_cannot_list_accounts_says_why_the_account_is_unknown(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(key=DEMO_ACTIONS_ONLY_KEY)
    qtbot.waitUntil(lambda: not window.discovery.accounts_loading(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "403" in window.support.account_context.label.text(), timeout=WAIT_MS)
    text = window.support.account_context.label.text()
    assert text.startswith("acct_bamboohr_demo: customer, type and status unknown")
    assert "the account list could not be read" in text


def test_an_exchange_names_its_account_when_sent_and_read_back_from_the_history(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    send(
        qtbot, window, RpcRequest(action="hibob_search_employees", account_id="acct_hibob_umbrella")
    )
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    line = window.response_view.account_label
    assert line.isVisible()
    assert line.text().startswith(
        "Account acct_bamboohr_demo: Acme Demo Ltd · BambooHR · PRODUCTION · active"
    )
    assert "Customer: Acme Demo Ltd" in line.toolTip()

    history = window.history_pane
    older = history.model.row_of(window.history.entries()[-1].id)
    assert older is not None
    with qtbot.waitSignal(history.selected, timeout=WAIT_MS):
        click_row(qtbot, history.view, history.model.index(older, 0))
    text = window.response_view.account_label.text()
    assert text.startswith("Account acct_hibob_umbrella: Umbrella Health · HiBob · PRODUCTION")
    assert "error" in text
