"""What goes to paper is what was laid out: our ESC/POS bytes decoded back give the same image."""

from __future__ import annotations

import socket

import pytest
from PIL import Image, ImageChops

from printers.decode import decode_pages
from printers.encode import encode_page
from printers.errors import PrinterError
from printers.printing import Printer


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


@pytest.mark.parametrize(
    ("setting", "cut"),
    [
        ("dummy://?profile=TM-T20II", "full"),
        ("dummy://?profile=TM-T20II&cut=part", "part"),
        ("dummy://?profile=POS-5890", "none"),  # no cutter on this model: feed only
        ("dummy://?width=58&cut=none", "none"),
    ],
)
@pytest.mark.parametrize("lang", ["ar", "both"])
def test_decoded_bytes_equal_the_layout(ticket, setting, cut, lang):
    printer = Printer(setting)
    image = printer.render_ticket(ticket, lang)
    data = encode_page(image, printer.setting)
    pages = decode_pages(data, printer.setting.width_dots)
    assert len(pages) == 1
    page = pages[0]
    assert page.mode == cut
    assert same_pixels(page.image.crop((0, 0, image.width, image.height)), image)
    feed = page.image.crop((0, image.height, page.image.width, page.image.height))
    assert feed.height > 0 and feed.convert("L").getextrema() == (255, 255)  # fed before the cut
    assert feed.height <= 12 * 8  # the last line just past the blade: no blank tail of paper


def test_receipt_bytes_are_a_raster_image_then_a_cut(receipt):
    printer = Printer("dummy://?width=80")
    image = printer.render_receipt(receipt)
    data = encode_page(image, printer.setting)
    assert data.startswith(b"\x1b@\x1dv0\x00")  # ESC @, then GS v 0 normal density
    assert data.endswith(b"\x1dVA\x00")  # GS V 65 0: the printer feeds to its blade and cuts
    assert image.height > 960  # so python-escpos split it in fragments, and they join back
    assert data.count(b"\x1dv0") == 2
    assert same_pixels(decode_pages(data)[0].image.crop((0, 0, *image.size)), image)


def test_layout_is_already_one_bit_so_nothing_is_dithered(ticket):
    image = Printer("dummy://").render_ticket(ticket)
    assert image.mode == "1"
    assert image.width == 576


def test_an_image_wider_than_the_paper_is_refused():
    printer = Printer("dummy://?width=58")
    with pytest.raises(PrinterError) as caught:
        encode_page(Image.new("1", (576, 40), 1), printer.setting)
    assert caught.value.code == "too_wide"
    assert "576" in caught.value.message["en"]


@pytest.mark.parametrize("width", [384, 576, 500])
def test_raster_commands_are_byte_for_byte_what_python_escpos_sends(ticket, width):
    """Our fast raster path must equal python-escpos's ``image()`` (GS v 0, 960-row fragments)."""
    from escpos.printer import Dummy

    from printers.encode import raster_commands

    image = Printer("dummy://?width=80").render_ticket(ticket, "both")  # 1259 rows: 2 fragments
    image = image.crop((0, 0, width, image.height))
    reference = Dummy(profile="TM-T20II")
    reference.image(image, impl="bitImageRaster", fragment_height=960)
    assert raster_commands(image) == reference.output


def test_warm_up_touches_no_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    connect = socket.create_connection

    def watched(*args: object, **kwargs: object) -> socket.socket:
        opened.append(args[0])
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", watched)
    printer = Printer("tcp://192.0.2.1:9100?timeout=0.1")  # an unroutable address
    printer.warm_up()
    assert opened == []  # no connection was even tried
    with pytest.raises(PrinterError):
        printer.status()  # while asking the printer does connect, so the watch sees it
    assert opened == [("192.0.2.1", 9100)]
