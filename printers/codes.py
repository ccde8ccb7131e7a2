"""QR codes and Code128 barcodes drawn module by module, so every bar is a whole number of dots.

Scaling a finished barcode image blurs or drops bars; drawing each module as an exact block of dots
keeps them crisp for phone cameras and hand scanners alike.
"""

from __future__ import annotations

import qrcode
from barcode import Code128
from PIL import Image, ImageDraw

QR_QUIET = 4  # modules of white around a QR code (the standard's quiet zone)
BAR_QUIET = 10  # modules of white either side of a Code128 (what scanners need)


def qr_image(data: str, max_size: int) -> Image.Image:
    """A QR code of ``data``, as large as fits ``max_size`` dots with whole-dot modules."""
    # A fixed mask skips qrcode's trial of all eight (2/3 of its time); decoders accept any mask.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    count = len(matrix) + 2 * QR_QUIET
    module = max(2, max_size // count)
    image = Image.new("1", (count * module, count * module), 1)
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                x, y = (col + QR_QUIET) * module, (row + QR_QUIET) * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=0)
    return image


def code128_modules(data: str) -> str:
    """The bars of ``data`` in Code128 ('1' dark, '0' light); python-barcode picks charsets."""
    return Code128(data).build()[0]


def code128_image(data: str, max_width: int, height: int) -> Image.Image:
    """A Code128 of ``data`` with quiet zones, with the widest whole-dot module that fits.

    Raises ValueError if even 1-dot modules do not fit (a reference far too long for the paper).
    """
    modules = code128_modules(data)
    total = len(modules) + 2 * BAR_QUIET
    module = min(4, max_width // total)
    if module < 1:
        raise ValueError(f"{data!r} needs {total} dots of Code128, the paper has {max_width}")
    image = Image.new("1", (total * module, height), 1)
    draw = ImageDraw.Draw(image)
    x = BAR_QUIET * module
    for bit in modules:
        if bit == "1":
            draw.rectangle((x, 0, x + module - 1, height - 1), fill=0)
        x += module
    return image
