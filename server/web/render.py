"""Assembling a page: the base template, the page's body, its language and the texts it needs.

Pages are plain HTML files in ``server/web/templates/``; the server fills a handful of named slots
(``{{lang}}``, ``{{texts}}``...), a line ``{{> name}}`` takes in ``templates/name.html`` (the staff
login form of the dashboard and the admin page), and the page's own script does the rest from the
API. The page gets
every text of the ``web`` catalog in both languages, so the language switch needs no reload.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from nafitha import __version__
from nafitha.text import catalogs, is_rtl, normalize_lang, t

TEMPLATES = Path(__file__).resolve().parent / "templates"
# W: booking; R: the rating box, assessment page; C: complaints
TEXT_DOMAINS = ("web.", "common.", "appointments.w_", "ratings.", "complaints.")


@cache
def _template(name: str) -> str:
    return (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")


_PARTIAL = re.compile(r"^ *\{\{> ([a-z_]+)\}\}\n", re.MULTILINE)


@cache
def _body(page: str) -> str:
    """The page's template with its partials (a line ``{{> name}}``: ``templates/name.html``)."""
    return _PARTIAL.sub(lambda match: _template(match.group(1)), _template(page))


@cache
def page_texts() -> dict[str, dict[str, str]]:
    """The catalog subset pages use: the web texts and the shared ones, both languages."""
    return {key: entry for key, entry in catalogs().items() if key.startswith(TEXT_DOMAINS)}


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no closing tag, no HTML comment opener)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def pick_lang(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page's language: the ``lang`` parameter, else the cookie the switch sets, else the
    browser's first language we have, else Arabic."""
    for candidate in (query, cookie):
        if candidate and normalize_lang(candidate) == candidate.strip().lower()[:2]:
            return normalize_lang(candidate)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip()
        if tag and tag != "*":
            base = tag.lower().split("-")[0]
            if base in ("ar", "en"):
                return base
    return "ar"


def render_page(
    page: str,
    lang: str,
    *,
    title_key: str,
    body_class: str,
    page_data: dict[str, Any] | None = None,
) -> str:
    """The full HTML of ``page`` (body ``templates/<page>.html``, script ``static/<page>.js``)."""
    lang = normalize_lang(lang)
    slots = {
        "lang": lang,
        "dir": "rtl" if is_rtl(lang) else "ltr",
        "title": html.escape(t(title_key, lang)),
        "version": __version__,
        "texts": _script_json(page_texts()),
        "page_data": _script_json(page_data or {}),
        "script": page,
        "body_class": body_class,
        "body": _body(page),
    }
    out = _template("base")
    for name, value in slots.items():
        out = out.replace("{{" + name + "}}", value)
    return out
