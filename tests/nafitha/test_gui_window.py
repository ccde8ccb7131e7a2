"""Multisampling is turned off where the CPU draws, and a value the operator set always wins."""

from __future__ import annotations

import pytest

from nafitha.gui.window import SMOOTHED, multisamples

GPU = ["/dev/dri/card0"]


@pytest.mark.parametrize(
    ("platform", "devices", "environ", "expected"),
    [
        ("linux", [], {}, "0"),  # no kernel graphics device: Mesa's llvmpipe draws
        ("linux", GPU, {}, SMOOTHED),
        ("linux", GPU, {"LIBGL_ALWAYS_SOFTWARE": "1"}, "0"),
        ("linux", GPU, {"LIBGL_ALWAYS_SOFTWARE": "true"}, "0"),
        ("linux", GPU, {"LIBGL_ALWAYS_SOFTWARE": "0"}, SMOOTHED),
        ("linux", GPU, {"LIBGL_ALWAYS_SOFTWARE": "false"}, SMOOTHED),
        ("win32", [], {}, SMOOTHED),  # no /dev/dri there: says nothing of its graphics
        ("darwin", [], {}, SMOOTHED),
        ("linux", [], {"KCFG_GRAPHICS_MULTISAMPLES": "4"}, "4"),  # the operator's own value
        ("linux", GPU, {"KCFG_GRAPHICS_MULTISAMPLES": "0"}, "0"),
    ],
)
def test_multisamples(platform: str, devices: list[str], environ: dict, expected: str) -> None:
    assert multisamples(platform, devices, environ) == expected
