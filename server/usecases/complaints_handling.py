"""Complaints and suggestions, the manager's side: the list, the staff view, and each step.

Review, answer, close, reopen, mark spam: each one transaction with its row change, its line in
``complaint_steps`` and its event (:func:`server.usecases.complaints.record_step`). The answer
queues ``sms.complaint_answered`` in that transaction when the citizen gave a phone and the
server sends messages; spam withdraws a message still waiting. Dealing with an overdue complaint
clears its alert. docs/complaints.md.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from nafitha.text import normalize_lang
from server.domain import complaints as rules
from server.domain.errors import Refusal
from server.domain.roles import Can, require
from server.store import alerts as alerts_store
from server.store import complaints as store
from server.store import outbox
from server.store.events import append_event
from server.usecases.catalog import load_catalog
from server.usecases.complaints import parse_or_refuse, printed, record_step, row_or_refuse, view
from server.usecases.context import Actor, Context


def staff_complaint(ctx: Context, actor: Actor, reference: str) -> dict[str, Any]:
    require(actor, Can.HANDLE_COMPLAINTS)
    return view(ctx, load_catalog(ctx), row_or_refuse(ctx.db.read(), reference), staff=True)


def list_complaints(
    ctx: Context, actor: Actor, status: str | None, overdue: bool, spam: bool | None
) -> dict[str, Any]:
    """The manager's list, newest first, with the counts per status."""
    require(actor, Can.HANDLE_COMPLAINTS)
    if status is not None and status not in rules.STATUSES:
        raise Refusal("complaint_bad_status")
    catalog = load_catalog(ctx)
    now = ctx.now()
    reader = ctx.db.read()
    rows = store.listing(reader, status, now if overdue else None, spam)
    return {
        "complaints": [view(ctx, catalog, row, staff=True) for row in rows],
        "counts": store.counts(reader, now),
    }


def _resolve_alert(
    tx: sqlite_utils.Database, row: dict[str, Any], actor: Actor, now: float
) -> None:
    """The overdue alert of a complaint that is dealt with is cleared with it."""
    if row["alert_id"] is not None and alerts_store.resolve(
        tx, row["alert_id"], actor.name or "system", now
    ):
        append_event(
            tx, "alert_resolved", at=now, actor=actor.name, data={"alert": row["alert_id"]}
        )


def _change(
    ctx: Context,
    actor: Actor,
    reference: str,
    event_kind: str,
    step: str,
    plan: Any,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One manager step: ``plan(row, now)`` checks and returns the columns to change."""
    require(actor, Can.HANDLE_COMPLAINTS)
    now = ctx.now()
    code = parse_or_refuse(reference)
    with ctx.db.write() as tx:
        row = store.complaint(tx, code)
        if row is None:
            raise Refusal("complaint_not_found")
        changes = plan(row, now, tx)
        changes.update(steps=row["steps"] + 1, updated_at=now)
        store.update_complaint(tx, code, **changes)
        after = store.complaint(tx, code)
        assert after is not None
        record_step(ctx, tx, after, event_kind, step, actor, now, extra)
        if after["status"] not in rules.OPEN or after["spam"]:
            _resolve_alert(tx, after, actor, now)
    ctx.on_event()
    return view(ctx, load_catalog(ctx), after, staff=True)


def set_status(ctx: Context, actor: Actor, reference: str, status: str) -> dict[str, Any]:
    """Under review, closed, or reopened (answered is reached by :func:`answer`)."""

    def plan(row: dict[str, Any], now: float, tx: sqlite_utils.Database) -> dict[str, Any]:
        rules.plan_status(row["status"], status)
        return {"status": status, "closed_at": now if status == "closed" else None}

    return _change(ctx, actor, reference, "complaint_status_changed", "status", plan)


def answer(ctx: Context, actor: Actor, reference: str, text: str, lang: str) -> dict[str, Any]:
    """The answer the citizen reads by reference (and by SMS when they gave a phone)."""
    body = rules.clean_text(text, rules.ANSWER_MAX)
    if not body:
        raise Refusal("complaint_answer_empty")
    lang = normalize_lang(lang)
    center = load_catalog(ctx).center.name.model_dump()

    def plan(row: dict[str, Any], now: float, tx: sqlite_utils.Database) -> dict[str, Any]:
        if row["status"] not in rules.OPEN:
            raise Refusal("complaint_wrong_state", state=row["status"])
        if row["phone"] and ctx.settings.sms is not None and outbox.may_message(tx, row["phone"]):
            params = {"center": center, "reference": printed(row["reference"])}
            outbox.queue_message(
                tx, "complaint_answered", row["phone"], row["lang"], params,
                now, about=f"complaint:{row['reference']}",
                max_parts=ctx.settings.sms.max_parts,
            )  # fmt: skip
        return {
            "status": "answered",
            "answer": body,
            "answer_lang": lang,
            "answered_at": row["answered_at"] or now,
            "answered_by": actor.name,
        }

    return _change(ctx, actor, reference, "complaint_answered", "answered", plan)


def mark_spam(ctx: Context, actor: Actor, reference: str, spam: bool) -> dict[str, Any]:
    """Mark (or unmark) spam: kept and listed apart, never deleted, never escalated."""

    def plan(row: dict[str, Any], now: float, tx: sqlite_utils.Database) -> dict[str, Any]:
        if bool(row["spam"]) == spam:
            raise Refusal("complaint_wrong_state", state=row["status"])
        if spam:
            outbox.withdraw(tx, f"complaint:{row['reference']}", now)
        return {"spam": int(spam)}

    return _change(
        ctx, actor, reference, "complaint_marked_spam", "spam" if spam else "not_spam", plan,
        {"spam": spam},
    )  # fmt: skip
