"""The public tracking's token buckets in PostgreSQL, shared by every hub HTTP worker process.

One short transaction per lookup: make the client's row if new, lock it, apply the pure rule
(:func:`nafitha.rate_limit.take_token`), write it back. Two workers counting the same client
serialize on the row lock, so a burst split across workers is counted once. Quiet rows (full
buckets) are deleted now and then, so the table stays small.
"""

from __future__ import annotations

import psycopg

from nafitha.rate_limit import take_token

FORGET_AFTER_S = 3600.0


def take(conn: psycopg.Connection, client: str, now: float, per_minute: float, burst: float) -> int:
    """Count one lookup by ``client``: 0 when allowed, else the whole seconds to wait."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO portal_rate_limits (client, tokens, updated) VALUES (%s, %s, %s)"
            " ON CONFLICT (client) DO NOTHING",
            [client, float(burst), now],
        )
        tokens, updated = conn.execute(
            "SELECT tokens, updated FROM portal_rate_limits WHERE client = %s FOR UPDATE",
            [client],
        ).fetchone()
        left, wait = take_token(tokens, updated, now, per_minute, burst)
        conn.execute(
            "UPDATE portal_rate_limits SET tokens = %s, updated = %s WHERE client = %s",
            [left, now, client],
        )
    return wait


def forget_quiet(conn: psycopg.Connection, now: float) -> int:
    """Delete buckets untouched for an hour (full again by then); how many."""
    return conn.execute(
        "DELETE FROM portal_rate_limits WHERE updated < %s", [now - FORGET_AFTER_S]
    ).rowcount
