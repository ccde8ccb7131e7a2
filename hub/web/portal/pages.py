"""The portal's pages: ``/`` and ``/f`` (the lookup box), ``/f/{reference}`` (the file),
``/centers`` (which center now), ``/services`` (services and required documents), its style.

Everything is rendered here from the same answers as the API (:class:`hub.api.portal.Portal`):
no script runs in the browser, so the pages work on any phone, and the Content-Security-Policy
allows nothing but this hub's own style sheet. The language is ``?lang=`` (kept in a cookie),
else the cookie, else the browser's ``Accept-Language``, else Arabic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from hub.api.portal import CenterId, Portal, client_address, clip
from hub.usecases.portal import PortalRefusal
from hub.web.portal import html
from nafitha.text import LANGS, t

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}


def choose_lang(request: Request, asked: str | None) -> str:
    if asked in LANGS:
        return str(asked)
    cookie = request.cookies.get("lang")
    if cookie in LANGS:
        return str(cookie)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "ar"


def _switch(request: Request, lang: str) -> str:
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "ar" else "ar"
    return f"{request.url.path}?{urlencode(params)}"


def respond(request: Request, lang: str, asked: str | None, title: str, body: str, status=200):
    answer = HTMLResponse(
        html.page(lang, title, body, _switch(request, lang)), status, headers=dict(HEADERS)
    )
    answer.headers["Cache-Control"] = "no-store"
    if asked in LANGS:
        answer.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return answer


Lang = Annotated[str | None, Query()]  # anything but ar/en is ignored (choose_lang)


def page_router(hub: Portal) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/portal/static/portal.css")
    def style() -> Response:
        return FileResponse(
            STATIC / "portal.css", media_type="text/css", headers={"Cache-Control": "max-age=86400"}
        )

    @router.get("/", response_class=HTMLResponse)
    @router.get("/f", response_class=HTMLResponse)
    def lookup(
        request: Request,
        lang: Lang = None,
        reference: Annotated[str, Query()] = "",
    ) -> Response:
        """The lookup box; the form's answer (``?reference=``) goes to the file's own address."""
        chosen = choose_lang(request, lang)
        if reference.strip():
            target = f"/f/{quote(reference.strip()[:64], safe='')}?{urlencode({'lang': chosen})}"
            return RedirectResponse(target, status_code=303)
        title = t("portal.nav_track", chosen)
        return respond(request, chosen, lang, title, html.lookup_form(chosen))

    @router.get("/f/{reference}", response_class=HTMLResponse)
    def file_page(
        reference: str, request: Request, lang: Lang = None, center: CenterId = None
    ) -> Response:
        chosen = choose_lang(request, lang)
        title = t("web.file_title", chosen)
        typed = reference[:64]
        try:
            view = hub.track(client_address(request), typed, clip(center, 32))
        except PortalRefusal as refusal:
            body = html.refusal(chosen, refusal.body(), typed)
            answer = respond(request, chosen, lang, title, body, refusal.status)
            if refusal.retry_after:
                answer.headers["Retry-After"] = str(refusal.retry_after)
            return answer
        return respond(request, chosen, lang, title, html.file_view(chosen, view))

    @router.get("/centers", response_class=HTMLResponse)
    def centers_page(
        request: Request, lang: Lang = None, service: Annotated[str, Query()] = ""
    ) -> Response:
        chosen = choose_lang(request, lang)
        title = t("portal.nav_centers", chosen)
        try:
            body = html.centers_view(chosen, hub.centers(), service[:64] or None)
        except PortalRefusal as refusal:
            body, status = html.refusal(chosen, refusal.body(), ""), refusal.status
            return respond(request, chosen, lang, title, body, status)
        return respond(request, chosen, lang, title, body)

    @router.get("/services", response_class=HTMLResponse)
    def services_page(
        request: Request,
        lang: Lang = None,
        q: Annotated[str, Query()] = "",
        center: Annotated[str, Query()] = "",
    ) -> Response:
        chosen = choose_lang(request, lang)
        title = t("portal.nav_services", chosen)
        try:
            everyone = hub.centers()["centers"]
            q, center = q[:100], center[:32]
            answer = hub.services(q, center or None)
        except PortalRefusal as refusal:
            body, status = html.refusal(chosen, refusal.body(), ""), refusal.status
            return respond(request, chosen, lang, title, body, status)
        body = html.services_view(chosen, answer, everyone, center or None)
        return respond(request, chosen, lang, title, body)

    return router
