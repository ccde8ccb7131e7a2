"""Appointments (docs/appointments.md): services and slots (public), book, see, cancel and move by
code (public, rate-limited per client), check-in (kiosk or clerk), closures and figures (manager).

Public writes count against ``booking_per_minute`` per client address (a kiosk device has its own,
larger bucket; signed-in staff are free); a lookup by code counts as a file lookup
(``track_per_minute``), so codes cannot be guessed faster here than references on the tracking
page.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, Field

from server.api.deps import Ctx, client_address, current_actor, permit
from server.api.inputs import INPUT, PlainLine
from server.domain.roles import Can
from server.usecases import appointment_admin, appointment_checkin, appointments, files_track
from server.usecases.context import Actor

router = APIRouter(tags=["appointments"])
Anyone = Annotated[Actor, Depends(current_actor)]
Manager = Annotated[Actor, Depends(permit(Can.MANAGE_APPOINTMENTS))]
CheckIn = Annotated[Actor, Depends(permit(Can.CHECK_IN_APPOINTMENT))]
Code = Annotated[str, Path(max_length=64)]
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
START = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Day = Annotated[str, Field(pattern=DAY, max_length=10)]
Start = Annotated[str, Field(pattern=START, max_length=5)]


class BookIn(BaseModel):
    model_config = INPUT
    service: str = Field(min_length=1, max_length=64)
    day: Day
    start: Start
    lang: Literal["ar", "en"] = "ar"
    name: PlainLine(100, strip=True) | None = None
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9 ()\-]*$")
    notify: bool = False  # the citizen agreed to messages about this booking at ``phone``


class MoveIn(BaseModel):
    model_config = INPUT
    day: Day
    start: Start


class DayIn(BaseModel):
    model_config = INPUT
    closed: bool
    reason: PlainLine(200, strip=True) = ""


class SlotIn(BaseModel):
    model_config = INPUT
    day: Day
    start: Start
    service: str | None = Field(default=None, min_length=1, max_length=64)
    closed: bool


@router.get("/api/v1/appointments/services")
def bookable_services(ctx: Ctx) -> dict[str, Any]:
    """The bookable services, their documents, and what booking asks for."""
    return appointments.services(ctx)


@router.get("/api/v1/appointments/slots")
def slots(
    ctx: Ctx,
    service: Annotated[str, Query(min_length=1, max_length=64)],
    first: Annotated[str | None, Query(alias="from", pattern=DAY, max_length=10)] = None,
    days: Annotated[int, Query(ge=1, le=appointments.MAX_DAYS)] = 7,
) -> dict[str, Any]:
    """The slots of ``days`` days from ``from`` (today by default): capacity, booked, free."""
    return appointments.slots(ctx, service, first, days)


@router.get("/api/v1/appointments/figures")
def figures(
    ctx: Ctx,
    actor: Manager,
    first: Annotated[str, Query(alias="from", pattern=DAY, max_length=10)],
    last: Annotated[str, Query(alias="to", pattern=DAY, max_length=10)],
    within_min: Annotated[int | None, Query(ge=0, le=240)] = None,
) -> dict[str, Any]:
    """Per day: bookings, check-ins, no-shows, punctuality, appointment and walk-in waits."""
    return appointment_admin.figures(ctx, actor, first, last, within_min)


@router.post(
    "/api/v1/appointments",
    status_code=201,
    responses={429: {"description": "Too many bookings from this address; see Retry-After"}},
)
def book(
    body: BookIn,
    request: Request,
    ctx: Ctx,
    actor: Anyone,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    """A booking (anyone, a kiosk, or a clerk for the citizen: ``by`` is recorded). A kiosk or
    clerk retrying with the same ``Idempotency-Key`` gets the same booking."""
    appointments.check_booking_allowed(ctx, actor, client_address(request))
    return appointments.book(
        ctx, actor, body.service, body.day, body.start, body.lang, body.name, body.phone,
        body.notify, idempotency_key,
    )  # fmt: skip


@router.get("/api/v1/appointments/{code}")
def get_booking(code: Code, request: Request, ctx: Ctx, actor: Anyone) -> dict[str, Any]:
    """A booking by its code (the code is the capability)."""
    files_track.check_track_allowed(ctx, actor, client_address(request))
    return appointments.get_booking(ctx, code)


@router.post("/api/v1/appointments/{code}/cancel")
def cancel(code: Code, request: Request, ctx: Ctx, actor: Anyone) -> dict[str, Any]:
    appointments.check_booking_allowed(ctx, actor, client_address(request))
    return appointments.cancel(ctx, actor, code)


@router.post("/api/v1/appointments/{code}/move")
def move(code: Code, body: MoveIn, request: Request, ctx: Ctx, actor: Anyone) -> dict[str, Any]:
    appointments.check_booking_allowed(ctx, actor, client_address(request))
    return appointments.move(ctx, actor, code, body.day, body.start)


@router.post("/api/v1/appointments/{code}/check-in")
def check_in(
    code: Code,
    ctx: Ctx,
    actor: CheckIn,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    """Check in on the day: ``{appointment, ticket, late}``; the ticket as ``POST /tickets``.
    Retrying with the same ``Idempotency-Key`` from the same device answers the same ticket."""
    return appointment_checkin.check_in(ctx, actor, code, idempotency_key)


@router.get("/api/v1/admin/appointments/days/{day}")
def get_day(
    day: Annotated[str, Path(pattern=DAY, max_length=10)], ctx: Ctx, actor: Manager
) -> dict[str, Any]:
    return appointment_admin.get_day(ctx, actor, day)


@router.put("/api/v1/admin/appointments/days/{day}")
def set_day(
    day: Annotated[str, Path(pattern=DAY, max_length=10)], body: DayIn, ctx: Ctx, actor: Manager
) -> dict[str, Any]:
    """Close a day (a holiday) for bookings, or open it again."""
    return appointment_admin.set_day(ctx, actor, day, body.closed, body.reason)


@router.put("/api/v1/admin/appointments/slots")
def set_slot(body: SlotIn, ctx: Ctx, actor: Manager) -> dict[str, Any]:
    """Close one slot (of one service, or of all), or open it again."""
    return appointment_admin.set_slot(ctx, actor, body.day, body.start, body.service, body.closed)
