"""The demo server: a local, StackOne-compatible API to try the explorer offline.

Start it with ``python -m explorer.demo`` (it prints its URL and API key), or let the explorer's
demo mode start it. It answers ``POST /actions/rpc``, ``GET /accounts``, ``GET /actions``,
``POST /actions/search``, ``GET /requests/logs`` (``/steps``, ``/{id}``),
``GET /requests/platform-logs`` (its calls other than actions) and ``POST /mcp`` with the
shapes of StackOne's own SDKs, its status codes and error envelope, on this machine only.
Answers of 1 KiB or more are gzip-compressed when the client accepts gzip; a method a path does
not take (``TRACE`` included) answers 405 with ``Allow``.

API key: ``demo_live_key_0123456789`` (send it as the Basic-auth username, empty password).
``demo_actions_only_key_0123456789`` is a key with only the Actions scope: actions, the
catalogue and MCP work; ``GET /accounts`` and the request logs answer 403.

Linked accounts (send the id as the ``x-account-id`` header)

=========================  ============  =========  ==========  ==================  ================
Account id                 Connector     Status     Type        Customer            What it shows
=========================  ============  =========  ==========  ==================  ================
``acct_bamboohr_demo``     bamboohr      active     production  Acme Demo Ltd       23 employees
``acct_bamboohr_globex``   bamboohr      active     production  Globex Corporation  8 employees
``acct_bamboohr_sandbox``  bamboohr      active     test        Acme Demo Ltd       5 employees
``acct_bamboohr_initech``  bamboohr      inactive   production  Initech             412, 2 reasons
``acct_greenhouse_demo``   greenhouse    active     production  Acme Demo Ltd
``acct_hibob_demo``        hibob         active     production  Acme Demo Ltd
``acct_hibob_umbrella``    hibob         error      production  Umbrella Health     412
``acct_hibob_sandbox``     hibob         expired    test        Acme Demo Ltd       412
``acct_drive_demo``        google_drive  active     production  Acme Demo Ltd       credentials
``acct_workday_demo``      workday       active     test        Acme Demo Ltd
``acct_suspended``         bamboohr      suspended  production  Acme Demo Ltd       412
=========================  ============  =========  ==========  ==================  ================

``cp_bamboohr_sandbox`` is a second BambooHR profile for ``x-connector-profile-id``; a profile
of another connector answers 400. ``acct_drive_demo`` comes with ``credentials`` and
``setup_information``, as StackOne may send them: a client must never keep them.

Actions

================================  ==================================================================
Action                            What it shows
================================  ==================================================================
``bamboohr_list_employees``       The account's employees, paged: ``query.page_size`` (default 10)
                                  and ``query.next``; a bad cursor answers 400. ``sync=true`` adds
                                  ``datasync``.
``bamboohr_get_employee``         ``path.id`` 40001-40023 (Globex: 50001-50008); an unknown id
                                  answers 404 with ``provider_errors``.
``bamboohr_list_employee_notes``  A note of Acme's holds a prompt injection: Defender (on by
                                  default) adds ``metadata.defender``; ``block_high_risk`` answers
                                  403 instead; ``enabled: false`` turns it off.
``bamboohr_generate_report``      Slow: answers after ``body.seconds`` (default 10, at most 120);
                                  past 60 s StackOne answers 408 with ``Retry-After``.
``greenhouse_create_candidate``   ``body`` {first_name, last_name, emails: [{value, type}]}; bad
                                  input answers 422 with one provider error per problem.
``hibob_search_employees``        Rate limited on purpose: the first call of a cycle answers 429
                                  with ``Retry-After: 3``; wait that long and retry, and calls
                                  succeed for 60 s, after which the cycle starts again.
``google_drive_list_files``       The drive's files and their ids; its request log shows Google's
                                  401 and StackOne's token refresh before the answer.
``documents_download_file``       ``path.id`` ``file_q1_overview`` (PDF) or ``file_onboarding``
                                  (text): raw bytes with a non-ASCII ``Content-Disposition`` name.
``workday_list_workers``          The provider is down: 502 with Workday's 503 in
                                  ``provider_errors`` (retried once: two failed steps in the log).
                                  The catalogue has no details for Workday: MCP has its schema.
================================  ==================================================================

Every action accepts ``debug=true`` (adds a ``debug`` block). Every response carries an
``x-request-id``, and every RPC call (MCP ``tools/call`` too) is kept in the request logs under
that id, with the provider calls behind it. Each API key may make 1000 requests a minute (then
429 with ``Retry-After``).

MCP: ``POST /mcp?param-style=flat_prefixed`` with ``x-account-id`` lists the account's actions
as tools (``tools/list``, three a page) and runs them (``tools/call``), as ``stackone-ai``
expects.
"""

from explorer.demo.actions import DEMO_ACTION_ACCOUNTS, DEMO_ACTIONS
from explorer.demo.server import (
    DEMO_ACCOUNT_ID,
    DEMO_ACTIONS_ONLY_KEY,
    DEMO_API_KEY,
    EXAMPLE_REQUEST,
    DemoServer,
)

__all__ = [
    "DEMO_ACCOUNT_ID",
    "DEMO_ACTIONS",
    "DEMO_ACTIONS_ONLY_KEY",
    "DEMO_ACTION_ACCOUNTS",
    "DEMO_API_KEY",
    "EXAMPLE_REQUEST",
    "DemoServer",
]
