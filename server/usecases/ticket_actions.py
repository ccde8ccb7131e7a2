"""What a clerk does with the ticket at the counter: recall, no-show, start, finish, transfer,
cancel, and undo a no-show, each one transaction and audited.

Rules beyond the lifecycle table (``server.domain.tickets``), so the counter never shows a key
that can only fail:

- **Finish implies start**: finishing a ticket that was called but never started records both
  (two events, ``ticket_start`` then ``ticket_finish``, in one transaction); the service is taken
  to have begun at the call.
- **No-show** only ``no_show_after_s`` after the call, or once the ticket was recalled: a citizen
  walking over from the far end of the hall is not dropped by a key pressed at once.
- **Undo a no-show**: for ``no_show_undo_s``, the clerk who marked it (or a manager) may bring the
  ticket back to their counter as called (``ticket_no_show_undone``), if the counter is free.
- **Finish with an outcome** (``outcome``, one of the service's ``outcomes``; optional, docs/
  server.md "Visits"): a step of a visit through several services that is not the last, finished
  with a resolved outcome or none, sends the same ticket on to the next step
  (:mod:`server.usecases.visit_steps`); the clerk's ``note`` travels with it.
- **Transfer**: the public event carries ``from_counter`` and ``to_counter``, so a board drops
  the ticket from its old counter at once.
- Refusals name states and actions in the reader's language (catalog texts), never as codes.
"""

from __future__ import annotations

from typing import Any

from nafitha.replay import ticket_changes
from server.domain.errors import Refusal
from server.domain.hours import iso
from server.domain.roles import Can, may, require_ticket
from server.domain.tickets import next_state
from server.store.events import append_event
from server.store.ticket_actions import ticket_at_counter, update_ticket
from server.usecases import ticket_sms
from server.usecases.catalog import Catalog, catalog_with, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.estimates import forget_service_time
from server.usecases.rating_sms import after_finish as rating_link
from server.usecases.ticket_view import counter_brief, fetch_ticket, public_event_fields, staff_view
from server.usecases.visit_steps import after_finish, finish_outcome

ACTIONS = ("recall", "no-show", "start", "finish", "transfer", "cancel", "undo-no-show")


def clerk_view(ctx: Context, row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """The staff view, plus when the counter may offer no-show (``no_show_at``) and until when
    it may undo one (``undo_until``), so it shows only what the server will accept."""
    view = staff_view(row, catalog)
    tz = catalog.center.timezone
    if row["state"] == "called" and row["called_at"] is not None:
        at = row["called_at"] + ctx.settings.no_show_after_s if not row["recalls"] else 0.0
        view["no_show_at"] = iso(max(at, row["called_at"]), tz)
    if row["state"] == "no_show" and row["finished_at"] is not None:
        view["undo_until"] = iso(row["finished_at"] + ctx.settings.no_show_undo_s, tz)
    return view


def get_ticket(ctx: Context, ticket_id: int) -> dict[str, Any]:
    """One ticket as a clerk sees it (``GET /api/v1/tickets/{id}``)."""
    catalog = load_catalog(ctx)
    return clerk_view(ctx, fetch_ticket(ctx.db.read(), ticket_id), catalog)


def wrong_state(state: str, action: str) -> Refusal:
    """``wrong_state`` with the state and the action as catalog texts in each language."""
    return Refusal(
        "wrong_state",
        state=_both(f"server.ticket_state_{state}"),
        action=_both(f"server.ticket_action_{action.replace('-', '_')}"),
    )


def _both(key: str) -> dict[str, str]:
    from nafitha.text import both

    return both(key)


def check_may_act(actor: Actor, row: dict[str, Any], catalog: Catalog) -> None:
    """A clerk acts on their counter's own tickets (``server.domain.roles.require_ticket``)."""
    at = catalog.counters.get(actor.counter) if actor.counter else None
    require_ticket(
        actor,
        row["state"],
        row["counter"],
        row["service"],
        row["target_counter"],
        frozenset(at.services) | frozenset(at.helps) if at else frozenset(),  # helping too
    )


def _state_after(row: dict[str, Any], action: str) -> str:
    try:
        return next_state(row["state"], action)
    except Refusal as refusal:
        if refusal.code == "wrong_state":
            raise wrong_state(row["state"], action) from None
        raise


def _check_transfer_target(catalog: Catalog, service: str | None, counter: str | None) -> None:
    if service is None and counter is None:
        raise Refusal("transfer_target_required")
    if service is not None:
        catalog.service(service)
    if counter is not None:
        target = catalog.counter(counter)
        if service is not None and service not in target.services:
            raise Refusal("counter_not_serving")


def _event(
    tx: Any,
    kind: str,
    now: float,
    actor: Actor,
    before: dict[str, Any],
    after: dict[str, Any],
    public: dict[str, Any],
    **data: Any,
) -> None:
    append_event(
        tx,
        kind,
        at=now,
        actor=actor.name,
        counter=before["counter"] or actor.counter,
        device=actor.device,
        ticket_id=before["id"],
        data={
            "number": before["number"],
            "from_state": before["state"],
            "to_state": after["state"],
            "from_service": before["service"],
            "to_service": after["service"],
            **data,
            "ticket": ticket_changes(before, after),  # what changed (docs/audit.md)
        },
        public=public,
    )


def ticket_action(
    ctx: Context,
    actor: Actor,
    ticket_id: int,
    action: str,
    service: str | None = None,
    counter: str | None = None,
    reason: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """recall, no-show, start, finish (with an ``outcome`` and a ``note`` for the next step),
    transfer (to ``service`` and/or ``counter``), cancel, or undo-no-show; the ticket as the
    clerk sees it afterwards."""
    if action not in ACTIONS:
        raise Refusal("unknown_action", action=action)
    if action == "undo-no-show":
        return undo_no_show(ctx, actor, ticket_id)
    catalog = catalog_with(ctx, service=service, counter=counter)
    now = ctx.now()
    if action == "transfer":
        _check_transfer_target(catalog, service, counter)
    if action == "cancel" and not (reason or "").strip():
        raise Refusal("reason_required")
    if outcome is not None and action != "finish":
        raise Refusal("outcome_only_at_finish")
    note = (note or "").strip() or None
    with ctx.db.write() as tx:
        row = fetch_ticket(tx, ticket_id)
        check_may_act(actor, row, catalog)
        if action == "finish":
            finish_outcome(catalog, row, outcome)
        if action == "finish" and row["state"] == "called":
            row = _start(tx, catalog, actor, row, now, implied=True)
        state = _state_after(row, action)
        changes: dict[str, Any] = {"state": state}
        if action == "recall":
            changes["recalls"] = row["recalls"] + 1
        elif action == "start":
            changes["started_at"] = now
        elif action == "no-show":
            _check_no_show_due(ctx, row, now)
            changes["finished_at"] = now
        elif action == "finish":
            changes.update(finished_at=now, outcome=outcome)
        elif action == "cancel":
            changes["finished_at"] = now
        elif action == "transfer":
            changes.update(
                service=service or row["service"],
                target_counter=counter,
                counter=None,
                clerk=None,
                called_at=None,
                started_at=None,
                transfers=row["transfers"] + 1,
            )
        update_ticket(tx, ticket_id, changes)
        updated = fetch_ticket(tx, ticket_id)
        public = public_event_fields(updated, catalog)
        if action == "recall":
            public["counter"] = public_event_fields(row, catalog)["counter"]
        elif action == "transfer":
            public["from_counter"] = counter_brief(catalog, row["counter"])
            public["to_counter"] = counter_brief(catalog, counter)
        _event(
            tx,
            f"ticket_{action.replace('-', '_')}",
            now,
            actor,
            row,
            updated,
            public,
            to_counter=counter,
            reason=reason,
            **({"outcome": outcome, "step": row["step"] + 1} if action == "finish" else {}),
        )
        if action == "finish":
            updated = after_finish(tx, catalog, actor, updated, outcome, note, now)
            rating_link(ctx, tx, catalog, updated, now)  # a visit ended: sms.rating_link
        if action == "recall":  # text messages (docs/sms.md): "called" once, "turn near"
            ticket_sms.after_call(ctx, tx, catalog, updated, now)
        elif action == "cancel" and row["state"] == "waiting":  # one fewer ahead of others
            ticket_sms.notify_near(ctx, tx, catalog, updated["day"], now)
    if action == "finish":
        forget_service_time(ctx.cache, row["day"], row["service"])
    ctx.on_event()
    return clerk_view(ctx, updated, catalog)


def _start(
    tx: Any, catalog: Catalog, actor: Actor, row: dict[str, Any], now: float, implied: bool
) -> dict[str, Any]:
    """Start a called ticket inside the caller's transaction; the started row."""
    state = _state_after(row, "start")
    started = row["called_at"] if implied and row["called_at"] is not None else now
    update_ticket(tx, row["id"], {"state": state, "started_at": started})
    updated = fetch_ticket(tx, row["id"])
    _event(
        tx,
        "ticket_start",
        now,
        actor,
        row,
        updated,
        public_event_fields(updated, catalog),
        implied_by="finish" if implied else None,
    )
    return updated


def _check_no_show_due(ctx: Context, row: dict[str, Any], now: float) -> None:
    """A no-show needs a recall first, or ``no_show_after_s`` since the call."""
    if row["recalls"] or row["called_at"] is None:
        return
    left = row["called_at"] + ctx.settings.no_show_after_s - now
    if left > 0:
        raise Refusal("no_show_too_soon", seconds=max(1, round(left)))


def undo_no_show(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """Bring a ticket marked no-show a moment ago back to its counter, as called."""
    catalog = catalog_with(ctx)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = fetch_ticket(tx, ticket_id)
        check_may_act(actor, row, catalog)
        if row["state"] != "no_show":
            raise wrong_state(row["state"], "undo-no-show")
        if not may(actor, Can.ACT_ON_ANY_TICKET) and (
            actor.name != row["clerk"] or actor.counter != row["counter"]
        ):
            raise Refusal("not_your_no_show")
        if row["finished_at"] is None or now - row["finished_at"] > ctx.settings.no_show_undo_s:
            raise Refusal("undo_too_late", minutes=max(1, round(ctx.settings.no_show_undo_s / 60)))
        busy = ticket_at_counter(tx, row["counter"])
        if busy:
            raise Refusal("counter_busy", number=busy)
        update_ticket(tx, ticket_id, {"state": "called", "finished_at": None})
        updated = fetch_ticket(tx, ticket_id)
        _event(
            tx,
            "ticket_no_show_undone",
            now,
            actor,
            row,
            updated,
            public_event_fields(updated, catalog),
            marked_at=row["finished_at"],
        )
    ctx.on_event()
    return clerk_view(ctx, updated, catalog)
