"""The pages the server serves (board, phone pages, dashboard, admin) and their files.

Every script, style sheet, font and sound comes from the project itself: ``/static/`` (this
package's ``static/``), ``/fonts/`` (``assets/fonts``) and ``/sounds/`` (the generated voice clips).
Handlers only pick the language and fill the page; the page's script reads the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Query
from fastapi.responses import FileResponse, HTMLResponse

from nafitha.paths import FONTS, SOUNDS
from server.api.deps import Ctx
from server.domain.errors import Refusal
from server.usecases.catalog import load_catalog
from server.web.render import pick_lang, render_page

STATIC = Path(__file__).resolve().parent / "static"
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".woff2": "font/woff2",
    ".ogg": "audio/ogg",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.[a-z0-9]+$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9 -]{1,40}$")

router = APIRouter(include_in_schema=False)


def _file(folder: Path, name: str, max_age: int) -> FileResponse:
    """A file of ``folder`` by a plain relative name (no ``..``, no hidden files)."""
    path = folder / name
    media_type = _TYPES.get(path.suffix)
    if not _SAFE_NAME.match(name) or media_type is None or not path.is_file():
        raise Refusal("not_found")
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": f"public, max-age={max_age}"}
    )


@router.get("/static/{name:path}")
def static_file(name: str) -> FileResponse:
    return _file(STATIC, name, max_age=300)


@router.get("/fonts/{name}")
def font_file(name: str) -> FileResponse:
    return _file(FONTS, name, max_age=86400)


@router.get("/sounds/{name:path}")
def sound_file(name: str) -> FileResponse:
    return _file(SOUNDS, name, max_age=0 if name.endswith(".json") else 86400)


@dataclass(frozen=True)
class LangHints:
    """What a request says about its reader's language, strongest first."""

    query: str | None
    cookie: str | None
    browser: str | None


def lang_hints(
    lang: Annotated[str | None, Query()] = None,
    cookie_lang: Annotated[str | None, Cookie(alias="lang")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> LangHints:
    """Hints only: an overlong one is cut, never refused (a page never answers a 422)."""
    return LangHints(
        lang[:10] if lang else None,
        cookie_lang[:10] if cookie_lang else None,
        accept_language[:500] if accept_language else None,
    )


Hints = Annotated[LangHints, Depends(lang_hints)]


def _page(
    ctx: Ctx,
    page: str,
    lang: str,
    *,
    title_key: str,
    body_class: str,
    page_data: dict[str, object] | None = None,
) -> HTMLResponse:
    # Every time on a page is shown in the center's zone, never the zone of the device showing it.
    data = {**(page_data or {}), "timezone": load_catalog(ctx).center.timezone}
    body = render_page(page, lang, title_key=title_key, body_class=body_class, page_data=data)
    return HTMLResponse(body, headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"})


@router.get("/board", response_class=HTMLResponse)
def board_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    # The board is bilingual; its first language is Arabic unless the TV is told otherwise
    # (a TV browser's own language says nothing about the hall).
    lang = pick_lang(hints.query, hints.cookie, None)
    center = load_catalog(ctx).center  # the integrity summary's turn (static/board_rotation.js)
    rotation = {"every_s": center.board_rotation_s, "show_s": center.board_integrity_s}
    return _page(
        ctx,
        "board",
        lang,
        title_key="web.board_title",
        body_class="board",
        page_data={"rotation": rotation},
    )


@router.get("/t/{token}", response_class=HTMLResponse)
def ticket_page(token: str, hints: Hints, ctx: Ctx) -> HTMLResponse:
    data = {"token": token if _TOKEN.match(token) else ""}
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    return _page(
        ctx, "ticket", lang, title_key="web.ticket_title", body_class="phone", page_data=data
    )


@router.get("/f", response_class=HTMLResponse)
def file_lookup_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    """A box to type a reference (where a page with an unknown one sends the citizen)."""
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"reference": ""}
    return _page(ctx, "file", lang, title_key="web.file_title", body_class="phone", page_data=data)


@router.get("/f/{reference}", response_class=HTMLResponse)
def file_page(reference: str, hints: Hints, ctx: Ctx) -> HTMLResponse:
    good = bool(_REFERENCE.match(reference))
    data = {"reference": reference if good else "", "asked": True}
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    return _page(ctx, "file", lang, title_key="web.file_title", body_class="phone", page_data=data)


@router.get("/integrity", response_class=HTMLResponse)
def integrity_page(
    hints: Hints, ctx: Ctx, day: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    """The published integrity report of a day (docs/audit.md); its script reads the API."""
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data = {"day": day[:10] if day else ""}
    return _page(
        ctx, "integrity", lang, title_key="web.integrity_title", body_class="report", page_data=data
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data: dict[str, object] = {"role": "manager"}
    return _page(
        ctx, "dashboard", lang, title_key="web.dash_title", body_class="desk", page_data=data
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(hints: Hints, ctx: Ctx) -> HTMLResponse:
    lang = pick_lang(hints.query, hints.cookie, hints.browser)
    data: dict[str, object] = {"role": "admin"}
    return _page(ctx, "admin", lang, title_key="web.admin_title", body_class="desk", page_data=data)
