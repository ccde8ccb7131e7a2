"""Translation catalogs and Arabic shaping, shared by the server, kiosk, counter and printers.

Catalogs live in ``assets/i18n/<domain>.toml``, one table per text with both languages side by side:

    [welcome]
    ar = "أهلاً وسهلاً"
    en = "Welcome"

and are addressed as ``"<domain>.<key>"`` (``t("kiosk.welcome", "ar")``). Placeholders use
``str.format`` names (``{number}``), the same in both languages.

Shaping: Pillow with raqm shapes and reorders Arabic by itself; Kivy's text providers do no bidi, so
:func:`visual` turns a logical string into the visual order (reshaped glyphs, right-to-left runs
reversed, numbers and Latin kept readable) one line at a time.
"""

from __future__ import annotations

import re
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display  # the Rust `bidi.get_display` mirrors no brackets

from nafitha.paths import I18N

LANGS: tuple[str, ...] = ("ar", "en")
DEFAULT_LANG = "ar"
_RTL = {"ar"}
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


class MissingText(KeyError):
    """A text key that no catalog defines: a bug, caught by the catalog tests."""


class CatalogError(ValueError):
    """A catalog file that is malformed: names the file, key and reason."""


def _check_entry(path: Path, key: str, entry: object) -> dict[str, str]:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{path}: {key}: must be a table with ar and en")
    missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str) or not entry[lang]]
    if missing:
        raise CatalogError(f"{path}: {key}: missing or empty {', '.join(missing)}")
    fields = {lang: _placeholders(entry[lang]) for lang in LANGS}
    if fields["ar"] != fields["en"]:
        raise CatalogError(f"{path}: {key}: placeholders differ between ar and en: {fields}")
    return {lang: entry[lang] for lang in LANGS}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_catalogs(folder: Path = I18N) -> dict[str, dict[str, str]]:
    """Read every catalog in ``folder``; a malformed one raises :class:`CatalogError`."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"{path}: {exc}") from exc
        for key, entry in data.items():
            texts[f"{path.stem}.{key}"] = _check_entry(path, key, entry)
    return texts


@cache
def catalogs() -> dict[str, dict[str, str]]:
    return load_catalogs()


def normalize_lang(lang: str | None) -> str:
    """Any language tag (``ar-LB``, ``EN``, ``None``) to one we have; Arabic first."""
    if lang:
        base = lang.strip().lower().replace("_", "-").split("-")[0]
        if base in LANGS:
            return base
    return DEFAULT_LANG


def t(key: str, lang: str, **params: object) -> str:
    """The text ``key`` in ``lang``, with ``params`` filled in."""
    try:
        entry = catalogs()[key]
    except KeyError:
        raise MissingText(key) from None
    text = entry[normalize_lang(lang)]
    return text.format(**params) if params else text


def both(key: str, **params: object) -> dict[str, str]:
    """The text ``key`` in every language, as the API's bilingual messages carry it.

    A parameter given in both languages (``{"ar": ..., "en": ...}``, e.g. a ticket state's name)
    fills each language's text with its own words, never an English code inside Arabic.
    """
    return {
        lang: t(key, lang, **{name: _in(value, lang) for name, value in params.items()})
        for lang in LANGS
    }


def _in(value: object, lang: str) -> object:
    if isinstance(value, Mapping) and isinstance(value.get(lang), str):
        return value[lang]
    return value


def is_rtl(lang: str) -> bool:
    return normalize_lang(lang) in _RTL


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def first_strong(line: str) -> str | None:
    """ "R" or "L": the direction of the line's first strong (letter) character; None for a line of
    digits and punctuation only. Each line of a label takes its own direction from it, so an
    Arabic name in an English layout keeps its parentheses where an Arabic reader expects them."""
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return None


def visual(text: str, base_dir: str | None = None) -> str:
    """Logical text to the visual order an engine without bidi must draw, line by line.

    Text with no Arabic is returned unchanged. ``base_dir`` ("R" or "L") forces the paragraph
    direction; by default each line follows its own first strong character (:func:`first_strong`).
    """
    if not has_arabic(text):
        return text
    shaped = arabic_reshaper.reshape(text)
    lines = shaped.split("\n")
    if base_dir:
        return "\n".join(get_display(line, base_dir=base_dir) for line in lines)
    return "\n".join(get_display(line) for line in lines)
