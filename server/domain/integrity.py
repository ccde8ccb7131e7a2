"""The published fairness report of one day, computed from that day's events (pure).

What a citizen, a journalist or an auditor may read about a center's day without any name: how
many tickets were issued and called, the share called by the counter's own rule (``ticket_called``)
against those called out of order (``ticket_called_out_of_order``, each listed with its time,
ticket, counter and reason), transfers, the priority share of calls, and (when the log holds them)
visits moved to a next step, reprints and no-shows. A reason is published only as one of the
center's reason ids; any other text a clerk typed is published as ``other`` and stays in the
audit log, since free text may name a person.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

OTHER = "other"
# A reason may carry a note after its id ("appointment: booked by phone"): the id is published,
# the note is not.
NOTE_SEPARATOR = ":"
TRANSFER_KINDS = frozenset({"ticket_transfer", "ticket_transferred"})
CALL_KINDS = frozenset({"ticket_called", "ticket_called_out_of_order"})


@dataclass(frozen=True)
class DayHead:
    """The day's last event: anyone can check it with ``nafitha audit verify --head SEQ:HASH``."""

    seq: int
    hash: str
    at: float

    @property
    def text(self) -> str:
        """Exactly what ``--head`` accepts (:func:`nafitha.chain.parse_head`)."""
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class DayEvent:
    """One counted event of the day, reduced to what the report may use."""

    id: int
    at: float
    kind: str
    ticket_id: int | None
    number: str | None  # calls out of order only
    counter_number: int | None  # calls out of order only
    reason: str | None  # calls out of order only (may be free text: never published as such)
    priority: bool | None  # the priority this event gave its ticket (issue, later changes)


@dataclass(frozen=True)
class OutOfOrderCall:
    at: float
    number: str
    counter_number: int | None
    reason: str  # one of the center's reason ids, or ``other``


@dataclass(frozen=True)
class DayFigures:
    issued: int = 0
    called_in_order: int = 0
    called_out_of_order: int = 0
    priority_calls: int = 0
    transfers: int = 0
    next_steps: int = 0
    reprints: int = 0
    no_shows: int = 0
    out_of_order: tuple[OutOfOrderCall, ...] = field(default_factory=tuple)

    @property
    def called(self) -> int:
        return self.called_in_order + self.called_out_of_order

    @property
    def share_in_order(self) -> float | None:
        """Calls by the counter's rule over all calls; None when nobody was called."""
        return self.called_in_order / self.called if self.called else None

    @property
    def share_priority(self) -> float | None:
        return self.priority_calls / self.called if self.called else None


def classify_reason(reason: str | None, known: Collection[str]) -> str:
    """The reason as published: a known id (alone or before ``:`` and a note), else ``other``."""
    text = (reason or "").strip()
    if text in known:
        return text
    head, sep, _note = text.partition(NOTE_SEPARATOR)
    if sep and head.strip() in known:
        return head.strip()
    return OTHER


def unknown_priorities(events: Iterable[DayEvent]) -> list[int]:
    """Tickets called in these events whose priority they do not hold (issued another day)."""
    known: set[int] = set()
    missing: list[int] = []
    for event in events:
        if event.ticket_id is None:
            continue
        if event.priority is not None:
            known.add(event.ticket_id)
        elif event.kind in CALL_KINDS and event.ticket_id not in known:
            known.add(event.ticket_id)
            missing.append(event.ticket_id)
    return missing


def summarize(
    events: Iterable[DayEvent],
    known_reasons: Collection[str],
    earlier_priorities: Mapping[int, bool] | None = None,
) -> DayFigures:
    """The day's figures from its counted events (oldest first); ``earlier_priorities`` holds
    the priority of tickets issued before the day (see :func:`unknown_priorities`)."""
    priority: dict[int, bool] = dict(earlier_priorities or {})
    counts = dict.fromkeys(
        (
            "issued",
            "called_in_order",
            "called_out_of_order",
            "priority_calls",
            "transfers",
            "next_steps",
            "reprints",
            "no_shows",
        ),
        0,
    )
    out_of_order: list[OutOfOrderCall] = []
    for event in events:
        kind = event.kind
        if event.priority is not None and event.ticket_id is not None:
            priority[event.ticket_id] = event.priority
        if kind == "ticket_issued":
            counts["issued"] += 1
        elif kind in CALL_KINDS:
            if event.ticket_id is not None and priority.get(event.ticket_id, False):
                counts["priority_calls"] += 1
            if kind == "ticket_called":
                counts["called_in_order"] += 1
            else:
                counts["called_out_of_order"] += 1
                out_of_order.append(
                    OutOfOrderCall(
                        event.at,
                        event.number or "",
                        event.counter_number,
                        classify_reason(event.reason, known_reasons),
                    )
                )
        elif kind in TRANSFER_KINDS:
            counts["transfers"] += 1
        elif kind == "ticket_next_step":
            counts["next_steps"] += 1
        elif kind == "ticket_reprinted":
            counts["reprints"] += 1
        elif kind == "ticket_no_show":
            counts["no_shows"] += 1
        elif kind == "ticket_no_show_undone":
            counts["no_shows"] = max(0, counts["no_shows"] - 1)
    return DayFigures(**counts, out_of_order=tuple(out_of_order))
