"""The citizen's phone pages for appointments and places (docs/appointments.md).

``/book`` (service, day, slot, details), ``/a/<code>`` (a booking: its QR, cancel, move),
``/join`` (a place in today's queue) and ``/p/<token>`` (that place, its QR for the kiosk). As the
other phone pages: the handler picks the language and fills the page; its script reads the API.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from nafitha.qr import qr_svg
from server.api.deps import Ctx
from server.domain.errors import Refusal
from server.usecases.catalog import load_catalog
from server.web.pages import Hints, _page
from server.web.render import pick_lang

router = APIRouter(include_in_schema=False)
_CODE = re.compile(r"^[A-Za-z0-9 -]{1,40}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _settings(ctx: Ctx) -> dict[str, object]:
    """What the booking form asks: the name and phone fields by the center's settings."""
    center = load_catalog(ctx).center
    booking = center.appointments
    return {
        "ask_name": booking.ask_name,
        "ask_phone": booking.ask_phone or booking.require_phone,
        "require_phone": booking.require_phone,
        "sms": ctx.settings.sms is not None,
    }


@router.get("/book", response_class=HTMLResponse)
def book_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    return _page(
        ctx,
        "book",
        lang,
        title_key="appointments.w_book_title",
        body_class="phone",
        page_data=_settings(ctx),
    )


@router.get("/a/{code}", response_class=HTMLResponse)
def appointment_page(code: str, hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"code": code if _CODE.match(code) else ""}
    return _page(
        ctx,
        "appointment",
        lang,
        title_key="appointments.w_appointment_title",
        body_class="phone",
        page_data=data,
    )


@router.get("/join", response_class=HTMLResponse)
def join_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    center = load_catalog(ctx).center
    data = {"enabled": center.places.enabled, "sms": ctx.settings.sms is not None}
    return _page(
        ctx, "join", lang, title_key="appointments.w_join_title", body_class="phone", page_data=data
    )


@router.get("/p/{token}", response_class=HTMLResponse)
def place_page(token: str, hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"token": token if _TOKEN.match(token) else ""}
    return _page(
        ctx,
        "join_place",
        lang,
        title_key="appointments.w_place_title",
        body_class="phone",
        page_data=data,
    )


def _svg(ctx: Ctx, path: str) -> Response:
    base = (ctx.settings.public_url or load_catalog(ctx).center.public_url).rstrip("/")
    return Response(
        qr_svg(f"{base}{path}"),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/a/{code}/qr.svg")
def appointment_qr(code: str, ctx: Ctx) -> Response:
    """The QR of a booking's own page (what the kiosk scans to check in)."""
    if not _CODE.match(code):
        raise Refusal("not_found")
    return _svg(ctx, f"/a/{code}")


@router.get("/p/{token}/qr.svg")
def place_qr(token: str, ctx: Ctx) -> Response:
    """The QR of a place's page (what the kiosk scans to confirm it)."""
    if not _TOKEN.match(token):
        raise Refusal("not_found")
    return _svg(ctx, f"/p/{token}")
