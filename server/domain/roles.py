"""Who may do what: the roles, the one permission table, and the one check, ``require()``.

The API's dependencies (``server/api/deps.py``: ``Depends(permit(Can.X))``) and the use cases call
the same ``require(actor, Can.X)``; nothing else compares role names. A person has one of the
people's roles; a device acts with its kind as its role. Rules that depend on the thing acted on
(a clerk acts only on tickets their counter may call) live with the use case and are phrased in
terms of these permissions (``Can.ACT_ON_ANY_TICKET``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from server.domain.errors import Refusal


class Role(StrEnum):
    """People's roles (``people.role``) and device kinds (``devices.kind``)."""

    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"  # reads the audit log, statistics and signed heads; changes nothing
    KIOSK = "kiosk"
    COUNTER = "counter"  # a counter PC's device token (the clerk still signs in)
    BOARD = "board"


PEOPLE: frozenset[Role] = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN, Role.AUDITOR})
DEVICES: frozenset[Role] = frozenset({Role.KIOSK, Role.COUNTER, Role.BOARD})

# The order of people's roles for rules stated as "at least": a file workflow's stage role.
# An auditor ranks below a clerk: it reads, it never moves anything.
RANK: dict[str, int] = {Role.AUDITOR: 0, Role.CLERK: 1, Role.MANAGER: 2, Role.ADMIN: 3}


def ranks_at_least(role: str | None, needed: str) -> bool:
    """Whether a person's ``role`` ranks at least ``needed`` (admin > manager > clerk)."""
    return RANK.get(role or "", -1) >= RANK[needed]


class Can(StrEnum):
    """Everything the permission table grants."""

    ISSUE_TICKET = "issue_ticket"
    VIEW_TICKET = "view_ticket"
    ACT_ON_TICKET = "act_on_ticket"  # a clerk: only tickets their counter may call or holds
    ACT_ON_ANY_TICKET = "act_on_any_ticket"  # any waiting ticket, without a counter
    SERVE_AT_COUNTER = "serve_at_counter"  # call next / out of order, pause, resume (at it)
    VIEW_QUEUE = "view_queue"
    OWN_SESSION = "own_session"  # who am I, sign out
    RAISE_ALERT = "raise_alert"
    HANDLE_ALERTS = "handle_alerts"
    OPEN_FILE = "open_file"
    VIEW_FILES = "view_files"
    MOVE_FILE = "move_file"  # further limited by the stage's role in the workflow
    VIEW_OVERDUE_FILES = "view_overdue_files"
    VIEW_STATS = "view_stats"
    SET_BOARD_MESSAGE = "set_board_message"
    OVERRIDE_CUTOFF = "override_cutoff"  # keep a service issuing past its cut-off today
    EDIT_CATALOG = "edit_catalog"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_DEVICES = "manage_devices"
    READ_AUDIT = "read_audit"
    READ_CHAIN_HEADS = "read_chain_heads"  # the signed chain heads, and signing one now
    SET_CALL_PROFILE = "set_call_profile"  # the center's and the counters' calling profiles
    REPRINT_AT_KIOSK = "reprint_at_kiosk"  # by the QR's token or the typed number
    REPRINT_TICKET = "reprint_ticket"  # at the counter, by id: the clerk's own tickets
    RAISE_SILENT_ALARM = "raise_silent_alarm"  # only at the counter one is signed in at
    HANDLE_COMPLAINTS = "handle_complaints"  # read, review, answer, close, mark spam
    # ratings of visits (docs/ratings.md)
    RATE_AT_COUNTER = "rate_at_counter"  # the counter's small rating screen (a device)
    CHECK_IN_APPOINTMENT = "check_in_appointment"  # the kiosk, or a clerk for the citizen
    MANAGE_APPOINTMENTS = "manage_appointments"  # close days and slots, read the figures
    VIEW_RATINGS = "view_ratings"  # everyone's ratings and comments, the CSV
    VIEW_OWN_RATINGS = "view_own_ratings"  # a clerk's own averages only


_STAFF = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})
_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
_ADMINS = frozenset({Role.ADMIN})

PERMISSIONS: dict[Can, frozenset[Role]] = {
    Can.ISSUE_TICKET: _STAFF | {Role.KIOSK},
    Can.VIEW_TICKET: _STAFF,
    Can.ACT_ON_TICKET: _STAFF,
    Can.ACT_ON_ANY_TICKET: _MANAGERS,
    Can.SERVE_AT_COUNTER: _STAFF,
    Can.VIEW_QUEUE: _STAFF,
    Can.OWN_SESSION: _STAFF | {Role.AUDITOR},
    Can.RAISE_ALERT: _STAFF | {Role.KIOSK, Role.COUNTER, Role.BOARD},
    Can.HANDLE_ALERTS: _STAFF,
    Can.OPEN_FILE: _STAFF,
    Can.VIEW_FILES: _STAFF,
    Can.MOVE_FILE: _STAFF,
    Can.VIEW_OVERDUE_FILES: _MANAGERS,
    Can.VIEW_STATS: _MANAGERS | {Role.AUDITOR},
    Can.SET_BOARD_MESSAGE: _MANAGERS,
    Can.OVERRIDE_CUTOFF: _MANAGERS,
    Can.EDIT_CATALOG: _ADMINS,
    Can.MANAGE_PEOPLE: _ADMINS,
    Can.MANAGE_DEVICES: _ADMINS,
    Can.READ_AUDIT: _ADMINS | {Role.AUDITOR},
    Can.READ_CHAIN_HEADS: _MANAGERS | {Role.AUDITOR},
    Can.SET_CALL_PROFILE: _MANAGERS,
    Can.REPRINT_AT_KIOSK: frozenset({Role.KIOSK}),
    Can.REPRINT_TICKET: _STAFF,
    Can.RAISE_SILENT_ALARM: _STAFF,
    Can.HANDLE_COMPLAINTS: _MANAGERS,
    Can.RATE_AT_COUNTER: frozenset({Role.KIOSK, Role.COUNTER}),
    Can.CHECK_IN_APPOINTMENT: _STAFF | {Role.KIOSK},
    Can.MANAGE_APPOINTMENTS: _MANAGERS,
    Can.VIEW_RATINGS: _MANAGERS,
    Can.VIEW_OWN_RATINGS: _STAFF,
}


class Someone(Protocol):
    """What ``require`` needs of an actor (``server.usecases.context.Actor``)."""

    @property
    def kind(self) -> str: ...

    @property
    def role(self) -> str | None: ...

    @property
    def counter(self) -> str | None: ...


def may(actor: Someone, permission: Can) -> bool:
    """Whether ``actor`` holds ``permission`` (anyone without a token holds none)."""
    if actor.kind == "anonymous" or actor.role is None:
        return False
    granted = PERMISSIONS[permission]
    if actor.kind == "person":
        return actor.role in PEOPLE and actor.role in granted
    return actor.role in DEVICES and actor.role in granted


def require(actor: Someone, permission: Can) -> None:
    """Refuse unless ``actor`` holds ``permission``: 401 for anyone, 403 for the wrong role."""
    if actor.kind == "anonymous":
        raise Refusal("unauthenticated")
    if not may(actor, permission):
        raise Refusal("forbidden")


def counter_may_call(
    counter: str, services: frozenset[str], service: str, target_counter: str | None
) -> bool:
    """Whether ``counter`` (serving ``services``) may call a waiting ticket: one of its services
    not sent to another counter, or any ticket sent to it."""
    if target_counter is not None:
        return target_counter == counter
    return service in services


def require_ticket(
    actor: Someone,
    state: str,
    ticket_counter: str | None,
    service: str,
    target_counter: str | None,
    counter_services: frozenset[str],
) -> None:
    """Refuse unless ``actor`` may act on this ticket (recall, transfer, cancel...).

    Managers act on any ticket. A clerk acts on a called or serving ticket only at its counter
    (``not_at_counter``), and on a waiting ticket only if signed in at a counter that may call it
    (``not_your_ticket``); ``counter_services`` are the services of the clerk's counter.
    """
    require(actor, Can.ACT_ON_TICKET)
    if may(actor, Can.ACT_ON_ANY_TICKET):
        return
    if state in ("called", "serving"):
        if actor.counter is None or actor.counter != ticket_counter:
            raise Refusal("not_at_counter")
    elif state == "waiting":
        if actor.counter is None:
            raise Refusal("not_at_counter")
        if not counter_may_call(actor.counter, counter_services, service, target_counter):
            raise Refusal("not_your_ticket")
