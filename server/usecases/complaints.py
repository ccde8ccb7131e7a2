"""Complaints and suggestions: filing, reading by reference, the views and the step records.

Each change is one transaction holding the row's change, one line in ``complaint_steps`` and one
event whose data is the row's :func:`~server.domain.complaints.snapshot` (state and digests, never
a text or a phone). The reference is the citizen's capability: the public view carries the
status, the answer and the dates, never the phone. The manager's steps are
:mod:`server.usecases.complaints_handling`; the overdue job is
:mod:`server.usecases.complaints_overdue`; the row-against-chain check is
:mod:`server.usecases.complaints_integrity`. docs/complaints.md.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from nafitha.reference import Malformed, Mistyped, new_reference, parse_reference
from nafitha.text import both, normalize_lang
from server.domain import complaints as rules
from server.domain.errors import Refusal
from server.domain.hours import iso
from server.domain.reprint import parse_number
from server.store import complaints as store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.store.reprints import ticket_id_by_number
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.sms_notices import check_phone, record_consent

DAY_S = 86_400.0


def printed(code: str) -> str:
    """``XXXX-XXXX-C``, as printed on the slip and shown."""
    return f"{code[:4]}-{code[4:8]}-{code[8]}"


def parse_or_refuse(text: str) -> str:
    """The canonical complaint reference typed as ``text``, or why not (a file reference is
    a mistyped complaint reference: the kinds' checks differ)."""
    parsed = parse_reference(text, kind="complaint")
    if isinstance(parsed, Malformed):
        raise Refusal("reference_malformed")
    if isinstance(parsed, Mistyped):
        raise Refusal("reference_mistyped")
    return parsed.code


def public_url(ctx: Context, catalog: Catalog, reference: str) -> str:
    """The phone page of a complaint (``/c/<reference>``), from the server's public address."""
    base = (ctx.settings.public_url or catalog.center.public_url).rstrip("/")
    return f"{base}/c/{printed(reference)}"


def options(ctx: Context) -> dict[str, Any]:
    """What a filing form offers: kinds, topics, services, and whether answers come by SMS."""
    catalog = load_catalog(ctx)
    settings = catalog.center.complaints
    return {
        "kinds": [
            {
                "id": kind,
                "name": both(f"complaints.kind_{kind}"),
                "days": settings.complaint_days
                if kind == "complaint"
                else settings.suggestion_days,
                "topics": [
                    {"id": topic, "name": both(f"complaints.topic_{topic}")}
                    for topic in rules.TOPICS[kind]
                ],
            }
            for kind in rules.KINDS
        ],
        "abouts": [{"id": a, "name": both(f"complaints.about_{a}")} for a in rules.ABOUTS],
        "services": [
            {"id": s.id, "name": s.name.model_dump()} for s in catalog.services.values() if s.active
        ],
        "sms": ctx.settings.sms is not None,
        "text_max": rules.TEXT_MAX,
    }


def _check_rate(ctx: Context, actor: Actor, address: str, now: float) -> None:
    """Filings per kiosk device or client address: a burst of ``per_client_per_hour``."""
    if actor.kind == "person":
        return
    per_hour = load_catalog(ctx).center.complaints.per_client_per_hour
    key = f"complaint:device:{actor.name}" if actor.kind == "device" else f"complaint:{address}"
    factor = 10 if actor.kind == "device" else 1  # a kiosk serves a whole hall
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        key, now, per_hour * factor / 60.0, per_hour * factor
    )
    if wait:
        raise Refusal.retry_after("complaint_rate_limited", wait)


def _channel(actor: Actor) -> str:
    if actor.role == "portal":  # the national portal through the hub (portal_requests.py)
        return "portal"
    return {"device": "kiosk", "person": "staff"}.get(actor.kind, "phone")


def _new_reference(db: sqlite_utils.Database) -> str:
    while True:
        code = new_reference(kind="complaint").code
        if store.complaint(db, code) is None:
            return code


def phone_digest_of(ctx: Context) -> rules.PhoneDigest | None:
    """The keyed digest a complaint's phone is recorded with (None without audit keys)."""
    return rules.phone_digest(ctx.audit.digest) if ctx.audit is not None else None


def record_step(
    ctx: Context,
    tx: sqlite_utils.Database,
    row: dict[str, Any],
    event_kind: str,
    step: str,
    actor: Actor,
    now: float,
    extra: dict[str, Any] | None = None,
) -> None:
    """The step's line and its event, from the row as it is after the change."""
    event = append_event(
        tx,
        event_kind,
        at=now,
        actor=actor.name,
        counter=actor.counter,
        device=actor.device,
        data={
            "step": step,
            **(extra or {}),
            "complaint": rules.snapshot(row, phone_digest_of(ctx)),
        },
    )
    store.add_step(
        tx, row["reference"], row["steps"], now, step, row["status"], actor.name, event.id
    )


def file_complaint(
    ctx: Context,
    actor: Actor,
    address: str,
    *,
    kind: str,
    about: str,
    service: str | None,
    ticket_token: str | None,
    topic: str | None,
    text: str | None,
    anonymous: bool,
    phone: str | None,
    lang: str,
    channel: str | None = None,
    ticket_number: str | None = None,
    ticket_day: str | None = None,
) -> dict[str, Any]:
    """A new complaint or suggestion: its reference, phone page and answer deadline.

    A visit is linked to its ticket by the ticket's phone-page token (the phone pages) or by the
    number printed on it and its day (the portal, where the citizen has only the paper: the day
    defaults to today).

    ``channel``: where it came from when the actor does not say (``"portal"`` for the national
    portal's forwarded filings); by default kiosk for a device, staff for a person, else phone.
    ``address`` keys the per-client limit of anonymous callers (devices: per device).
    """
    if channel is not None and channel not in rules.CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    now = ctx.now()
    catalog = load_catalog(ctx)
    settings = catalog.center.complaints
    lang = normalize_lang(lang)
    body = rules.clean_text(text, rules.TEXT_MAX)
    rules.check_filing(kind, about, topic, body, service)
    if service is not None:
        catalog.service(service)
    if anonymous and (phone or ticket_token or ticket_number):
        raise Refusal("complaint_anonymous_contact")
    printed_number = None
    if ticket_number:
        printed_number = parse_number(ticket_number)
        if printed_number is None:
            raise Refusal("complaint_ticket_number_bad")
    number = check_phone(ctx, phone).e164 if phone else None
    _check_rate(ctx, actor, address, now)
    deadline_at = rules.deadline(kind, now, settings.complaint_days, settings.suggestion_days)
    due_day = iso(deadline_at, catalog.center.timezone)[:10]  # type: ignore[index]
    with ctx.db.write() as tx:
        ticket_id = None
        if ticket_token:
            ticket = tickets_store.ticket_by_token(tx, ticket_token)
            if ticket is None:
                raise Refusal("complaint_ticket_unknown")
            ticket_id = ticket["id"]
            service = service or ticket["service"]
        elif printed_number:
            day = ticket_day or iso(now, catalog.center.timezone)[:10]  # type: ignore[index]
            ticket_id = ticket_id_by_number(tx, day, printed_number)
            if ticket_id is None:
                raise Refusal("complaint_ticket_unknown")
            service = service or tickets_store.ticket_row(tx, ticket_id)["service"]  # type: ignore[index]
        if number and store.filed_since(tx, number, now - DAY_S) >= settings.per_phone_per_day:
            raise Refusal.retry_after("complaint_rate_limited", int(DAY_S))
        row = {
            "reference": _new_reference(tx),
            "kind": kind,
            "about": about,
            "service": service,
            "ticket_id": ticket_id,
            "topic": topic,
            "text": body,
            "lang": lang,
            "phone": number,
            "channel": channel or _channel(actor),
            "device": actor.device,
            "status": "received",
            "spam": 0,
            "filed_at": now,
            "deadline_at": deadline_at,
            "due_day": due_day,
            "answer": None,
            "steps": 1,
            "updated_at": now,
        }
        store.insert_complaint(tx, row)
        if number and ctx.settings.sms is not None:  # the phone was given for the answer
            record_consent(ctx, tx, actor, check_phone(ctx, number), lang, now)
        filed = store.complaint(tx, row["reference"]) or row
        record_step(ctx, tx, filed, "complaint_filed", "filed", actor, now)
    reference = row["reference"]
    return {
        "reference": printed(reference),
        "kind": kind,
        "url": public_url(ctx, catalog, reference),
        "deadline": iso(deadline_at, catalog.center.timezone),
        "status": "received",
        "sms": bool(number) and ctx.settings.sms is not None,
    }


def _service_view(catalog: Catalog, service: str | None) -> dict[str, Any] | None:
    if service is None:
        return None
    known = catalog.services.get(service)
    return {
        "id": service,
        "name": known.name.model_dump() if known else both("complaints.unknown_service"),
    }


def view(ctx: Context, catalog: Catalog, row: dict[str, Any], staff: bool) -> dict[str, Any]:
    zone = catalog.center.timezone
    history = store.steps(ctx.db.read(), row["reference"])
    view: dict[str, Any] = {
        "reference": printed(row["reference"]),
        "reference_kind": "complaint",
        "kind": row["kind"],
        "kind_name": both(f"complaints.kind_{row['kind']}"),
        "about": row["about"],
        "about_name": both(f"complaints.about_{row['about']}"),
        "service": _service_view(catalog, row["service"]),
        "topic": row["topic"],
        "topic_name": both(f"complaints.topic_{row['topic']}") if row["topic"] else None,
        "text": row["text"],
        "status": row["status"],
        "status_name": both(f"complaints.status_{row['status']}"),
        "filed_at": iso(row["filed_at"], zone),
        "deadline": iso(row["deadline_at"], zone),
        "answered_at": iso(row["answered_at"], zone),
        "answer": row["answer"],
        "answer_lang": row["answer_lang"],
        "closed_at": iso(row["closed_at"], zone),
        "history": [
            {"status": s["status"], "step": s["step"], "at": iso(s["at"], zone)}
            for s in history
            if s["step"] in ("filed", "status", "answered")
        ],
        "url": public_url(ctx, catalog, row["reference"]),
    }
    if staff:
        view.update(
            phone=row["phone"],
            lang=row["lang"],
            channel=row["channel"],
            device=row["device"],
            ticket_id=row["ticket_id"],
            spam=bool(row["spam"]),
            overdue=rules.is_overdue(row, ctx.now()),
            alerted_at=iso(row["alerted_at"], zone),
            escalated_at=iso(row["escalated_at"], zone),
            answered_by=row["answered_by"],
            steps=[
                {
                    "step": s["step"],
                    "status": s["status"],
                    "by": s["actor"],
                    "at": iso(s["at"], zone),
                }
                for s in history
            ],
        )
    return view


def row_or_refuse(db: sqlite_utils.Database, reference: str) -> dict[str, Any]:
    row = store.complaint(db, parse_or_refuse(reference))
    if row is None:
        raise Refusal("complaint_not_found")
    return row


def public_complaint(ctx: Context, reference: str) -> dict[str, Any]:
    """What the citizen sees by reference (the caller counts the lookup against its limit)."""
    return view(ctx, load_catalog(ctx), row_or_refuse(ctx.db.read(), reference), staff=False)
