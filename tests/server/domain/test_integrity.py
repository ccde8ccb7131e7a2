"""The integrity report's pure rules: what each kind counts, how a reason is published, and
where a called ticket's priority comes from."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.domain.integrity import (
    DayEvent,
    DayHead,
    classify_reason,
    summarize,
    unknown_priorities,
)

KNOWN = {"returning", "special_needs", "appointment", "manager_request", "other"}


def event(
    seq: int,
    kind: str,
    ticket: int | None = None,
    priority: bool | None = None,
    reason: str | None = None,
) -> DayEvent:
    return DayEvent(seq, 1000.0 + seq, kind, ticket, f"A-{ticket or 0:03d}", 2, reason, priority)


def test_a_reason_is_published_only_as_a_known_id() -> None:
    assert classify_reason("special_needs", KNOWN) == "special_needs"
    assert classify_reason("  appointment  ", KNOWN) == "appointment"
    assert classify_reason("appointment: booked by Mr Haddad", KNOWN) == "appointment"
    assert classify_reason("Mr Haddad's cousin", KNOWN) == "other"
    assert classify_reason("Special_needs", KNOWN) == "other"  # ids are exact
    assert classify_reason("unknown: note", KNOWN) == "other"
    assert classify_reason("", KNOWN) == "other"
    assert classify_reason(None, KNOWN) == "other"


def test_each_kind_counts_where_it_should() -> None:
    events = [
        event(1, "ticket_issued", 1, priority=False),
        event(2, "ticket_issued", 2, priority=True),
        event(3, "ticket_issued", 3, priority=False),
        event(4, "ticket_called", 2),
        event(5, "ticket_called_out_of_order", 3, reason="returning"),
        event(6, "ticket_transfer", 3),
        event(7, "ticket_called", 3),
        event(8, "ticket_called", 1),
        event(9, "ticket_no_show", 1),
        event(10, "ticket_no_show_undone", 1),
        event(11, "ticket_no_show", 1),
        event(12, "ticket_next_step", 2, priority=False),
        event(13, "ticket_reprinted", 2),
        event(14, "ticket_called", 2),
    ]
    figures = summarize(events, KNOWN)
    assert (figures.issued, figures.called, figures.called_in_order) == (3, 5, 4)
    assert figures.called_out_of_order == 1 and figures.transfers == 1
    assert (figures.no_shows, figures.next_steps, figures.reprints) == (1, 1, 1)
    assert figures.priority_calls == 1  # ticket 2 at its first call; its next step was not raised
    assert figures.share_in_order == 4 / 5 and figures.share_priority == 1 / 5
    assert [(c.number, c.reason) for c in figures.out_of_order] == [("A-003", "returning")]


def test_a_priority_raised_at_a_next_step_counts_from_then_on() -> None:
    events = [
        event(1, "ticket_issued", 7, priority=False),
        event(2, "ticket_called", 7),
        event(3, "ticket_next_step", 7, priority=True),
        event(4, "ticket_called", 7),
    ]
    assert summarize(events, KNOWN).priority_calls == 1


def test_a_ticket_issued_on_an_earlier_day_takes_its_priority_from_there() -> None:
    events = [event(1, "ticket_issued", 5, priority=False), event(2, "ticket_called", 9)]
    assert unknown_priorities(events) == [9]
    assert summarize(events, KNOWN, {9: True}).priority_calls == 1
    assert summarize(events, KNOWN).priority_calls == 0


def test_nobody_called_has_no_shares() -> None:
    figures = summarize([event(1, "ticket_issued", 1, priority=False)], KNOWN)
    assert figures.share_in_order is None and figures.share_priority is None


def test_the_head_prints_as_verify_reads_it() -> None:
    from nafitha.chain import parse_head

    head = DayHead(81234, "9f" * 32, 0.0)
    parsed = parse_head(head.text)
    assert (parsed.seq, parsed.hash) == (81234, "9f" * 32)


kinds = st.sampled_from(
    ["ticket_issued", "ticket_called", "ticket_called_out_of_order", "ticket_transfer"]
)


@given(st.lists(st.tuples(kinds, st.integers(1, 20), st.booleans(), st.text(max_size=30))))
def test_figures_hold_together_whatever_the_day(rows: list[tuple[str, int, bool, str]]) -> None:
    events = [
        event(i, kind, ticket, priority if kind == "ticket_issued" else None, reason)
        for i, (kind, ticket, priority, reason) in enumerate(rows, start=1)
    ]
    figures = summarize(events, KNOWN)
    assert figures.called == sum(k.startswith("ticket_called") for k, *_ in rows)
    assert len(figures.out_of_order) == figures.called_out_of_order
    assert {c.reason for c in figures.out_of_order} <= KNOWN
    assert 0 <= figures.priority_calls <= figures.called
    if figures.called:
        assert 0 <= figures.share_in_order <= 1  # type: ignore[operator]
