"""What the kiosk says about a service's cut-off and its tickets-per-person limit, before a ticket.

Pure (no window): the service buttons, the cut-off notice and the person prompt read these. The
server decides (``cutoff`` in the services list, docs/kiosk.md); the kiosk only shows its times
in the center's zone, never the zone of the kiosk PC.
"""

from __future__ import annotations

import re

from kiosk.catalog import ServiceView
from nafitha.formats import format_time
from nafitha.text import t

# What the keypad accepts for each way of identifying a person (the server checks it again).
DIGITS = {"phone": (6, 15), "id_digits": (4, 4)}


def past_cutoff(service: ServiceView | None) -> bool:
    """Open, but a ticket taken now would not be called before closing: the button explains."""
    return bool(service and service.is_open and service.cutoff and service.cutoff.past_cutoff)


def cutoff_line(service: ServiceView, lang: str, timezone: str) -> str:
    """The button's line: the last-ticket time, or that no more tickets are issued today."""
    cutoff = service.cutoff
    if cutoff is None or not service.is_open or not cutoff.last_ticket_at:
        return ""
    close = format_time(cutoff.closes_at or cutoff.last_ticket_at, timezone)
    if cutoff.past_cutoff:
        return t("kiosk.cutoff_past", lang, time=close)
    if cutoff.overridden:
        return t("kiosk.cutoff_until_close", lang, time=close)
    return t("kiosk.cutoff_last_ticket", lang, time=format_time(cutoff.last_ticket_at, timezone))


def cutoff_notice(service: ServiceView | None, lang: str, timezone: str) -> str:
    """The clear message shown instead of the confirm screen for a service past its cut-off."""
    if service is None or service.cutoff is None:
        return ""
    close = format_time(service.cutoff.closes_at or service.cutoff.last_ticket_at or 0, timezone)
    return t("kiosk.cutoff_notice", lang, service=service.title(lang), close=close)


def needs_person(service: ServiceView | None) -> bool:
    """Only a service limiting tickets per person asks who takes the ticket."""
    return bool(service and service.limit)


def person_complete(value: str, identify_by: str) -> bool:
    """Enough digits typed for the service's way of identifying (and no more)."""
    low, high = DIGITS.get(identify_by, DIGITS["phone"])
    return bool(re.fullmatch(r"[0-9]*", value)) and low <= len(value) <= high


def person_typed(value: str, digit: str, identify_by: str) -> str:
    """``value`` with one more digit, unless it is full already."""
    _, high = DIGITS.get(identify_by, DIGITS["phone"])
    return value + digit if digit.isdigit() and len(value) < high else value
