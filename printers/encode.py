"""From a laid-out page to ESC/POS bytes, with python-escpos's encoder and capability profiles.

The page goes as a ``GS v 0`` raster image (Arabic never goes as text: code pages cannot join it),
then the cut as the profile allows: the printer feeds to its own blade and cuts (partial or full)
where the model has a cutter; a feed past the tear bar on cutter-less 58 mm printers.
"""

from __future__ import annotations

import copy
from typing import Any

from PIL import Image

from printers.errors import PrinterError
from printers.profiles import profile_data
from printers.setting import PrinterSetting

INIT = b"\x1b@"  # ESC @: clear the buffer and modes left by a previous job
FRAGMENT_HEIGHT = 960  # rows per GS v 0 command, as python-escpos splits tall images
GS_V = b"\x1dV"
FULL_AFTER_FEED, PART_AFTER_FEED = b"\x41", b"\x42"  # GS V function B: feed to the blade, cut
TEAR_BAR_MM = 12  # head to tear bar on cutter-less printers (58 mm models: 10-12 mm)
_INVERT = bytes(255 - i for i in range(256))  # Pillow's 1 is white; ESC/POS's 1 is a black dot


def raster_commands(image: Image.Image, fragment_height: int = FRAGMENT_HEIGHT) -> bytes:
    """``GS v 0`` commands printing ``image``: the bytes python-escpos's ``image()`` sends.

    python-escpos converts every image through RGBA, grey and a dither, which costs ~10 ms for
    an already 1-bit page; this produces the identical bytes (a test compares them) in ~1 ms.
    """
    page = image if image.mode == "1" else image.convert("1")
    if page.width % 8:  # pad with white so the row padding bits do not print black
        padded = Image.new("1", ((page.width + 7) // 8 * 8, page.height), 1)
        padded.paste(page, (0, 0))
        page = padded
    data = page.tobytes().translate(_INVERT)
    row = page.width // 8
    commands = []
    for top in range(0, page.height, fragment_height):
        rows = min(fragment_height, page.height - top)
        header = b"\x1dv0\x00" + row.to_bytes(2, "little") + rows.to_bytes(2, "little")
        commands.append(header + data[top * row : (top + rows) * row])
    return b"".join(commands)


def escpos_encoder(setting: PrinterSetting):
    """A python-escpos ``Dummy`` collecting the bytes, with the setting's profile and width."""
    data = copy.deepcopy(profile_data(setting.profile or "default"))  # sets up the cache first
    from escpos.printer import Dummy

    encoder = Dummy(profile=setting.profile or "default")
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = setting.width_dots
    encoder.profile.profile_data = data  # this instance only: the paper the center loaded
    return encoder


def encode_page(image: Image.Image, setting: PrinterSetting) -> bytes:
    """The bytes that print ``image`` (1-bit, at most the paper's width), then feed and cut."""
    if image.width > setting.width_dots:
        raise PrinterError.of(
            "too_wide", reason=f"{image.width} dots > {setting.width_dots}", detail=setting.text
        )
    encoder = escpos_encoder(setting)
    encoder._raw(INIT)
    encoder._raw(raster_commands(image))
    encoder._raw(ending(setting, encoder.profile))
    return encoder.output


def ending(setting: PrinterSetting, profile: Any) -> bytes:
    """How a job leaves the paper: no blank feed beyond what the cutter or tear bar needs.

    With a cutter, ``GS V 65|66 0`` makes the printer itself feed the last line just past its
    blade (each model knows its own head-to-cutter distance) and cut: python-escpos's ``cut()``
    fed six lines first (22.5 mm of blank paper) and then cut where the paper stood. With no
    cutter (``cut=none`` or a model without one) the paper is fed past the tear bar only.
    """
    full, part = profile.supports("paperFullCut"), profile.supports("paperPartCut")
    if setting.cut != "none" and (full or part):
        partial = (setting.cut == "part" and part) or not full
        return GS_V + (PART_AFTER_FEED if partial else FULL_AFTER_FEED) + b"\x00"
    dots = min(255, round(TEAR_BAR_MM * setting.dots_per_mm))
    return b"\x1bJ" + bytes([dots])  # ESC J n: feed n dots
