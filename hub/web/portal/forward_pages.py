"""The portal's booking and complaint pages for one center (docs/hub.md, "Booking and complaints
through the portal").

- ``/centers/{center}/book``: choose a service and a free time, book; the answer shows the
  center's booking code, the time, the documents, and the center's own ``/a/<code>`` page as a
  link and a QR code; a booking already made is found by its code (and can be cancelled).
- ``/centers/{center}/complaint``: file a complaint or suggestion; the answer gives its reference
  and the link to follow it.
- ``/centers/{center}/complaints/{reference}``: its status and the center's answer.
- ``/centers/{center}/join``: a place in today's queue, where the center offers it through the
  portal (``Center.places.portal``), with the center's own figures for each service; then
- ``/centers/{center}/places/{token}``: the place's people ahead, wait, come-back and confirm-by
  times (the center's zone), refreshed, and the QR code the kiosk scans on arrival.

The frame is the portal's (:func:`hub.web.portal.html.page`); the page's work is done by
``static/forward.js`` through the forwarding API (``hub/api/portal_forward.py``). Every text the
script shows comes from the catalogs (embedded as JSON, never run) and is set with
``textContent``; the Content-Security-Policy allows this hub's own script and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from hub.api.portal import Portal
from hub.store import centers as centers_store
from hub.usecases.portal import PortalRefusal
from hub.web.portal import html
from hub.web.portal.pages import Lang, choose_lang, respond
from nafitha.text import t

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
TEXTS = (
    "book_lead", "service", "slot", "slot_free", "no_slots", "book_button", "sending",
    "booked_title", "code", "when", "status", "documents", "center_page", "qr_label",
    "find_title", "find_button", "cancel_button", "status_booked", "status_cancelled",
    "status_checked_in", "status_no_show", "kind", "topic", "text", "send_button", "filed_title",
    "reference", "deadline", "follow_link", "answer", "no_answer_yet", "move_to", "move_button",
    "any_service",
)  # fmt: skip
# the center's own words for a place (its /join and /p/<token> pages say the same)
SHARED_TEXTS = (
    "appointments.w_join_intro", "appointments.w_choose_service", "appointments.w_phone",
    "appointments.w_phone_hint", "appointments.w_notify", "appointments.w_join_submit",
    "appointments.w_waiting_now", "appointments.w_no_services", "appointments.w_place_title",
    "appointments.w_come_back_at",
    "appointments.w_confirm_by", "appointments.w_place_scan", "appointments.w_place_state_waiting",
    "appointments.w_place_state_confirmed", "appointments.w_place_state_lapsed",
    "appointments.w_come_now", "appointments.w_error", "appointments.error_places_portal_off",
    "common.wait_moment",
    "common.wait_minutes", "common.wait_hours",
)  # fmt: skip


def _texts(lang: str) -> str:
    """The script's texts in ``lang``, as JSON safe inside a ``<script type=application/json>``."""
    texts = {key: t(f"forward.{key}", lang) for key in TEXTS}
    texts.update({key: t(key, lang) for key in SHARED_TEXTS})
    return json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")


def _frame(lang: str, center: str, view: str, extra: dict[str, str] | None = None) -> str:
    data = {"center": center, "view": view, "lang": lang, **(extra or {})}
    attributes = " ".join(f'data-{k}="{html.e(v)}"' for k, v in data.items())
    return (
        f'<div id="forward" {attributes}>'
        '<p id="error" class="notice warn" role="alert" hidden></p>'
        '<p id="busy" class="hint" aria-live="polite" hidden></p>'
        f'<script type="application/json" id="texts">{_texts(lang)}</script>'
        '<script src="/portal/static/forward.js" defer></script>'
    )


def _book_body(lang: str, center: str) -> str:
    say = lambda key: html.e(t(f"forward.{key}", lang))  # noqa: E731
    return (
        _frame(lang, center, "book") + f'<p class="hint">{say("book_lead")}</p>'
        '<form id="book-form">'
        f'<label for="service">{say("service")}</label><select id="service" required></select>'
        f'<label for="slot">{say("slot")}</label><select id="slot" required></select>'
        f'<p id="no-slots" class="hint" hidden>{say("no_slots")}</p>'
        f'<div id="name-box" hidden><label for="name">{say("name")}</label> '
        '<input id="name" dir="auto" maxlength="100" autocomplete="name"></div>'
        f'<div id="phone-box" hidden><label for="phone">{say("phone")}</label> '
        '<input id="phone" type="tel" dir="ltr" maxlength="32" autocomplete="tel"></div>'
        f'<div id="notify-box" hidden><input id="notify" type="checkbox"> '
        f'<label for="notify">{say("notify")}</label></div>'
        f'<button id="book" type="submit">{say("book_button")}</button></form>'
        '<section id="booking" class="facts" hidden>'
        f'<h2 id="booking-title">{say("booked_title")}</h2>'
        f'<div><b>{say("code")}</b> <bdi dir="ltr" id="booking-code"></bdi></div>'
        f'<div><b>{say("when")}</b> <bdi dir="ltr" id="booking-when"></bdi></div>'
        f'<div><b>{say("status")}</b> <span id="booking-status"></span></div>'
        f'<div><b>{say("documents")}</b><ul id="booking-documents"></ul></div>'
        '<div><a id="booking-link" href="#"></a></div>'
        f'<div><img id="booking-qr" alt="{say("qr_label")}" width="180" height="180"></div>'
        f'<div id="move-box"><label for="move-slot">{say("move_to")}</label> '
        '<select id="move-slot"></select> '
        f'<button id="move" type="button">{say("move_button")}</button></div>'
        f'<button id="cancel" type="button">{say("cancel_button")}</button></section>'
        f'<form id="find-form"><h2>{say("find_title")}</h2>'
        f'<label for="find-code">{say("code")}</label>'
        '<input id="find-code" autocomplete="off" maxlength="20" dir="ltr" required>'
        f'<button type="submit">{say("find_button")}</button></form></div>'
    )


def _complaint_body(lang: str, center: str) -> str:
    say = lambda key: html.e(t(f"forward.{key}", lang))  # noqa: E731
    return (
        _frame(lang, center, "complaint") + '<form id="complaint-form">'
        f'<label for="kind">{say("kind")}</label><select id="kind" required></select>'
        f'<label for="about">{say("about")}</label><select id="about" required></select>'
        f'<div id="service-box" hidden><label for="c-service">{say("service")}</label>'
        '<select id="c-service"></select></div>'
        f'<div id="visit-box" hidden><label for="ticket-number">{say("ticket_number")}</label>'
        '<input id="ticket-number" dir="ltr" maxlength="16" autocomplete="off">'
        f'<label for="ticket-day">{say("ticket_day")}</label>'
        '<input id="ticket-day" type="date" dir="ltr"></div>'
        f'<label for="topic">{say("topic")}</label><select id="topic"></select>'
        f'<label for="text">{say("text")}</label>'
        '<textarea id="text" dir="auto" rows="5" maxlength="1000"></textarea>'
        f'<div class="check"><input id="anonymous" type="checkbox" checked> '
        f'<label for="anonymous">{say("anonymous")}</label></div>'
        f'<div id="c-phone-box" hidden><label for="c-phone">{say("answer_by_sms")}</label>'
        '<input id="c-phone" type="tel" dir="ltr" maxlength="32" autocomplete="tel"></div>'
        f'<button id="send" type="submit">{say("send_button")}</button></form>'
        '<section id="filed" class="facts" hidden>'
        f"<h2>{say('filed_title')}</h2>"
        f'<div><b>{say("reference")}</b> <bdi dir="ltr" id="filed-reference"></bdi></div>'
        f'<div><b>{say("deadline")}</b> <bdi dir="ltr" id="filed-deadline"></bdi></div>'
        f'<p class="hint">{say("follow_hint")}</p>'
        f'<div><a id="follow" href="#">{say("follow_link")}</a></div></section></div>'
    )


def _follow_body(lang: str, center: str, reference: str) -> str:
    say = lambda key: html.e(t(f"forward.{key}", lang))  # noqa: E731
    return (
        _frame(lang, center, "follow", {"reference": reference[:32]})
        + '<section id="complaint" class="facts" hidden>'
        f'<div><b>{say("reference")}</b> <bdi dir="ltr" id="c-reference"></bdi></div>'
        f'<div><b>{say("kind")}</b> <span id="c-kind"></span></div>'
        f'<div><b>{say("status")}</b> <span id="c-status"></span></div>'
        f'<div><b>{say("deadline")}</b> <bdi dir="ltr" id="c-deadline"></bdi></div>'
        f'<div><b>{say("text")}</b> <p id="c-text" dir="auto"></p></div>'
        f'<div><b>{say("answer")}</b> <p id="c-answer" dir="auto"></p></div>'
        "</section></div>"
    )


def _join_body(lang: str, center: str) -> str:
    say = lambda key: html.e(t(key if "." in key else f"forward.{key}", lang))  # noqa: E731
    return (
        _frame(lang, center, "join") + f'<p class="hint">{say("appointments.w_join_intro")}</p>'
        '<form id="join-form" hidden>'
        f'<label for="j-service">{say("appointments.w_choose_service")}</label>'
        '<select id="j-service" required aria-describedby="j-figures"></select>'
        '<p id="j-figures" class="hint" aria-live="polite"></p>'
        f'<p id="j-none" class="hint" hidden>{say("appointments.w_no_services")}</p>'
        f'<label for="j-phone">{say("appointments.w_phone")}</label>'
        '<input id="j-phone" type="tel" dir="ltr" maxlength="32" autocomplete="tel" required>'
        f'<p class="hint">{say("appointments.w_phone_hint")}</p>'
        '<div id="j-notify-box" class="check" hidden><input id="j-notify" type="checkbox"> '
        f'<label for="j-notify">{say("appointments.w_notify")}</label></div>'
        f'<button id="join" type="submit">{say("appointments.w_join_submit")}</button>'
        "</form></div>"
    )


def _place_body(lang: str, center: str, token: str) -> str:
    say = lambda key: html.e(t(key if "." in key else f"forward.{key}", lang))  # noqa: E731
    return (
        _frame(lang, center, "place", {"token": token[:64]})
        + '<section id="place" class="facts" hidden>'
        f'<div><b>{say("service")}</b> <span id="p-service"></span></div>'
        f'<div><b>{say("status")}</b> <span id="p-state"></span></div>'
        f'<div id="p-ahead-box"><b>{say("place_ahead")}</b> '
        '<bdi dir="ltr" id="p-ahead"></bdi></div>'
        f'<div id="p-wait-box"><b>{say("place_wait")}</b> '
        '<span id="p-wait"></span></div>'
        f'<div id="p-back-box"><b>{say("appointments.w_come_back_at")}</b> '
        '<bdi dir="ltr" id="p-back"></bdi></div>'
        '<p id="p-now" class="notice" hidden></p>'
        '<p id="p-confirm-by" class="hint"></p>'
        f'<div id="p-qr-box"><p class="hint">{say("appointments.w_place_scan")}</p>'
        f'<img id="p-qr" alt="{say("qr_label")}" width="200" height="200"></div>'
        "</section></div>"
    )


def forward_page_router(hub: Portal) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def center_name(center: str, lang: str) -> str | None:
        if len(center) > 32:
            return None
        try:
            row: dict[str, Any] | None = hub.read(lambda conn: centers_store.one(conn, center))
        except PortalRefusal:
            return center
        return dict(row["name"]).get(lang, center) if row else None

    def center_page(
        request: Request, center: str, asked: str | None, title_key: str,
        body: Callable[[str], str],
    ) -> Response:  # fmt: skip
        """One center's page in the chosen language, titled with its name; 404 if unknown."""
        lang = choose_lang(request, asked)
        name = center_name(center, lang)
        if name is None:
            text = html.e(t("portal.error_unknown_center", lang))
            return respond(request, lang, asked, text, f'<p class="notice warn">{text}</p>', 404)
        page = respond(request, lang, asked, t(title_key, lang, center=name), body(lang))
        page.headers["Content-Security-Policy"] = CSP
        return page

    @router.get("/portal/static/forward.js")
    def script() -> Response:
        return FileResponse(
            STATIC / "forward.js",
            media_type="text/javascript",
            headers={"Cache-Control": "max-age=3600"},
        )

    @router.get("/centers/{center}/book", response_class=HTMLResponse)
    def book_page(center: str, request: Request, lang: Lang = None) -> Response:
        body = lambda chosen: _book_body(chosen, center)  # noqa: E731
        return center_page(request, center, lang, "forward.book_title", body)

    @router.get("/centers/{center}/complaint", response_class=HTMLResponse)
    def complaint_page(center: str, request: Request, lang: Lang = None) -> Response:
        body = lambda chosen: _complaint_body(chosen, center)  # noqa: E731
        return center_page(request, center, lang, "forward.complaint_title", body)

    @router.get("/centers/{center}/complaints/{reference}", response_class=HTMLResponse)
    def follow_page(center: str, reference: str, request: Request, lang: Lang = None) -> Response:
        body = lambda chosen: _follow_body(chosen, center, reference)  # noqa: E731
        return center_page(request, center, lang, "forward.follow_title", body)

    @router.get("/centers/{center}/join", response_class=HTMLResponse)
    def join_page(center: str, request: Request, lang: Lang = None) -> Response:
        body = lambda chosen: _join_body(chosen, center)  # noqa: E731
        return center_page(request, center, lang, "forward.join_title", body)

    @router.get("/centers/{center}/places/{token}", response_class=HTMLResponse)
    def place_page(center: str, token: str, request: Request, lang: Lang = None) -> Response:
        body = lambda chosen: _place_body(chosen, center, token)  # noqa: E731
        return center_page(request, center, lang, "forward.place_title", body)

    return router


__all__ = ["forward_page_router"]
