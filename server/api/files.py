"""Citizen files: open, move, find and read (staff), overdue (managers), public tracking.

``GET /api/v1/track/{reference}`` needs no login and is rate-limited per client address (kiosk
devices get their own, larger, bucket; signed-in staff are not limited): past the limit it answers
429 with ``Retry-After`` and the contract's error body.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from server.api.deps import Ctx, client_address, current_actor, permit
from server.api.inputs import INPUT, PlainLine, PlainText
from server.domain.files import NAME_MAX, NOTE_MAX, Citizen
from server.domain.roles import Can
from server.usecases import files, files_track
from server.usecases.context import Actor

router = APIRouter(tags=["files"])
Opener = Annotated[Actor, Depends(permit(Can.OPEN_FILE))]
Viewer = Annotated[Actor, Depends(permit(Can.VIEW_FILES))]
Mover = Annotated[Actor, Depends(permit(Can.MOVE_FILE))]
OverdueViewer = Annotated[Actor, Depends(permit(Can.VIEW_OVERDUE_FILES))]
Anyone = Annotated[Actor, Depends(current_actor)]
Reference = Annotated[str, Field(max_length=64)]


class Strict(BaseModel):
    model_config = INPUT


class CitizenIn(Strict):
    name: PlainLine(NAME_MAX, min_length=1, strip=True)
    national_id: str | None = Field(default=None, max_length=32, pattern=r"^[0-9A-Za-z \-/]*$")
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9 ()\-]*$")


class FileIn(Strict):
    service: str = Field(min_length=1, max_length=64)
    citizen: CitizenIn
    documents_received: list[Annotated[int, Field(ge=0, le=999)]] = Field(
        default_factory=list, max_length=50
    )
    ticket: int | None = Field(default=None, ge=1, le=2**62)
    note: PlainText(NOTE_MAX) | None = None
    # The citizen agreed to text messages about this file at citizen.phone (docs/sms.md).
    notify: bool = False
    lang: Literal["ar", "en"] = "ar"  # the language of those messages


class BilingualIn(Strict):
    ar: PlainLine(200, min_length=1)
    en: PlainLine(200, min_length=1)


class MoveIn(Strict):
    stage: str = Field(min_length=1, max_length=64)
    note: PlainText(NOTE_MAX) | None = None
    reason: PlainText(NOTE_MAX) | None = None
    missing: list[
        Annotated[int, Field(ge=0, le=999)] | PlainLine(200, min_length=1) | BilingualIn
    ] = Field(default_factory=list, max_length=30)
    version: int | None = Field(default=None, ge=0, le=2**31)


@router.post("/api/v1/files", status_code=201)
def open_file(body: FileIn, ctx: Ctx, actor: Opener) -> dict[str, Any]:
    citizen = Citizen(body.citizen.name, body.citizen.national_id, body.citizen.phone)
    return files.open_file(
        ctx, actor, body.service, citizen, body.documents_received, body.ticket, body.note,
        notify=body.notify, lang=body.lang,
    )  # fmt: skip


@router.get("/api/v1/files")
def find_files(
    ctx: Ctx,
    actor: Viewer,
    reference: Annotated[str | None, Query(max_length=64)] = None,
    national_id: Annotated[str | None, Query(max_length=32)] = None,
    phone: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    return {"files": files.find_files(ctx, actor, reference, national_id, phone)}


@router.get("/api/v1/files/overdue")
def overdue_files(ctx: Ctx, actor: OverdueViewer) -> dict[str, Any]:
    return files.overdue_files(ctx, actor)


@router.get("/api/v1/files/{reference}")
def get_file(reference: Reference, ctx: Ctx, actor: Viewer) -> dict[str, Any]:
    return files.get_file(ctx, actor, reference)


@router.post("/api/v1/files/{reference}/stage")
def move_file(reference: Reference, body: MoveIn, ctx: Ctx, actor: Mover) -> dict[str, Any]:
    missing = [
        item.model_dump() if isinstance(item, BilingualIn) else item for item in body.missing
    ]
    return files.move_file(
        ctx, actor, reference, body.stage, body.note, body.reason, missing, body.version
    )


@router.get(
    "/api/v1/track/{reference}",
    responses={429: {"description": "Too many lookups from this address; see Retry-After"}},
)
def track(reference: Reference, request: Request, ctx: Ctx, actor: Anyone) -> Any:
    files_track.check_track_allowed(ctx, actor, client_address(request))
    # the answer is plain JSON already: skip FastAPI's generic encoder, the costliest step here
    return JSONResponse(files.track(ctx, reference))
