"""Citizen files: open, move, look up, track; each change one transaction and one audit event.

Personal data (the citizen's name, national id, phone) lives only in the ``files`` table and in the
staff view; the audit event carries an HMAC of it under a key kept outside the database (so the
log proves it was not altered without copying it into an append-only log, and destroying the key
anonymises the log: docs/audit.md), and no file event has a public part: the live stream never
shows references, which would let anyone harvest and track them. Each file event also carries the
file's columns after the change (``"file"``), so the table can be checked against the log.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nafitha.reference import Malformed, Mistyped, new_reference, parse_reference
from server.domain.errors import Refusal
from server.domain.files import (
    Bilingual,
    Citizen,
    CitizenFile,
    HistoryEntry,
    normalize_id,
    normalize_phone,
    printed,
    public_view,
    split_documents,
    staff_view,
)
from server.domain.roles import Can, require
from server.domain.workflow import (
    MISSING,
    MoveRefused,
    Status,
    Workflow,
    due_at,
    plan_move,
)
from server.store import files as store
from server.store import tickets as tickets_store
from server.store.audit import file_state
from server.store.events import append_event
from server.usecases import sms_notices
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context

_STATUS = {
    "unknown_stage": 422,
    "transition_not_allowed": 409,
    "role_not_allowed": 403,
    "reason_required": 422,
    "missing_list_required": 422,
    "file_cancelled": 409,
    "file_closed": 409,
}


def refuse(code: str, status: int, **params: Any) -> Refusal:
    """A files refusal; ``status`` repeats the registry's (``CODES``) for the reader, and must."""
    refusal = Refusal(code, **params)
    assert refusal.status == status, (code, status, refusal.status)
    return refusal


def parse_or_refuse(text: str) -> str:
    """The canonical reference typed as ``text``, or a refusal saying malformed or mistyped."""
    parsed = parse_reference(text)
    if isinstance(parsed, Malformed):
        raise refuse("reference_malformed", 422)
    if isinstance(parsed, Mistyped):
        raise refuse("reference_mistyped", 422)
    return parsed.code


def workflows(ctx: Context, catalog: Catalog) -> dict[str, Workflow]:
    """The catalog's workflows as models, parsed once per catalog version."""
    cached = ctx.cache.get("files_workflows")
    if cached is None or cached[0] != catalog.version:
        parsed = {w["id"]: Workflow.model_validate(w) for w in catalog.workflows}
        cached = ctx.cache["files_workflows"] = (catalog.version, parsed)
    return cached[1]


def _workflow_of(ctx: Context, catalog: Catalog, file: CitizenFile) -> Workflow:
    workflow = workflows(ctx, catalog).get(file.workflow)
    if workflow is None or not any(s.id == file.stage for s in workflow.stages):
        raise Refusal("workflow_changed")
    return workflow


def _service_name(catalog: Catalog, service_id: str) -> Bilingual:
    service = catalog.services.get(service_id)
    return service.name.model_dump() if service else {"ar": service_id, "en": service_id}


def _show(ctx: Context, catalog: Catalog, file: CitizenFile, staff: bool) -> dict[str, Any]:
    shape = staff_view if staff else public_view
    workflow = _workflow_of(ctx, catalog, file)
    name = _service_name(catalog, file.service)
    view = shape(file, workflow, name, store.moment(ctx.now()), catalog.center.timezone)
    view["track_url"] = track_url(ctx, catalog, file.reference)  # the receipt's QR code
    return view


def track_url(ctx: Context, catalog: Catalog, reference: str) -> str:
    """Where a file's tracking link points: the national portal when the center has one (with
    the center's id: references are random per center, two centers may share one), else here."""
    national = ctx.settings.national
    if national is not None and national.portal_url:
        return f"{national.portal_url.rstrip('/')}/f/{printed(reference)}?center={national.center}"
    base = (ctx.settings.public_url or catalog.center.public_url).rstrip("/")
    return f"{base}/f/{printed(reference)}"


def _digest(ctx: Context, citizen: Citizen) -> dict[str, str]:
    """What the log keeps of the citizen: a keyed digest and its key's id (docs/audit.md)."""
    if ctx.audit is None:
        raise RuntimeError("the audit keys were not loaded (server.app.open_context loads them)")
    return ctx.audit.citizen_digest(citizen.name, citizen.national_id, citizen.phone)


def _due(workflow: Workflow, file: CitizenFile) -> float | None:
    due = due_at(workflow, file.state)
    return due.timestamp() if due else None


def open_file(
    ctx: Context,
    actor: Actor,
    service_id: str,
    citizen: Citizen,
    documents_received: list[int],
    ticket: int | None = None,
    note: str | None = None,
    notify: bool = False,
    lang: str = "ar",
) -> dict[str, Any]:
    """A new file at its workflow's first stage; documents not received are recorded as missing.

    ``notify``: the citizen agreed to text messages about it at ``citizen.phone`` (in ``lang``):
    consent recorded with the file (docs/sms.md), the number checked first.

    The national id and phone are kept in one form (``normalize_id``, ``normalize_phone``) so a
    later search matches however they are typed.
    """
    require(actor, Can.OPEN_FILE)
    citizen = Citizen(
        citizen.name.strip(), normalize_id(citizen.national_id), normalize_phone(citizen.phone)
    )
    catalog = load_catalog(ctx)
    service = catalog.services.get(service_id)
    if service is None or not service.active:
        raise refuse("unknown_service", 404, service=service_id)
    workflow = workflows(ctx, catalog).get(service.workflow or "")
    if workflow is None:
        raise refuse("service_has_no_workflow", 422, service=service_id)
    split = split_documents([d.model_dump() for d in service.documents], documents_received)
    if split is None:
        bad = next(p for p in documents_received if not 0 <= p < len(service.documents))
        raise refuse("unknown_document", 422, position=bad)
    received, missing = split
    sms_phone = sms_notices.check_phone(ctx, citizen.phone) if notify else None
    now = ctx.now()
    opened = store.moment(now)
    first = workflow.first.id
    status: Status = "missing_documents" if missing else "open"
    with ctx.db.write() as tx:
        if ticket is not None and not tickets_store.ticket_exists(tx, ticket):
            raise refuse("ticket_not_found", 404, ticket=ticket)
        reference = new_reference().code
        while store.reference_taken(tx, reference):
            reference = new_reference().code
        entry = HistoryEntry(
            seq=1,
            at=opened,
            kind="open",
            from_stage=None,
            stage=first,
            status=status,
            by=actor.name or "",
            role=actor.role or "",
            counter=actor.counter,
            note=None,
            missing=tuple(missing),
        )
        file = CitizenFile(
            reference=reference,
            service=service.id,
            workflow=workflow.id,
            stage=first,
            status=status,
            stage_entered_at=opened,
            opened_at=opened,
            opened_by=actor.name or "",
            citizen=citizen,
            documents_received=tuple(received),
            missing=tuple(missing),
            note=note,
            ticket=ticket,
            history=(entry,),
        )
        store.insert_file(tx, file, _due(workflow, file), now)
        store.record_move(
            tx, reference, entry, stage_entered_at=now, due_at=_due(workflow, file), missing=None
        )
        if ticket is not None:
            tickets_store.link_file(tx, ticket, printed(reference))
        if sms_phone is not None:  # the citizen's consent to messages about it
            sms_notices.record_consent(ctx, tx, actor, sms_phone, lang, now)
        append_event(
            tx,
            "file_opened",
            at=now,
            actor=actor.name,
            counter=actor.counter,
            ticket_id=ticket,
            data={
                "reference": reference,
                "service": service.id,
                "workflow": workflow.id,
                "stage": first,
                **_digest(ctx, citizen),
                "role": actor.role,
                "documents_received": len(received),
                "missing": missing,
                "note": note,
                "file": file_state(tx, reference),
                **({"notify": True} if sms_phone is not None else {}),
            },
        )
    return _show(ctx, catalog, file, staff=True)


def _missing_items(items: list[Any], required: list[Bilingual]) -> list[Bilingual]:
    """Missing documents given as positions in the service's list, bilingual texts, or one text."""
    result: list[Bilingual] = []
    for item in items:
        if isinstance(item, int):
            if not 0 <= item < len(required):
                raise refuse("unknown_document", 422, position=item)
            result.append(dict(required[item]))
        elif isinstance(item, str):
            result.append({"ar": item, "en": item})
        else:
            result.append({"ar": item["ar"], "en": item["en"]})
    return result


def move_file(
    ctx: Context,
    actor: Actor,
    reference_text: str,
    stage: str,
    note: str | None = None,
    reason: str | None = None,
    missing: list[Any] | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """Move a file to ``stage`` (or ``missing_documents``, ``cancelled``) if its workflow allows.

    ``version`` (the number of moves the caller saw) makes the move conditional: when someone else
    moved the file meanwhile, the move is refused rather than applied to a state nobody looked at.
    """
    require(actor, Can.MOVE_FILE)
    reference = parse_or_refuse(reference_text)
    catalog = load_catalog(ctx)
    now = ctx.now()
    with ctx.db.write() as tx:
        file = store.get_file(tx, reference, with_history=False)
        if file is None:
            raise refuse("file_not_found", 404)
        workflow = _workflow_of(ctx, catalog, file)
        moves = store.moves_of(tx, reference)
        if version is not None and version != moves:
            raise refuse("file_changed", 409)
        service = catalog.services.get(file.service)
        required = [d.model_dump() for d in service.documents] if service else []
        missing_list = _missing_items(missing or [], required) if stage == MISSING else []
        plan = plan_move(
            workflow, file.state, stage, actor.role or "", reason=reason, missing=missing_list
        )
        if isinstance(plan, MoveRefused):
            raise refuse(plan.code, _STATUS[plan.code], stage=stage, current=file.stage)
        # the stage clock restarts on a new stage and when work resumes after missing documents
        restarts = plan.stage != file.stage or plan.kind == "resume"
        entered = now if restarts else file.stage_entered_at.timestamp()
        entry = HistoryEntry(
            seq=moves + 1,
            at=store.moment(now),
            kind=plan.kind,
            from_stage=file.stage,
            stage=plan.stage,
            status=plan.status,
            by=actor.name or "",
            role=actor.role or "",
            counter=actor.counter,
            note=note,
            reason=reason if plan.kind in ("back", "cancel") else None,
            missing=tuple(missing_list),
        )
        moved = replace(
            file, stage=plan.stage, status=plan.status, stage_entered_at=store.moment(entered)
        )
        if plan.kind == "missing":
            missing_now: list[Bilingual] | None = missing_list
        elif file.status == "missing_documents":
            missing_now = []  # documents brought (or the file moved on regardless)
        else:
            missing_now = None
        store.record_move(
            tx,
            reference,
            entry,
            stage_entered_at=entered,
            due_at=_due(workflow, moved),
            missing=missing_now,
        )
        append_event(
            tx,
            "file_moved",
            at=now,
            actor=actor.name,
            counter=actor.counter,
            data={
                "reference": reference,
                "kind": plan.kind,
                "from_stage": file.stage,
                "stage": plan.stage,
                "status": plan.status,
                "seq": entry.seq,
                "note": note,
                "reason": entry.reason,
                "missing": missing_list,
                "role": actor.role,
                "file": file_state(tx, reference),
            },
        )
        sms_notices.file_moved(  # "ready" or "documents missing", if the citizen agreed
            ctx, tx, file, plan.stage, plan.kind, missing_list, workflow,
            catalog.center.name.model_dump(), now,
        )  # fmt: skip
        result = store.get_file(tx, reference)
    assert result is not None
    return _show(ctx, catalog, result, staff=True)


def track(ctx: Context, reference_text: str) -> dict[str, Any]:
    """The public view of a file (rate limiting is the caller's, by client address)."""
    reference = parse_or_refuse(reference_text)
    catalog = load_catalog(ctx)
    with ctx.db.snapshot() as db:
        file = store.get_file(db, reference)
    if file is None:
        raise refuse("file_not_found", 404)
    return _show(ctx, catalog, file, staff=False)


def get_file(ctx: Context, actor: Actor, reference_text: str) -> dict[str, Any]:
    """Everything about one file, for staff."""
    require(actor, Can.VIEW_FILES)
    reference = parse_or_refuse(reference_text)
    catalog = load_catalog(ctx)
    with ctx.db.snapshot() as db:
        file = store.get_file(db, reference)
    if file is None:
        raise refuse("file_not_found", 404)
    return _show(ctx, catalog, file, staff=True)


def find_files(
    ctx: Context,
    actor: Actor,
    reference: str | None = None,
    national_id: str | None = None,
    phone: str | None = None,
) -> list[dict[str, Any]]:
    """Files found by reference, or by the citizen's national id and/or phone (staff only)."""
    require(actor, Can.VIEW_FILES)
    if reference:
        return [get_file(ctx, actor, reference)]
    national_id, phone = normalize_id(national_id), normalize_phone(phone)
    if not (national_id or phone):
        raise refuse("search_needs_a_key", 422)
    catalog = load_catalog(ctx)
    with ctx.db.snapshot() as db:
        found = store.find_files(db, national_id=national_id, phone=phone)
    return [_show(ctx, catalog, file, staff=True) for file in found]


def overdue_files(ctx: Context, actor: Actor, limit: int = 200) -> dict[str, Any]:
    """Files past their stage's expected duration: counts per service and stage, and the files."""
    require(actor, Can.VIEW_OVERDUE_FILES)
    catalog = load_catalog(ctx)
    now = ctx.now()
    known = workflows(ctx, catalog)
    with ctx.db.snapshot() as db:
        counts = store.overdue_counts(db, now)
        rows = store.overdue(db, now, limit)

    def stage_name(workflow_id: str, stage: str) -> Bilingual:
        workflow = known.get(workflow_id)
        if workflow is None or stage not in {s.id for s in workflow.stages}:
            return {"ar": stage, "en": stage}
        return workflow.stage(stage).name.model_dump()

    workflow_of_service = {s.id: s.workflow or "" for s in catalog.services.values()}
    return {
        "total": sum(row["count"] for row in counts),
        "by_service_stage": [
            {
                "service": {"id": row["service"], "name": _service_name(catalog, row["service"])},
                "stage": {
                    "id": row["stage"],
                    "name": stage_name(workflow_of_service.get(row["service"], ""), row["stage"]),
                },
                "count": row["count"],
                "oldest_overdue_s": int(now - row["oldest_due_at"]),
            }
            for row in counts
        ],
        "files": [
            {
                "reference": printed(row["reference"]),
                "service": row["service"],
                "stage": row["stage"],
                "stage_name": stage_name(row["workflow"], row["stage"]),
                "overdue_s": int(now - row["due_at"]),
            }
            for row in rows
        ],
    }
