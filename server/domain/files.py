"""A citizen's file as the rules see it, and the two ways of showing it: public and staff.

The public view (tracking from the kiosk or a phone) is built field by field from an allow-list:
service, stages, dated history with the notes meant for the citizen, expected ready date, what is
missing, where to go. It never carries the citizen's name, national id or phone, nor who on the
staff made a move or why it was sent back (reasons are internal). The staff view adds those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from nafitha.bilingual import BilingualMap as Bilingual
from nafitha.text import both
from server.domain.hours import iso
from server.domain.workflow import (
    FileState,
    Status,
    Workflow,
    expected_ready_at,
    next_stages,
    overdue_by,
    ready_stage,
    waits_on_citizen,
)

NOTE_MAX = 500
NAME_MAX = 120


@dataclass(frozen=True)
class Citizen:
    """Personal data: shown to staff only, never in tracking."""

    name: str
    national_id: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One move of a file, never changed once written."""

    seq: int
    at: datetime
    kind: str
    from_stage: str | None
    stage: str
    status: Status
    by: str
    role: str
    counter: str | None = None
    note: str | None = None
    reason: str | None = None
    missing: tuple[Bilingual, ...] = ()


@dataclass(frozen=True)
class CitizenFile:
    """A file and everything known about it."""

    reference: str
    service: str
    workflow: str
    stage: str
    status: Status
    stage_entered_at: datetime
    opened_at: datetime
    opened_by: str
    citizen: Citizen
    documents_received: tuple[Bilingual, ...] = ()
    missing: tuple[Bilingual, ...] = ()
    note: str | None = None
    ticket: int | None = None
    history: tuple[HistoryEntry, ...] = field(default=())

    @property
    def state(self) -> FileState:
        return FileState(self.stage, self.status, self.stage_entered_at)


def normalize_phone(phone: str | None) -> str | None:
    """A phone number as digits with an optional leading ``+``, so searches match however typed."""
    if not phone:
        return None
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return None
    return ("+" if phone.strip().startswith("+") else "") + digits


def normalize_id(national_id: str | None) -> str | None:
    """A national id without spaces or dashes, upper case."""
    if not national_id:
        return None
    folded = "".join(c for c in national_id if c.isalnum()).upper()
    return folded or None


def split_documents(
    required: Sequence[Bilingual], received: Sequence[int]
) -> tuple[list[Bilingual], list[Bilingual]] | None:
    """The service's required documents split into (received, missing) by the positions received.

    None when a position is outside the list.
    """
    if any(not 0 <= position < len(required) for position in received):
        return None
    chosen = set(received)
    got = [dict(doc) for i, doc in enumerate(required) if i in chosen]
    missing = [dict(doc) for i, doc in enumerate(required) if i not in chosen]
    return got, missing


def printed(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8]}"


def _stage_list(workflow: Workflow, file: CitizenFile) -> list[dict[str, object]]:
    """Each stage marked done, skipped (an optional stage passed over), current or next."""
    here = workflow.index(file.stage)
    visited = {entry.stage for entry in file.history}
    stages: list[dict[str, object]] = []
    for position, stage in enumerate(workflow.stages):
        if position < here:
            state = "done" if stage.id in visited else "skipped"
        elif position == here:
            state = "done" if file.status == "closed" else "current"
        else:
            state = "next"
        stages.append({"id": stage.id, "name": stage.name.model_dump(), "state": state})
    return stages


def _where(workflow: Workflow, file: CitizenFile) -> Bilingual | None:
    """Where the citizen goes: the current stage's place, else the place of the ready stage.

    None for a finished file, and for one held for missing documents: the citizen brings them
    with a new ticket for the file's service (a return visit), not to the pickup counter.
    """
    if file.status != "open":
        return None
    current = workflow.stage(file.stage)
    if current.where is not None:
        return current.where.model_dump()
    ready = ready_stage(workflow, workflow.index(file.stage))
    return ready.where.model_dump() if ready.where else None


def public_view(
    file: CitizenFile, workflow: Workflow, service_name: Bilingual, now: datetime, timezone: str
) -> dict[str, object]:
    """What anyone holding the reference may see: no personal data, no staff names."""
    stage = workflow.stage(file.stage)
    state = file.state
    return {
        "reference": printed(file.reference),
        "service": {"id": file.service, "name": dict(service_name)},
        "workflow": {"id": workflow.id, "name": workflow.name.model_dump()},
        "status": file.status,
        "status_name": both(f"files.status_{file.status}"),
        "stage": {"id": stage.id, "name": stage.name.model_dump(), "waits_on": stage.waits_on},
        "stages": _stage_list(workflow, file),
        "timezone": timezone,
        "opened_at": iso(file.opened_at, timezone),
        "stage_entered_at": iso(file.stage_entered_at, timezone),
        "expected_ready_at": iso(expected_ready_at(workflow, state, now), timezone),
        "ready": file.status == "open" and stage.waits_on == "citizen",
        "waits_on_citizen": waits_on_citizen(workflow, state),
        "overdue": overdue_by(workflow, state, now) is not None,
        "missing_documents": [dict(doc) for doc in file.missing]
        if file.status == "missing_documents"
        else [],
        "where": _where(workflow, file),
        "history": [
            {
                "at": iso(entry.at, timezone),
                "kind": entry.kind,
                "stage": entry.stage,
                "stage_name": workflow.stage(entry.stage).name.model_dump(),
                "status": entry.status,
                "note": entry.note,
            }
            for entry in file.history
        ],
    }


def staff_view(
    file: CitizenFile, workflow: Workflow, service_name: Bilingual, now: datetime, timezone: str
) -> dict[str, object]:
    """Everything about the file, for staff behind login."""
    view = public_view(file, workflow, service_name, now, timezone)
    late = overdue_by(workflow, file.state, now)
    view.update(
        {
            "citizen": {
                "name": file.citizen.name,
                "national_id": file.citizen.national_id,
                "phone": file.citizen.phone,
            },
            "documents_received": [dict(doc) for doc in file.documents_received],
            "documents_missing": [dict(doc) for doc in file.missing],
            "note": file.note,
            "ticket": file.ticket,
            "opened_by": file.opened_by,
            "version": len(file.history),
            "overdue_s": int(late.total_seconds()) if late else 0,
            "next_stages": next_stages(workflow, file.state),
            "history": [
                {
                    "seq": entry.seq,
                    "at": iso(entry.at, timezone),
                    "kind": entry.kind,
                    "from_stage": entry.from_stage,
                    "stage": entry.stage,
                    "stage_name": workflow.stage(entry.stage).name.model_dump(),
                    "status": entry.status,
                    "by": entry.by,
                    "role": entry.role,
                    "counter": entry.counter,
                    "note": entry.note,
                    "reason": entry.reason,
                    "missing": [dict(doc) for doc in entry.missing],
                }
                for entry in file.history
            ],
        }
    )
    return view
