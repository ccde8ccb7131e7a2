"""The ESC/POS reader behind the virtual printer: streaming, status requests, text, cuts."""

from __future__ import annotations

from PIL import ImageChops

from printers.decode import EscposDecoder, decode_pages
from printers.encode import encode_page
from printers.printing import Printer


def test_a_job_fed_in_tiny_chunks_decodes_as_a_whole(ticket):
    printer = Printer("dummy://?width=58")
    data = encode_page(printer.render_ticket(ticket, "en"), printer.setting)
    whole = decode_pages(data, 384)[0].image
    decoder = EscposDecoder(384)
    pages = []
    for start in range(0, len(data), 997):  # chunk edges fall inside commands and images
        pages += decoder.feed(data[start : start + 997]).pages
    assert len(pages) == 1
    assert ImageChops.difference(pages[0].image.convert("L"), whole.convert("L")).getbbox() is None


def test_status_requests_are_seen_as_they_arrive():
    asked: list[int] = []
    decoder = EscposDecoder(on_status=asked.append)
    events = decoder.feed(b"\x10\x04\x01\x10\x04")
    assert asked == [1] and events.status_requests == [1]
    decoder.feed(b"\x04")
    assert asked == [1, 4]


def test_text_lines_and_cuts_make_pages():
    data = b"\x1b@\x1ba\x01Hello\n\x1dVA\x10" + b"\x1b@second page\n\x1bd\x03\x1dV\x01"
    pages = decode_pages(data)
    assert [p.mode for p in pages] == ["full", "part"]
    assert all(p.image.width == 576 for p in pages)
    assert pages[0].image.convert("L").getextrema()[0] == 0  # ink


def test_unknown_commands_are_reported_and_skipped():
    decoder = EscposDecoder()
    events = decoder.feed(b"\x1b\xfe" + b"\x1dV\x00")
    assert events.unknown == [b"\x1b\xfe"]


def test_a_job_without_a_cut_is_torn_off_at_the_end():
    decoder = EscposDecoder()
    assert decoder.feed(b"no cut here\n").pages == []
    assert [p.mode for p in decoder.finish().pages] == ["none"]
