"""The one bilingual text type: what a citizen or clerk reads, in Arabic and English side by side.

The center config declares names this way (``{ ar = "…", en = "…" }``), the server answers them
this way (``{"ar": "…", "en": "…"}``), and the printers lay them out from it. Pure (pydantic only),
so the server's domain, the kiosk, the counter, the printers and the national hub share it.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

TEXT_MAX = 300
"""Longest text in one language: a name, a document, a place; more does not fit a screen line."""

BilingualMap = Mapping[str, str]
"""The same text as JSON carries it, before or without validation: ``{"ar": …, "en": …}``."""


class Bilingual(BaseModel):
    """One text in Arabic and English; unknown keys refused, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ar: str = Field(min_length=1, max_length=TEXT_MAX)
    en: str = Field(min_length=1, max_length=TEXT_MAX)

    @classmethod
    def of(cls, value: Bilingual | BilingualMap | str) -> Bilingual:
        """A text from what an answer holds: a mapping (one language may stand for the other
        when the other is missing), or a plain string used for both."""
        if isinstance(value, Bilingual):
            return value
        if isinstance(value, str):
            return cls(ar=value, en=value)
        if isinstance(value, Mapping):
            ar, en = value.get("ar") or "", value.get("en") or ""
            if not ar and not en:
                raise ValueError(f"a bilingual text needs ar or en, got {dict(value)!r}")
            return cls(ar=ar or en, en=en or ar)
        raise TypeError(f"expected a bilingual text, got {type(value).__name__}")

    def get(self, lang: str) -> str:
        """The text in ``lang`` (English for any language but Arabic)."""
        return self.ar if lang == "ar" else self.en
