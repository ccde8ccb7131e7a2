"""The booking slip as it comes out of the printer: rendered, encoded to ESC/POS, decoded back to
the paper image, and read as a citizen and a scanner would (Tesseract in Arabic and English,
zxing-cpp for the QR and the barcode). Times print in the center's zone, whatever zone the
kiosk PC is in; Arabic is shaped and right to left (Tesseract reads it back word for word); an
appointment ticket says so with its slot, a walk-in ticket does not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.appointment_values import slip_of
from kiosk.printing import ticket_to_print
from nafitha.reference import Reference, new_reference, parse_reference
from printers.booking_slip import BookingSlip
from printers.decode import decode_pages
from printers.encode import encode_page
from printers.printing import Printer
from tests.support.ocr import ocr_paper

CENTER = {"ar": "مركز خدمة المواطن - المزة", "en": "Citizen Service Center - Mazzeh"}
CODE = new_reference(lambda bits: 0x2F3A59C1D7, kind="booking").printed
URL = f"http://10.0.0.2:8000/a/{CODE}"
# 07:15 UTC on Monday 30 November 2026: 10:15 in Damascus (UTC+3)
AT = datetime(2026, 11, 30, 7, 15, tzinfo=UTC).timestamp()
ANSWER = {
    "code": CODE,
    "service": "civil-extract",
    "service_name": {"ar": "إخراج قيد مدني", "en": "Civil registry extract"},
    "day": "2026-11-30",
    "start": "10:15",
    "end": "10:30",
    "at": AT,
    "status": "booked",
    "documents": [
        {"ar": "البطاقة الشخصية", "en": "National identity card"},
        {"ar": "طابع مالي", "en": "Fiscal stamp"},
    ],
    "url": URL,
}


def paper(image: Image.Image, setting: str) -> Image.Image:
    """The page through the encoder and back through the decoder: what the printer prints."""
    printer = Printer(setting)
    pages = decode_pages(encode_page(image, printer.setting), printer.setting.width_dots)
    assert len(pages) == 1
    return pages[0].image


def codes_on(image: Image.Image) -> dict[str, str]:
    found = zxingcpp.read_barcodes(image.convert("L"))
    return {str(r.format): r.text for r in found}


@pytest.mark.parametrize(("lang", "width"), [("ar", 58), ("ar", 80), ("en", 80)])
def test_the_slip_reads_back_code_qr_service_day_time_and_documents(
    lang: str, width: int, tmp_path: Path, artifacts: Path
) -> None:
    setting = f"dummy://?width={width}"
    slip = slip_of(ANSWER, CENTER, lang, "Asia/Damascus")
    image = paper(Printer(setting).render_booking_slip(slip), setting)
    folder = artifacts / "kiosk"
    folder.mkdir(exist_ok=True)
    image.save(folder / f"paper_booking_slip_{lang}_{width}mm.png")

    codes = codes_on(image)
    assert codes.get("QR Code") == URL  # the server's link, as answered
    assert codes.get("Code 128") == CODE.replace("-", "")  # a hand scanner's reading
    assert isinstance(parse_reference(codes["Code 128"], kind="booking"), Reference)

    english = ocr_paper(image, "eng", tmp_path, psm="6")
    assert CODE.replace("-", "") in english.replace(" ", "").replace("-", ""), english
    assert "30/11/2026" in english
    if lang == "en":
        assert "Civil registry extract" in english
        assert "Monday" in english
        assert "10:15 to 10:30" in english, english  # Damascus time, not the UTC 07:15
        assert "National identity card" in english
        assert "07:15" not in english
    else:
        # two page layouts of Tesseract: the barcode and QR beside the text upset one or the other
        arabic = " / ".join(ocr_paper(image, "ara", tmp_path, psm=psm) for psm in ("4", "6"))
        for words in (
            "حجز موعد",
            "إخراج قيد مدني",
            "اليوم: الإثنين 30/11/2026",
            "الوقت: من 10:15 إلى 10:30",  # Damascus time, read right to left as written
            "الوثائق المطلوب إحضارها",
            "طابع مالي",
        ):
            assert words in arabic, (words, arabic)
        assert "07:15" not in arabic


def test_a_slip_refuses_a_naive_time_or_a_missing_link() -> None:
    slip = slip_of(ANSWER, CENTER, "ar", "Asia/Damascus")
    with pytest.raises(ValueError, match="aware"):
        replace(slip, starts_at=datetime(2026, 11, 30, 10, 15))
    with pytest.raises(ValueError, match="link"):
        BookingSlip(CENTER, CODE, "", slip.service_name, slip.starts_at, slip.ends_at, "UTC")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_appointment_ticket_prints_its_slot_and_a_walk_in_ticket_does_not(
    lang: str, tmp_path: Path
) -> None:
    answer = {
        "number": "A-007",
        "service": {"id": "civil-extract", "name": ANSWER["service_name"]},
        "issued_at": "2026-11-30T07:05:00+00:00",
        "people_ahead": 2,
        "wait_minutes": 10,
        "status_url": "http://10.0.0.2:8000/t/tok",
    }
    setting = "dummy://?width=80"
    booked = ticket_to_print(answer, CENTER, lang, "Asia/Damascus", appointment_time="10:15")
    walk_in = ticket_to_print(answer, CENTER, lang, "Asia/Damascus")
    words = {
        "ar": ("تذكرة موعد", "ara"),
        "en": ("Appointment ticket: 10:15", "eng"),
    }[lang]
    read = ocr_paper(paper(Printer(setting).render_ticket(booked), setting), words[1], tmp_path)
    assert words[0] in read, read
    if lang == "ar":
        assert "10:15" in read
    plain = ocr_paper(paper(Printer(setting).render_ticket(walk_in), setting), words[1], tmp_path)
    assert words[0].split(":")[0] not in plain, plain
