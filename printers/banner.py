"""A banner in reverse print (white letters on a black band), for what the reader must not miss:
the REPRINT of a copied ticket.

A thermal ticket is black on white; a solid band is the one thing that stands out from across a
counter, and a copied ticket has to be told apart at a glance (docs/printers.md, "Reprint").
"""

from __future__ import annotations

from printers.canvas import Page, font, line_ink, measure


def reverse_banner(page: Page, lines: list[tuple[str, str]], size: int) -> None:
    """Each (text, lang) of ``lines`` centred, white on one black band the page's inner width."""
    face = font(page.size(size), bold=True)
    ascent, descent = face.getmetrics()
    line_height = round((ascent + descent) * 0.9)
    pad = round(10 * page.scale)
    top = page.y
    bottom = top + 2 * pad + line_height * len(lines)
    page.draw.rectangle((page.margin, top, page.width - page.margin - 1, bottom), fill=0)
    y = top + pad
    for text, lang in lines:
        face_width = measure(text, face, lang)
        ink, left, ink_top = line_ink(text, face, lang)
        x = round((page.width - face_width) / 2)
        baseline = y + ascent
        page.image.paste(255, (x + left, baseline + ink_top), mask=ink)
        y += line_height
    page.y = bottom + 1
    page.gap(10)
