"""A counter's calling profile: main and helping services, and priority against normal tickets.

Pure rules (time and the counter's recent calls are passed in); docs/server.md, "Calling
profiles", says the same in words. One call at a counter goes:

1. **Pool.** The candidates are the tickets the counter may call: those of its main services (not
   sent to another counter), those sent to it by a transfer, and those of its helping services.
   While a main candidate waits, the pool is the main candidates plus, with
   ``help_after_target``, the candidates of every helped service whose oldest ticket has waited
   past its target; when no main candidate waits, the pool is the helped candidates.
2. **Kind.** Within the pool, priority against normal, by ``profile.priority``:
   - ``first``: a priority ticket whenever one waits;
   - ``ratio``: when both kinds wait, a priority ticket once ``normal_per_priority`` (N) normal
     calls were made in a row, else a normal one;
   - ``capped``: when both kinds wait, a priority ticket unless ``max_priority_run`` (M) priority
     calls were made in a row, then a normal one.
   When one kind only waits, that kind.
3. **Order.** Within the kind, the counter's ``policy`` (``call_next.order_key``): the longest
   wait, or the largest share of the service's target wait; then the lower id.

The run (``Run``: the kind of the counter's last calls and how many in a row) is what the ratio
needs; the store keeps it per counter and updates it in the call's transaction.

**The bound** (longest-wait order; proved in docs/server.md, checked by property tests). Let a
ticket T be in a counter's pool and stay there, ``a`` the tickets of T's kind the counter may
call that the order puts before T (tickets issued later never are; one transferred in later
with an earlier issue time adds one). Then T is called within K calls of that counter, whatever
is issued meanwhile:

- ``ratio`` N: normal T: ``K = a + 1 + ceil((a + 1) / N)``; priority T: ``K = (a + 1)(N + 1)``;
- ``capped`` M: normal T: ``K = (a + 1)(M + 1)``; priority T: ``K = a + 1 + ceil((a + 1) / M)``;
- ``first``: priority T: ``K = a + 1``; a normal T waits also for every priority ticket that
  arrives meanwhile: no bound without one on arrivals (choose ``ratio`` or ``capped`` for one).

A helped ticket stays in the pool, and the bound holds for it, once it has itself waited past its
service's target (with ``help_after_target``: its service's oldest has then too, until it is
called); before that, or without ``help_after_target``, it is in the pool only while no main
ticket waits, and its own main counters are what bound its wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import ceil
from typing import Literal, Protocol

from server.domain.appointment_calling import call_at, only_callable
from server.domain.call_next import Policy, Waiting, order_key

Kind = Literal["normal", "priority"]
Rule = Literal["policy", "main", "help", "priority", "ratio"]


class Profile(Protocol):
    """What the rules read of a profile (``server.config.CallProfile``)."""

    @property
    def policy(self) -> Policy: ...

    @property
    def priority(self) -> Literal["first", "ratio", "capped"]: ...

    @property
    def normal_per_priority(self) -> int: ...

    @property
    def max_priority_run(self) -> int: ...

    @property
    def help_after_target(self) -> bool: ...


@dataclass(frozen=True)
class Run:
    """The counter's last calls: of which kind, and how many in a row (0: none yet today)."""

    kind: Kind | None = None
    length: int = 0

    def of(self, kind: Kind) -> int:
        """How many calls of ``kind`` in a row end the counter's calls."""
        return self.length if self.kind == kind else 0

    def after(self, priority: bool) -> Run:
        """The run once a ticket of that kind is called."""
        kind: Kind = "priority" if priority else "normal"
        return Run(kind, self.of(kind) + 1)


@dataclass(frozen=True)
class Choice:
    """The ticket a counter calls, and the rule that chose it (the event's ``profile``)."""

    ticket: Waiting
    rule: Rule


def is_main(ticket: Waiting, counter: str, main: frozenset[str]) -> bool:
    """Sent to this counter, or of one of its main services and sent nowhere."""
    if ticket.target_counter is not None:
        return ticket.target_counter == counter
    return ticket.service in main


def is_helped(ticket: Waiting, helps: frozenset[str], main: frozenset[str]) -> bool:
    """Of a service the counter helps with (and not a main one), sent nowhere."""
    return ticket.target_counter is None and ticket.service in helps and ticket.service not in main


def past_target(
    tickets: Iterable[Waiting], now: float, target_wait_s: Mapping[str, float]
) -> frozenset[str]:
    """The services whose oldest ticket among ``tickets`` has waited longer than its target."""
    oldest: dict[str, float] = {}
    for t in tickets:
        oldest[t.service] = min(oldest.get(t.service, call_at(t)), call_at(t))
    return frozenset(s for s, at in oldest.items() if now - at > target_wait_s.get(s, 900.0))


def pool(
    waiting: Iterable[Waiting],
    counter: str,
    main: frozenset[str],
    helps: frozenset[str],
    help_after_target: bool,
    now: float,
    target_wait_s: Mapping[str, float],
) -> tuple[list[Waiting], list[Waiting]]:
    """(the main tickets of the pool, the helped ones) for this call (rule 1 of the module)."""
    tickets = list(waiting)
    mains = [t for t in tickets if is_main(t, counter, main)]
    helped = [t for t in tickets if is_helped(t, helps, main)]
    if not mains:
        return [], helped
    if not help_after_target:
        return mains, []
    due = past_target(helped, now, target_wait_s)
    return mains, [t for t in helped if t.service in due]


def kind_due(profile: Profile, run: Run, priority_waits: bool, normal_waits: bool) -> Kind | None:
    """Which kind the profile calls now (rule 2), None when nobody waits."""
    if not priority_waits:
        return "normal" if normal_waits else None
    if not normal_waits or profile.priority == "first":
        return "priority"
    if profile.priority == "ratio":
        return "priority" if run.of("normal") >= profile.normal_per_priority else "normal"
    return "normal" if run.of("priority") >= profile.max_priority_run else "priority"


def choose(
    waiting: Iterable[Waiting],
    counter: str,
    main: frozenset[str],
    helps: frozenset[str],
    profile: Profile,
    run: Run = Run(),
    now: float = 0.0,
    target_wait_s: Mapping[str, float] | None = None,
) -> Choice | None:
    """The ticket ``counter`` calls next under ``profile`` after ``run``, or None."""
    targets = target_wait_s or {}
    tickets = only_callable(waiting, now)  # an appointment ticket waits for its slot
    mains, helped = pool(tickets, counter, main, helps, profile.help_after_target, now, targets)
    candidates = mains + helped
    if not candidates:
        return None
    priority_waits = any(t.priority for t in candidates)
    normal_waits = any(not t.priority for t in candidates)
    both = priority_waits and normal_waits
    kind = kind_due(profile, run, priority_waits, normal_waits)
    of_kind = [t for t in candidates if t.priority == (kind == "priority")]
    ticket = min(of_kind, key=lambda t: order_key(t, profile.policy, now, targets))
    if not any(t is ticket for t in mains):
        rule: Rule = "help"
    elif both:
        rule = "priority" if profile.priority == "first" else "ratio"
    elif any(is_helped(t, helps, main) for t in tickets):
        rule = "main"  # helped tickets waited: main services first
    else:
        rule = "policy"
    return Choice(ticket, rule)


def bound(profile: Profile, priority: bool, ahead: int) -> int | None:
    """K: the calls of one counter within which a ticket in its pool is called (module docs).

    ``ahead``: the tickets of its kind that the counter may call and the order puts before it.
    None for a normal ticket under ``first`` (priority arrivals can delay it without limit).
    """
    n = ahead + 1
    if profile.priority == "ratio":
        per = profile.normal_per_priority
        return n + ceil(n / per) if not priority else n * (per + 1)
    if profile.priority == "capped":
        cap = profile.max_priority_run
        return n * (cap + 1) if not priority else n + ceil(n / cap)
    return n if priority else None
