"""Signing the chain head, off the hot path, and exporting what was signed outside the database.

A signature is taken in the background (:class:`HeadSigner`, a thread of each server process)
after every ``audit_sign_events`` new events, ``audit_sign_s`` seconds after the last one if
anything was written meanwhile, at shutdown, and on demand (``POST /api/v1/audit/heads``,
``nafitha audit sign``). The head is read and signed outside any transaction; the signature then
goes into the log as one small ``chain_signed`` event of its own transaction (so the national hub
receives it in order with the events), and after the commit it is appended to the heads file
(``audit_heads``). Several worker processes may race to sign: the one whose write finds no newer
signature wins, the others drop theirs.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from nafitha.chain import SignedHead, public_key_text, sign_head, verify_head
from server.domain.roles import Can, require
from server.store import events as store
from server.usecases.audit_keys import AuditKeys, heads_file
from server.usecases.context import Actor, Context

log = logging.getLogger("nafitha.audit")

SYSTEM_ACTOR = "system"


def keys_of(ctx: Context) -> AuditKeys:
    """The context's keys (``open_context`` always loads them)."""
    if ctx.audit is None:
        raise RuntimeError("the audit keys were not loaded (server.app.open_context loads them)")
    return ctx.audit


def sign_now(ctx: Context) -> tuple[int, SignedHead] | None:
    """Sign the current head if anything was written since the last signature: the id of the
    ``chain_signed`` event and the signed head, or None when there was nothing new (or another
    process signed meanwhile)."""
    keys = keys_of(ctx)
    head = store.unsigned_head(ctx.db.read())
    if head is None:
        return None
    signed = sign_head(keys.signing, head, round(ctx.now(), 3))
    with ctx.db.write() as tx:
        if store.signed_since(tx, head.seq):
            return None
        event = store.append_event(
            tx, store.SIGNED_KIND, at=signed.at, actor=SYSTEM_ACTOR, data=signed.to_json()
        )
    try:
        export_heads(heads_file(ctx.settings), [signed])
    except OSError:  # the signature is in the log; the next start adds it to the file
        log.exception("appending the signed head %d to the heads file failed", signed.seq)
    return event.id, signed


def export_heads(path: Path, heads: list[SignedHead]) -> None:
    """Append ``heads`` to the heads file, one JSON line each, under a lock shared by processes.

    A head already in the file (same seq) is not written twice. Each line is one ``write`` on a
    file opened for appending, fsynced: a reader never sees half a line of a finished write.
    """
    if not heads:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        last = _last_seq(fd)
        lines = [
            json.dumps(h.to_json(), sort_keys=True) + "\n"
            for h in sorted(heads, key=lambda h: h.seq)
            if h.seq > last
        ]
        if lines:
            os.write(fd, "".join(lines).encode())
            os.fsync(fd)
    finally:
        os.close(fd)


def _last_seq(fd: int) -> int:
    """The seq of the file's last complete line (0 when empty or unreadable)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    tail = os.pread(fd, min(size, 4096), max(0, size - 4096)).decode(errors="replace")
    for line in reversed(tail.splitlines()):
        try:
            return int(json.loads(line)["seq"])
        except (ValueError, KeyError, TypeError):
            continue
    return 0


def read_heads_file(path: Path) -> list[tuple[int, SignedHead | None, str]]:
    """(line number, signed head or None when the line is not one, the line) of a heads file."""
    found: list[tuple[int, SignedHead | None, str]] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                found.append((number, SignedHead.from_json(json.loads(line)), line.strip()))
            except ValueError:
                found.append((number, None, line.strip()))
    return found


def export_missing(ctx: Context) -> int:
    """Append to the heads file the signed heads of the log it lacks (a crash between the commit
    and the file write); only heads whose signature checks are exported. How many were added."""
    keys = keys_of(ctx)
    path = heads_file(ctx.settings)
    last = 0
    if path.exists():
        fd = os.open(path, os.O_RDONLY)
        try:
            last = _last_seq(fd)
        finally:
            os.close(fd)
    missing = [
        head
        for _, head in store.signed_heads(ctx.db.read(), limit=100)
        if head is not None and head.seq > last and verify_head(keys.public, head)
    ]
    export_heads(path, missing)
    return len(missing)


def list_heads(ctx: Context, actor: Actor, limit: int = 50) -> dict[str, Any]:
    """The newest signed heads, the current head and the public key (auditors, managers)."""
    require(actor, Can.READ_CHAIN_HEADS)
    keys = keys_of(ctx)
    db = ctx.db.read()
    head = store.chain_head(db)
    return {
        "public_key": public_key_text(keys.public),
        "key": keys.key_id,
        "head": {"seq": head.seq, "hash": head.hash} if head else None,
        "heads_file": str(heads_file(ctx.settings)),
        "heads": [h.to_json() for _, h in store.signed_heads(db, limit) if h is not None],
    }


def sign_on_demand(ctx: Context, actor: Actor) -> dict[str, Any]:
    """Sign the head now (an auditor about to write it down); the newest signed head."""
    require(actor, Can.READ_CHAIN_HEADS)
    done = sign_now(ctx)
    if done is None:
        last = store.last_signed(ctx.db.read())
        return {"signed": False, "head": last[1].to_json() if last and last[1] else None}
    return {"signed": True, "head": done[1].to_json()}


class HeadSigner:
    """A background thread signing the head every ``every_events`` events or ``every_s``
    seconds (if anything was written), and once more when stopped.

    Each poll reads only the newest event's id; the id of the last signature is kept in memory
    (re-read from the log when another process may have signed).
    """

    def __init__(self, ctx: Context, every_events: int, every_s: float) -> None:
        self.ctx = ctx
        self.every_events = every_events
        self.every_s = every_s
        self.poll_s = min(1.0, every_s)
        self._signed_id = 0  # the id of the newest chain_signed event known
        self._last_time = time.monotonic()  # when the last signature was taken or learnt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chain-signer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, then sign what was written since the last signature."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._sign("at shutdown")

    def _sign(self, why: str) -> None:
        try:
            done = sign_now(self.ctx)
            if done is None:  # nothing new, or another process signed: learn its signature
                last = store.last_signed(self.ctx.db.read())
                self._signed_id = max(self._signed_id, last[0] if last else 0)
                return
        except Exception:
            log.exception("signing the chain head (%s) failed", why)
            return
        self._signed_id = done[0]
        log.info("signed the chain head %d (%s)", done[1].seq, why)

    def _signed_elsewhere(self) -> bool:
        """Whether a signature newer than the one known was written (by another process);
        if so it becomes the one known."""
        db = self.ctx.db.read()
        if not store.signed_since(db, self._signed_id):
            return False
        last = store.last_signed(db)
        self._signed_id = max(self._signed_id, last[0] if last else 0)
        return True

    def _run(self) -> None:
        try:
            export_missing(self.ctx)
            last = store.last_signed(self.ctx.db.read())
            self._signed_id = last[0] if last else 0
        except Exception:
            log.exception("reading the signed heads failed")
        self._last_time = time.monotonic()
        while not self._stop.wait(self.poll_s):
            try:
                self._tick()
            except Exception:  # a database error must not end the thread: try again next poll
                log.exception("checking the chain head failed")

    def _tick(self) -> None:
        """One poll: sign when N events or M seconds (with something written) have passed."""
        head = store.chain_head(self.ctx.db.read())
        since = (head.seq if head else 0) - self._signed_id
        waited = time.monotonic() - self._last_time
        if since <= 0:
            self._last_time = time.monotonic()
            return
        if since < self.every_events and waited < self.every_s:
            return
        if self._signed_elsewhere():  # another worker process signed: count from its signature
            self._last_time = time.monotonic()
            return
        self._sign(f"{since} events" if since >= self.every_events else f"{waited:.0f} s")
        self._last_time = time.monotonic()
