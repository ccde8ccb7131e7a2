"""Reading printed paper back as a reader would: Tesseract on a decoded page image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image


def ocr_paper(image: Image.Image, lang: str, folder: Path, psm: str = "4") -> str:
    """The words Tesseract reads on ``image`` (``lang`` ``ara`` or ``eng``), spaces folded.

    The paper is 203 dpi and Tesseract is tuned for ~300 dpi scans: the page is enlarged 2x,
    as a 406 dpi scan. Skips the test when Tesseract is not installed.
    """
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract-ocr is not installed")
    path = folder / f"ocr-{lang}-{psm}.png"
    grey = image.convert("L")
    grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.BICUBIC).save(path)
    out = subprocess.run(
        ["tesseract", str(path), "-", "-l", lang, "--psm", psm],
        capture_output=True,
        text=True,
        timeout=60,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.split())
