"""The demo project: its connectors, connector profiles and linked accounts.

Plain data, so the server, the action catalogue and the ``GET /accounts`` listing all read the
same facts. Account items have the shape of the TypeScript SDK's ``LinkedAccount``: ``status``
is an open enum (``active``, ``inactive``, ``error`` and whatever else StackOne adds, e.g. the
docs' ``suspended``), ``type`` is ``production`` or ``test``, and an account may carry
``credentials`` and ``setup_information`` (which a client must never keep). The connector
profile of each account stays server-side, as it does at StackOne.

Three customers (``origin_owner_name``) link BambooHR, so one action run across accounts gives
different answers: Acme (production, plus a test sandbox), Globex (production) and Initech
(inactive: its token expired). Acme's HiBob sandbox is a test account that has expired: the
production guard asks about it unless told to leave test accounts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Connector:
    """One provider integration, as ``GET /actions`` describes it (``ConnectorMeta``)."""

    key: str
    name: str
    description: str
    categories: tuple[str, ...]
    version: str = "1.0.0"
    release_stage: str = "ga"
    # False: the catalogue lists the actions without input schemas (MCP still has them).
    details_published: bool = True

    def icon(self) -> str:
        return f"https://stackone-logos.com/api/{self.key}/filled/png"


@dataclass(frozen=True)
class Account:
    """A linked account; ``profile_id`` is the connector profile it was connected with."""

    id: str
    provider: str
    label: str
    status: str
    profile_id: str
    origin_username: str
    origin_owner_id: str = "org_acme_demo"
    origin_owner_name: str = "Acme Demo Ltd"
    type: str = "production"
    created_at: str = "2026-01-12T09:30:00.000Z"
    updated_at: str = "2026-02-03T14:05:00.000Z"
    status_reasons: tuple[tuple[str, str, str], ...] = ()
    # What StackOne may send along for some accounts; never to be stored by a client.
    credentials: dict[str, str] | None = None
    setup_information: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        """The account item of ``GET /accounts`` (no connector profile: StackOne omits it)."""
        item: dict[str, Any] = {
            "id": self.id,
            "provider": self.provider,
            "provider_name": CONNECTORS[self.provider].name,
            "origin_owner_id": self.origin_owner_id,
            "origin_owner_name": self.origin_owner_name,
            "origin_username": self.origin_username,
            "label": self.label,
            "status": self.status,
            "status_reasons": [
                {"code": code, "description": description, "timestamp": timestamp}
                for code, description, timestamp in self.status_reasons
            ],
            "type": self.type,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.credentials is not None:
            item["credentials"] = dict(self.credentials)
        if self.setup_information is not None:
            item["setup_information"] = dict(self.setup_information)
        return item


CONNECTORS: dict[str, Connector] = {
    c.key: c
    for c in (
        Connector(
            "bamboohr", "BambooHR", "HR system of record for small and medium teams.", ("hris",)
        ),
        Connector("greenhouse", "Greenhouse", "Applicant tracking and hiring.", ("ats",)),
        Connector("hibob", "HiBob", "People platform for modern, mid-sized companies.", ("hris",)),
        Connector(
            "google_drive", "Google Drive", "Files and folders in Google Drive.", ("documents",)
        ),
        Connector(
            "workday",
            "Workday",
            "Enterprise HCM.",
            ("hris",),
            release_stage="beta",
            details_published=False,
        ),
    )
}

# Connector profile id -> connector key. ``x-connector-profile-id`` must name one of these,
# and it must belong to the account's connector.
CONNECTOR_PROFILES: dict[str, str] = {
    "cp_bamboohr_default": "bamboohr",
    "cp_bamboohr_sandbox": "bamboohr",
    "cp_greenhouse_default": "greenhouse",
    "cp_hibob_default": "hibob",
    "cp_google_drive_default": "google_drive",
    "cp_workday_default": "workday",
}

_GLOBEX = ("org_globex", "Globex Corporation")
_INITECH = ("org_initech", "Initech")
_UMBRELLA = ("org_umbrella", "Umbrella Health")

ACCOUNTS: dict[str, Account] = {
    a.id: a
    for a in (
        Account(
            "acct_bamboohr_demo",
            "bamboohr",
            "Acme - BambooHR",
            "active",
            "cp_bamboohr_default",
            origin_username="people-ops@acme.example",
        ),
        Account(
            "acct_bamboohr_globex",
            "bamboohr",
            "Globex - BambooHR",
            "active",
            "cp_bamboohr_default",
            origin_username="hr@globex.example",
            origin_owner_id=_GLOBEX[0],
            origin_owner_name=_GLOBEX[1],
            created_at="2025-11-03T16:20:00.000Z",
            updated_at="2026-02-18T08:45:00.000Z",
        ),
        Account(
            "acct_bamboohr_sandbox",
            "bamboohr",
            "Acme - BambooHR sandbox",
            "active",
            "cp_bamboohr_sandbox",
            origin_username="qa@acme.example",
            type="test",
            updated_at="2026-02-20T10:00:00.000Z",
        ),
        Account(
            "acct_bamboohr_initech",
            "bamboohr",
            "Initech - BambooHR",
            "inactive",
            "cp_bamboohr_default",
            origin_username="it-admin@initech.example",
            origin_owner_id=_INITECH[0],
            origin_owner_name=_INITECH[1],
            created_at="2025-08-14T12:00:00.000Z",
            updated_at="2026-02-21T03:12:00.000Z",
            status_reasons=(
                (
                    "token_expired",
                    "BambooHR rejected the stored API key (401) on the last three calls; "
                    "the customer must reconnect the account.",
                    "2026-02-21T03:12:00.000Z",
                ),
                (
                    "reconnect_requested",
                    "A reconnect link was emailed to it-admin@initech.example.",
                    "2026-02-21T09:00:00.000Z",
                ),
            ),
        ),
        Account(
            "acct_greenhouse_demo",
            "greenhouse",
            "Acme - Greenhouse",
            "active",
            "cp_greenhouse_default",
            origin_username="recruiting@acme.example",
        ),
        Account(
            "acct_hibob_demo",
            "hibob",
            "Acme - HiBob",
            "active",
            "cp_hibob_default",
            origin_username="people-ops@acme.example",
        ),
        Account(
            "acct_hibob_umbrella",
            "hibob",
            "Umbrella - HiBob",
            "error",
            "cp_hibob_default",
            origin_username="people@umbrella.example",
            origin_owner_id=_UMBRELLA[0],
            origin_owner_name=_UMBRELLA[1],
            updated_at="2026-02-22T17:40:00.000Z",
            status_reasons=(
                (
                    "provider_error",
                    "HiBob answered 500 to the last health check.",
                    "2026-02-22T17:40:00.000Z",
                ),
            ),
        ),
        Account(
            "acct_hibob_sandbox",
            "hibob",
            "Acme - HiBob sandbox",
            "expired",
            "cp_hibob_default",
            origin_username="qa@acme.example",
            type="test",
            updated_at="2026-02-10T00:00:00.000Z",
            status_reasons=(
                (
                    "sandbox_expired",
                    "HiBob deletes sandbox tenants after 30 days; link a new sandbox.",
                    "2026-02-10T00:00:00.000Z",
                ),
            ),
        ),
        Account(
            "acct_drive_demo",
            "google_drive",
            "Acme - Shared Drive",
            "active",
            "cp_google_drive_default",
            origin_username="it@acme.example",
            credentials={"refresh_token": "1//demo-refresh-token-never-store-me"},
            setup_information={"domain": "acme.example", "shared_drive": "People Ops"},
        ),
        Account(
            "acct_workday_demo",
            "workday",
            "Acme - Workday (implementation tenant)",
            "active",
            "cp_workday_default",
            origin_username="isu_stackone@acme.example",
            type="test",
        ),
        Account(
            "acct_suspended",
            "bamboohr",
            "Old subsidiary - BambooHR",
            "suspended",
            "cp_bamboohr_default",
            origin_username="admin@old-subsidiary.example",
            status_reasons=(
                (
                    "credentials_revoked",
                    "The API key was revoked in BambooHR; reconnect the account.",
                    "2026-02-01T08:00:00.000Z",
                ),
            ),
        ),
    )
}
