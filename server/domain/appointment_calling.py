"""How an appointment joins the queue on its day, and where its ticket stands: pure rules.

Stated precisely in docs/appointments.md, "The calling rule":

1. **Check-in** (:func:`check_in`). A booking may be checked in from ``early_checkin_min`` before
   its slot (``too_early`` before that; another day: ``wrong_day``). Checked in at or before
   ``slot + grace_min``, its ticket is an *appointment ticket*: it carries the slot's time
   (``appointment_at``). Later than that it is ``late``: its ticket is a walk-in's (no
   ``appointment_at``), in line from the moment it arrived.
2. **Call time** (:func:`call_at`). A ticket's place in the call order is its *call time*: the
   slot's time for an appointment ticket, the issue time for any other. The call-next order
   (``call_next.order_key``) uses it in place of the issue time, so an appointment ticket is
   called ahead of every walk-in of its kind who arrived after its slot time, and after those who
   arrived before it; priority and the calling profiles apply unchanged.
3. **Not before the slot** (:func:`callable_now`). An appointment ticket is not called before its
   slot's time: checked in early, it waits until then.
4. **No-show** (:func:`status_now`). A booking still ``booked`` once ``slot + grace_min`` has
   passed is a ``no_show``: it never holds a place in the queue, and the counters go on with
   whoever waits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol, TypeVar

CheckIn = Literal["too_early", "wrong_day", "on_time", "late"]


class Placed(Protocol):
    """What the rule reads of a waiting ticket (``call_next.Waiting``)."""

    @property
    def issued_at(self) -> float: ...

    @property
    def appointment_at(self) -> float | None: ...


T = TypeVar("T", bound=Placed)


def call_at(ticket: Placed) -> float:
    """The moment a ticket's place in the call order counts from (rule 2)."""
    return ticket.issued_at if ticket.appointment_at is None else ticket.appointment_at


def callable_now(ticket: Placed, now: float) -> bool:
    """False for an appointment ticket before its slot's time (rule 3)."""
    return ticket.appointment_at is None or ticket.appointment_at <= now


def only_callable(tickets: Iterable[T], now: float) -> list[T]:
    """The tickets a counter may call at ``now`` (rule 3 applied to a pool)."""
    return [t for t in tickets if callable_now(t, now)]


def check_in(
    slot_at: float,
    slot_day: str,
    today: str,
    now: float,
    grace_s: float,
    early_s: float,
) -> CheckIn:
    """What a check-in at ``now`` gives a booking of the slot at ``slot_at`` (rule 1)."""
    if slot_day != today:
        return "wrong_day"
    if now < slot_at - early_s:
        return "too_early"
    if now <= slot_at + grace_s:
        return "on_time"
    return "late"


def status_now(status: str, slot_at: float, now: float, grace_s: float) -> str:
    """A booking's status at ``now``: ``booked`` past ``slot + grace`` reads ``no_show``."""
    if status == "booked" and now > slot_at + grace_s:
        return "no_show"
    return status


def punctual(slot_at: float, called_at: float | None, within_s: float) -> bool:
    """Called within ``within_s`` of the slot's time (the dashboard's punctuality)."""
    return called_at is not None and called_at - slot_at <= within_s
