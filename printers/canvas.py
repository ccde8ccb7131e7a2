"""A paper-wide page drawn top to bottom: wrapped bilingual text, images, rules; cropped at the end.

Text goes through Pillow's raqm layout: each line is shaped and ordered by raqm
(``direction="rtl"``, ``language="ar"`` for Arabic), and lines are broken beforehand on the
logical string, so a wrapped Arabic sentence reads right to left line after line. The page is
drawn in grey (antialiased glyphs) and thresholded to the 1-bit image a thermal head prints.
"""

from __future__ import annotations

import math
import threading
from functools import cache, lru_cache

from PIL import Image, ImageDraw, ImageFont

from nafitha.paths import FONT_BOLD, FONT_REGULAR

MAX_HEIGHT = 6000  # dots; ~75 cm of paper, far above any ticket
MIN_TEXT_MM = 2.5
"""The smallest printed line, ink top to ink bottom, in mm: legible for elderly eyes."""
INK_PER_EM = 0.7
"""A line's ink height per font size (Vazirmatn: 0.7-1.35 em for the texts we print: a Latin line
with no descender is the low end), so a size of MIN_TEXT_MM / INK_PER_EM mm
keeps every printed line at least MIN_TEXT_MM high."""
THRESHOLD = 150  # grey below this prints black: glyph edges a little bold, as thermal heads like


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_BOLD if bold else FONT_REGULAR
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def text_args(lang: str) -> dict[str, str]:
    """raqm's direction and language for a line in ``lang``."""
    return (
        {"direction": "rtl", "language": "ar"}
        if lang == "ar"
        else {"direction": "ltr", "language": "en"}
    )


# A FreeType face is not safe to use from two threads at once (a kiosk may render a preview on
# the UI thread while its print worker renders): shaping and drawing hold this lock.
_FREETYPE = threading.Lock()


@lru_cache(maxsize=4096)
def measure(text: str, face: ImageFont.FreeTypeFont, lang: str) -> float:
    """The advance width of ``text`` shaped by raqm (cached: labels repeat on every ticket)."""
    with _FREETYPE:
        return face.getlength(text, **text_args(lang))


@lru_cache(maxsize=1024)
def line_ink(text: str, face: ImageFont.FreeTypeFont, lang: str) -> tuple[Image.Image, int, int]:
    """One shaped line as an ink mask (255 = black) with its offset from (pen x, baseline).

    Rendering is the costly part of a ticket and most lines (labels, service names) repeat, so the
    rendered lines are kept.
    """
    args = text_args(lang)
    with _FREETYPE:
        left, top, right, bottom = face.getbbox(text, anchor="ls", **args)
        ink = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
        ImageDraw.Draw(ink).text((-left, -top), text, font=face, fill=255, anchor="ls", **args)
    return ink, left, top


def wrap(text: str, face: ImageFont.FreeTypeFont, lang: str, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width``, breaking between words in logical order.

    A word wider than the line (a long URL) is cut between characters.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if measure(paragraph, face, lang) <= width:  # most texts fit: one measurement
            lines.append(paragraph.strip())
            continue
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if measure(candidate, face, lang) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while measure(line, face, lang) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and measure(line[:cut], face, lang) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


class Page:
    """A page ``width`` dots wide; ``y`` moves down as things are drawn."""

    def __init__(self, width: int, margin: int | None = None, dots_per_mm: float = 8.0) -> None:
        self.width = width
        self.scale = (
            1.0 if width >= 576 else width / 576 * 1.125
        )  # 58 mm text a bit larger than pro rata
        self.margin = margin if margin is not None else max(8, round(width * 0.03))
        self.min_size = math.ceil(MIN_TEXT_MM * dots_per_mm / INK_PER_EM)
        self.image = Image.new("L", (width, MAX_HEIGHT), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin

    @property
    def inner(self) -> int:
        return self.width - 2 * self.margin

    def size(self, base: int) -> int:
        """A font size scaled to the paper, never below :data:`MIN_TEXT_MM` of ink on paper."""
        return max(self.min_size, round(base * self.scale))

    def gap(self, dots: int) -> None:
        self.y += round(dots * self.scale)

    def text(
        self,
        text: str,
        lang: str,
        size: int,
        *,
        bold: bool = False,
        align: str = "center",
        indent: int = 0,
        spacing: float = 1.0,
    ) -> None:
        """Wrapped text; ``align`` is center, start (right for Arabic) or end."""
        face = font(self.size(size), bold)
        ascent, descent = face.getmetrics()
        line_height = round((ascent + descent) * 0.82 * spacing)
        for line in wrap(text, face, lang, self.inner - indent):
            length = measure(line, face, lang)
            self._line(line, face, lang, self._x(length, align, lang, indent))
            self.y += line_height

    def _x(self, length: float, align: str, lang: str, indent: int = 0) -> int:
        rtl = lang == "ar"
        if align == "center":
            return round((self.width - length) / 2)
        if (align == "start") == rtl:  # right edge
            return round(self.width - self.margin - indent - length)
        return self.margin + indent

    def _line(self, line: str, face: ImageFont.FreeTypeFont, lang: str, x: int) -> None:
        # lines sit on a baseline one ascent below y, so mixed sizes stay evenly spaced
        ascent, _ = face.getmetrics()
        baseline = self.y - round(ascent * 0.12) + ascent
        ink, left, top = line_ink(line, face, lang)
        self.image.paste(0, (x + left, baseline + top), mask=ink)

    def fitted_text(self, text: str, size: int, *, bold: bool = True, lang: str = "en") -> None:
        """One line as large as fits the paper (the ticket number)."""
        size = self.size(size)
        face = font(size, bold)
        while measure(text, face, lang) > self.inner and size > 20:
            size -= 4
            face = font(size, bold)
        ink, _, _ = line_ink(text, face, lang)
        self.image.paste(0, (round((self.width - ink.width) / 2), self.y), mask=ink)
        self.y += ink.height

    def bullet(self, text: str, lang: str, size: int) -> None:
        """One list item with a round bullet on the start side."""
        face = font(self.size(size))
        ascent, _ = face.getmetrics()
        radius = max(3, round(size * self.scale * 0.14))
        indent = radius * 2 + round(10 * self.scale)
        centre_y = self.y + round(ascent * 0.5)
        cx = self.width - self.margin - radius if lang == "ar" else self.margin + radius
        self.draw.ellipse((cx - radius, centre_y - radius, cx + radius, centre_y + radius), fill=0)
        self.text(text, lang, size, align="start", indent=indent)

    def paste(self, picture: Image.Image, align: str = "center") -> None:
        """An image (1-bit or grey) placed at the current line."""
        x = round((self.width - picture.width) / 2) if align == "center" else self.margin
        self.image.paste(picture.convert("L"), (x, self.y))
        self.y += picture.height

    def beside(self, picture: Image.Image, text: str, lang: str, size: int) -> None:
        """An image on the end side (left in Arabic) and ``text`` beside it, centred on it."""
        face = font(self.size(size))
        ascent, descent = face.getmetrics()
        line_height = round((ascent + descent) * 0.82)
        gap = round(16 * self.scale)
        room = self.inner - picture.width - gap
        lines = wrap(text, face, lang, room)
        rtl = lang == "ar"
        image_x = self.margin if rtl else self.width - self.margin - picture.width
        top = self.y
        self.image.paste(picture.convert("L"), (image_x, top))
        self.y = top + max(0, (picture.height - line_height * len(lines)) // 2)
        for line in lines:
            length = measure(line, face, lang)
            x = self.width - self.margin - length if rtl else self.margin
            self._line(line, face, lang, round(x))
            self.y += line_height
        self.y = max(self.y, top + picture.height)

    def rule(self, dashed: bool = False, thickness: int = 2) -> None:
        self.gap(8)
        y = self.y
        if dashed:
            step = 12
            for x in range(self.margin, self.width - self.margin, step):
                self.draw.rectangle((x, y, x + step // 2 - 1, y + thickness - 1), fill=0)
        else:
            self.draw.rectangle(
                (self.margin, y, self.width - self.margin - 1, y + thickness - 1), fill=0
            )
        self.y += thickness
        self.gap(10)

    def finish(self) -> Image.Image:
        """The 1-bit page, cropped below the last thing drawn."""
        height = min(MAX_HEIGHT, self.y + self.margin)
        page = self.image.crop((0, 0, self.width, height))
        return page.point(lambda v: 255 if v >= THRESHOLD else 0, mode="1")
