"""The outbox on a real SQLite file: a context opened as the server opens it, a clock moved by hand,
and the sender's loop stepped by the test (no thread), on the folder modem or a pty AT modem."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from server.app import open_context
from server.config import ServerSettings, SmsSettings
from server.sms.sender import Sender, sender_lock_path
from server.sms.transport import FolderModem, Transport
from server.store import outbox
from server.usecases.context import Context
from tests.server.conftest import seeded_db  # noqa: F401 - the seeded database fixture

TZ = "Asia/Beirut"
PHONE = "+9613123456"


def local_ts(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(TZ)).timestamp()


class Clock:
    def __init__(self, local: str = "2026-11-23 10:00") -> None:
        self.t = local_ts(local)

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class SmsEnv:
    ctx: Context
    clock: Clock
    settings: SmsSettings
    folder: Path

    def queue(self, kind: str = "called", phone: str = PHONE, **params: Any) -> int | None:
        values = {"center": "Demo", "number": "A-042", "counter": 3, **params}
        with self.ctx.db.write() as tx:
            return outbox.queue_message(tx, kind, phone, "en", values, self.clock())

    def consent(self, phone: str = PHONE, lang: str = "en") -> None:
        with self.ctx.db.write() as tx:
            outbox.record_consent(tx, phone, self.clock(), "clerk1", lang, self.clock() + 86_400)

    def sender(self, transport: Transport | None = None) -> Sender:
        transport = transport or FolderModem(self.folder)
        return Sender(self.ctx, self.settings, transport, sender_lock_path(self.ctx.db.path))

    def row(self, message_id: int) -> dict[str, Any]:
        found = outbox.message(self.ctx.db.read(), message_id)
        assert found is not None
        return found


def make_sms_env(folder: Path, **sms: Any) -> Iterator[SmsEnv]:
    clock = Clock()
    options = {"mode": "folder", "folder": folder / "sms", "retry_after_s": 10, **sms}
    settings = ServerSettings(db=folder / "nafitha.db", sms=options, ignore_hours=True)
    ctx = open_context(settings, clock=clock)
    assert settings.sms is not None
    try:
        yield SmsEnv(ctx, clock, settings.sms, folder / "sms")
    finally:
        ctx.db.close()


@pytest.fixture
def sms_env(tmp_path: Path) -> Iterator[SmsEnv]:
    yield from make_sms_env(tmp_path)
