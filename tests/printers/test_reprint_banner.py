"""A reprinted ticket says so on paper, in both languages, on a black band above the same number
and the same QR code; a first print has no band."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from printers.printables import Ticket
from printers.printing import Printer
from tests.printers.conftest import STATUS_URL
from tests.support.reprint_paper import band_rows, qr_texts, read_banner


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_reprint_says_reprint_in_both_languages_with_the_same_qr(
    ticket: Ticket, tmp_path: Path, artifacts: Path, width: int, lang: str
) -> None:
    copy = replace(ticket, reprint=True, lang=lang)
    image = Printer(f"dummy://?width={width}").render_ticket(copy)
    image.save(artifacts / f"paper_reprint_{lang}_{width}mm.png")
    arabic, english = read_banner(image, tmp_path)
    assert "نسخة مكررة" in arabic, arabic
    assert "REPRINT" in english, english
    assert qr_texts(image) == [STATUS_URL]


def test_a_first_print_has_no_band(ticket: Ticket, tmp_path: Path) -> None:
    image = Printer("dummy://?width=80").render_ticket(replace(ticket, lang="en"))
    assert band_rows(image) is None
    assert read_banner(image, tmp_path) == ("", "")
