"""The sender: a thread of ``nafitha server`` that empties the outbox into the modem (docs/sms.md).

Started when the settings have an ``[sms]`` table; one per database (a lock file beside it, the
first process wins, the others stand by), like the national relay. Requests never wait on it: a
use case only writes a row (``server.store.outbox.queue_message``) and the sender finds it within
``poll_s``. Each loop: check the modem's health every ``health_s`` (faults raise an alert per kind
and clear it once gone; while faulty nothing is claimed, so nothing is lost); hand over what
arrived (citizens' messages, delivery reports); expire stale notices; claim one due message and
send it.

Crash rule (nothing sent twice): a message is committed ``sending`` before the modem is called and
each part's modem reference is committed as the modem returns it. At start, a message still
``sending`` was interrupted: if the transport can tell whether it got it (the folder modem: the
file is there or not) it is marked sent or queued again; a real modem cannot tell, so the message
becomes ``failed`` with ``interrupted`` and is never sent again. The same holds for a modem that
stops answering in the middle of a part (a timeout after the PDU was written).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nafitha.text import both
from server.config import SmsSettings
from server.process_lock import try_lock
from server.sms.schedule import in_quiet_hours, next_try
from server.sms.transport import (
    DeliveryReport,
    FolderModem,
    ModemError,
    Outgoing,
    Received,
    Transport,
    Unavailable,
)
from server.store import outbox, ticket_phones
from server.usecases.alerts import sync_system_alert
from server.usecases.catalog import load_catalog
from server.usecases.context import Context
from server.usecases.sms import handle_inbound

log = logging.getLogger("nafitha.sms")

FAULTS = ("absent", "no_network", "rejected")
LOCK_RETRY_S = 5.0
PURGE_EVERY_S = 3600.0
RECEIVE_EVERY_S = 2.0  # how often the modem is asked for messages and delivery reports
# A modem call still running after this long raises the "absent" alert at once: a hung modem
# makes Gammu retry each command for about 45 s, and the staff must know within seconds.
STUCK_S = 8.0
DELIVERY_WINDOW_S = 3 * 86_400.0  # a delivery report older than this matches nothing
GIVEN_UP = "sms_given_up"


def alert_kind(fault: str) -> str:
    return f"sms_modem_{fault}"


def make_transport(settings: SmsSettings, db_path: Path) -> Transport:
    """The configured transport: the folder modem, or a real modem through Gammu."""
    if settings.mode == "folder":
        return FolderModem(sms_folder(settings, db_path))
    try:
        from server.sms.gammu_modem import GammuModem  # imports gammu only when used
    except ImportError as exc:  # the server runs on; the staff see why nothing is sent
        log.error("sms: python-gammu is missing (%s): pip install -e '.[sms]'", exc)
        return Unavailable(f"python-gammu is not installed ({exc}): pip install -e '.[sms]'")
    return GammuModem(settings.device, settings.connection)


def sms_folder(settings: SmsSettings, db_path: Path) -> Path:
    return Path(settings.folder) if settings.folder else Path(db_path).parent / "sms"


def _both(key: str, **params: Any) -> str:
    """An alert's message as the dashboard splits it: "English / Arabic"."""
    text = both(key, **params)
    return f"{text['en']} / {text['ar']}"


def _outgoing(row: dict[str, Any]) -> Outgoing:
    return Outgoing(
        row["id"], row["phone"], row["body"], row["encoding"], row["parts"], row["parts_sent"]
    )


class Sender:
    """The sender thread of one server process."""

    def __init__(
        self,
        ctx: Context,
        settings: SmsSettings,
        transport: Transport,
        lock_path: Path,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.transport = transport
        self.lock_path = lock_path
        self.on_sent = on_sent
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock_fd: int | None = None
        self._faults: dict[str, bool] = {}
        self._healthy = False
        self._resolved = False
        self._next_health = 0.0
        self._next_purge = 0.0
        self._next_receive = 0.0
        self._next_expire = 0.0
        self._state: dict[str, Any] = {"state": "starting", "fault": None, "sent": 0}
        self._state_lock = threading.Lock()
        self._busy_since: float | None = None  # time.monotonic() when a modem call began
        self._report_lock = threading.RLock()
        self._thread = threading.Thread(target=self._run, name="sms-sender", daemon=True)
        self._watchdog = threading.Thread(target=self._watch, name="sms-watchdog", daemon=True)

    # -- control ------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()
        self._watchdog.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the loop; a thread stuck in a hung modem is left behind (a daemon), never waited
        on for more than ``timeout``: its own ``finally`` closes the modem when it returns."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._watchdog.is_alive():
            self._watchdog.join(timeout)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        self._set(state="stopped")

    def wake(self) -> None:
        """Look at the outbox now (a message was just queued)."""
        self._wake.set()

    def status(self) -> dict[str, Any]:
        with self._state_lock:
            return dict(self._state)

    def _set(self, **values: Any) -> None:
        with self._state_lock:
            self._state.update(values)

    def _take_lock(self) -> bool:
        self._lock_fd = try_lock(self.lock_path)
        return self._lock_fd is not None

    @contextlib.contextmanager
    def _modem_call(self) -> Iterator[None]:
        """Mark a call into the modem, so the watchdog sees one that hangs."""
        self._busy_since = time.monotonic()
        try:
            yield
        finally:
            self._busy_since = None

    def _watch(self) -> None:
        """Raise "absent" while a modem call has run longer than ``STUCK_S``."""
        while not self._stop.wait(1.0):
            began = self._busy_since
            if began is None or time.monotonic() - began < STUCK_S:
                continue
            with self._report_lock:
                if self._faults.get("absent"):
                    continue
                waited = time.monotonic() - began
                with contextlib.suppress(Exception):  # the database closing under a stop
                    self._report(ModemError("absent", f"no answer for {waited:.0f} s"))

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    # -- the loop -----------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set() and not self._take_lock():
            self._set(state="standby")  # another process of this database sends
            self._pause(LOCK_RETRY_S)
        try:
            while not self._stop.is_set():
                try:
                    busy = self.step()
                except Exception:
                    if self._stop.is_set():
                        return
                    log.exception("the SMS sender's step failed")
                    busy = False
                if not busy:
                    self._pause(self.settings.poll_s)
        finally:
            with contextlib.suppress(Exception):
                self.transport.close()

    def step(self) -> bool:
        """One turn of the loop; True when it sent something (look again at once)."""
        now = self.ctx.now()
        if now >= self._next_health:
            self._check_health(now)
            if self._healthy and not self._resolved:
                self.resolve_interrupted()  # before the first claim of this process
                self._resolved = True
        if not self._healthy or not self._resolved:
            return False
        if now >= self._next_receive:  # a modem is asked every few seconds, not every turn
            self._next_receive = now + RECEIVE_EVERY_S
            self._take_in()
        if now >= self._next_purge:
            self.purge()
        if now >= self._next_expire:
            self._next_expire = now + 1.0
            with self.ctx.db.write() as tx:
                outbox.expire(tx, now)
        return self._send_one()

    def _check_health(self, now: float) -> None:
        fault: ModemError | None = None
        try:
            with self._modem_call():
                self.transport.health()  # connects first when it is not connected
        except ModemError as exc:
            fault = exc
        self._healthy = fault is None
        # Healthy: look again in health_s; faulty: every second, so recovery is seen at once.
        self._next_health = now + (self.settings.health_s if fault is None else 1.0)
        self._report(fault)

    def _report(self, fault: ModemError | None) -> None:
        """Raise the alert of the fault's kind (once), clear the others'."""
        with self._report_lock:
            self._report_locked(fault)

    def _report_locked(self, fault: ModemError | None) -> None:
        for kind in FAULTS:
            active = fault is not None and fault.kind == kind
            if self._faults.get(kind) == active:
                continue
            message = _both(f"sms.alert_{kind}", detail=fault.detail if fault else "")
            if sync_system_alert(self.ctx, alert_kind(kind), active, message):
                log.warning(
                    "sms alert %s: %s", alert_kind(kind), "raised" if active else "resolved"
                )
            self._faults[kind] = active
        state = "connected" if fault is None else f"fault:{fault.kind}"
        self._set(state=state, fault=fault.detail if fault else None)

    def resolve_interrupted(self) -> int:
        """Messages left ``sending`` by a crash: sent, queued again, or failed (the crash rule)."""
        now = self.ctx.now()
        rows = outbox.interrupted(self.ctx.db.read())
        for row in rows:
            complete = row["parts_sent"] >= row["parts"]  # died between the last part and "sent"
            known = True if complete else self.transport.was_sent(_outgoing(row))
            with self.ctx.db.write() as tx:
                if known is True:
                    for index in range(row["parts_sent"], row["parts"]):
                        outbox.record_part(tx, row["id"], f"{row['id']}.{index + 1}")
                    outbox.mark_sent(tx, row["id"], now)
                elif known is False:
                    outbox.retry_or_fail(tx, row["id"], now, "interrupted", now)
                else:
                    outbox.fail_interrupted(tx, row["id"], now)
            log.warning("sms %d was interrupted while sending: %s", row["id"], known)
        return len(rows)

    def _take_in(self) -> None:
        try:
            with self._modem_call():
                found = self.transport.receive()
        except ModemError as exc:
            self._healthy = False
            self._report(exc)
            return
        for item in found:
            if isinstance(item, DeliveryReport):
                now = self.ctx.now()
                with self.ctx.db.write() as tx:
                    if item.delivered:
                        outbox.record_delivery(tx, item.reference, now, now - DELIVERY_WINDOW_S)
            elif isinstance(item, Received):
                try:
                    outcome = handle_inbound(self.ctx, item.phone, item.text)
                except Exception:  # one message must not stop the others, nor the sending
                    log.exception("sms: a received message could not be handled")
                    continue
                log.info("sms received: %s", outcome)

    def purge(self) -> dict[str, int]:
        now = self.ctx.now()
        self._next_purge = now + PURGE_EVERY_S
        with self.ctx.db.write() as tx:
            before = now - self.settings.purge_days * 86_400.0
            done = outbox.purge(tx, now, before)
            done["ticket_phones"] = ticket_phones.purge(tx, before)  # a ticket's number (m030)
        if any(done.values()):
            log.info("sms purge: %s", done)
        return done

    def _send_one(self) -> bool:
        now = self.ctx.now()
        zone = load_catalog(self.ctx).center.timezone
        quiet = in_quiet_hours(self.settings, now, zone)
        with self.ctx.db.write() as tx:
            row = outbox.claim_due(tx, now, quiet, self.settings.per_number_per_hour)
        if row is None:
            return False
        message = _outgoing(row)
        recorded = [message.parts_sent]

        def on_part(reference: str) -> None:
            recorded[0] += 1
            with self.ctx.db.write() as tx:  # the last part's reference and "sent": one commit
                outbox.record_part(tx, message.id, reference)
                if recorded[0] >= message.parts:
                    outbox.mark_sent(tx, message.id, self.ctx.now())

        try:
            with self._modem_call():
                self.transport.send(message, on_part)
        except ModemError as exc:
            self._failed(row, exc)
            return False
        if recorded[0] < message.parts:  # a transport that gave fewer references than parts
            with self.ctx.db.write() as tx:
                outbox.mark_sent(tx, message.id, self.ctx.now())
        self._next_health = self.ctx.now() + self.settings.health_s  # a send proves the modem
        if any(self._faults.values()):  # the modem (or the SMS center) works again
            self._report(None)
        self._set(sent=self.status()["sent"] + 1)
        if self.on_sent is not None:
            self.on_sent(message.id)
        return True

    def _failed(self, row: dict[str, Any], exc: ModemError) -> None:
        now = self.ctx.now()
        if exc.ambiguous:  # the modem may have sent it: never again (the crash rule)
            with self.ctx.db.write() as tx:
                outbox.fail_interrupted(tx, row["id"], now)
            state = "failed"
        else:
            retry = next_try(self.settings, row["tries"], now)
            with self.ctx.db.write() as tx:
                state = outbox.retry_or_fail(tx, row["id"], now, exc.detail[:300], retry)
        if state == "failed":
            self._given_up()
        if exc.kind in ("absent", "no_network") or exc.ambiguous:
            self._healthy = False
            self._next_health = now + 1.0
        self._report(exc)

    def _given_up(self) -> None:
        since = self.ctx.now() - 86_400.0
        count = outbox.given_up_count(self.ctx.db.read(), since)
        if count:
            sync_system_alert(self.ctx, GIVEN_UP, True, _both("sms.alert_given_up", count=count))


def sender_lock_path(db: Path) -> Path:
    """The lock file that makes one process per database the sender."""
    return Path(db).with_name(Path(db).name + ".sms.lock")


def start_sender(ctx: Context, settings: SmsSettings) -> Sender:
    """The sender for ``ctx``'s database, started."""
    sender = Sender(
        ctx, settings, make_transport(settings, ctx.db.path), sender_lock_path(ctx.db.path)
    )
    sender.start()
    return sender


__all__ = [
    "Sender",
    "alert_kind",
    "in_quiet_hours",
    "make_transport",
    "next_try",
    "sender_lock_path",
    "sms_folder",
    "start_sender",
]
