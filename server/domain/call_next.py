"""Who is called next at a counter: the call-next policy, as a pure function.

Policy (documented in docs/server.md):
1. Only tickets waiting today for a service the counter serves, or sent to this counter by a
   transfer, are candidates; a ticket transferred to another counter is not.
2. Priority tickets (elderly, special needs) come first.
3. Then, by ``policy``:
   - ``longest_wait``: the ticket waiting longest (earliest issue time), whatever its service;
   - ``target_ratio``: the ticket whose wait is the largest share of its service's target wait, so a
     5-minute service is not starved by a 30-minute one; ties go to the longest waiting.
4. Remaining ties: the lower ticket id (first issued).
A transfer keeps the original issue time, so a transferred citizen does not start again at the end.
An appointment ticket counts from its slot's time instead of its issue time and is not called
before it (``server.domain.appointment_calling``, docs/appointments.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from server.domain.appointment_calling import call_at, callable_now

Policy = Literal["longest_wait", "target_ratio"]


@dataclass(frozen=True)
class Waiting:
    id: int
    service: str
    priority: bool
    issued_at: float
    target_counter: str | None = None
    appointment_at: float | None = None  # an appointment ticket's slot time (m032)


def is_candidate(ticket: Waiting, counter: str, services: frozenset[str]) -> bool:
    if ticket.target_counter is not None:
        return ticket.target_counter == counter
    return ticket.service in services


def order_key(
    ticket: Waiting, policy: Policy, now: float, target_wait_s: Mapping[str, float]
) -> tuple[float, ...]:
    """Smaller is called first (an appointment ticket counts from its slot: ``call_at``)."""
    since = call_at(ticket)
    if policy == "target_ratio":
        target = max(target_wait_s.get(ticket.service, 900.0), 1.0)
        ratio = (now - since) / target
        return (-int(ticket.priority), -ratio, since, ticket.id)
    return (-int(ticket.priority), since, ticket.id)


def choose_next(
    waiting: Iterable[Waiting],
    counter: str,
    services: frozenset[str],
    policy: Policy = "longest_wait",
    now: float = 0.0,
    target_wait_s: Mapping[str, float] | None = None,
) -> Waiting | None:
    """The ticket ``counter`` (serving ``services``) calls next, or None when nobody waits."""
    targets = target_wait_s or {}
    candidates = [t for t in waiting if is_candidate(t, counter, services) and callable_now(t, now)]
    if not candidates:
        return None
    return min(candidates, key=lambda t: order_key(t, policy, now, targets))
