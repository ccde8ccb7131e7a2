"""The self-assessment page (``/assessment``, managers): one printable page of the measures that
graders of government service centers use, month by month; its script reads the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from server.api.deps import Ctx
from server.web.pages import Hints, _page
from server.web.render import pick_lang

router = APIRouter(include_in_schema=False)


@router.get("/assessment", response_class=HTMLResponse)
def assessment_page(
    hints: Hints,
    ctx: Ctx,
    until: Annotated[str | None, Query()] = None,
    months: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data: dict[str, object] = {
        "role": "manager",
        "until": (until or "")[:7],
        "months": (months or "")[:2],
    }
    return _page(
        ctx,
        "assessment",
        lang,
        title_key="ratings.assess_title",
        body_class="report",
        page_data=data,
    )
