"""The shared Kivy widgets in a real window under Xvfb: Arabic reads right, taps land by name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nafitha.gui.driver import AppProcess, ControlError

pytestmark = pytest.mark.gui
GALLERY = Path(__file__).with_name("widget_gallery.py")


@pytest.fixture(scope="module")
def gallery(display: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("gallery") / "gallery.log"
    app = AppProcess([sys.executable, str(GALLERY)], log_path=log)
    yield app
    app.close()


def test_a_tap_by_name_reaches_the_button_through_the_window(gallery: AppProcess):
    before = gallery.call("taps")
    gallery.call("tap", name="count")
    gallery.wait_for(lambda: gallery.call("taps") == before + 1, what="the tap")


def test_an_unknown_name_is_a_clear_error(gallery: AppProcess):
    with pytest.raises(ControlError, match="no visible widget named 'nope'"):
        gallery.call("tap", name="nope")


def test_buttons_are_at_least_fifteen_millimetres(gallery: AppProcess):
    from_dpi = gallery.call("describe", name="count")["size"]
    assert min(from_dpi) >= 15 / 25.4 * 96 - 1


def test_arabic_label_reads_back_word_for_word_with_arabic_ocr(gallery: AppProcess, artifacts):
    shot = Path(gallery.call("screenshot", path=str(artifacts / "gui_widgets.png")))
    ocr = subprocess.run(
        ["tesseract", str(shot), "-", "-l", "ara"], capture_output=True, text=True, check=True
    ).stdout
    assert "إخراج قيد فردي للمواطن" in ocr


def test_every_line_gets_its_own_direction(gallery: AppProcess):
    """An Arabic subtitle in the English layout reads right to left, its parenthesis at the left
    end where an Arabic reader looks for it; an English line in the Arabic layout reads left to
    right. (Before, each line took the layout's direction: "(...بطاقة هوية" with the bracket
    at the wrong end.)"""
    from bidi.algorithm import get_display

    from nafitha.text import visual

    drawn = gallery.call("drawn")
    arabic, shown = drawn["mixed_en"]
    assert shown == visual(arabic, "R") != visual(arabic, "L")
    assert shown.startswith("(")  # the closing parenthesis, mirrored, at the left end
    english, shown = drawn["mixed_ar"]
    assert shown == english != get_display(english, base_dir="R")
