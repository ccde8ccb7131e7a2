"""The portal's bookings and complaints, forwarded to the center and the center's answer back.

The hub never books: it sends the citizen's request to the center's portal subject
(``nafitha.<center>.portal``, :func:`nafitha.national.nats.portal_subject`) as the ``hub-portal``
user, which may publish nothing else, and waits ``forward_timeout_s`` for the center's own use
case to answer (``server/usecases/portal_requests.py``). No answer in time (the center's link is
cut, its server down) is a 503 ``center_unreachable``: "this center cannot be reached through
the portal right now"; never a booking the center did not confirm. A write carries a
``request_id`` (the page makes one per attempt, a retry reuses it): the center answers a retried
id with its first answer, so a booking whose answer was lost is not made twice.

Endpoints (``{center}`` is a registered center id), rate-limited per client address with the
portal's shared buckets (``[portal] forward_per_minute``, ``forward_burst``):

- ``GET  /api/v1/portal/centers/{center}/appointments/services``
- ``GET  /api/v1/portal/centers/{center}/appointments/slots?service=&from=&days=``
- ``POST /api/v1/portal/centers/{center}/appointments`` ``{request_id?, service, day, start, lang,
  name?, phone?, notify?}``
- ``GET  /api/v1/portal/centers/{center}/appointments/{code}``; ``POST .../{code}/cancel``
  ``{request_id?}``; ``POST .../{code}/move`` ``{request_id?, day, start}``
- ``GET  /api/v1/portal/centers/{center}/complaints/options``;
  ``POST /api/v1/portal/centers/{center}/complaints`` ``{request_id?, kind, about, service?,
  topic?, text, anonymous, phone?, lang, ticket_number?, ticket_day?}``;
  ``GET .../complaints/{reference}``
- ``GET  /api/v1/portal/centers/{center}/places/services``;
  ``POST /api/v1/portal/centers/{center}/places`` ``{request_id?, service, phone, lang, notify?}``
  (a place in today's queue, where the center offers it through the portal);
  ``GET .../places/{token}`` and ``GET .../places/{token}/qr.svg`` (the QR the kiosk scans: the
  center's own ``/p/<token>`` address)

Answers are the center's own bodies (and statuses), plus ``center`` (the id asked).
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hub.api.center_link import CenterLink, ForwardLink, Unreachable
from hub.api.portal import NO_STORE, Portal, client_address, refusal_response
from hub.store import centers as centers_store
from hub.store import portal_limits
from hub.usecases.portal import PortalRefusal
from nafitha.national.nats import portal_subject
from nafitha.qr import qr_svg
from nafitha.text import both

MAX_BODY_BYTES = 8 * 1024
REQUEST_ID = r"^[A-Za-z0-9_-]{8,64}$"
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
START = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
CENTER = r"^[a-z0-9][a-z0-9-]{0,31}$"
PHONE = r"^\+?[0-9 ()\-]*$"  # as typed: the center reads the number itself
UNREACHABLE_RETRY_S = 30
STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Path values are checked here, not by FastAPI (its 422 body is not the contract's error shape):
# a center id by its pattern, a code or reference clipped (the center refuses a malformed one).
Center = Annotated[str, Path()]
Code = Annotated[str, Path()]


class BookIn(BaseModel):
    model_config = STRICT
    request_id: str | None = Field(default=None, pattern=REQUEST_ID)
    service: str = Field(min_length=1, max_length=64)
    day: str = Field(pattern=DAY, max_length=10)
    start: str = Field(pattern=START, max_length=5)
    lang: Literal["ar", "en"] = "ar"
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=32, pattern=PHONE)
    notify: bool = False


class CancelIn(BaseModel):
    model_config = STRICT
    request_id: str | None = Field(default=None, pattern=REQUEST_ID)


class MoveIn(CancelIn):
    day: str = Field(pattern=DAY, max_length=10)
    start: str = Field(pattern=START, max_length=5)


class ComplaintIn(BaseModel):
    model_config = STRICT
    request_id: str | None = Field(default=None, pattern=REQUEST_ID)
    kind: str = Field(max_length=32)
    about: str = Field(max_length=32)
    service: str | None = Field(default=None, max_length=64)
    topic: str | None = Field(default=None, max_length=64)
    text: str | None = Field(default=None, max_length=4000)
    anonymous: bool = False
    phone: str | None = Field(default=None, max_length=32, pattern=PHONE)
    lang: Literal["ar", "en"] = "ar"
    ticket_number: str | None = Field(default=None, max_length=16)  # a visit: the paper's number
    ticket_day: str | None = Field(default=None, pattern=DAY, max_length=10)


class JoinIn(BaseModel):
    model_config = STRICT
    request_id: str | None = Field(default=None, pattern=REQUEST_ID)
    service: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=1, max_length=32, pattern=PHONE)
    lang: Literal["ar", "en"] = "ar"
    notify: bool = False


def _error(status: int, code: str, retry_after: int | None = None, **params: Any) -> JSONResponse:
    headers = dict(NO_STORE)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    body = {"error": {"code": code, "message": both(f"forward.error_{code}", **params)}}
    return JSONResponse(body, status, headers=headers)


def _relayed(center: str, answer: dict[str, Any]) -> JSONResponse:
    """The center's answer as the portal's: its status, its body or its refusal."""
    status = answer.get("status")
    status = status if isinstance(status, int) and 200 <= status < 600 else 502
    if answer.get("ok"):
        result = answer.get("result")
        body = {**result, "center": center} if isinstance(result, dict) else {"center": center}
        return JSONResponse(body, status, headers=NO_STORE)
    headers = dict(NO_STORE)
    retry = answer.get("retry_after")
    if isinstance(retry, int) and retry > 0:
        headers["Retry-After"] = str(retry)
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    return JSONResponse({"error": error, "center": center}, status, headers=headers)


def forward_router(hub: Portal, link: CenterLink | None) -> APIRouter:
    router = APIRouter(tags=["portal"])
    prefix = "/api/v1/portal/centers/{center}"

    def admit(client: str, center: str) -> None:
        """The center is one this hub knows, and the client has a request left in its bucket."""
        settings = hub.settings

        def work(conn: Any) -> None:
            if centers_store.status_of(conn, center) is None:
                raise PortalRefusal("unknown_center")
            wait = portal_limits.take(
                conn, f"forward:{client}", time.time(), settings.forward_per_minute,
                settings.forward_burst,
            )  # fmt: skip
            if wait:
                raise PortalRefusal("track_rate_limited", seconds=wait)

        hub.read(work)

    async def forward(
        request: Request, center: str, op: str, args: dict[str, Any], request_id: str | None
    ) -> JSONResponse:
        if link is None:
            return _error(503, "portal_forward_off")
        if not _center_ok(center):
            return refusal_response(PortalRefusal("unknown_center"))
        try:
            await run_in_threadpool(admit, client_address(request), center)
        except PortalRefusal as refusal:
            if refusal.code == "track_rate_limited":
                return _error(429, "forward_rate_limited", refusal.retry_after, **_secs(refusal))
            return refusal_response(refusal)
        envelope = {"v": 1, "id": request_id or secrets.token_urlsafe(12), "op": op, "args": args}
        try:
            answer = await link.ask(portal_subject(center), envelope)
        except Unreachable:
            return _error(503, "center_unreachable", UNREACHABLE_RETRY_S)
        return _relayed(center, answer)

    async def body_of(request: Request, model: type[BaseModel]) -> BaseModel | JSONResponse:
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            return _error(413, "forward_invalid")  # refused before reading it
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return _error(413, "forward_invalid")
        try:
            return model.model_validate_json(raw or b"{}")
        except (ValidationError, ValueError):
            return _error(422, "forward_invalid")

    async def forward_body(
        request: Request, center: str, op: str, model: type[BaseModel]
    ) -> JSONResponse:
        """A write whose strict body is the center's request, less the retry's ``request_id``."""
        body = await body_of(request, model)
        if isinstance(body, JSONResponse):
            return body
        args = body.model_dump(exclude={"request_id"}, exclude_none=True)
        return await forward(request, center, op, args, getattr(body, "request_id", None))

    @router.get(prefix + "/appointments/services", response_model=None)
    async def services(center: Center, request: Request) -> JSONResponse:
        """The center's bookable services, as the center answers them now."""
        return await forward(request, center, "services", {}, None)

    @router.get(prefix + "/appointments/slots", response_model=None)
    async def slots(
        center: Center,
        request: Request,
        service: Annotated[str, Query()] = "",
        first: Annotated[str | None, Query(alias="from")] = None,
        days: Annotated[str, Query()] = "7",
    ) -> JSONResponse:
        """The center's free slots of a service, from its own capacity rules (the center checks
        the values; a non-number ``days`` is refused here, in the contract's error shape)."""
        if not days.isdigit() or len(days) > 3:
            return _error(422, "forward_invalid")
        args: dict[str, Any] = {"service": service[:64], "days": int(days)}
        if first:
            args["first"] = first[:10]
        return await forward(request, center, "slots", args, None)

    @router.post(prefix + "/appointments", response_model=None)
    async def book(center: Center, request: Request) -> JSONResponse:
        """Book at the center; only the center's confirmation is a booking."""
        return await forward_body(request, center, "book", BookIn)

    @router.get(prefix + "/appointments/{code}", response_model=None)
    async def view(center: Center, code: Code, request: Request) -> JSONResponse:
        return await forward(request, center, "view", {"code": code[:64]}, None)

    @router.post(prefix + "/appointments/{code}/cancel", response_model=None)
    async def cancel(center: Center, code: Code, request: Request) -> JSONResponse:
        body = await body_of(request, CancelIn)
        if isinstance(body, JSONResponse):
            return body
        args = {"code": code[:64]}
        return await forward(request, center, "cancel", args, body.request_id)  # type: ignore[attr-defined]

    @router.post(prefix + "/appointments/{code}/move", response_model=None)
    async def move(center: Center, code: Code, request: Request) -> JSONResponse:
        body = await body_of(request, MoveIn)
        if isinstance(body, JSONResponse):
            return body
        args = {"code": code[:64], "day": body.day, "start": body.start}  # type: ignore[attr-defined]
        return await forward(request, center, "move", args, body.request_id)  # type: ignore[attr-defined]

    @router.get(prefix + "/appointments/{code}/qr.svg", response_model=None)
    async def qr(center: Center, code: Code, request: Request) -> Response:
        """The QR code of the booking's page at the center, as the center answers its address."""
        return _qr_of(await view(center, code, request), "url")

    @router.get(prefix + "/complaints/options", response_model=None)
    async def complaint_options(center: Center, request: Request) -> JSONResponse:
        return await forward(request, center, "complaint_options", {}, None)

    @router.post(prefix + "/complaints", response_model=None)
    async def file_complaint(center: Center, request: Request) -> JSONResponse:
        """File a complaint or suggestion at the center; its reference is the center's."""
        return await forward_body(request, center, "file_complaint", ComplaintIn)

    @router.get(prefix + "/complaints/{reference}", response_model=None)
    async def complaint(center: Center, reference: Code, request: Request) -> JSONResponse:
        return await forward(request, center, "complaint", {"reference": reference[:64]}, None)

    @router.get(prefix + "/places/services", response_model=None)
    async def join_options(center: Center, request: Request) -> JSONResponse:
        """Whether the center takes places through the portal, and for which services now."""
        return await forward(request, center, "join_options", {}, None)

    @router.post(prefix + "/places", response_model=None)
    async def join(center: Center, request: Request) -> JSONResponse:
        """A place in the center's queue today; only the center's answer is a place."""
        return await forward_body(request, center, "join", JoinIn)

    @router.get(prefix + "/places/{token}", response_model=None)
    async def place(center: Center, token: Code, request: Request) -> JSONResponse:
        return await forward(request, center, "place", {"token": token[:64]}, None)

    @router.get(prefix + "/places/{token}/qr.svg", response_model=None)
    async def place_qr(center: Center, token: Code, request: Request) -> Response:
        """The QR code the kiosk scans to confirm the place: the center's own ``/p/<token>``."""
        return _qr_of(await place(center, token, request), "qr")

    return router


def _qr_of(seen: JSONResponse, key: str) -> Response:
    """The QR code of the address the center answered under ``key``; its refusal as it came."""
    if seen.status_code != 200:
        return seen
    url = json.loads(bytes(seen.body))[key]
    return Response(qr_svg(url), media_type="image/svg+xml", headers=NO_STORE)


def _center_ok(center: str) -> bool:
    import re

    return re.match(CENTER, center) is not None


def _secs(refusal: PortalRefusal) -> dict[str, Any]:
    return {"seconds": refusal.retry_after or 1}


__all__ = ["ForwardLink", "forward_router"]
