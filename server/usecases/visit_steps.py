"""A visit's next step and a send-back, inside the clerk's transaction (docs/server.md, "Visits").

:func:`after_finish` runs in the finish's transaction, once the ticket is ``done`` with its
outcome: when the rules (:mod:`server.domain.visit_steps`) say the visit goes on, the same ticket
(same number, same issue time) waits again in the next step's service, unassigned, with the
clerk's note, and ``ticket_next_step`` is appended. :func:`send_back` returns a ticket called or
served at a counter to an earlier step of its visit (``ticket_sent_back``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nafitha.replay import ticket_changes
from server.domain.hours import local_day
from server.domain.visit_steps import plan_finish, plan_send_back, resolution, step_warnings
from server.store import stats as stats_store
from server.store import visit_steps as steps_store
from server.store.events import append_event
from server.store.ticket_actions import update_ticket
from server.store.visit_steps import record_step
from server.usecases.catalog import Catalog, catalog_with
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import (
    counter_brief,
    fetch_ticket,
    public_event_fields,
    step_rules,
)

MOVED = {  # a ticket that waits again for a step is nobody's until called
    "state": "waiting",
    "counter": None,
    "clerk": None,
    "target_counter": None,
    "called_at": None,
    "started_at": None,
    "finished_at": None,
}


def finish_outcome(catalog: Catalog, row: dict[str, Any], outcome: str | None) -> None:
    """Refuse an outcome the ticket's service does not list (before anything is written)."""
    plan_finish(step_rules(catalog), _visit(row), row["step"], row["priority"], outcome)


def _visit(row: dict[str, Any]) -> str:
    return str(row["visit_service"] or row["service"])


def after_finish(
    tx: Any,
    catalog: Catalog,
    actor: Actor,
    finished: dict[str, Any],
    outcome: str | None,
    note: str | None,
    now: float,
) -> dict[str, Any]:
    """The ticket after its step's finish: on to the next step, or left ``done`` (the row)."""
    rules = step_rules(catalog)
    plan = plan_finish(rules, _visit(finished), finished["step"], finished["priority"], outcome)
    if plan.kind == "end":
        return finished
    catalog.service(plan.service)  # a step service dropped from the catalog: refused, rolled back
    record_step(tx, finished)  # the row moves on: the step's facts are kept apart
    changes = {
        **MOVED,
        "service": plan.service,
        "visit_service": _visit(finished),
        "step": plan.step,
        "priority": plan.priority,
        "note": note,
    }
    update_ticket(tx, finished["id"], changes)
    moved = fetch_ticket(tx, finished["id"])
    public = {
        **public_event_fields(moved, catalog),
        "from_counter": counter_brief(catalog, finished["counter"]),
        "step": plan.step + 1,
        "steps": len(rules[_visit(finished)].steps) + 1 if _visit(finished) in rules else 1,
    }
    append_event(
        tx,
        "ticket_next_step",
        at=now,
        actor=actor.name,
        counter=finished["counter"] or actor.counter,
        device=actor.device,
        ticket_id=finished["id"],
        data={
            "number": finished["number"],
            "from_state": finished["state"],
            "to_state": moved["state"],
            "from_service": finished["service"],
            "to_service": plan.service,
            "step": plan.step + 1,
            "steps": public["steps"],
            "outcome": outcome,
            "priority_raised": plan.priority > finished["priority"],
            "note": note,
            "ticket": ticket_changes(finished, moved),
        },
        public=public,
    )
    return moved


def send_back(
    ctx: Context, actor: Actor, ticket_id: int, to_step: int, reason: str | None
) -> dict[str, Any]:
    """Send a ticket called or served at the actor's counter back to the earlier step
    ``to_step`` (1-based) of its visit: it waits there again, keeping its issue time, with
    ``reason`` as the note the earlier step's clerk reads."""
    from server.usecases.ticket_actions import check_may_act, clerk_view, wrong_state

    catalog = catalog_with(ctx)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = fetch_ticket(tx, ticket_id)
        check_may_act(actor, row, catalog)
        if row["state"] not in ("called", "serving"):
            raise wrong_state(row["state"], "send-back")
        rules = step_rules(catalog)
        service, step = plan_send_back(rules, _visit(row), row["step"], to_step)
        catalog.service(service)
        changes = {**MOVED, "service": service, "visit_service": _visit(row), "step": step}
        changes["note"] = reason
        update_ticket(tx, ticket_id, changes)
        updated = fetch_ticket(tx, ticket_id)
        steps = len(rules[_visit(row)].steps) + 1 if _visit(row) in rules else 1
        append_event(
            tx,
            "ticket_sent_back",
            at=now,
            actor=actor.name,
            counter=row["counter"] or actor.counter,
            device=actor.device,
            ticket_id=ticket_id,
            data={
                "number": row["number"],
                "from_state": row["state"],
                "to_state": "waiting",
                "from_service": row["service"],
                "to_service": service,
                "step": to_step,
                "steps": steps,
                "reason": reason,
                "ticket": ticket_changes(row, updated),
            },
            public={
                **public_event_fields(updated, catalog),
                "from_counter": counter_brief(catalog, row["counter"]),
                "step": to_step,
                "steps": steps,
            },
        )
    ctx.on_event()
    return clerk_view(ctx, updated, catalog)


def catalog_step_warnings(catalog: Catalog) -> list[tuple[str, str]]:
    """What an admin should know about the catalog's steps (``step_unserved`` ...)."""
    active = {k: v for k, v in step_rules(catalog).items() if catalog.services[k].active}
    served = {s for c in catalog.counters.values() for s in c.services}
    return step_warnings(active, served)


def with_resolution(
    ctx: Context, catalog: Catalog, first: date, last: date, figures: dict[str, Any]
) -> dict[str, Any]:
    """First-visit resolution (docs/server.md, "Visits"): ``overall.resolution`` and each
    service row's ``resolution``, the share of visits chosen at it that ended resolved."""
    total, per = resolution(step_rules(catalog), finished_visits(ctx, catalog, first, last))
    overall = {
        **figures["overall"],
        "resolution": total.rate,
        "resolution_unrecorded": total.unrecorded,  # finished without an outcome
    }
    services = [{**row, "resolution": _rate(per, row["key"])} for row in figures["service"]]
    return {"overall": overall, "service": services}


def _rate(per: dict[str, Any], key: str) -> float | None:
    found = per.get(key)
    return found.rate if found else None


def keep_resolution_days(ctx: Context, first: date, last: date) -> None:
    """Keep the finished visits of the days ``first..last`` (settled ones) that lack them; also
    run by the stats warm-up at start (server/usecases/stats.py), so a year reads at once."""
    done = steps_store.resolution_days_done(ctx.db.read(), first.isoformat(), last.isoformat())
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    missing = [day for day in days if day not in done]
    for start in range(0, len(missing), 31):
        with ctx.db.write() as tx:
            for day in missing[start : start + 31]:
                steps_store.keep_resolution_day(tx, day)


def finished_visits(
    ctx: Context, catalog: Catalog, first: date, last: date
) -> list[tuple[Any, ...]]:
    """The period's finished visits: settled days from ``resolution_days`` (kept on first read),
    the last days (still changing) from the tickets themselves."""
    from server.usecases.stats import SETTLED_DAYS

    today = date.fromisoformat(local_day(ctx.now(), catalog.center.timezone))
    settled = min(last, today - timedelta(days=SETTLED_DAYS))
    rows: list[tuple[Any, ...]] = []
    if first <= settled:
        keep_resolution_days(ctx, first, settled)
        rows += steps_store.kept_visits(ctx.db.read(), first.isoformat(), settled.isoformat())
    live_from = max(first, settled + timedelta(days=1))
    if live_from <= last:
        rows += stats_store.finished_visits(ctx.db.read(), live_from, last)
    return rows
