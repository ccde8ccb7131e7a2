"""Printer errors as values: a stable code the caller branches on and a message in both languages.

A kiosk that cannot print shows the ticket on screen and reports ``error.code`` to the staff
(``POST /api/v1/alerts``); a clerk reads ``error.message["ar"]`` or ``["en"]``. Messages come from
``assets/i18n/printers.toml`` (keys ``printers.error_<code>``).
"""

from __future__ import annotations

from collections.abc import Mapping

from nafitha.bilingual import BilingualMap as Bilingual
from nafitha.text import LANGS, t

# Every code a caller may see. ``bad_setting`` is raised when a setting string is parsed (at start);
# the others when printing or asking for the status.
CODES: tuple[str, ...] = (
    "bad_setting",
    "offline",
    "paper_out",
    "cover_open",
    "printer_error",
    "timeout",
    "permission_denied",
    "no_such_device",
    "missing_library",
    "io_error",
    "too_wide",
)


def bilingual(key: str, **params: object) -> dict[str, str]:
    """The catalog text ``printers.<key>`` in every language; a param may itself be bilingual."""
    return {
        lang: t(
            f"printers.{key}",
            lang,
            **{
                name: value[lang] if isinstance(value, Mapping) else value
                for name, value in params.items()
            },
        )
        for lang in LANGS
    }


class PrinterError(Exception):
    """Why a ticket or receipt could not be printed (or a printer setting is wrong).

    ``code`` is one of :data:`CODES`; ``message`` is ``{"ar": ..., "en": ...}``; ``detail`` is the
    underlying technical reason for the log (never shown to a citizen).
    """

    def __init__(self, code: str, message: Bilingual | None = None, detail: str = "") -> None:
        if code not in CODES:
            raise ValueError(f"unknown printer error code {code!r}")
        self.code = code
        self.message: dict[str, str] = dict(message) if message else bilingual(f"error_{code}")
        self.detail = detail
        super().__init__(f"{code}: {self.message['en']}" + (f" ({detail})" if detail else ""))

    @classmethod
    def of(cls, code: str, detail: str = "", **params: object) -> PrinterError:
        """The error ``code`` with its catalog message filled with ``params``."""
        return cls(code, bilingual(f"error_{code}", **params), detail)

    def as_dict(self) -> dict[str, object]:
        """The project's error shape, ready for an alert or a JSON log."""
        return {"code": self.code, "message": dict(self.message)}


class PrinterSettingError(PrinterError, ValueError):
    """A setting string that cannot work; raised when parsed, so a bad file fails at start."""

    def __init__(self, setting: str, reason: str) -> None:
        self.setting = setting
        self.reason = reason
        super().__init__("bad_setting", bilingual("error_bad_setting", reason=reason), setting)
        self.args = (f"bad printer setting {setting!r}: {reason}",)

    def __str__(self) -> str:
        return str(self.args[0])
