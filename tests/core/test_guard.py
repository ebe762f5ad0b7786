"""The production guard's rule: which actions write, which accounts need a question, and the
words of that question. Accounts come from the demo's ``GET /accounts`` over a real socket."""

from __future__ import annotations

import pytest

from explorer.core.client import RpcClient
from explorer.core.discovery import Account, ActionInfo, DiscoveryClient, StatusReason
from explorer.core.guard import (
    AccountBook,
    Confirmations,
    GuardPolicy,
    Reason,
    Target,
    action_verb,
    action_writes,
    batch_question,
    single_question,
)
from explorer.demo import DemoServer


@pytest.fixture(scope="module")
def book(demo_server: DemoServer) -> AccountBook:
    with DiscoveryClient(RpcClient()) as discovery:
        listing = discovery.list_accounts(demo_server.url, demo_server.api_key)
    return AccountBook(listing, complete=listing.complete)


@pytest.mark.parametrize(
    "action",
    [
        "bamboohr_list_employees",
        "bamboohr_get_employee",
        "hibob_search_employees",
        "documents_download_file",
        "salesforce_retrieve_account",
    ],
)
def test_reading_verbs_read(action: str) -> None:
    assert action_writes(action) is False


@pytest.mark.parametrize(
    "action",
    [
        "greenhouse_create_candidate",
        "bamboohr_update_employee",
        "hibob_delete_employee",
        "workday_upsert_worker",
        # Verbs nobody listed are caught because only reading verbs are listed.
        "slack_send_message",
        "google_drive_upload_file",
        "github_invite_member",
        "bamboohr_terminate_employee",
        "bamboohr_generate_report",
        "",
        "bamboohr",
    ],
)
def test_every_other_verb_writes(action: str) -> None:
    assert action_writes(action) is True


def test_the_verb_follows_a_connector_of_several_words() -> None:
    assert action_verb("google_drive_list_files") == "drive"  # one-word guess: writes
    assert action_writes("google_drive_list_files") is True
    assert action_verb("google_drive_list_files", ["google_drive"]) == "list"
    assert action_writes("google_drive_list_files", connectors=["google", "google_drive"]) is False
    # The catalogue's connector key counts too.
    info = ActionInfo("google_drive_list_files", connector_key="google_drive")
    assert action_writes("google_drive_list_files", info=info) is False


def test_catalogue_details_decide_where_they_give_a_method() -> None:
    get_report = ActionInfo("bamboohr_generate_report", details={"method": "GET"})
    assert action_writes("bamboohr_generate_report", info=get_report) is False
    delete = ActionInfo("acme_list_and_purge", details={"http_method": "delete"})
    assert action_writes("acme_list_and_purge", info=delete) is True
    # Providers search with POST: a POST is judged by the verb.
    search = ActionInfo("hibob_search_employees", details={"method": "POST"})
    assert action_writes("hibob_search_employees", info=search) is False
    create = ActionInfo("greenhouse_create_candidate", details={"method": "POST"})
    assert action_writes("greenhouse_create_candidate", info=create) is True


def reasons(book: AccountBook, action: str, account_id: str, **policy: bool) -> set[str]:
    return {r.value for r in GuardPolicy(**policy).reasons(book.target(action, account_id))}


def test_writing_to_a_production_account_needs_a_question(book: AccountBook) -> None:
    assert reasons(book, "greenhouse_create_candidate", "acct_greenhouse_demo") == {"production"}
    assert reasons(book, "bamboohr_list_employees", "acct_bamboohr_demo") == set()
    # The provider's key finds the verb of a connector with two words.
    assert reasons(book, "google_drive_list_files", "acct_drive_demo") == set()


def test_a_test_account_is_written_to_without_a_question(book: AccountBook) -> None:
    assert reasons(book, "bamboohr_update_employee", "acct_bamboohr_sandbox") == set()
    assert reasons(book, "workday_create_worker", "acct_workday_demo") == set()


def test_anything_to_an_account_that_is_not_active_needs_a_question(book: AccountBook) -> None:
    assert reasons(book, "bamboohr_list_employees", "acct_bamboohr_initech") == {"not_active"}
    assert reasons(book, "hibob_search_employees", "acct_hibob_umbrella") == {"not_active"}
    assert reasons(book, "bamboohr_update_employee", "acct_suspended") == {
        "production",
        "not_active",
    }


def test_unknown_fails_closed(book: AccountBook) -> None:
    # Not in the listing: even a read is asked about.
    assert reasons(book, "bamboohr_list_employees", "acct_nobody") == {"unknown_account"}
    no_listing = AccountBook(None, problem="GET /accounts failed: 403 Forbidden")
    target = no_listing.target("bamboohr_list_employees", "acct_bamboohr_demo")
    assert GuardPolicy().reasons(target) == {Reason.UNKNOWN_ACCOUNT}
    assert "403 Forbidden" in target.unknown_because
    # Known, but without a type or a status.
    odd = AccountBook([Account("acct_odd", provider="bamboohr", type="staging", status="")])
    assert reasons(odd, "bamboohr_update_employee", "acct_odd") == {
        "unknown_type",
        "unknown_status",
    }
    assert reasons(odd, "bamboohr_list_employees", "acct_odd") == {"unknown_status"}


def test_the_preference_silences_test_accounts_only(book: AccountBook) -> None:
    # The demo's HiBob sandbox: a test account that has expired.
    assert reasons(book, "hibob_search_employees", "acct_hibob_sandbox") == {"not_active"}
    quiet = {"ask_for_test_accounts": False}
    assert reasons(book, "hibob_search_employees", "acct_hibob_sandbox", **quiet) == set()
    # Production and unknown accounts are still asked about with the preference off.
    assert reasons(book, "greenhouse_create_candidate", "acct_greenhouse_demo", **quiet) == {
        "production"
    }
    assert reasons(book, "bamboohr_list_employees", "acct_bamboohr_initech", **quiet) == {
        "not_active"
    }
    assert reasons(book, "bamboohr_list_employees", "acct_nobody", **quiet) == {"unknown_account"}


def test_the_question_is_asked_once_per_account_and_server(book: AccountBook) -> None:
    policy = GuardPolicy()
    confirmations = Confirmations()
    target = book.target("greenhouse_create_candidate", "acct_greenhouse_demo")
    concerns = policy.concerns([target])
    assert confirmations.unconfirmed("http://a", concerns) == concerns
    confirmations.confirm("http://a/", concerns)
    assert confirmations.unconfirmed("http://a", concerns) == []
    assert confirmations.unconfirmed("http://b", concerns) != []  # another server
    # Agreeing to "unknown" is not agreeing to "production": the new reason asks again.
    unknown = policy.concerns([Target("greenhouse_create_candidate", "acct_x", None)])
    confirmations.confirm("http://a", unknown)
    known = policy.concerns(
        [Target("greenhouse_create_candidate", "acct_x", Account("acct_x", type="production"))]
    )
    left = confirmations.unconfirmed("http://a", known)
    assert [c.reasons for c in left] == [frozenset({Reason.PRODUCTION, Reason.UNKNOWN_STATUS})]


def test_the_question_names_the_customer_account_and_status_reasons(book: AccountBook) -> None:
    concern = GuardPolicy().concerns([book.target("bamboohr_update_employee", "acct_suspended")])[0]
    question = single_question(concern, "bamboohr_update_employee")
    text = question.text()
    assert "PRODUCTION" in question.lead
    assert "Acme Demo Ltd" in text  # origin_owner_name
    assert "Old subsidiary - BambooHR (acct_suspended)" in text
    assert "Status: suspended" in text
    assert "credentials_revoked: The API key was revoked in BambooHR" in text
    assert question.no == "Don't send" and question.yes == "Send to production"

    inactive = GuardPolicy().concerns(
        [book.target("bamboohr_list_employees", "acct_bamboohr_initech")]
    )[0]
    text = single_question(inactive, "bamboohr_list_employees").text()
    assert "Customer: Initech" in text
    assert "token_expired" in text and "reconnect_requested" in text
    assert "412" in text

    unknown = GuardPolicy().concerns(
        [
            AccountBook(None, problem="GET /accounts failed: 403 Forbidden").target(
                "bamboohr_list_employees", "acct_bamboohr_demo"
            )
        ]
    )[0]
    text = single_question(unknown, "bamboohr_list_employees").text()
    assert "acct_bamboohr_demo" in text and "403 Forbidden" in text


def test_one_question_for_a_batch_lists_the_production_accounts(book: AccountBook) -> None:
    targets = [
        book.target("greenhouse_create_candidate", "acct_greenhouse_demo", label="Create"),
        book.target("bamboohr_list_employees", "acct_bamboohr_demo", label="List"),
        book.target("bamboohr_list_employees", "acct_bamboohr_initech", label="Initech"),
        book.target("bamboohr_update_employee", "acct_bamboohr_globex", label="Update"),
    ]
    concerns = GuardPolicy().concerns(targets)
    assert [c.account_id for c in concerns] == [
        "acct_greenhouse_demo",
        "acct_bamboohr_initech",
        "acct_bamboohr_globex",
    ]
    question = batch_question(concerns, "'Smoke'", total=4)
    assert "2 PRODUCTION accounts" in question.lead
    text = question.text()
    # Production accounts first, each naming its customer and what writes to it.
    assert text.index("Globex Corporation") < text.index("Initech")
    assert "Sends: greenhouse_create_candidate" in text
    assert "Sends: bamboohr_update_employee" in text


def test_status_reasons_given_as_plain_strings_are_kept() -> None:
    account = Account(
        "acct_1",
        type="production",
        status="error",
        status_reasons=[StatusReason(description="provider said no")],
    )
    concern = GuardPolicy().concerns([Target("x_list_y", "acct_1", account, writes=False)])[0]
    assert "provider said no" in single_question(concern, "x_list_y").text()
