"""The kiosk's icons: simple high-contrast pictograms drawn with Pillow, one PNG per name.

They are drawn by this module (``python -m kiosk.icons`` redraws them into ``assets/images/icons/``)
rather than taken from an icon set, so their licence is the project's and they stay legible at a
metre: thick strokes, one dark colour on a light disc. Category icons are named by the ``icon`` of
a category in the center config; an unknown name gets the generic ``service`` icon.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from nafitha.paths import IMAGES

ICONS = IMAGES / "icons"
SIZE = 256
INK = (11, 37, 69, 255)  # the theme's navy
DISC = (255, 200, 61, 255)  # the theme's amber
STROKE = 14

Drawing = Callable[[ImageDraw.ImageDraw], None]


def _person(d: ImageDraw.ImageDraw, x: int = 128, y: int = 128, scale: float = 1.0) -> None:
    r = int(26 * scale)
    d.ellipse((x - r, y - 70 * scale - r, x + r, y - 70 * scale + r), fill=INK)
    d.rounded_rectangle(
        (x - 48 * scale, y - 30 * scale, x + 48 * scale, y + 62 * scale),
        radius=int(30 * scale),
        fill=INK,
    )


def civil_status(d: ImageDraw.ImageDraw) -> None:
    """A family: two adults and a child."""
    _person(d, 96, 136, 0.8)
    _person(d, 160, 136, 0.8)
    _person(d, 128, 172, 0.5)


def passport(d: ImageDraw.ImageDraw) -> None:
    """A passport booklet with a globe."""
    d.rounded_rectangle((76, 52, 180, 204), radius=12, outline=INK, width=STROKE)
    d.ellipse((100, 90, 156, 146), outline=INK, width=8)
    d.line((128, 90, 128, 146), fill=INK, width=6)
    d.line((100, 118, 156, 118), fill=INK, width=6)
    d.line((100, 172, 156, 172), fill=INK, width=8)


def vehicle(d: ImageDraw.ImageDraw) -> None:
    """A car seen from the side."""
    d.rounded_rectangle((48, 120, 208, 170), radius=16, fill=INK)
    d.polygon([(80, 122), (100, 84), (160, 84), (182, 122)], fill=INK)
    d.polygon([(104, 116), (114, 94), (146, 94), (160, 116)], fill=DISC)
    for x in (88, 168):
        d.ellipse((x - 22, 152, x + 22, 196), fill=INK)
        d.ellipse((x - 9, 165, x + 9, 183), fill=DISC)


def business(d: ImageDraw.ImageDraw) -> None:
    """A briefcase."""
    d.rounded_rectangle((56, 92, 200, 192), radius=14, fill=INK)
    d.rounded_rectangle((100, 64, 156, 100), radius=10, outline=INK, width=STROKE)
    d.line((56, 132, 200, 132), fill=DISC, width=8)


def justice(d: ImageDraw.ImageDraw) -> None:
    """Scales of justice."""
    d.line((128, 56, 128, 196), fill=INK, width=STROKE)
    d.line((72, 84, 184, 84), fill=INK, width=STROKE)
    d.line((88, 204, 168, 204), fill=INK, width=STROKE)
    for x in (72, 184):
        d.line((x, 84, x - 26, 142), fill=INK, width=6)
        d.line((x, 84, x + 26, 142), fill=INK, width=6)
        d.chord((x - 34, 118, x + 34, 166), 0, 180, fill=INK)


def document(d: ImageDraw.ImageDraw) -> None:
    """A page with lines: any other service."""
    d.polygon([(76, 48), (156, 48), (188, 80), (188, 208), (76, 208)], outline=INK, width=STROKE)
    for y in (104, 136, 168):
        d.line((100, y, 164, y), fill=INK, width=10)


def closed(d: ImageDraw.ImageDraw) -> None:
    """A clock: closed now, open at other hours."""
    d.ellipse((56, 56, 200, 200), outline=INK, width=STROKE)
    d.line((128, 128, 128, 80), fill=INK, width=STROKE)
    d.line((128, 128, 164, 146), fill=INK, width=STROKE)


def ticket(d: ImageDraw.ImageDraw) -> None:
    """A queue ticket."""
    d.rounded_rectangle((60, 72, 196, 184), radius=14, fill=INK)
    d.ellipse((44, 112, 76, 144), fill=DISC)
    d.ellipse((180, 112, 212, 144), fill=DISC)
    d.line((100, 112, 156, 112), fill=DISC, width=10)
    d.line((100, 144, 156, 144), fill=DISC, width=10)


def search(d: ImageDraw.ImageDraw) -> None:
    """A magnifier over a file."""
    d.ellipse((64, 64, 156, 156), outline=INK, width=STROKE + 4)
    d.line((146, 146, 196, 196), fill=INK, width=STROKE + 10)


DRAWINGS: dict[str, Drawing] = {
    "civil-status": civil_status,
    "passport": passport,
    "vehicle": vehicle,
    "business": business,
    "justice": justice,
    "service": document,
    "closed": closed,
    "ticket": ticket,
    "search": search,
}


def draw_icon(name: str) -> Image.Image:
    """The icon ``name`` as a 256×256 RGBA image (drawn 2× and reduced for smooth edges)."""
    big = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw.ellipse((4, 4, SIZE - 4, SIZE - 4), fill=DISC)
    DRAWINGS.get(name, document)(draw)
    return big


def icon_path(name: str) -> str:
    """The PNG for ``name`` (a category's icon), or the generic service icon."""
    path = ICONS / f"{name}.png"
    return str(path if path.exists() else ICONS / "service.png")


def write_icons(folder: Path = ICONS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DRAWINGS:
        path = folder / f"{name}.png"
        draw_icon(name).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else ICONS):
        print(written_path)
