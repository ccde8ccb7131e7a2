"""What came of a check-in or a phone place's confirmation: the printed ticket (an appointment
ticket with its slot, or a walk-in ticket for a late arrival) or, clearly, why not: too early
(come back at HH:MM), another day, already checked in, cancelled (kiosk/appointments.py)."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

TICKET_OUTCOMES = ("checked_in", "late", "place")


class AppointmentResultScreen(KioskScreen):
    screen_name = "appointment_result"

    @staticmethod
    def has_ticket(outcome: str) -> bool:
        return outcome in TICKET_OUTCOMES
