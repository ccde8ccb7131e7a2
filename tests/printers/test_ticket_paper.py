"""What the ticket paper says and how long it is, read back from the printed bytes.

Each ticket is rendered, encoded to ESC/POS, decoded back to the paper image (what the virtual
printer saves) and read with tesseract, as a citizen would read it: the queue words follow the
server's figures (never "you are next" when nobody can call the ticket), a return visit prints the
file's reference with its dashes and what to bring, the documents print once in the citizen's
language, and the paper is short, with no line under 2.5 mm.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from printers.decode import decode_pages
from printers.encode import encode_page
from printers.printables import Ticket
from printers.printing import Printer
from printers.sample import sample_ticket
from tests.support.ocr import ocr_paper


def printed(ticket: Ticket, setting: str = "dummy://?width=80") -> Image.Image:
    """The paper that comes out: the ticket through the encoder and back through the decoder."""
    printer = Printer(setting)
    data = encode_page(printer.render_ticket(ticket), printer.setting)
    pages = decode_pages(data, printer.setting.width_dots)
    assert len(pages) == 1
    return pages[0].image


def ocr(image: Image.Image, lang: str, tmp_path: Path) -> str:
    return ocr_paper(image, lang, tmp_path, psm="6")  # 4 drops a line under dashes


def text_lines(image: Image.Image, gap: int = 3) -> list[tuple[int, int]]:
    """(top, height) of each printed line: runs of inked rows, blank runs up to ``gap`` rows
    joined (an Arabic dot above its letter is the same line); rules (≤ 4 rows) left out."""
    grey = image.convert("L")
    width, height = grey.size
    inked = [grey.crop((0, y, width, y + 1)).getextrema()[0] < 128 for y in range(height)]
    lines, start, end, blank = [], None, 0, 0
    for y, ink in enumerate(inked + [False] * (gap + 1)):
        if ink:
            start = y if start is None else start
            end, blank = y, 0
        elif start is not None:
            blank += 1
            if blank > gap:
                lines.append((start, end - start + 1))
                start = None
    return [(top, tall) for top, tall in lines if tall > 4]


def test_nobody_can_call_it_so_the_paper_never_says_you_are_next(ticket, tmp_path):
    lonely = replace(ticket, people_ahead=0, wait_minutes=None, callable=False, lang="en")
    words = ocr(printed(lonely), "eng", tmp_path)
    assert "No counter is serving this service" in words
    assert "next" not in words.lower()
    callable_first = replace(lonely, callable=True, wait_minutes=0)
    assert "You are next" in ocr(printed(callable_first), "eng", tmp_path)


def test_the_wait_is_the_servers_figure_unrounded(ticket, tmp_path):
    """The server says 12: the paper says 12 (the old layout rounded 12 up to 15 on its own)."""
    words = ocr(printed(replace(ticket, wait_minutes=12, lang="en")), "eng", tmp_path)
    assert "Estimated wait: about 12 min" in words
    assert "People ahead of you: 5" in words


def test_arabic_queue_words_read_back(ticket, tmp_path):
    words = ocr(printed(replace(ticket, wait_minutes=12, lang="ar")), "ara", tmp_path)
    assert "عدد المنتظرين قبلك" in words
    assert "12" in words


def test_documents_print_once_in_the_citizens_language(ticket, tmp_path):
    paper = printed(replace(ticket, lang="en"), "dummy://?width=80&lang=both")
    english = ocr(paper, "eng", tmp_path)
    assert english.count("Fiscal stamp") == 1 and "Required documents" in english
    assert "طابع مالي" not in ocr(paper, "ara", tmp_path)


def test_a_return_visit_prints_the_reference_and_what_to_bring(ticket, tmp_path):
    visit = replace(
        ticket,
        priority=True,  # the server ranks a return visit first; the paper says why, not "priority"
        reference="7KQ2-M9XD-4",
        documents=({"ar": "صورة شمسية", "en": "A colour photo"},),
        lang="en",
    )
    words = ocr(printed(visit), "eng", tmp_path)
    assert "Return visit for file 7KQ2-M9XD-4" in words
    assert "Bring with you" in words and "A colour photo" in words
    assert "Priority" not in words


def test_the_time_prints_in_the_centers_zone(ticket, tmp_path):
    at_utc = datetime(2026, 11, 29, 12, 5, tzinfo=UTC)  # 14:05 in Beirut
    beirut = replace(ticket, issued_at=at_utc, timezone="Asia/Beirut", lang="en")
    assert "29/11/2026 14:05" in ocr(printed(beirut), "eng", tmp_path)


@pytest.mark.parametrize(
    ("setting", "lang"),
    [
        ("dummy://?profile=TM-T20II", "ar"),
        ("dummy://?profile=TM-T20II", "en"),
        ("dummy://?profile=TM-T88V", "en"),  # a 180 dpi head: sizes follow its dots per mm
        ("dummy://?width=58", "ar"),
        ("dummy://?profile=POS-5890", "en"),
    ],
)
def test_a_kiosk_ticket_is_short_and_every_line_is_at_least_2_5_mm(setting, lang):
    """A four-document service in the citizen's language: at most 16.5 cm of paper (it was 15-19 cm
    in both languages, with 22.5 mm of blank feed), and no printed line under 2.5 mm."""
    printer = Printer(setting)
    paper = printed(replace(sample_ticket("passport-new"), lang=lang), setting)
    per_mm = printer.setting.dots_per_mm
    assert paper.height / per_mm <= 165
    smallest = min(tall for _, tall in text_lines(paper))
    assert smallest / per_mm >= 2.5
