"""The queue ticket the kiosk prints: who we are, your number and service, when, how long, the QR.

Order, top to bottom: logo and center name; "your number" and the number, very large; the service
in each language; date and time; people ahead and estimated wait; the QR to the phone page; the
required documents; the footer. In ``both`` every text appears in Arabic, then English.
"""

from __future__ import annotations

import math

from PIL import Image

from nafitha.text import eastern_digits, t
from printers.canvas import Page
from printers.codes import qr_image
from printers.logo import logo_for_print
from printers.printables import Bilingual, LayoutOptions, Ticket

MAX_DOCUMENTS = 5  # the ticket lists the first few; the counter has the full list


def languages(options: LayoutOptions) -> tuple[str, ...]:
    return ("ar", "en") if options.lang == "both" else (options.lang,)


def localized(text: str, lang: str, options: LayoutOptions) -> str:
    """Digits as the center prints them in Arabic lines (Western unless ``digits=eastern``)."""
    return eastern_digits(text) if lang == "ar" and options.digits == "eastern" else text


def label(key: str, lang: str, options: LayoutOptions, **params: object) -> str:
    return localized(t(f"printers.{key}", lang, **params), lang, options)


def wait_minutes(seconds: int) -> int:
    """A wait rounded the way people say it: whole minutes up to 10, then up to the next 5."""
    minutes = max(1, math.ceil(seconds / 60))
    return minutes if minutes <= 10 else math.ceil(minutes / 5) * 5


def wait_text(seconds: int, lang: str, options: LayoutOptions) -> str:
    minutes = wait_minutes(seconds)
    # Arabic counts 3–10 with a plural noun and 11+ with a singular one: two catalog texts.
    key = "ticket_wait_few" if minutes <= 10 else "ticket_wait"
    return label(key, lang, options, minutes=minutes)


def format_when(when, lang: str, options: LayoutOptions) -> str:
    """Day/month/year and 24-hour time, as read in Lebanon, Syria and Iraq."""
    return localized(when.strftime("%d/%m/%Y  %H:%M"), lang, options)


def names_order(options: LayoutOptions) -> tuple[str, str]:
    """Names (center, service) always print in both languages: the chosen one first."""
    return ("en", "ar") if options.lang == "en" else ("ar", "en")


def header(page: Page, center_name: Bilingual, options: LayoutOptions) -> None:
    """Logo and the center's name in both languages, shared by tickets and receipts."""
    if options.logo:
        page.paste(logo_for_print(round(88 * page.scale)))
        page.gap(6)
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
    page.text(localized(text.get(first), first, options), first, size, bold=bold)
    page.text(localized(text.get(second), second, options), second, size - 6, bold=False)


def render_ticket(ticket: Ticket, options: LayoutOptions) -> Image.Image:
    """The ticket as a 1-bit image ``options.width_dots`` wide."""
    page = Page(options.width_dots)
    langs = languages(options)
    header(page, ticket.center_name, options)
    page.rule()

    page.text("  /  ".join(label("ticket_title", lang, options) for lang in langs), langs[0], 24)
    page.fitted_text(ticket.number, 170)
    page.gap(16)
    if ticket.priority:
        for lang in langs:
            page.text(label("ticket_priority", lang, options), lang, 26, bold=True)
    bilingual_lines(page, ticket.service_name, options, 34, bold=True)
    page.rule(dashed=True)

    for lang in langs:
        page.text(
            label(
                "ticket_issued", lang, options, when=format_when(ticket.issued_at, lang, options)
            ),
            lang,
            22,
        )
    for lang in langs:
        if ticket.people_ahead == 0:
            page.text(label("ticket_next", lang, options), lang, 26, bold=True)
        else:
            page.text(
                label("ticket_people_ahead", lang, options, count=ticket.people_ahead),
                lang,
                24,
                bold=True,
            )
        if ticket.estimated_wait_s is not None and ticket.people_ahead > 0:
            page.text(wait_text(ticket.estimated_wait_s, lang, options), lang, 24)
    page.gap(10)

    page.paste(qr_image(ticket.status_url, round(230 * page.scale)))
    for lang in langs:
        page.text(label("ticket_scan", lang, options), lang, 20)

    if ticket.documents:
        page.rule(dashed=True)
        for lang in langs:
            page.text(label("ticket_documents", lang, options), lang, 22, bold=True, align="start")
            for document in ticket.documents[:MAX_DOCUMENTS]:
                page.bullet(localized(document.get(lang), lang, options), lang, 20)
            if len(ticket.documents) > MAX_DOCUMENTS:
                page.bullet("…", lang, 20)
            page.gap(4)

    page.rule()
    for lang in langs:
        page.text(label("ticket_footer", lang, options), lang, 20)
    for lang in langs:
        page.text(label("ticket_keep", lang, options), lang, 18)
    return page.finish()
