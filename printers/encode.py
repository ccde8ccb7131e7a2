"""From a laid-out page to ESC/POS bytes, with python-escpos's encoder and capability profiles.

The page goes as a ``GS v 0`` raster image (Arabic never goes as text: code pages cannot join it),
then feed and cut as the profile allows: partial or full cut where the model has a cutter, only a
feed on cutter-less 58 mm printers.
"""

from __future__ import annotations

import copy
from functools import cache

from PIL import Image

from printers.errors import PrinterError
from printers.setting import PrinterSetting

INIT = b"\x1b@"  # ESC @: clear the buffer and modes left by a previous job


@cache
def _profile_data(name: str) -> dict:
    from escpos.capabilities import get_profile

    return get_profile(name).profile_data


def escpos_encoder(setting: PrinterSetting):
    """A python-escpos ``Dummy`` collecting the bytes, with the setting's profile and width."""
    from escpos.printer import Dummy

    encoder = Dummy(profile=setting.profile or "default")
    data = copy.deepcopy(_profile_data(setting.profile or "default"))
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
    encoder.image(image, impl="bitImageRaster", fragment_height=960)
    if setting.cut == "none":
        encoder.print_and_feed(6)
    else:
        encoder.cut(mode="PART" if setting.cut == "part" else "FULL")
    return encoder.output
