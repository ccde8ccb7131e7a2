"""What the kiosk and counter hand to the printer: a ticket and a file receipt, as plain values.

Bilingual fields accept what the API returns (``{"ar": ..., "en": ...}``) or a :class:`Bilingual`;
a plain string is used for both languages. Times are datetimes already in the center's time zone
(the printer prints them as given). These values know nothing of the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nafitha.bilingual import Bilingual


def _texts(values: Iterable[Any]) -> tuple[Bilingual, ...]:
    return tuple(Bilingual.of(value) for value in values)


@dataclass(frozen=True)
class Ticket:
    """A queue ticket the server has committed, as it is printed at the kiosk.

    ``status_url`` is the ticket's phone page (``/t/{token}``), printed as a QR code.
    ``people_ahead``, ``wait_minutes`` and ``callable`` are the server's figures, printed as given
    (the wait is rounded once, by the server): ``wait_minutes`` None prints no estimate;
    ``callable`` False (no open counter serves the service) prints that instead of any count, and
    "you are next" is printed only when the ticket is callable with nobody ahead.
    ``reference`` (a return visit for a file) is printed with its dashes, and ``documents`` are
    then what to bring back. ``lang`` is the citizen's language: the documents print in it only.
    ``timezone`` is the center's zone (``issued_at`` is printed in it; as given when empty).
    """

    center_name: Bilingual
    number: str
    service_name: Bilingual
    issued_at: datetime
    people_ahead: int
    wait_minutes: int | None
    status_url: str
    documents: tuple[Bilingual, ...] = ()
    priority: bool = False
    callable: bool = True
    reference: str = ""
    lang: str = ""
    timezone: str = ""
    reprint: bool = False  # a copy of a ticket already printed: it says REPRINT in both languages
    appointment_time: str = ""  # a checked-in booking: its slot ("09:15", center's zone) is printed

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_name", Bilingual.of(self.center_name))
        object.__setattr__(self, "service_name", Bilingual.of(self.service_name))
        object.__setattr__(self, "documents", _texts(self.documents))
        if not self.number:
            raise ValueError("a ticket needs a number")
        if self.people_ahead < 0:
            raise ValueError("people_ahead cannot be negative")
        if self.lang not in ("", "ar", "en"):
            raise ValueError(f"lang must be ar or en, not {self.lang!r}")


@dataclass(frozen=True)
class Stage:
    """One stage of a file's workflow."""

    id: str
    name: Bilingual

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", Bilingual.of(self.name))


@dataclass(frozen=True)
class FileReceipt:
    """The receipt a citizen keeps when a file is opened at a counter.

    ``reference`` is printed as text, as a Code128 barcode (what a hand scanner reads) and, inside
    ``track_url`` (the phone page ``/f/{reference}``), as a QR code. ``stages`` are in workflow
    order; ``current_stage`` is the id of the one the file is in.
    """

    center_name: Bilingual
    reference: str
    service_name: Bilingual
    opened_at: datetime
    stages: tuple[Stage, ...]
    current_stage: str | None
    track_url: str
    missing_documents: tuple[Bilingual, ...] = ()
    timezone: str = ""  # the center's zone: ``opened_at`` is printed in it (as given when empty)

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_name", Bilingual.of(self.center_name))
        object.__setattr__(self, "service_name", Bilingual.of(self.service_name))
        object.__setattr__(
            self,
            "stages",
            tuple(s if isinstance(s, Stage) else Stage(s["id"], s["name"]) for s in self.stages),
        )
        object.__setattr__(self, "missing_documents", _texts(self.missing_documents))
        if not self.reference:
            raise ValueError("a receipt needs a reference")
        ids = [stage.id for stage in self.stages]
        if self.current_stage is not None and self.current_stage not in ids:
            raise ValueError(f"current_stage {self.current_stage!r} is not one of {ids}")


@dataclass(frozen=True)
class LayoutOptions:
    """How to lay a ticket or receipt out: paper width in dots, languages, the head's resolution."""

    width_dots: int = 576
    lang: str = "both"  # "ar", "en" or "both"
    logo: bool = True
    dots_per_mm: float = 203 / 25.4  # text sizes are set in mm on paper, not in dots
