"""The demo server: a local, StackOne-compatible API to try the explorer offline.

Start it with ``python -m explorer.demo`` (it prints its URL and API key), or let the explorer's
demo mode start it. It answers ``POST /actions/rpc``, ``GET /accounts`` and ``GET /actions``
with StackOne's shapes, status codes and error envelope, on this machine only.

API key: ``demo_live_key_0123456789`` (send it as the Basic-auth username, empty password).

Linked accounts (send the id as the ``x-account-id`` header)

==========================  ============  ==========  ==========================
Account id                  Connector     Status      Connector profile
==========================  ============  ==========  ==========================
``acct_bamboohr_demo``      bamboohr      active      ``cp_bamboohr_default``
``acct_greenhouse_demo``    greenhouse    active      ``cp_greenhouse_default``
``acct_hibob_demo``         hibob         active      ``cp_hibob_default``
``acct_drive_demo``         google_drive  active      ``cp_google_drive_default``
``acct_workday_demo``       workday       active      ``cp_workday_default``
``acct_suspended``          bamboohr      suspended   (every call answers 412)
==========================  ============  ==========  ==========================

``cp_bamboohr_sandbox`` is a second BambooHR profile for ``x-connector-profile-id``; a profile
of another connector answers 400.

Actions

================================  ==================================================================
Action                            What it shows
================================  ==================================================================
``bamboohr_list_employees``       23 employees, paged: ``query.page_size`` (default 10) and
                                  ``query.next``; a bad cursor answers 400. ``sync=true`` adds
                                  ``datasync``.
``bamboohr_get_employee``         ``path.id`` 40001-40023; missing id 400, unknown id 404 with
                                  ``provider_errors``.
``bamboohr_list_employee_notes``  A note holds a prompt injection: Defender (on by default) adds
                                  ``metadata.defender``; ``defender_config.block_high_risk``
                                  answers 403 instead; ``enabled: false`` turns it off.
``bamboohr_generate_report``      Slow: answers after ``body.seconds`` (default 10, at most 120);
                                  past 60 s StackOne answers 408 with ``Retry-After``.
``greenhouse_create_candidate``   ``body`` {first_name, last_name, emails: [{value, type}]}; bad
                                  input answers 422 with one provider error per problem.
``hibob_search_employees``        Rate limited on purpose: the first call of a cycle answers 429
                                  with ``Retry-After: 3``; wait that long and retry, and calls
                                  succeed for 60 s, after which the cycle starts again.
``google_drive_list_files``       The drive's files and their ids.
``documents_download_file``       ``path.id`` ``file_q1_overview`` (PDF) or ``file_onboarding``
                                  (text): raw bytes with a non-ASCII ``Content-Disposition`` name.
``workday_list_workers``          The provider is down: 502 with Workday's 503 in
                                  ``provider_errors``.
================================  ==================================================================

Every action accepts ``debug=true`` (adds a ``debug`` block). Every response carries an
``x-request-id``. Each API key may make 1000 requests a minute (then 429 with ``Retry-After``).
"""

from explorer.demo.actions import DEMO_ACTION_ACCOUNTS, DEMO_ACTIONS
from explorer.demo.server import DEMO_ACCOUNT_ID, DEMO_API_KEY, EXAMPLE_REQUEST, DemoServer

__all__ = [
    "DEMO_ACCOUNT_ID",
    "DEMO_ACTIONS",
    "DEMO_ACTION_ACCOUNTS",
    "DEMO_API_KEY",
    "EXAMPLE_REQUEST",
    "DemoServer",
]
