"""The slip the kiosk prints when a citizen files a complaint or suggestion there.

Order: logo and center name; "complaint or suggestion"; the label "complaint reference" (so it is
never taken for a file reference) and the reference, very large, and as a Code128 (the kiosk's
scanner reads it back at "where is my file?"); the QR of the complaint's phone page (``/c/<ref>``,
the link the server answered with); what it is (kind, topic); the date the answer is due, in the
center's zone; "keep this slip". Nothing the citizen typed is printed. Same page primitives as
the ticket and the file receipt (:mod:`printers.ticket_layout`), Arabic shaped by raqm.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PIL import Image

from nafitha.bilingual import Bilingual
from nafitha.formats import format_date
from nafitha.text import t
from printers.codes import code128_image, qr_image
from printers.printables import LayoutOptions
from printers.ticket_layout import bilingual_lines, header, languages, new_page


@dataclass(frozen=True)
class ComplaintSlip:
    """A complaint the server has committed: ``reference`` printed form, ``url`` its phone page,
    ``deadline`` the ISO time the answer is due (printed as a date in ``timezone``)."""

    center_name: Bilingual
    reference: str
    url: str
    kind_name: Bilingual
    topic_name: Bilingual | None
    deadline: str
    timezone: str
    lang: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_name", Bilingual.of(self.center_name))
        object.__setattr__(self, "kind_name", Bilingual.of(self.kind_name))
        if self.topic_name is not None:
            object.__setattr__(self, "topic_name", Bilingual.of(self.topic_name))
        if not self.reference or not self.url:
            raise ValueError("a complaint slip needs the reference and the server's link")
        if self.lang not in ("", "ar", "en"):
            raise ValueError(f"lang must be ar or en, not {self.lang!r}")


def render_complaint_slip(slip: ComplaintSlip, options: LayoutOptions) -> Image.Image:
    """The slip as a 1-bit image ``options.width_dots`` wide."""
    if slip.lang:
        options = replace(options, lang=slip.lang)
    page = new_page(options)
    langs = languages(options)
    header(page, slip.center_name, options)
    page.rule()
    title = "  /  ".join(t("complaints.slip_title", lang) for lang in langs)
    page.text(title, langs[0], 28, bold=True)
    page.gap(4)
    label = "  /  ".join(t("complaints.reference_label", lang) for lang in langs)
    page.text(label, langs[0], 20)
    page.fitted_text(slip.reference, 84)
    page.gap(8)
    page.paste(code128_image(slip.reference.replace("-", ""), page.inner, round(70 * page.scale)))
    page.gap(10)
    page.paste(qr_image(slip.url, round(230 * page.scale)))
    page.rule(dashed=True)
    bilingual_lines(page, slip.kind_name, options, 30, bold=True)
    if slip.topic_name is not None:
        bilingual_lines(page, slip.topic_name, options, 26)
    page.gap(4)
    date = format_date(slip.deadline, slip.timezone)
    for lang in langs:
        page.text(t("complaints.k_deadline", lang, date=date), lang, 24, bold=True)
    page.rule()
    for lang in langs:
        page.text(t("complaints.slip_keep", lang), lang, 20)
    page.text(slip.url, "en", 18)
    return page.finish()
