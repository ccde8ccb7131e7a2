"""A printer's real-time status, from the four DLE EOT answers ("transmit real-time status").

Each request ``DLE EOT n`` (n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor) is
answered by one byte whose bits 1 and 4 are set and bits 0 and 7 clear. Silence is *not* "paper OK"
(python-escpos's ``paper_status()`` says 2 when nothing comes back): a printer that does not answer
within the timeout is reported as ``unknown``, and a kiosk treats that as "cannot print".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from printers.errors import PrinterError, bilingual

DLE_EOT = b"\x10\x04"
REQUESTS = (1, 2, 4, 3)  # printer, offline cause, paper sensor, error cause: most telling first
_FIXED_MASK, _FIXED_VALUE = 0x93, 0x12

# States, worst first when several apply.
READY, NEAR_END, PAPER_OUT, COVER_OPEN, ERROR, OFFLINE, UNKNOWN, NOT_SUPPORTED = (
    "ready",
    "near_end",
    "paper_out",
    "cover_open",
    "error",
    "offline",
    "unknown",
    "not_supported",
)


def status_request(n: int) -> bytes:
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1 to 4")
    return DLE_EOT + bytes((n,))


def is_status_byte(value: int) -> bool:
    """Whether ``value`` has the fixed bits every DLE EOT answer carries."""
    return value & _FIXED_MASK == _FIXED_VALUE


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself.

    ``state`` is the one word to act on; ``can_print`` is False for anything but ready/near_end
    (and for ``unknown``: silence is never taken as ready). ``raw`` maps n to the answered byte.
    """

    state: str
    online: bool | None = None
    paper_out: bool | None = None
    paper_near_end: bool | None = None
    cover_open: bool | None = None
    error: bool | None = None
    raw: dict[int, int] = field(default_factory=dict)

    @property
    def can_print(self) -> bool:
        return self.state in (READY, NEAR_END)

    @property
    def message(self) -> dict[str, str]:
        """The status in words, in both languages."""
        keys = {
            READY: "status_ready",
            NEAR_END: "status_near_end",
            UNKNOWN: "status_unknown",
            NOT_SUPPORTED: "status_not_supported",
            PAPER_OUT: "error_paper_out",
            COVER_OPEN: "error_cover_open",
            ERROR: "error_printer_error",
            OFFLINE: "error_offline",
        }
        return bilingual(keys[self.state])

    def as_error(self) -> PrinterError | None:
        """The error that stops printing in this state, or None when the printer can print."""
        codes = {
            PAPER_OUT: "paper_out",
            COVER_OPEN: "cover_open",
            ERROR: "printer_error",
            OFFLINE: "offline",
        }
        if self.state in codes:
            return PrinterError(codes[self.state], detail=f"status bytes {self.raw}")
        if self.state == UNKNOWN:
            return PrinterError(
                "timeout",
                detail="no answer to DLE EOT status requests (a printer that never answers "
                "them needs status=off in its setting)",
            )
        return None


def decode_status(answers: dict[int, int]) -> PrinterStatus:
    """The status from the answer byte of each DLE EOT n asked (missing n: not answered)."""
    answers = {n: b for n, b in answers.items() if is_status_byte(b)}
    if not answers:
        return PrinterStatus(UNKNOWN)
    printer, cause, errors, paper = (answers.get(n) for n in (1, 2, 3, 4))
    offline = bool(printer & 0x08) if printer is not None else None
    cover = bool(cause & 0x04) if cause is not None else None
    paper_stop = bool(cause & 0x20) if cause is not None else False
    paper_end = bool(paper & 0x60) if paper is not None else None
    near_end = bool(paper & 0x0C) if paper is not None else None
    error = bool(cause & 0x40) if cause is not None else None
    if errors is not None:
        error = bool(error) or bool(errors & 0x68)  # cutter, unrecoverable, auto-recoverable errors
    out = bool(paper_end) or paper_stop
    if cover:
        state = COVER_OPEN
    elif out:
        state = PAPER_OUT
    elif error:
        state = ERROR
    elif offline:
        state = OFFLINE
    elif near_end:
        state = NEAR_END
    else:
        state = READY
    return PrinterStatus(
        state=state,
        online=None if offline is None else not offline,
        paper_out=out if (paper is not None or cause is not None) else None,
        paper_near_end=near_end,
        cover_open=cover,
        error=error,
        raw=dict(answers),
    )


def encode_status(state: str) -> dict[int, int]:
    """The bytes a printer in ``state`` answers to DLE EOT 1..4 (what the virtual printer sends).

    ``ok`` is accepted for ``ready`` (the word the virtual printer's options use).
    """
    state = READY if state == "ok" else state
    answers = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
    if state == NEAR_END:
        answers[4] |= 0x0C
    elif state == PAPER_OUT:
        answers[1] |= 0x08
        answers[2] |= 0x20
        answers[4] |= 0x6C
    elif state == COVER_OPEN:
        answers[1] |= 0x08
        answers[2] |= 0x04
    elif state == ERROR:
        answers[1] |= 0x08
        answers[2] |= 0x40
        answers[3] |= 0x08
    elif state == OFFLINE:
        answers[1] |= 0x08
    elif state != READY:
        raise ValueError(f"no status bytes for state {state!r}")
    return answers
