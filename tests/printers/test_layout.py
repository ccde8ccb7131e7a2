"""Layout rules: Arabic wraps in logical order, waits read naturally; and the PNGs to look at."""

from __future__ import annotations

from datetime import datetime

import pytest
from PIL import Image

from printers.canvas import font, wrap
from printers.printables import FileReceipt, LayoutOptions, Ticket
from printers.printing import Printer
from printers.receipt_layout import CURRENT, DONE, LATER, render_receipt, stage_marks
from printers.ticket_layout import render_ticket


def test_arabic_wraps_between_words_in_reading_order():
    sentence = "انتظر حتى يظهر رقمك على الشاشة ويُنادى عليه ثم توجه إلى الشباك المذكور"
    lines = wrap(sentence, font(24), "ar", 260)
    assert len(lines) > 1
    assert " ".join(lines) == sentence  # logical order kept: first words on the first line
    assert all(font(24).getlength(line, direction="rtl", language="ar") <= 260 for line in lines)


def test_a_word_longer_than_the_line_is_cut():
    lines = wrap("http://10.0.0.2:8000/f/7KQ2-M9XD-4/and/a/very/long/path", font(24), "en", 150)
    assert "".join(lines) == "http://10.0.0.2:8000/f/7KQ2-M9XD-4/and/a/very/long/path"


def test_stage_marks_follow_the_current_stage(receipt):
    assert stage_marks(receipt) == [DONE, CURRENT, LATER, LATER]


def test_a_current_stage_that_is_not_a_stage_is_refused(receipt):
    with pytest.raises(ValueError, match="current_stage"):
        FileReceipt(**{**receipt.__dict__, "current_stage": "nowhere"})


def test_nothing_is_drawn_outside_the_paper_margins(ticket):
    for width in (384, 576):
        image = render_ticket(ticket, LayoutOptions(width_dots=width, lang="both")).convert("L")
        margin = 6
        left = image.crop((0, 0, margin, image.height))
        right = image.crop((width - margin, 0, width, image.height))
        assert left.getextrema()[0] == 255 and right.getextrema()[0] == 255


def test_both_languages_are_longer_than_one(ticket):
    heights = {
        lang: render_ticket(ticket, LayoutOptions(lang=lang)).height
        for lang in ("ar", "en", "both")
    }
    assert heights["both"] > heights["ar"] and heights["both"] > heights["en"]


def test_next_in_line_and_priority_change_the_ticket(ticket):
    plain = render_ticket(ticket, LayoutOptions(lang="en"))
    first = Ticket(**{**ticket.__dict__, "people_ahead": 0, "priority": True})
    changed = render_ticket(first, LayoutOptions(lang="en"))
    assert plain.tobytes() != changed.tobytes()


def test_saved_pngs_to_look_at(ticket, receipt, artifacts):
    """Tickets and receipts in every language and both widths, for a person to open."""
    for width in (58, 80):
        printer = Printer(f"dummy://?width={width}")
        for lang in ("ar", "en", "both"):
            for kind, image in (
                ("ticket", printer.render_ticket(ticket, lang)),
                ("receipt", printer.render_receipt(receipt, lang)),
            ):
                path = artifacts / f"printers-{kind}-{width}mm-{lang}.png"
                image.save(path)
                with Image.open(path) as saved:
                    assert saved.size == image.size
    long_receipt = render_receipt(
        FileReceipt(
            **{**receipt.__dict__, "opened_at": datetime(2026, 1, 2, 8, 0), "missing_documents": ()}
        ),
        LayoutOptions(width_dots=384, lang="ar"),
    )
    long_receipt.save(artifacts / "printers-receipt-58mm-ar-nothing-missing.png")
