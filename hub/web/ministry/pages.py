"""The ministry's dashboard page (``/ministry``) and its own files (``/ministry/static/``).

The page is one HTML file filled with its language and every ``ministry.`` and ``common.`` text
(and the complaints' kinds, subjects, topics and statuses, and the device alerts' names the
center's own dashboard shows) in both languages (the switch needs no reload); its script reads
the API after sign-in. Every file comes from the hub itself (this
folder's ``static/`` and the project's fonts): nothing is loaded from elsewhere, and the
Content-Security-Policy says so to the browser.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Header, Query
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from nafitha import __version__
from nafitha.paths import FONTS

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".woff2": "font/woff2"}  # fmt: skip
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.[a-z0-9]+$")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self';"
    " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
    " form-action 'self'"
)


def pick_lang(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``lang`` parameter, else the switch's cookie, else the browser's first of ar/en, else ar."""
    for candidate in (query, cookie):
        if candidate and candidate.strip().lower()[:2] in ("ar", "en"):
            return candidate.strip().lower()[:2]
    for part in (accept_language or "").split(","):
        base = part.split(";")[0].strip().lower().split("-")[0]
        if base in ("ar", "en"):
            return base
    return "ar"


@cache
def page_texts() -> dict[str, dict[str, str]]:
    from nafitha.text import catalogs

    shared = ("complaints.kind_", "complaints.about_", "complaints.status_", "complaints.topic_",
              "web.alert_")  # fmt: skip
    return {k: v for k, v in catalogs().items() if k.startswith(("ministry.", "common.", *shared))}


def _script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _template() -> str:
    return (HERE / "ministry.html").read_text(encoding="utf-8")


def render(lang: str) -> str:
    from nafitha.text import t

    slots = {
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "title": html.escape(t("ministry.title", lang)),
        "version": __version__,
        "texts": _script_json(page_texts()),
    }
    out = _template()
    for name, value in slots.items():
        out = out.replace("{{" + name + "}}", value)
    return out


def _file(folder: Path, name: str, max_age: int) -> FileResponse | JSONResponse:
    path = folder / name
    media_type = _TYPES.get(path.suffix)
    if not _SAFE_NAME.match(name) or media_type is None or not path.is_file():
        return JSONResponse({"error": {"code": "not_found"}}, status_code=404)
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": f"public, max-age={max_age}"}
    )


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/ministry", response_class=HTMLResponse)
    def page(
        lang: Annotated[str | None, Query(max_length=10)] = None,
        cookie_lang: Annotated[str | None, Cookie(alias="lang")] = None,
        accept_language: Annotated[str | None, Header()] = None,
    ) -> HTMLResponse:
        """The page itself holds no figure: its script asks the API once signed in."""
        chosen = pick_lang(lang, cookie_lang, (accept_language or "")[:500])
        headers = {"Cache-Control": "no-cache", "Vary": "Accept-Language",
                   "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer"}  # fmt: skip
        return HTMLResponse(render(chosen), headers=headers)

    @router.get("/ministry/static/{name}", response_model=None)
    def static_file(name: str) -> FileResponse | JSONResponse:
        return _file(STATIC, name, max_age=300)

    @router.get("/ministry/fonts/{name}", response_model=None)
    def font_file(name: str) -> FileResponse | JSONResponse:
        return _file(FONTS, name, max_age=86400)

    return router
