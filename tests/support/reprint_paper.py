"""Reading a reprinted ticket back: its reverse-printed REPRINT band found, inverted and read by
Tesseract in both languages, and its QR decoded (zxing-cpp)."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image, ImageOps

from tests.support.ocr import ocr_paper


def band_rows(image: Image.Image) -> tuple[int, int] | None:
    """The first run of over 20 rows black near both edges of the paper (inside its margins, where
    no text reaches): the band, whatever white letters sit in its middle."""
    grey = image.convert("L")
    width, height = grey.size
    edge = max(12, round(width * 0.06))
    start = None
    for y in range(height):
        band = grey.getpixel((edge, y)) < 128 and grey.getpixel((width - 1 - edge, y)) < 128
        if band and start is None:
            start = y
        elif not band and start is not None:
            if y - start > 20:
                return start, y
            start = None
    return None


def read_banner(image: Image.Image, folder: Path) -> tuple[str, str]:
    """(Arabic, English) Tesseract reads on the paper's black band, inverted as a scan would be."""
    rows = band_rows(image)
    if rows is None:
        return "", ""
    grey = image.convert("L")
    row = [grey.getpixel((x, rows[0] + 2)) < 128 for x in range(grey.width)]
    left, right = row.index(True), len(row) - row[::-1].index(True)  # the band's own edges
    band = ImageOps.invert(grey.crop((left + 2, rows[0] + 2, right - 2, rows[1] - 2)))
    padded = ImageOps.expand(band, border=20, fill=255)
    return ocr_paper(padded, "ara", folder, psm="6"), ocr_paper(padded, "eng", folder, psm="6")


def qr_texts(image: Image.Image) -> list[str]:
    return [
        r.text
        for r in zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    ]
