"""The complaint pages: ``/c`` (a new complaint or suggestion), ``/c/<reference>`` (follow it)
and ``/complaints-admin`` (the manager's page). docs/complaints.md.

As the other pages: the handler picks the language and fills the page; its script reads the API
and writes every text a citizen typed with ``textContent`` (never as HTML), isolated (``dir=auto``).
``/c?t=<ticket token>`` (the link on a ticket's phone page) offers to link it to the visit.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from server.api.deps import Ctx
from server.web.pages import Hints, _page
from server.web.render import pick_lang

router = APIRouter(include_in_schema=False)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9 -]{1,40}$")


@router.get("/c", response_class=HTMLResponse)
def new_complaint_page(
    hints: Hints, ctx: Ctx, t: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"ticket_token": t if t and _TOKEN.match(t) else ""}
    return _page(
        ctx,
        "complaint_new",
        lang,
        title_key="complaints.c_new_title",
        body_class="phone",
        page_data=data,
    )


@router.get("/c/{reference}", response_class=HTMLResponse)
def complaint_page(reference: str, hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"reference": reference if _REFERENCE.match(reference) else ""}
    return _page(
        ctx, "complaint", lang, title_key="complaints.c_title", body_class="phone", page_data=data
    )


@router.get("/complaints-admin", response_class=HTMLResponse)
def complaints_admin_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    return _page(
        ctx,
        "complaints_admin",
        lang,
        title_key="complaints.m_title",
        body_class="desk",
        page_data={"role": "manager"},
    )
