"""Reading ESC/POS bytes back into paper: what a printer would do with a job, as page images.

The virtual printer runs every byte it receives through :class:`EscposDecoder`, and the tests run
our own encoder's output through it, so "what goes to paper is what was laid out" is checked on the
bytes themselves. Handled: ESC @, GS v 0 raster images, text and line feeds (ESC d, ESC J, LF,
ESC 2/3 line spacing, ESC a alignment), GS V cuts, DLE EOT status requests; other common commands
are skipped with their arguments, unknown ones are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from printers.canvas import font, line_ink

ESC, GS, DLE = 0x1B, 0x1D, 0x10
DEFAULT_LINE_DOTS = 30  # ESC 2: the default line spacing (~1/6 inch at 203 dpi)
TEXT_SIZE = 22

# Commands with fixed argument counts that change nothing on our paper.
_ESC_SKIP = {
    ord(c): n
    for c, n in {
        "!": 1,
        "E": 1,
        "-": 1,
        "M": 1,
        "t": 1,
        "R": 1,
        "G": 1,
        "{": 1,
        "V": 1,
        " ": 1,
        "=": 1,
        "p": 3,
        "c": 2,
        "U": 1,
        "r": 1,
        "%": 1,
        "S": 0,
        "T": 1,
        "L": 0,
    }.items()
}
_GS_SKIP = {
    ord(c): n
    for c, n in {
        "!": 1,
        "B": 1,
        "H": 1,
        "h": 1,
        "w": 1,
        "f": 1,
        "a": 1,
        "r": 1,
        "I": 1,
        "b": 1,
        "L": 2,
        "W": 2,
        "P": 2,
        "T": 1,
    }.items()
}


CUTTER_FEED_DOTS = 96
"""What ``GS V`` function B feeds before cutting: a real printer feeds its last line from the head
to the blade (10-15 mm on common 80 mm models); 12 mm here, so measured lengths include it."""


@dataclass
class Cut:
    """A page ended: the paper image and how it was cut (full, part, or none at end of job)."""

    image: Image.Image
    mode: str


@dataclass
class Events:
    """What one chunk of bytes produced."""

    pages: list[Cut] = field(default_factory=list)
    status_requests: list[int] = field(default_factory=list)
    unknown: list[bytes] = field(default_factory=list)


class NeedMore(Exception):
    """The buffer ends in the middle of a command: wait for the next chunk."""


class EscposDecoder:
    """A streaming ESC/POS reader for one connection: feed it chunks as they arrive.

    ``on_status(n)`` is called for each DLE EOT n the moment it is read (a printer answers those in
    real time, before the rest of the job).
    """

    def __init__(self, width_dots: int = 576, on_status: Callable[[int], None] | None = None):
        self.width = width_dots
        self.on_status = on_status
        self._buffer = bytearray()
        self._strips: list[Image.Image] = []
        self._text = bytearray()
        self._line_dots = DEFAULT_LINE_DOTS
        self._align = 0
        self._inked = False
        self.bytes_read = 0

    # -- paper ---------------------------------------------------------------------------------
    def _feed_dots(self, dots: int) -> None:
        if dots > 0:
            self._strips.append(Image.new("1", (self.width, dots), 1))

    def _place(self, strip: Image.Image) -> None:
        """A strip narrower than the paper, placed as ESC a says (left, centre, right)."""
        if strip.width > self.width:
            strip = strip.crop((0, 0, self.width, strip.height))  # a printer drops what overhangs
        if strip.width < self.width:
            x = (0, (self.width - strip.width) // 2, self.width - strip.width)[min(self._align, 2)]
            row = Image.new("1", (self.width, strip.height), 1)
            row.paste(strip, (x, 0))
            strip = row
        self._strips.append(strip)
        self._inked = True

    def _print_text_line(self) -> None:
        if not self._text:
            self._feed_dots(self._line_dots)
            return
        text = self._text.decode("cp437", errors="replace")
        self._text.clear()
        ink, left, top = line_ink(text, font(TEXT_SIZE), "en")
        strip = Image.new("1", (max(1, left + ink.width), max(self._line_dots, TEXT_SIZE + 6)), 1)
        strip.paste(0, (max(0, left), TEXT_SIZE + top), mask=ink)
        self._place(strip)

    def _cut(self, mode: str, events: Events) -> None:
        if self._text:
            self._print_text_line()
        if self._inked:
            height = sum(strip.height for strip in self._strips)
            page = Image.new("1", (self.width, height), 1)
            y = 0
            for strip in self._strips:
                page.paste(strip, (0, y))
                y += strip.height
            events.pages.append(Cut(page, mode))
        self._strips.clear()
        self._inked = False

    def finish(self) -> Events:
        """The end of the job: what is printed but not cut is torn off as a page."""
        events = Events()
        self._cut("none", events)
        return events

    # -- bytes ---------------------------------------------------------------------------------
    def feed(self, data: bytes) -> Events:
        self._buffer.extend(data)
        self.bytes_read += len(data)
        events = Events()
        pos = 0
        while pos < len(self._buffer):
            try:
                pos = self._command(pos, events)
            except NeedMore:
                break
        del self._buffer[:pos]
        return events

    def _need(self, pos: int, count: int) -> bytes:
        if pos + count > len(self._buffer):
            raise NeedMore
        return bytes(self._buffer[pos : pos + count])

    def _command(self, pos: int, events: Events) -> int:
        """Handle the command at ``pos``; the position after it."""
        byte = self._buffer[pos]
        if byte == ESC:
            return self._esc(pos, events)
        if byte == GS:
            return self._gs(pos, events)
        if byte == DLE:
            return self._dle(pos, events)
        if byte == 0x0A or byte == 0x0C:  # LF: print the line and feed
            self._print_text_line()
        elif byte >= 0x20:
            self._text.append(byte)
        return pos + 1  # CR, HT, NUL and other controls change nothing here

    def _esc(self, pos: int, events: Events) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == ord("@"):
            self._line_dots, self._align = DEFAULT_LINE_DOTS, 0
            self._text.clear()
            return pos + 2
        if cmd == ord("a"):
            self._align = self._need(pos, 3)[2] % 48
            return pos + 3
        if cmd == ord("d"):  # print and feed n lines
            n = self._need(pos, 3)[2]
            self._print_text_line()
            self._feed_dots(self._line_dots * max(0, n - 1))
            return pos + 3
        if cmd == ord("J"):  # print and feed n dots
            n = self._need(pos, 3)[2]
            if self._text:
                self._print_text_line()
            self._feed_dots(n)
            return pos + 3
        if cmd == ord("2"):
            self._line_dots = DEFAULT_LINE_DOTS
            return pos + 2
        if cmd == ord("3"):
            self._line_dots = self._need(pos, 3)[2]
            return pos + 3
        if cmd == ord("i") or cmd == ord("m"):  # old-style cuts
            self._cut("full" if cmd == ord("i") else "part", events)
            return pos + 2
        if cmd in _ESC_SKIP:
            self._need(pos, 2 + _ESC_SKIP[cmd])
            return pos + 2 + _ESC_SKIP[cmd]
        events.unknown.append(bytes(self._buffer[pos : pos + 2]))
        return pos + 2

    def _gs(self, pos: int, events: Events) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == ord("v"):  # GS v 0 m xL xH yL yH d1...dk
            head = self._need(pos, 8)
            width_bytes, height = head[4] | head[5] << 8, head[6] | head[7] << 8
            size = width_bytes * height
            data = self._need(pos + 8, size)
            if self._text:
                self._print_text_line()
            image = Image.frombytes("1", (width_bytes * 8, height), data)
            # ESC/POS sends 1 for a black dot; Pillow's "1" mode reads 1 as white
            self._place(image.point(lambda v: 255 - v, mode="1") if size else image)
            return pos + 8 + size
        if cmd == ord("V"):  # GS V m  |  GS V m n (feed to the blade, n more, then cut)
            mode = self._need(pos, 3)[2]
            if mode in (65, 66, 97, 98, 103, 104):
                self._feed_dots(CUTTER_FEED_DOTS + self._need(pos, 4)[3])
                self._cut("full" if mode in (65, 97, 103) else "part", events)
                return pos + 4
            self._cut("full" if mode in (0, 48) else "part", events)
            return pos + 3
        if cmd == ord("(") or cmd == ord("8"):  # GS ( x pL pH ... and GS 8 L p1..p4: skip the block
            head = self._need(pos, 5)
            length = head[3] | head[4] << 8
            return pos + 5 + len(self._need(pos + 5, length))
        if cmd == ord("k"):  # barcode: m < 65 NUL-terminated, else a length byte
            m = self._need(pos, 3)[2]
            if m >= 65:
                return pos + 4 + self._need(pos, 4)[3]
            end = self._buffer.find(b"\x00", pos + 3)
            if end < 0:
                raise NeedMore
            return end + 1
        if cmd in _GS_SKIP:
            self._need(pos, 2 + _GS_SKIP[cmd])
            return pos + 2 + _GS_SKIP[cmd]
        events.unknown.append(bytes(self._buffer[pos : pos + 2]))
        return pos + 2

    def _dle(self, pos: int, events: Events) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == 0x04:  # DLE EOT n: real-time status
            n = self._need(pos, 3)[2]
            events.status_requests.append(n)
            if self.on_status:
                self.on_status(n)
            return pos + 3
        if cmd == 0x05:  # DLE ENQ n
            self._need(pos, 3)
            return pos + 3
        if cmd == 0x14:  # DLE DC4 fn m t
            self._need(pos, 5)
            return pos + 5
        return pos + 1  # a lone DLE byte: data, nothing to do


def decode_pages(data: bytes, width_dots: int = 576) -> list[Cut]:
    """Every page a job prints (the last one torn off uncut if the job does not cut it)."""
    decoder = EscposDecoder(width_dots)
    pages = decoder.feed(data).pages
    return pages + decoder.finish().pages
