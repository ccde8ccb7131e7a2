"""Read the paper as people and machines do: QR and Code128 decoders, and Arabic OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from nafitha.paths import FONT_BOLD
from printers.printing import Printer
from tests.printers.conftest import REFERENCE, SERVICE, STATUS_URL, TRACK_URL
from tests.support.ocr import ocr_paper


def decoded(image: Image.Image, kind) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"), formats=kind)]


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("lang", ["ar", "en", "both"])
def test_ticket_qr_opens_the_phone_page(ticket, width, lang):
    image = Printer(f"dummy://?width={width}").render_ticket(ticket, lang)
    assert decoded(image, zxingcpp.BarcodeFormat.QRCode) == [STATUS_URL]


@pytest.mark.parametrize("width", [58, 80])
def test_receipt_code128_reads_as_the_reference_and_qr_as_the_tracking_page(receipt, width):
    image = Printer(f"dummy://?width={width}").render_receipt(receipt)
    assert decoded(image, zxingcpp.BarcodeFormat.Code128) == [REFERENCE]
    assert decoded(image, zxingcpp.BarcodeFormat.QRCode) == [TRACK_URL]
    assert TRACK_URL.endswith(REFERENCE)


def test_code128_bars_are_at_least_two_dots_wide_on_58mm(receipt):
    """A hand scanner needs ~0.25 mm bars: 2 dots at 203 dpi."""
    from printers.codes import BAR_QUIET, code128_image, code128_modules

    bars = code128_image(REFERENCE, 384, 60)
    assert bars.width // (len(code128_modules(REFERENCE)) + 2 * BAR_QUIET) >= 2


def ocr_arabic(image: Image.Image, tmp_path: Path) -> str:
    return ocr_paper(image, "ara", tmp_path)


@pytest.mark.parametrize("width", [58, 80])
def test_arabic_ocr_reads_the_service_name_word_for_word(ticket, tmp_path, width):
    image = Printer(f"dummy://?width={width}").render_ticket(ticket, "ar")
    text = ocr_arabic(image, tmp_path)
    assert SERVICE["ar"] in text, text
    assert "عدد المنتظرين قبلك: 5" in text, text


def test_unshaped_arabic_does_not_pass_the_ocr_check(tmp_path):
    """The check can fail: the words drawn without raqm (unjoined, left to right) are not read."""
    face = ImageFont.truetype(str(FONT_BOLD), 48, layout_engine=ImageFont.Layout.BASIC)
    image = Image.new("L", (576, 120), 255)
    ImageDraw.Draw(image).text((20, 20), SERVICE["ar"], font=face, fill=0)
    assert SERVICE["ar"] not in ocr_arabic(image, tmp_path)
