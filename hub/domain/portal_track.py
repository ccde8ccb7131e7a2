"""A file's public view at the hub: the center's tracking answer, from the hub's projections. Pure.

The shape is the center's ``GET /api/v1/track/{reference}`` (docs/files.md, "Public view") plus
the center (``center: {id, name}``) and ``as_of`` (the moment the hub last heard from the center:
the answer may be older than the file). The rules mirror ``server/domain/files.py`` and
``server/domain/workflow.py`` on plain mappings (the workflow as the center shipped it in its
catalog); ``tests/portal`` compares this view with the center's own answer for the same files.
No personal data, no staff names, no reasons: only what the center shows anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nafitha.text import both

Row = Mapping[str, Any]


def iso(moment: float | None, timezone: str) -> str | None:
    """ISO 8601 in the center's zone with its offset, as the center writes every time."""
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, ZoneInfo(timezone)).isoformat(timespec="seconds")


def printed(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _index(stages: Sequence[Row], stage_id: str) -> int:
    for position, stage in enumerate(stages):
        if stage["id"] == stage_id:
            return position
    raise KeyError(stage_id)


def _waits_on(stage: Row) -> str:
    return str(stage.get("waits_on") or "center")


def _hours(stage: Row) -> float:
    return float(stage.get("expected_hours") or 0.0)


def _ready_stage(stages: Sequence[Row], after: int) -> Row:
    for stage in stages[after:]:
        if _waits_on(stage) == "citizen":
            return stage
    return stages[-1]


def _expected_ready(stages: Sequence[Row], file: Row, now: float) -> float | None:
    if file["status"] != "open":
        return None
    here = _index(stages, file["stage"])
    current = stages[here]
    if _waits_on(current) == "citizen":
        return None
    ready = _index(stages, _ready_stage(stages, here + 1)["id"])
    when = max(file["stage_entered_at"] + _hours(current) * 3600, now)
    for stage in stages[here + 1 : ready]:
        when += _hours(stage) * 3600
    return when


def _overdue(stage: Row, file: Row, now: float) -> bool:
    if file["status"] != "open" or _waits_on(stage) != "center" or _hours(stage) <= 0:
        return False
    return now > file["stage_entered_at"] + _hours(stage) * 3600


def _where(stages: Sequence[Row], file: Row) -> dict[str, str] | None:
    if file["status"] != "open":
        return None
    here = _index(stages, file["stage"])
    if stages[here].get("where"):
        return dict(stages[here]["where"])
    ready = _ready_stage(stages, here)
    return dict(ready["where"]) if ready.get("where") else None


def _stage_list(stages: Sequence[Row], file: Row, history: Sequence[Row]) -> list[dict[str, Any]]:
    here = _index(stages, file["stage"])
    visited = {entry["stage"] for entry in history}
    out: list[dict[str, Any]] = []
    for position, stage in enumerate(stages):
        if position < here:
            state = "done" if stage["id"] in visited else "skipped"
        elif position == here:
            state = "done" if file["status"] == "closed" else "current"
        else:
            state = "next"
        out.append({"id": stage["id"], "name": dict(stage["name"]), "state": state})
    return out


def public_view(
    reference: str,
    file: Row,
    history: Sequence[Row],
    workflow: Row,
    service_name: Mapping[str, str],
    timezone: str,
    now: float,
) -> dict[str, Any]:
    """The center's public view of ``file`` (a row of the hub's ``files``), ``history`` in order."""
    stages = workflow["stages"]
    stage = stages[_index(stages, file["stage"])]
    status = file["status"]
    names = {s["id"]: dict(s["name"]) for s in stages}
    missing = file.get("missing") or []
    return {
        "reference": printed(reference),
        "service": {"id": file["service"], "name": dict(service_name)},
        "workflow": {"id": workflow["id"], "name": dict(workflow["name"])},
        "status": status,
        "status_name": both(f"files.status_{status}"),
        "stage": {"id": stage["id"], "name": dict(stage["name"]), "waits_on": _waits_on(stage)},
        "stages": _stage_list(stages, file, history),
        "timezone": timezone,
        "opened_at": iso(file["opened_at"], timezone),
        "stage_entered_at": iso(file["stage_entered_at"], timezone),
        "expected_ready_at": iso(_expected_ready(stages, file, now), timezone),
        "ready": status == "open" and _waits_on(stage) == "citizen",
        "waits_on_citizen": status == "missing_documents"
        or (status == "open" and _waits_on(stage) == "citizen"),
        "overdue": _overdue(stage, file, now),
        "missing_documents": [dict(d) for d in missing] if status == "missing_documents" else [],
        "where": _where(stages, file),
        "history": [
            {
                "at": iso(entry["at"], timezone),
                "kind": entry["kind"],
                "stage": entry["stage"],
                "stage_name": names.get(entry["stage"], _unnamed(entry["stage"])),
                "status": entry["status"],
                "note": entry["note"],
            }
            for entry in history
        ],
    }


def _unnamed(stage_id: str) -> dict[str, str]:
    """A stage the workflow no longer has (edited since): its id in both languages."""
    return {"ar": stage_id, "en": stage_id}
