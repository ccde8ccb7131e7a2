"""The kiosk driver for the tests: the tests' name for :mod:`nafitha.harness.kiosk_driver`."""

from nafitha.harness.kiosk_driver import (
    Kiosk,
    Portrait,
    arabic_ocr,
    english_ocr,
    start_kiosk,
    toml_value,
    write_kiosk_toml,
)

__all__ = [
    "Kiosk",
    "Portrait",
    "arabic_ocr",
    "english_ocr",
    "start_kiosk",
    "toml_value",
    "write_kiosk_toml",
]
