"""The queue ticket the kiosk prints: who we are, your number and service, when, how long, the QR.

Order, top to bottom: logo and center name; "your number" and the number, very large; a return
visit's file reference (or the priority); the service in both languages; date and time; the queue
(:mod:`printers.queue_words`, the kiosk screen's words); the QR to the phone page; the documents
to have ready (in the citizen's language only); the footer. In ``both`` the short labels appear in
Arabic, then English; the documents list is printed once, so a ticket stays short (see
docs/printers.md, "Paper length").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PIL import Image

from nafitha.formats import DATETIME, format_datetime
from nafitha.text import t
from printers.banner import reverse_banner
from printers.canvas import Page
from printers.codes import qr_image
from printers.logo import logo_for_print
from printers.printables import Bilingual, LayoutOptions, Ticket
from printers.queue_words import queue_lines

MAX_DOCUMENTS = 5  # the ticket lists the first few; the counter has the full list


def languages(options: LayoutOptions) -> tuple[str, ...]:
    return ("ar", "en") if options.lang == "both" else (options.lang,)


def label(key: str, lang: str, **params: object) -> str:
    return t(f"printers.{key}", lang, **params)


def format_when(when: datetime, timezone: str = "") -> str:
    """``29/11/2026 14:05`` (:mod:`nafitha.formats`): in ``timezone`` when given, else as given."""
    if timezone and when.tzinfo is not None:
        return format_datetime(when, timezone)
    return when.strftime(DATETIME)


def names_order(options: LayoutOptions) -> tuple[str, str]:
    """Names (center, service) always print in both languages: the chosen one first."""
    return ("en", "ar") if options.lang == "en" else ("ar", "en")


def new_page(options: LayoutOptions) -> Page:
    return Page(options.width_dots, dots_per_mm=options.dots_per_mm)


def header(page: Page, center_name: Bilingual, options: LayoutOptions) -> None:
    """Logo and the center's name in both languages, shared by tickets and receipts."""
    if options.logo:
        page.paste(logo_for_print(round(64 * page.scale)))
        page.gap(4)
    first, second = names_order(options)
    page.text(center_name.get(first), first, 30 if first == "ar" else 26, bold=True)
    page.text(center_name.get(second), second, 24 if second == "ar" else 22)


def bilingual_lines(
    page: Page, text: Bilingual, options: LayoutOptions, size: int, bold: bool = False
) -> None:
    """A name in both languages, whatever ``lang``: the chosen language first and larger.

    A citizen who reads English still shows the clerk the Arabic name, and the other way round.
    """
    first, second = names_order(options)
    page.text(text.get(first), first, size, bold=bold)
    page.text(text.get(second), second, size - 6, bold=False)


def render_ticket(ticket: Ticket, options: LayoutOptions) -> Image.Image:
    """The ticket as a 1-bit image ``options.width_dots`` wide.

    A ticket that knows its citizen's language (``ticket.lang``, the kiosk's) is printed in it, the
    names still in both: the same words as on the kiosk's screen, and a short ticket.
    """
    if ticket.lang:
        options = replace(options, lang=ticket.lang)
    page = new_page(options)
    langs = languages(options)
    citizen = langs[0]
    header(page, ticket.center_name, options)
    page.rule()
    if ticket.reprint:  # a copy: said in both languages, white on black, above the number
        reverse_banner(page, [(label("ticket_reprint", lang), lang) for lang in ("ar", "en")], 40)

    page.text("  /  ".join(label("ticket_title", lang) for lang in langs), langs[0], 24)
    page.fitted_text(ticket.number, 150)
    page.gap(12)
    if ticket.reference:  # a return visit: called before new tickets, for this file
        for lang in langs:
            page.text(
                label("ticket_return_visit", lang, reference=ticket.reference), lang, 26, bold=True
            )
    elif ticket.appointment_time:  # checked in for a booking (kiosk/appointments.py)
        for lang in langs:
            words = t("appointments.q_paper_appointment", lang, time=ticket.appointment_time)
            page.text(words, lang, 26, bold=True)
    elif ticket.priority:
        for lang in langs:
            page.text(label("ticket_priority", lang), lang, 26, bold=True)
    bilingual_lines(page, ticket.service_name, options, 32, bold=True)
    page.text(format_when(ticket.issued_at, ticket.timezone), "en", 22)
    page.rule(dashed=True)

    for lang in langs:
        for line in queue_lines(ticket.people_ahead, ticket.wait_minutes, ticket.callable, lang):
            page.text(line, lang, 24, bold=True)
    page.gap(6)

    scan = "\n".join(label("ticket_scan", lang) for lang in langs)
    page.beside(qr_image(ticket.status_url, round(200 * page.scale)), scan, langs[0], 20)

    if ticket.documents:
        page.rule(dashed=True)
        title = "ticket_bring" if ticket.reference else "ticket_documents"
        page.text(label(title, citizen), citizen, 22, bold=True, align="start")
        for document in ticket.documents[:MAX_DOCUMENTS]:
            page.bullet(document.get(citizen), citizen, 20)
        if len(ticket.documents) > MAX_DOCUMENTS:
            page.bullet("…", citizen, 20)

    page.rule()
    for lang in langs:
        page.text(label("ticket_footer", lang), lang, 20)
    return page.finish()
