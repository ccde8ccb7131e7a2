"""Nafitha's logo, a window (نافذة): an arched frame with four panes and a sill, drawn in code.

``python -m printers.logo`` writes ``assets/images/logo.png``; tickets load that file, so a center
may replace it with its own emblem (any PNG; it is scaled to the logo height and thresholded).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

from nafitha.paths import IMAGES

LOGO_FILE = IMAGES / "logo.png"


def draw_logo(size: int = 512, colour: tuple[int, int, int, int] = (0, 0, 0, 255)) -> Image.Image:
    """The logo, ``size`` dots square, on transparent (drawn 4× and reduced for smooth edges)."""
    big = size * 4
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (round(x0 * unit), round(y0 * unit), round(x1 * unit), round(y1 * unit))

    # outer arched frame: a half disc on top of a rectangle
    draw.ellipse(box(12, 4, 52, 44), fill=colour)
    draw.rectangle(box(12, 24, 52, 54), fill=colour)
    # the glass, cut out, leaving a frame 4 units thick
    clear = (0, 0, 0, 0)
    draw.ellipse(box(16, 8, 48, 40), fill=clear)
    draw.rectangle(box(16, 24, 48, 50), fill=clear)
    # muntins: one vertical, one horizontal bar
    draw.rectangle(box(30.5, 8, 33.5, 50), fill=colour)
    draw.rectangle(box(16, 27, 48, 30), fill=colour)
    # a small sun rising in the lower-right pane: the light a window lets in
    draw.ellipse(box(38, 38, 46, 46), fill=colour)
    # the sill
    draw.rounded_rectangle(box(6, 53, 58, 59), radius=round(1.5 * unit), fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@cache
def logo_for_print(height: int, path: Path = LOGO_FILE) -> Image.Image:
    """The logo file as a 1-bit image ``height`` dots tall (aspect kept), on white."""
    with Image.open(path) as opened:
        source = opened.convert("RGBA")
    width = max(1, round(source.width * height / source.height))
    source = source.resize((width, height), Image.Resampling.LANCZOS)
    white = Image.new("RGBA", source.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(white, source).convert("L")
    return grey.point(lambda v: 255 if v >= 140 else 0, mode="1")


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [str(LOGO_FILE)])[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    draw_logo().save(target, optimize=True)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
