"""The durable outbox of text messages, the citizens' consent, and the inbound messages (m029).

``queue_message`` is called by a use case inside its own ``ctx.db.write()`` transaction, beside
the event that causes the message: both commit, or neither. Only a number whose consent is
recorded and not stopped gets a message (a reply to a citizen who texted us needs none).

A row's life: ``queued`` → ``sending`` (claimed, committed, before the modem is called) → the
modem's reference of each part recorded as it returns → ``sent`` → ``delivered`` (the network's
reports for every part) | ``failed`` (given up, expired, stopped, or interrupted by a crash). A
failed try puts it back to ``queued`` with ``next_try_at`` later, until ``max_tries``. A message
may wait for a time (``not_before``: an appointment's reminder at 07:00 on its day) and be
``withdrawn`` before it goes (``withdraw``: the booking was cancelled); withdrawn is neither sent
nor failed (m031).

Kinds: the catalog's ``sms.msg_<kind>`` is the text. Every kind but the replies is a notice (it
needs consent, waits out quiet hours, fails on STOP): a new notice needs only its catalog entry.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlite_utils

from nafitha.text import catalogs, normalize_lang, t
from server.domain.errors import Refusal
from server.sms.text import TooLong, encoding_for, split_text

# What a message is about: the catalog's ``sms.msg_<kind>`` text. Replies answer a citizen who
# texted the center: they need no recorded consent and are sent even in quiet hours. NOTICES are
# the ones this module's authors knew; any other kind with a catalog text is a notice as well.
NOTICES = (
    "turn_near",
    "called",
    "file_ready",
    "documents_missing",
    "appointment",
)
REPLIES = ("track_stage", "track_unknown", "track_mistyped", "track_help", "stopped")
KINDS = NOTICES + REPLIES
FINAL = ("sent", "delivered", "failed", "withdrawn")
DEFAULT_MAX_PARTS = 4
log = logging.getLogger("nafitha.sms")

_COLUMNS = (
    "id, created_at, kind, phone, lang, body, encoding, parts, ticket_id, file_reference, state,"
    " tries, next_try_at, expires_at, claimed_at, sent_at, delivered_at, failed_at, parts_sent,"
    " delivered_parts, modem_refs, error, not_before, about, withdrawn_at"
)


def _row(cursor_row: tuple[Any, ...] | None) -> dict[str, Any] | None:
    if cursor_row is None:
        return None
    row = dict(zip([c.strip() for c in _COLUMNS.split(",")], cursor_row, strict=True))
    row["modem_refs"] = json.loads(row["modem_refs"])
    return row


def render(kind: str, lang: str, params: dict[str, Any]) -> str:
    """The message's text from the catalog; a bilingual parameter gives its own language."""
    if not is_kind(kind):
        raise ValueError(f"unknown message kind {kind!r}: no sms.msg_{kind} in the catalogs")
    lang = normalize_lang(lang)
    values = {k: v.get(lang, "") if isinstance(v, dict) else v for k, v in params.items()}
    return t(f"sms.msg_{kind}", lang, **values)


def is_kind(kind: str) -> bool:
    """Whether ``kind`` is a message kind: the catalogs hold its text ``sms.msg_<kind>``."""
    return kind in KINDS or f"sms.msg_{kind}" in catalogs()


def is_notice(kind: str) -> bool:
    """A notice (not a reply to the citizen's own message) needs consent and waits out quiet
    hours."""
    return kind not in REPLIES


def may_message(db: sqlite_utils.Database, phone: str) -> bool:
    """Whether ``phone`` gave consent and has not texted STOP since."""
    row = db.execute("SELECT stopped_at FROM sms_consent WHERE phone = ?", [phone]).fetchone()
    return row is not None and row[0] is None


def queue_message(
    tx: sqlite_utils.Database,
    kind: str,
    phone: str,
    lang: str,
    params: dict[str, Any],
    now: float,
    ticket_id: int | None = None,
    file_reference: str | None = None,
    *,
    max_parts: int = DEFAULT_MAX_PARTS,
    expires_at: float | None = None,
    not_before: float | None = None,
    about: str | None = None,
    refuse_too_long: bool = False,
) -> int | None:
    """Queue one message to ``phone`` (E.164) inside the caller's transaction: its id, or None.

    None when the number has no consent or said STOP (a notice is then simply not sent). A text
    needing more than ``max_parts`` parts is never sent: it is recorded ``failed`` with
    ``error = "too_long: N parts, M allowed"`` (the dashboard counts it given up, the log says
    so) and the caller's move goes on: a message must never block the call or the move that
    causes it. With ``refuse_too_long`` it is refused instead (``sms_too_long``, the caller's
    transaction rolls back): for a caller that shortens its text and tries again.
    ``not_before``: never sent before that time (its first try is then). ``about``: what the
    message is about (``"booking:<code>"``, ``"complaint:<reference>"``, ``"place:<id>"``), so
    ``withdraw`` can take it back while it waits.
    """
    if is_notice(kind) and not may_message(tx, phone):
        return None
    lang = normalize_lang(lang)
    body = render(kind, lang, params)
    try:
        parts = split_text(body, max_parts)
    except TooLong as exc:
        if refuse_too_long:
            raise Refusal("sms_too_long", parts=exc.parts, allowed=exc.allowed) from None
        return _too_long(tx, kind, phone, lang, body, now, ticket_id, file_reference, about, exc)
    cursor = tx.execute(
        "INSERT INTO sms_outbox (created_at, kind, phone, lang, body, encoding, parts, ticket_id,"
        " file_reference, next_try_at, expires_at, not_before, about)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now,
            kind,
            phone,
            lang,
            body,
            parts.encoding,
            parts.count,
            ticket_id,
            file_reference,
            now if not_before is None else max(now, not_before),
            expires_at,
            not_before,
            about,
        ],
    )
    return int(cursor.lastrowid)


def _too_long(
    tx: sqlite_utils.Database,
    kind: str,
    phone: str,
    lang: str,
    body: str,
    now: float,
    ticket_id: int | None,
    file_reference: str | None,
    about: str | None,
    exc: TooLong,
) -> int:
    """A message past the parts limit, kept as ``failed`` (never sent) so it shows and counts."""
    error = f"too_long: {exc.parts} parts, {exc.allowed} allowed"
    log.warning("sms %s to a number not queued: %s", kind, error)
    cursor = tx.execute(
        "INSERT INTO sms_outbox (created_at, kind, phone, lang, body, encoding, parts, ticket_id,"
        " file_reference, next_try_at, state, failed_at, error, about)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?)",
        [
            now, kind, phone, lang, body, encoding_for(body), exc.parts, ticket_id,
            file_reference, now, now, error, about,
        ],
    )  # fmt: skip
    return int(cursor.lastrowid)


def withdraw(tx: sqlite_utils.Database, about: str, now: float) -> int:
    """Take back the messages about ``about`` that still wait (``queued``): never sent, counted
    neither sent nor failed. How many. One already handed to the modem (``sending``) or sent
    cannot be taken back."""
    return tx.execute(
        "UPDATE sms_outbox SET state = 'withdrawn', withdrawn_at = ? WHERE about = ?"
        " AND state = 'queued'",
        [now, about],
    ).rowcount


def message(db: sqlite_utils.Database, message_id: int) -> dict[str, Any] | None:
    return _row(
        db.execute(f"SELECT {_COLUMNS} FROM sms_outbox WHERE id = ?", [message_id]).fetchone()
    )


def messages(
    db: sqlite_utils.Database, state: str | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """Messages oldest first (of one state when given)."""
    where, args = ("WHERE state = ?", [state]) if state else ("", [])
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sms_outbox {where} ORDER BY id LIMIT ?", [*args, limit]
    ).fetchall()
    return [r for r in map(_row, rows) if r is not None]


def consent_lang(db: sqlite_utils.Database, phone: str) -> str | None:
    """The language the citizen chose when agreeing, if they did."""
    row = db.execute("SELECT lang FROM sms_consent WHERE phone = ?", [phone]).fetchone()
    return row[0] if row else None


# -- consent ----------------------------------------------------------------------------------
def record_consent(
    tx: sqlite_utils.Database, phone: str, now: float, by: str, lang: str, purge_after: float
) -> None:
    """``phone`` agreed to messages (again, after a STOP): until ``purge_after`` at least."""
    tx.execute(
        "INSERT INTO sms_consent (phone, given_at, given_by, lang, purge_after)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (phone) DO UPDATE SET given_at = excluded.given_at,"
        " given_by = excluded.given_by, lang = excluded.lang, stopped_at = NULL, purge_after ="
        " max(purge_after, excluded.purge_after)",
        [phone, now, by, normalize_lang(lang), purge_after],
    )


def stop_number(tx: sqlite_utils.Database, phone: str, now: float, purge_after: float) -> int:
    """STOP: no more notices to ``phone``; its queued notices fail as ``stopped``. How many."""
    tx.execute(
        "INSERT INTO sms_consent (phone, given_at, given_by, lang, purge_after, stopped_at)"
        " VALUES (?, ?, 'sms', 'ar', ?, ?) ON CONFLICT (phone) DO UPDATE SET stopped_at ="
        " excluded.stopped_at",
        [phone, now, purge_after, now],
    )
    marks = ",".join("?" * len(REPLIES))
    return tx.execute(
        f"UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = 'stopped' WHERE phone = ?"
        f" AND state = 'queued' AND kind NOT IN ({marks})",
        [now, phone, *REPLIES],
    ).rowcount


def purge(tx: sqlite_utils.Database, now: float, before: float) -> dict[str, int]:
    """Forget numbers: consent past its ``purge_after``; the number and text of finished
    messages and inbound messages older than ``before`` (the counts stay for the figures)."""
    consent = tx.execute("DELETE FROM sms_consent WHERE purge_after <= ?", [now]).rowcount
    marks = ",".join("?" * len(FINAL))
    outbox = tx.execute(
        f"UPDATE sms_outbox SET phone = '', body = '' WHERE created_at < ? AND phone != ''"
        f" AND state IN ({marks})",
        [before, *FINAL],
    ).rowcount
    inbound = tx.execute(
        "UPDATE sms_inbound SET phone = '', body = '' WHERE received_at < ? AND phone != ''",
        [before],
    ).rowcount
    return {"consent": consent, "outbox": outbox, "inbound": inbound}


# -- the sender's steps -----------------------------------------------------------------------
def expire(tx: sqlite_utils.Database, now: float) -> int:
    """Queued messages past their ``expires_at`` (a "your turn is near" hours late) fail."""
    return tx.execute(
        "UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = 'expired'"
        " WHERE state = 'queued' AND expires_at IS NOT NULL AND expires_at <= ?",
        [now, now],
    ).rowcount


def claim_due(
    tx: sqlite_utils.Database, now: float, quiet: bool, per_hour: int
) -> dict[str, Any] | None:
    """Claim the oldest due message (``sending``, one more try) or None.

    Skipped: a message before its ``not_before``, a number that already had ``per_hour``
    messages claimed in the last hour (it waits its turn, the others go on), and in quiet hours
    everything but replies. Notices go before replies (a flood of citizens' messages must not
    hold back "you are called"); each in the order they became due.
    """
    marks = ",".join("?" * len(REPLIES))
    only_replies = f"AND o.kind IN ({marks})" if quiet else ""
    row = tx.execute(
        f"SELECT o.id FROM sms_outbox o WHERE o.state = 'queued' AND o.next_try_at <= ?"
        f" AND (o.not_before IS NULL OR o.not_before <= ?) {only_replies}"
        f" AND (SELECT count(*) FROM sms_outbox p WHERE p.phone = o.phone AND p.claimed_at > ?"
        f" AND p.id != o.id) < ? ORDER BY o.kind IN ({marks}), o.next_try_at, o.id LIMIT 1",
        [now, now, *(REPLIES if quiet else ()), now - 3600.0, per_hour, *REPLIES],
    ).fetchone()
    if row is None:
        return None
    claimed = tx.execute(
        "UPDATE sms_outbox SET state = 'sending', claimed_at = ?, tries = tries + 1, error = NULL"
        " WHERE id = ? AND state = 'queued'",
        [now, row[0]],
    ).rowcount
    return message(tx, row[0]) if claimed else None


def record_part(tx: sqlite_utils.Database, message_id: int, reference: str) -> None:
    """The modem accepted one more part of the message and gave ``reference`` for it."""
    tx.execute(
        "UPDATE sms_outbox SET parts_sent = parts_sent + 1, modem_refs = json_insert(modem_refs,"
        " '$[#]', ?) WHERE id = ? AND state = 'sending'",
        [reference, message_id],
    )


def mark_sent(tx: sqlite_utils.Database, message_id: int, now: float) -> None:
    tx.execute(
        "UPDATE sms_outbox SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'sending'",
        [now, message_id],
    )


def retry_or_fail(
    tx: sqlite_utils.Database, message_id: int, now: float, error: str, next_try_at: float | None
) -> str:
    """A failed try: back to ``queued`` at ``next_try_at``, or ``failed`` when None. The state."""
    if next_try_at is None:
        tx.execute(
            "UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = ? WHERE id = ?",
            [now, error, message_id],
        )
        return "failed"
    tx.execute(
        "UPDATE sms_outbox SET state = 'queued', next_try_at = ?, error = ? WHERE id = ?",
        [next_try_at, error, message_id],
    )
    return "queued"


def interrupted(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Messages left ``sending`` by a process that stopped in the middle (a crash, a kill)."""
    return messages(db, "sending")


def fail_interrupted(tx: sqlite_utils.Database, message_id: int, now: float) -> None:
    """An interrupted message whose modem may or may not have sent it: never sent again."""
    tx.execute(
        "UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = 'interrupted'"
        " WHERE id = ? AND state = 'sending'",
        [now, message_id],
    )


def record_delivery(
    tx: sqlite_utils.Database, reference: str, now: float, since: float
) -> int | None:
    """A delivery report for the part the modem numbered ``reference`` (sent after ``since``;
    a modem's references wrap at 256): the message's id, ``delivered`` once every part is."""
    row = tx.execute(
        "SELECT id FROM sms_outbox WHERE state = 'sent' AND sent_at >= ? AND EXISTS (SELECT 1"
        " FROM json_each(modem_refs) WHERE value = ?) ORDER BY sent_at DESC, id DESC LIMIT 1",
        [since, reference],
    ).fetchone()
    if row is None:
        return None
    tx.execute(
        "UPDATE sms_outbox SET delivered_parts = delivered_parts + 1, state = CASE WHEN"
        " delivered_parts + 1 >= parts THEN 'delivered' ELSE state END, delivered_at = CASE WHEN"
        " delivered_parts + 1 >= parts THEN ? ELSE delivered_at END WHERE id = ?",
        [now, row[0]],
    )
    return int(row[0])


def counts(db: sqlite_utils.Database, since: float) -> dict[str, int]:
    """Messages created since ``since`` by state (the dashboard's and the benchmark's figures)."""
    rows = db.execute(
        "SELECT state, count(*) FROM sms_outbox WHERE created_at >= ? GROUP BY state", [since]
    ).fetchall()
    return {state: n for state, n in rows}


def given_up_count(db: sqlite_utils.Database, since: float) -> int:
    return db.execute(
        "SELECT count(*) FROM sms_outbox WHERE state = 'failed' AND error NOT IN ('stopped',"
        " 'expired') AND failed_at >= ?",
        [since],
    ).fetchone()[0]


# -- inbound ----------------------------------------------------------------------------------
def record_inbound(
    tx: sqlite_utils.Database, now: float, phone: str, body: str, outcome: str
) -> int:
    cursor = tx.execute(
        "INSERT INTO sms_inbound (received_at, phone, body, outcome) VALUES (?, ?, ?, ?)",
        [now, phone, body[:500], outcome],
    )
    return int(cursor.lastrowid)


def replies_count(db: sqlite_utils.Database, since: float) -> int:
    """Replies queued for citizens' messages since ``since`` (the center's reply budget)."""
    marks = ",".join("?" * len(REPLIES))
    return db.execute(
        f"SELECT count(*) FROM sms_outbox WHERE created_at >= ? AND kind IN ({marks})",
        [since, *REPLIES],
    ).fetchone()[0]


def inbound_count(db: sqlite_utils.Database, phone: str, since: float) -> int:
    """Messages received from ``phone`` since ``since`` (the inbound rate limit)."""
    return db.execute(
        "SELECT count(*) FROM sms_inbound WHERE phone = ? AND received_at >= ?", [phone, since]
    ).fetchone()[0]
