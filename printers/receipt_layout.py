"""The file receipt a counter prints when a file is opened: the reference in every readable form.

Order: logo and center name; "file receipt"; the reference as text, as a Code128 barcode (hand
scanners) and inside the QR of the tracking page (phones); service and opening date; the stages
with the current one marked; the missing documents; how to track it; the footer.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from printers.canvas import Page, font
from printers.codes import code128_image, qr_image
from printers.printables import FileReceipt, LayoutOptions
from printers.ticket_layout import bilingual_lines, format_when, header, label, languages, new_page

DONE, CURRENT, LATER = "done", "current", "later"


def stage_marks(receipt: FileReceipt) -> list[str]:
    """done / current / later for each stage, from the current stage's place in the workflow."""
    ids = [stage.id for stage in receipt.stages]
    here = ids.index(receipt.current_stage) if receipt.current_stage in ids else -1
    return [DONE if i < here else CURRENT if i == here else LATER for i in range(len(ids))]


def _stage_line(page: Page, text: str, lang: str, mark: str) -> None:
    """A stage with its mark on the start side: disc (current), tick (done), ring (later)."""
    size = page.size(22)
    face = font(size, bold=mark == CURRENT)
    ascent, _ = face.getmetrics()
    radius = max(5, round(size * 0.3))
    indent = radius * 2 + round(12 * page.scale)
    cy = page.y + round(ascent * 0.52)
    cx = page.width - page.margin - radius if lang == "ar" else page.margin + radius
    draw: ImageDraw.ImageDraw = page.draw
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    width = max(2, round(radius * 0.35))
    if mark == CURRENT:
        draw.ellipse(box, fill=0)
    elif mark == LATER:
        draw.ellipse(box, outline=0, width=width)
    else:
        draw.line(
            (
                cx - radius,
                cy,
                cx - radius // 3,
                cy + radius * 2 // 3,
                cx + radius,
                cy - radius * 2 // 3,
            ),
            fill=0,
            width=width + 1,
        )
    page.text(text, lang, 22, bold=mark == CURRENT, align="start", indent=indent)


def render_receipt(receipt: FileReceipt, options: LayoutOptions) -> Image.Image:
    """The receipt as a 1-bit image ``options.width_dots`` wide."""
    page = new_page(options)
    langs = languages(options)
    header(page, receipt.center_name, options)
    page.rule()
    page.text(
        "  /  ".join(label("receipt_title", lang) for lang in langs),
        langs[0],
        28,
        bold=True,
    )
    page.gap(6)
    page.text("  /  ".join(label("receipt_reference", lang) for lang in langs), langs[0], 20)
    page.text(receipt.reference, "en", 40, bold=True)
    page.gap(6)
    page.paste(code128_image(receipt.reference, page.width, round(90 * page.scale)))
    page.gap(10)
    page.paste(qr_image(receipt.track_url, round(210 * page.scale)))
    page.rule(dashed=True)

    bilingual_lines(page, receipt.service_name, options, 28, bold=True)
    for lang in langs:
        page.text(
            label("receipt_opened", lang, when=format_when(receipt.opened_at, receipt.timezone)),
            lang,
            22,
        )

    if receipt.stages:
        page.rule(dashed=True)
        marks = stage_marks(receipt)
        for lang in langs:
            page.text(label("receipt_stages", lang), lang, 22, bold=True, align="start")
            for stage, mark in zip(receipt.stages, marks, strict=True):
                _stage_line(page, stage.name.get(lang), lang, mark)
            page.gap(4)

    page.rule(dashed=True)
    for lang in langs:
        page.text(label("receipt_missing", lang), lang, 22, bold=True, align="start")
        if not receipt.missing_documents:
            page.text(label("receipt_nothing_missing", lang), lang, 20, align="start")
        for document in receipt.missing_documents:
            page.bullet(document.get(lang), lang, 20)
        page.gap(4)

    page.rule()
    for lang in langs:
        page.text(label("receipt_track", lang), lang, 20)
    page.text(receipt.track_url, "en", 18)
    page.gap(4)
    for lang in langs:
        page.text(label("receipt_footer", lang), lang, 18, bold=True)
    return page.finish()
