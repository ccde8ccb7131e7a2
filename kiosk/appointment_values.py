"""The pure pieces of the kiosk's appointments: what a scan is, what a typed code lacks, the words
and times the screens and papers show (in the center's zone), the slip built from the server's
answer. No window, no server: tested alone (tests/kiosk/test_appointment_values.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from nafitha.formats import format_time
from nafitha.reference import Malformed, Mistyped, kind_of, parse_reference
from nafitha.reference import normalize as compact
from nafitha.text import both, t
from printers.booking_slip import WEEKDAYS, BookingSlip, day_words

# refusals about a booking that exists: each has its own screen (title, body with its times)
OUTCOMES = {
    "checkin_too_early": "too_early",
    "checkin_wrong_day": "wrong_day",
    "already_checked_in": "already",
    "booking_cancelled": "cancelled",
}


def _link_part(text: str, marker: str) -> str | None:
    """The last path part of a scanned ``http://…/<marker>/<part>`` link, or None."""
    candidate = text.strip()
    if "://" not in candidate:
        return None
    parts = urlsplit(candidate).path.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == marker and parts[-1]:
        return unquote(parts[-1])
    return None


def route_scan(text: str) -> tuple[str, str] | None:
    """What a scan is for this module: ``("booking", code)``, ``("place", token)`` or None.

    A booking's QR holds its ``/a/<code>`` link and the slip's barcode the bare code; a bare
    code is ours only when it passes the booking check (a file reference goes on to "where is
    my file"). A phone place's QR holds its ``/p/<token>`` link.
    """
    code = _link_part(text, "a")
    if code is not None:
        return "booking", compact(code)
    token = _link_part(text, "p")
    if token is not None:
        return "place", token
    if "://" not in text and kind_of(text.strip()) == "booking":
        return "booking", compact(text.strip())
    return None


def typed_problem(typed: str) -> dict[str, Any]:
    """Why the typed code cannot be a booking code ({} when it may be sent), said at once."""
    parsed = parse_reference(typed, kind="booking")
    if isinstance(parsed, Malformed):
        return {"code": "reference_malformed", "message": both("appointments.q_code_short")}
    if isinstance(parsed, Mistyped):
        return {"code": "reference_mistyped", "message": both("appointments.q_code_mistyped")}
    return {}


def result_title(outcome: str, kind: str, lang: str) -> str:
    """The result screen's title for a check-in's or a place's outcome."""
    key = {
        "checked_in": "q_checked_in_title",
        "late": "q_late_title",
        "place": "q_place_confirmed_title",
        "too_early": "q_too_early_title",
        "wrong_day": "q_wrong_day_title",
        "already": "q_already_title",
        "cancelled": "q_cancelled_title",
    }.get(outcome)
    if key is None:
        key = "q_place_title" if kind == "place" else "q_checkin_title"
        if outcome == "refused":
            key = "q_place_refused_title" if kind == "place" else "q_refused_title"
    return t(f"appointments.{key}", lang)


def is_late(answer: dict[str, Any]) -> bool:
    """A late arrival beyond the grace: its ticket is a walk-in's (no appointment line)."""
    ticket = answer.get("ticket") or {}
    return bool(answer.get("late") or ticket.get("late"))


def slot_time(appointment: dict[str, Any], timezone: str) -> str:
    """The booking's slot as ``09:15`` in the center's zone ("" when not known)."""
    if appointment.get("at") is not None:
        return format_time(float(appointment["at"]), timezone)
    return str(appointment.get("start") or "")


def day_of(appointment: dict[str, Any], timezone: str, lang: str) -> str:
    """The booking's day in words, ``Monday 30/11/2026``, in the center's zone."""
    moment = datetime.fromtimestamp(float(appointment["at"]), UTC)
    return day_words(moment, timezone, lang)


PHONE_DIGITS = (6, 15)  # what the keypad accepts; the server validates the number itself


def slip_of(booking: dict[str, Any], center: dict[str, str], lang: str, zone: str) -> BookingSlip:
    """The printable slip for the server's booking answer, in the citizen's language."""
    start = datetime.fromtimestamp(float(booking["at"]), UTC)
    end_text = str(booking.get("end") or "")
    end = start
    if end_text:
        local = start.astimezone(ZoneInfo(zone))
        hours, minutes = (int(part) for part in end_text.split(":")[:2])
        end = local.replace(hour=hours, minute=minutes)
    name = booking.get("service_name") or {"ar": booking["service"], "en": booking["service"]}
    return BookingSlip(
        center_name=center or {"ar": "", "en": ""},
        code=str(booking["code"]),
        url=str(booking["url"]),
        service_name=name,
        starts_at=start,
        ends_at=end,
        timezone=zone,
        documents=tuple(booking.get("documents") or ()),
        lang=lang,
    )


def today_in(zone: str, now: float | None = None) -> str:
    """Today's date in the center's zone (``YYYY-MM-DD``): the first day offered."""
    moment = datetime.fromtimestamp(now, UTC) if now is not None else datetime.now(UTC)
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


def phone_ok(phone: str) -> bool:
    low, high = PHONE_DIGITS
    return phone.isdigit() and low <= len(phone) <= high


def name_in(item: dict[str, Any], lang: str) -> str:
    """A service's name in ``lang`` from a services or booking answer (its id when nameless)."""
    name = item.get("name") or item.get("service_name") or {}
    if isinstance(name, dict):
        return str(name.get(lang) or name.get("en") or item.get("id", ""))
    return str(name or item.get("id", ""))


def free_slots(day: dict[str, Any]) -> int:
    """How many of a day's slots can still be booked (a closed day: none)."""
    if day.get("closed"):
        return 0
    return sum(1 for s in day.get("slots") or () if int(s.get("free") or 0) > 0)


def day_label(day: dict[str, Any], lang: str) -> str:
    """``Monday 30/11/2026`` for a day of the slots answer (its date, no time involved)."""
    date = datetime.strptime(str(day.get("day")), "%Y-%m-%d").date()
    weekday = t(f"appointments.q_weekday_{WEEKDAYS[date.weekday()]}", lang)
    return f"{weekday} {date.strftime('%d/%m/%Y')}"


def day_note(day: dict[str, Any], lang: str) -> str:
    """A day button's second line: closed (and why), fully booked, or how many times are free."""
    if day.get("closed"):
        reason = day.get("reason")
        text = reason.get(lang) if isinstance(reason, dict) else ""
        return text or t("appointments.q_day_closed", lang)
    free = free_slots(day)
    if not free:
        return t("appointments.q_day_full", lang)
    return t("appointments.q_day_free", lang, free=free)
