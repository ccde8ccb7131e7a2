"""The booking slip the kiosk prints when a citizen books an appointment there.

Order, top to bottom: logo and center name; "appointment booking"; the booking code, very large,
and as a Code128 (a hand scanner at the kiosk reads it); the QR of the booking's phone page
(``/a/<code>``, the link the server answered with: never built here); the service in both
languages; the day and the time in the center's zone; the documents to bring (in the citizen's
language only); what to do on the day; the footer. In ``both`` the short labels appear in Arabic,
then English. Arabic is shaped and ordered by raqm, as on every paper (:mod:`printers.canvas`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image

from nafitha.bilingual import Bilingual
from nafitha.formats import format_date, format_time
from nafitha.text import t
from printers.codes import code128_image, qr_image
from printers.printables import LayoutOptions
from printers.ticket_layout import bilingual_lines, header, languages, new_page

MAX_DOCUMENTS = 6
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BookingSlip:
    """A booking the server has committed, as the kiosk prints it.

    ``code`` is the printed form (``XXXX-XXXX-C``); ``url`` the server's ``/a/<code>`` link (the
    QR). ``starts_at`` and ``ends_at`` are aware datetimes printed in ``timezone`` (the center's).
    ``lang`` is the citizen's language: the documents and the day's words print in it only.
    """

    center_name: Bilingual
    code: str
    url: str
    service_name: Bilingual
    starts_at: datetime
    ends_at: datetime
    timezone: str
    documents: tuple[Bilingual, ...] = ()
    lang: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_name", Bilingual.of(self.center_name))
        object.__setattr__(self, "service_name", Bilingual.of(self.service_name))
        object.__setattr__(self, "documents", tuple(Bilingual.of(d) for d in self.documents))
        if not self.code or not self.url:
            raise ValueError("a booking slip needs the code and the server's link")
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("a booking slip's times must be aware (printed in the center's zone)")
        if self.lang not in ("", "ar", "en"):
            raise ValueError(f"lang must be ar or en, not {self.lang!r}")


def day_words(moment: datetime, timezone: str, lang: str) -> str:
    """``Monday 30/11/2026``: the weekday and the date of ``moment`` in the center's zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    weekday = t(f"appointments.q_weekday_{WEEKDAYS[local.weekday()]}", lang)
    return f"{weekday} {format_date(moment, timezone)}"


def slip_when(slip: BookingSlip, lang: str) -> tuple[str, str]:
    """(the day line, the time line) as printed, in the center's zone.

    The time says "from 09:15 to 09:30" in words: a bare ``09:15–09:30`` inside an Arabic line
    is laid out right to left by the bidi rules and reads as ``09:30–09:15``.
    """
    zone = slip.timezone
    day = t("appointments.q_slip_day", lang, day=day_words(slip.starts_at, zone, lang))
    start, end = format_time(slip.starts_at, zone), format_time(slip.ends_at, zone)
    return day, t("appointments.q_slip_time", lang, start=start, end=end)


def render_booking_slip(slip: BookingSlip, options: LayoutOptions) -> Image.Image:
    """The slip as a 1-bit image ``options.width_dots`` wide."""
    if slip.lang:
        options = replace(options, lang=slip.lang)
    page = new_page(options)
    langs = languages(options)
    citizen = langs[0]
    header(page, slip.center_name, options)
    page.rule()
    page.text(
        "  /  ".join(t("appointments.q_slip_title", lang) for lang in langs),
        langs[0],
        28,
        bold=True,
    )
    page.gap(4)
    page.text("  /  ".join(t("appointments.q_slip_code", lang) for lang in langs), langs[0], 20)
    page.fitted_text(slip.code, 84)
    page.gap(8)
    page.paste(code128_image(slip.code.replace("-", ""), page.inner, round(70 * page.scale)))
    page.gap(10)
    page.paste(qr_image(slip.url, round(230 * page.scale)))
    page.rule(dashed=True)

    bilingual_lines(page, slip.service_name, options, 30, bold=True)
    page.gap(4)
    for lang in langs:
        for line in slip_when(slip, lang):
            page.text(line, lang, 26, bold=True)

    if slip.documents:
        page.rule(dashed=True)
        page.text(
            t("appointments.q_slip_documents", citizen), citizen, 22, bold=True, align="start"
        )
        for document in slip.documents[:MAX_DOCUMENTS]:
            page.bullet(document.get(citizen), citizen, 20)
        if len(slip.documents) > MAX_DOCUMENTS:
            page.bullet("…", citizen, 20)

    page.rule()
    for lang in langs:
        page.text(t("appointments.q_slip_on_the_day", lang), lang, 20)
    page.text(slip.url, "en", 18)
    return page.finish()
