"""Where messages go: the interface the sender uses, its errors, and the folder (simulated) modem.

A transport connects, reports its health, sends one message part by part (calling ``on_part``
with the modem's reference after each, so the sender records it before the next), says whether an
interrupted message reached it when it can know, and hands over what arrived (citizens' messages
and delivery reports). ``GammuModem`` (``server/sms/gammu_modem.py``) drives a real modem;
``FolderModem`` below is the demo's: a sent message is a file in ``sent/``, a file dropped in
``inbox/`` is a message received.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

FaultKind = Literal["absent", "no_network", "rejected"]


class ModemError(Exception):
    """The modem could not do it: ``kind`` says what the staff must look at (docs/sms.md)."""

    def __init__(self, kind: FaultKind, detail: str, ambiguous: bool = False) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        # The modem stopped answering after a part was handed over: it may have sent it.
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class Outgoing:
    """One message as the transport needs it."""

    id: int
    phone: str
    body: str
    encoding: str  # gsm7 | ucs2
    parts: int
    parts_sent: int = 0  # parts already accepted by the modem (their references are recorded)


@dataclass(frozen=True)
class Received:
    """A citizen's message: the sender's number (as the network gave it) and the text."""

    phone: str
    text: str


@dataclass(frozen=True)
class DeliveryReport:
    """The network's report on one sent part: its modem reference, and whether it arrived."""

    reference: str
    delivered: bool


class Transport(Protocol):
    def connect(self) -> None: ...

    def close(self) -> None: ...

    def health(self) -> None:
        """Connects when not connected; raises :class:`ModemError` when it cannot send now."""

    def send(self, message: Outgoing, on_part: Callable[[str], None]) -> None: ...

    def was_sent(self, message: Outgoing) -> bool | None:
        """After a crash: True/False when the transport knows, None when it cannot tell."""

    def receive(self) -> list[Received | DeliveryReport]: ...


SETTLE_S = 0.2  # an inbox file is read once it has not changed for this long
_INBOX_NAME = re.compile(r"(?:^IN\d{8}_\d{6}_\d{2}_)?(\+?\d{6,16})(?:[_\-.].*)?\.txt$")


class FolderModem:
    """The demo's modem: ``sent/<id>_<number>.txt`` per message, ``inbox/*.txt`` read and moved.

    An inbox file is named for the sender's number, as Gammu's SMS daemon's files backend names
    them (``IN20261129_101500_00_+9613123456_00.txt``) or simply ``+9613123456.txt``; its
    content is the message. Read files move to ``inbox/read/``; a name without a number goes to
    ``inbox/refused/``. Every sent message is reported delivered at once.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sent = folder / "sent"
        self.inbox = folder / "inbox"
        self._reports: list[DeliveryReport] = []

    def connect(self) -> None:
        try:
            for path in (self.sent, self.inbox, self.inbox / "read", self.inbox / "refused"):
                path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ModemError("absent", f"{self.folder}: {exc.strerror}") from None

    def close(self) -> None:
        pass

    def health(self) -> None:
        self.connect()
        if not os.access(self.sent, os.W_OK) or not self.inbox.is_dir():
            raise ModemError("absent", f"{self.folder} is not a writable folder")

    def path_of(self, message: Outgoing) -> Path:
        return self.sent / f"{message.id:08d}_{message.phone}.txt"

    def send(self, message: Outgoing, on_part: Callable[[str], None]) -> None:
        path = self.path_of(message)
        text = (
            f"To: {message.phone}\nEncoding: {message.encoding}\nParts: {message.parts}\n\n"
            f"{message.body}\n"
        )
        temporary = path.with_suffix(".tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)  # the message is "sent" at once, whole, or not at all
        except OSError as exc:
            raise ModemError("absent", f"{self.sent}: {exc.strerror}") from None
        for index in range(message.parts_sent, message.parts):
            reference = f"{message.id}.{index + 1}"
            on_part(reference)
            self._reports.append(DeliveryReport(reference, True))

    def was_sent(self, message: Outgoing) -> bool | None:
        return self.path_of(message).exists()

    def receive(self) -> list[Received | DeliveryReport]:
        found: list[Received | DeliveryReport] = list(self._reports)
        self._reports.clear()
        try:
            names = sorted(p for p in self.inbox.iterdir() if p.suffix == ".txt" and p.is_file())
        except OSError:
            return found
        for path in names:
            try:
                if time.time() - path.stat().st_mtime < SETTLE_S:
                    continue  # maybe still being written: next turn
            except OSError:
                continue
            match = _INBOX_NAME.match(path.name)
            if match is None:
                path.replace(self.inbox / "refused" / path.name)
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")[:1000]
            except OSError:
                continue
            path.replace(self.inbox / "read" / path.name)
            found.append(Received(match.group(1), text.strip()))
        return found


class Unavailable:
    """A transport that cannot work on this machine: every health check says why (an alert)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def connect(self) -> None:
        raise ModemError("absent", self.reason)

    def close(self) -> None:
        pass

    def health(self) -> None:
        raise ModemError("absent", self.reason)

    def send(self, message: Outgoing, on_part: Callable[[str], None]) -> None:
        raise ModemError("absent", self.reason)

    def was_sent(self, message: Outgoing) -> bool | None:
        return None

    def receive(self) -> list[Received | DeliveryReport]:
        return []


__all__ = [
    "DeliveryReport",
    "FolderModem",
    "ModemError",
    "Outgoing",
    "Received",
    "Transport",
    "Unavailable",
]
