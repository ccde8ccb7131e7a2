"""Complaints and suggestions over HTTP (docs/complaints.md, docs/api.md).

Filing and reading by reference need no login: the reference is the capability. Both are
rate-limited (filing per kiosk device or client address and per phone; reading in the tracking
buckets of ``server/usecases/files_track.py``). Managers list, review, answer, close, mark spam.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from server.api.deps import Ctx, client_address, current_actor, permit
from server.api.inputs import INPUT
from server.domain.complaints import ANSWER_MAX, TEXT_MAX
from server.domain.roles import Can, may
from server.usecases import complaints, complaints_handling, files_track
from server.usecases.context import Actor

router = APIRouter(tags=["complaints"])
Anyone = Annotated[Actor, Depends(current_actor)]
Handler = Annotated[Actor, Depends(permit(Can.HANDLE_COMPLAINTS))]
Reference = Annotated[str, Field(max_length=64)]
Lang = Literal["ar", "en"]
# Text is cleaned (controls and direction overrides dropped) before its length is checked.
RawText = Annotated[str, Field(max_length=TEXT_MAX * 2)]


class Strict(BaseModel):
    model_config = INPUT


class ComplaintIn(Strict):
    kind: Literal["complaint", "suggestion"]
    about: Literal["service", "visit", "center"]
    service: str | None = Field(default=None, min_length=1, max_length=64)
    ticket_token: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,128}$")
    topic: str | None = Field(default=None, pattern=r"^[a-z_]{1,40}$")
    text: RawText | None = None
    anonymous: bool = True
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9 ()\-]*$")
    lang: Lang = "ar"


class StatusIn(Strict):
    status: Literal["under_review", "closed"]


class AnswerIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=ANSWER_MAX * 2)]
    lang: Lang = "ar"


class SpamIn(Strict):
    spam: bool = True


@router.get("/api/v1/complaints/options")
def complaint_options(ctx: Ctx) -> dict[str, Any]:
    return complaints.options(ctx)


@router.post(
    "/api/v1/complaints",
    status_code=201,
    responses={429: {"description": "Too many filings from this client or phone"}},
)
def file_complaint(body: ComplaintIn, request: Request, ctx: Ctx, actor: Anyone) -> dict[str, Any]:
    return complaints.file_complaint(ctx, actor, client_address(request), **body.model_dump())


@router.get("/api/v1/complaints")
def list_complaints(
    ctx: Ctx,
    actor: Handler,
    status: Annotated[str | None, Query(max_length=20)] = None,
    overdue: bool = False,
    spam: bool | None = None,
) -> dict[str, Any]:
    return complaints_handling.list_complaints(ctx, actor, status, overdue, spam)


@router.get(
    "/api/v1/complaints/{reference}",
    responses={429: {"description": "Too many lookups from this address; see Retry-After"}},
)
def get_complaint(
    reference: Reference, request: Request, ctx: Ctx, actor: Anyone
) -> dict[str, Any]:
    if may(actor, Can.HANDLE_COMPLAINTS):
        return complaints_handling.staff_complaint(ctx, actor, reference)
    files_track.check_track_allowed(ctx, actor, client_address(request))
    return complaints.public_complaint(ctx, reference)


@router.post("/api/v1/complaints/{reference}/status")
def set_status(reference: Reference, body: StatusIn, ctx: Ctx, actor: Handler) -> dict[str, Any]:
    return complaints_handling.set_status(ctx, actor, reference, body.status)


@router.post("/api/v1/complaints/{reference}/answer")
def answer(reference: Reference, body: AnswerIn, ctx: Ctx, actor: Handler) -> dict[str, Any]:
    return complaints_handling.answer(ctx, actor, reference, body.text, body.lang)


@router.post("/api/v1/complaints/{reference}/spam")
def mark_spam(reference: Reference, body: SpamIn, ctx: Ctx, actor: Handler) -> dict[str, Any]:
    return complaints_handling.mark_spam(ctx, actor, reference, body.spam)
