"""The portal's HTML, built on the server from the API's answers: a page works with no script.

Every text comes from the catalogs (``portal.*``, and the center's own ``web.file_*``,
``files.*``), dates in the center's zone with Western digits (:mod:`nafitha.formats`), and
anything that reads left to right inside Arabic (a reference, a date) is isolated in ``<bdi>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from nafitha.formats import format_datetime, format_wait
from nafitha.text import t

CSS = "/portal/static/portal.css"


def e(value: object) -> str:
    return escape(str(value), quote=True)


def ltr(value: object) -> str:
    return f'<bdi dir="ltr">{e(value)}</bdi>'


def when(moment: str | None, timezone: str) -> str:
    return ltr(format_datetime(moment, timezone)) if moment else ""


def link(path: str, lang: str, **params: str | None) -> str:
    query = urlencode({k: v for k, v in {**params, "lang": lang}.items() if v})
    return e(f"{path}?{query}")


def page(lang: str, title: str, body: str, switch_to: str) -> str:
    """The one frame of every portal page: header with navigation and language, main, footer."""
    other = "en" if lang == "ar" else "ar"
    direction = "rtl" if lang == "ar" else "ltr"
    nav = "".join(
        f'<a href="{link(path, lang)}">{e(t(key, lang))}</a>'
        for path, key in (
            ("/f", "portal.nav_track"),
            ("/centers", "portal.nav_centers"),
            ("/services", "portal.nav_services"),
        )
    )
    return (
        f'<!doctype html>\n<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · {e(t('portal.portal_name', lang))}</title>"
        f'<link rel="stylesheet" href="{CSS}"></head><body>'
        f'<header><a class="brand" href="{link("/", lang)}">{e(t("portal.portal_name", lang))}</a>'
        f'<a class="lang" lang="{other}" hreflang="{other}" href="{e(switch_to)}">'
        f"{e(t('portal.switch_language', lang))}</a>"
        f'<nav aria-label="{e(t("portal.portal_name", lang))}">{nav}</nav></header>'
        f"<main><h1>{e(title)}</h1>{body}</main>"
        f"<footer><p>{e(t('portal.no_personal_data', lang))}</p></footer></body></html>"
    )


def lookup_form(lang: str, typed: str = "") -> str:
    return (
        '<form class="lookup" action="/f" method="get">'
        f'<label for="reference">{e(t("web.file_enter_reference", lang))}</label>'
        f'<input id="reference" name="reference" value="{e(typed)}" maxlength="64" required'
        ' autocomplete="off" autocapitalize="characters" spellcheck="false" dir="ltr"'
        ' aria-describedby="reference-hint">'
        f'<p id="reference-hint" class="hint">{e(t("web.file_lookup_hint", lang))}</p>'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<button type="submit">{e(t("web.file_lookup", lang))}</button></form>'
    )


def refusal(lang: str, body: Mapping[str, Any], typed: str) -> str:
    """A refused lookup: the reason (the same words as the kiosk), and the box to try again."""
    error = body["error"]
    out = (
        ""
        if body.get("centers")
        else f'<p class="notice warn" role="alert">{e(error["message"][lang])}</p>'
    )
    if error["code"] == "file_not_found":
        out += f"<p>{e(t('web.file_not_found_help', lang))}</p>"
    if body.get("centers"):
        items = "".join(
            f'<li><a href="{link("/f/" + quote(typed), lang, center=c["id"])}">'
            f"{e(c['name'][lang])}</a></li>"
            for c in body["centers"]
        )
        several = e(t("portal.several_centers", lang))
        out += f'<p class="notice" role="status">{several}</p><ul class="choices">{items}</ul>'
    return out + lookup_form(lang, typed)


def _row(label: str, value_html: str) -> str:
    return f"<div><dt>{e(label)}</dt><dd>{value_html}</dd></div>" if value_html else ""


def file_view(lang: str, view: Mapping[str, Any]) -> str:
    """The file as the center's phone page shows it, with the center and how fresh it is."""
    tz = view["timezone"]
    notices = ""
    if view["stale"]:
        stale = t("portal.file_stale", lang, time="\x00")
        notices += (
            f'<p class="notice warn" role="status">{_fill(stale, when(view["as_of"], tz))}</p>'
        )
    if view["ready"]:
        notices += f'<p class="notice good">{e(t("portal.file_ready", lang))}</p>'
    if view["overdue"]:
        notices += f'<p class="notice">{e(t("portal.file_overdue", lang))}</p>'
    missing = "".join(f"<li>{e(doc[lang])}</li>" for doc in view["missing_documents"])
    facts = "".join(
        [
            _row(t("web.file_reference", lang), ltr(view["reference"])),
            _row(t("portal.file_center", lang), e(view["center"]["name"][lang])),
            _row(t("web.file_service", lang), e(view["service"]["name"][lang])),
            _row(t("portal.file_status", lang), e(view["status_name"][lang])),
            _row(t("web.file_stage", lang), e(view["stage"]["name"][lang])),
            _row(t("web.file_expected_ready", lang), when(view["expected_ready_at"], tz)),
            _row(t("web.file_where", lang), e(view["where"][lang]) if view["where"] else ""),
            _row(t("web.file_missing", lang), f"<ul>{missing}</ul>" if missing else ""),
        ]
    )
    stages = "".join(
        f'<li class="{e(s["state"])}">{e(s["name"][lang])}'
        f' <span class="state">({e(t("portal.stage_" + s["state"], lang))})</span></li>'
        for s in view["stages"]
    )
    history = "".join(
        f"<li>{when(h['at'], tz)} · {e(t('portal.history_' + h['kind'], lang))}"
        f" {e(h['stage_name'][lang])}"
        + (f'<br><span class="note" dir="auto">{e(h["note"])}</span>' if h["note"] else "")
        + "</li>"
        for h in view["history"]
    )
    as_of = _fill(t("portal.file_as_of", lang, time="\x00"), when(view["as_of"], tz))
    return (
        f'{notices}<dl class="facts">{facts}</dl>'
        f'<h2>{e(t("portal.file_stages", lang))}</h2><ol class="stages">{stages}</ol>'
        f'<h2>{e(t("web.file_history", lang))}</h2><ul class="history">{history}</ul>'
        f'<p class="as-of">{as_of}</p>' + lookup_form(lang)
    )


def _fill(text: str, html: str) -> str:
    """A catalog text whose one placeholder was filled with NUL, the NUL replaced by ``html``."""
    before, _, after = text.partition("\x00")
    return f"{e(before)}{html}{e(after)}"


def _wait(lang: str, service: Mapping[str, Any]) -> str:
    if not service["callable"]:
        return e(t("portal.wait_no_counter", lang))
    if not service["wait_minutes"]:
        return e(t("portal.wait_none", lang))
    return e(format_wait(service["wait_minutes"], lang))  # the center's own words for a wait


def _service_form(lang: str, answer: Mapping[str, Any], chosen: str | None) -> str:
    names: dict[str, str] = {}
    for center in answer["centers"]:
        for service in center["services"]:
            names.setdefault(service["id"], service["name"][lang])
    options = f'<option value="">{e(t("portal.centers_all_services", lang))}</option>' + "".join(
        f'<option value="{e(sid)}"{" selected" if sid == chosen else ""}>{e(name)}</option>'
        for sid, name in sorted(names.items(), key=lambda item: item[1])
    )
    return (
        '<form class="search" action="/centers" method="get">'
        f'<label for="service">{e(t("portal.centers_pick_service", lang))}</label>'
        f'<select id="service" name="service">{options}</select>'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<button type="submit">{e(t("portal.services_button", lang))}</button></form>'
    )


def _least_busy(lang: str, answer: Mapping[str, Any], service_id: str) -> str:
    """One service at every center, the shortest expected wait first, stale centers last."""
    rows = []
    for center in answer["centers"]:
        for service in center["services"]:
            if service["id"] == service_id:
                rank = (center["stale"], not service["callable"], service["estimated_wait_s"] or 0)
                rows.append((rank, center, service))
    rows.sort(key=lambda row: row[0])
    old = f'<br><span class="hint">{e(t("portal.center_old", lang))}</span>'
    body = "".join(
        f'<tr><th scope="row">{e(center["name"][lang])}{old if center["stale"] else ""}</th>'
        f"<td>{ltr(service['waiting'])}</td><td>{_wait(lang, service)}</td></tr>"
        for _, center, service in rows
    )
    return (
        f'<table><thead><tr><th scope="col">{e(t("portal.file_center", lang))}</th>'
        f'<th scope="col">{e(t("portal.col_waiting", lang))}</th>'
        f'<th scope="col">{e(t("portal.col_wait", lang))}</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def centers_view(lang: str, answer: Mapping[str, Any], service_id: str | None = None) -> str:
    """Every center's services; with ``service_id``, that service at every center, least busy
    first (a citizen picks where to go)."""
    out = f"<p>{e(t('portal.centers_intro', lang))}</p>" + _service_form(lang, answer, service_id)
    if service_id:
        return out + _least_busy(lang, answer, service_id)
    for center in answer["centers"]:
        tz = center["timezone"]
        if center["last_contact"] is None:
            state = f'<p class="notice warn">{e(t("portal.center_never", lang))}</p>'
        elif center["stale"]:
            text = t("portal.center_stale", lang, time="\x00")
            state = f'<p class="notice warn">{_fill(text, when(center["as_of"], tz))}</p>'
        else:
            text = t("portal.center_current", lang, time="\x00")
            state = f'<p class="notice good">{_fill(text, when(center["as_of"], tz))}</p>'
        rows = "".join(
            f'<tr><th scope="row">{e(s["name"][lang])}</th>'
            f"<td>{ltr(s['waiting'])}</td><td>{_wait(lang, s)}</td></tr>"
            for s in center["services"]
        )
        table = (
            f'<table><thead><tr><th scope="col">{e(t("portal.col_service", lang))}</th>'
            f'<th scope="col">{e(t("portal.col_waiting", lang))}</th>'
            f'<th scope="col">{e(t("portal.col_wait", lang))}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
            if rows
            else f"<p>{e(t('portal.center_no_services', lang))}</p>"
        )
        stale = " stale" if center["stale"] else ""
        out += (
            f'<section class="center{stale}" aria-labelledby="c-{e(center["id"])}">'
            f'<h2 id="c-{e(center["id"])}">{e(center["name"][lang])}</h2>{state}{table}'
            f"{_forward_links(lang, center['id'])}</section>"
        )
    return out


def _forward_links(lang: str, center: str) -> str:
    """Book at this center, take a place in its queue, or write to it, through the portal
    (hub/web/portal/forward_pages.py)."""
    book = link(f"/centers/{quote(center, safe='')}/book", lang)
    complaint = link(f"/centers/{quote(center, safe='')}/complaint", lang)
    join = link(f"/centers/{quote(center, safe='')}/join", lang)
    return (
        f'<p class="actions"><a href="{book}">{e(t("forward.book_link", lang))}</a> · '
        f'<a href="{join}">{e(t("forward.join_link", lang))}</a> · '
        f'<a href="{complaint}">{e(t("forward.complaint_link", lang))}</a></p>'
    )


def services_view(
    lang: str,
    answer: Mapping[str, Any],
    centers: Sequence[Mapping[str, Any]],
    center: str | None,
) -> str:
    options = f'<option value="">{e(t("portal.services_all_centers", lang))}</option>' + "".join(
        f'<option value="{e(c["id"])}"{" selected" if c["id"] == center else ""}>'
        f"{e(c['name'][lang])}</option>"
        for c in centers
    )
    form = (
        '<form class="search" action="/services" method="get" role="search">'
        f'<label for="q">{e(t("portal.services_search", lang))}</label>'
        f'<input id="q" name="q" type="search" value="{e(answer["query"])}" maxlength="100">'
        f'<label for="center">{e(t("portal.file_center", lang))}</label>'
        f'<select id="center" name="center">{options}</select>'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<button type="submit">{e(t("portal.services_button", lang))}</button></form>'
    )
    found = answer["services"]
    count = _fill(t("portal.services_found", lang, count="\x00"), ltr(len(found)))
    out = form + f'<p role="status">{count}</p>'
    if not found:
        return out + f"<p>{e(t('portal.services_none', lang))}</p>"
    for service in found:
        documents = "".join(f"<li>{e(d[lang])}</li>" for d in service["documents"])
        docs = (
            f"<ul>{documents}</ul>"
            if documents
            else f"<p>{e(t('portal.services_no_documents', lang))}</p>"
        )
        category = ""
        if service["category"]:
            named = t("portal.services_category", lang, name=service["category"][lang])
            category = f'<p class="hint">{e(named)}</p>'
        out += (
            f'<article class="service"><h2>{e(service["name"][lang])}</h2>'
            f'<p class="where">{e(service["center"]["name"][lang])}</p>{category}'
            f"<h3>{e(t('portal.services_documents', lang))}</h3>{docs}</article>"
        )
    return out
