"""The ministry's figures, read from the hub's projections and events (all SQL of the dashboard).

Definitions are the center's (nafitha/stats.py, docs/web.md), so a ministry and a center's
manager read the same numbers: *wait* is issue to first call for every called ticket; *within
target* is the share of called tickets whose wait was at most their service's target; the
*quote error* is the mean of |actual wait - quoted wait| over called tickets that had a quote;
percentiles interpolate linearly between the nearest ranks (``percentile_cont``, numpy's
default). Days are the center's own calendar days (``tickets.day``, as its numbering uses).

Everything is computed from the projections the writer keeps in the same transaction as the
events (docs/hub.md), so no figure can lag behind or disagree with what the hub holds; the
indexes of migration 5 keep a year of several centers under a second (bench/ministry.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row

CALL_KINDS = ("ticket_called", "ticket_called_out_of_order")


def tune_session(conn: psycopg.Connection) -> None:
    """The dashboard's connections: its queries are short (compiling them with JIT costs more
    than it saves) and a year's histograms are summed in memory rather than sorted on disk."""
    conn.execute("SET jit = off")
    conn.execute("SET work_mem = '32MB'")


# Per (period, center, service), per (period, center), per period: the grouping says which.
_PERIOD_SQL = """
WITH targets (center, service, target_s) AS (
    SELECT * FROM jsonb_to_recordset(%(targets)s::jsonb)
        AS x(center text, service text, target_s double precision)
), t AS (
    SELECT k.center, k.service, k.state, k.quoted_wait_s,
        CASE WHEN k.day >= %(first)s THEN 'current' ELSE 'previous' END AS period,
        CASE WHEN k.called_at IS NOT NULL
            THEN greatest(0, k.called_at - k.issued_at) END AS wait,
        g.target_s
    FROM tickets k LEFT JOIN targets g ON g.center = k.center AND g.service = k.service
    WHERE k.day BETWEEN %(previous)s AND %(last)s AND k.issued_at IS NOT NULL
)
SELECT period, center, service,
    GROUPING(center, service) AS level,
    count(*) AS tickets,
    count(*) FILTER (WHERE state = 'done') AS served,
    count(*) FILTER (WHERE state = 'no_show') AS no_shows,
    count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
    count(wait) AS called,
    avg(wait) AS wait_mean,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) AS wait_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY wait) AS wait_p90,
    count(*) FILTER (WHERE wait IS NOT NULL AND target_s IS NOT NULL) AS with_target,
    count(*) FILTER (WHERE wait <= target_s) AS within,
    count(*) FILTER (WHERE wait IS NOT NULL AND quoted_wait_s IS NOT NULL) AS quoted,
    avg(abs(wait - quoted_wait_s)) AS quote_error_mean,
    avg(quoted_wait_s) FILTER (WHERE wait IS NOT NULL) AS quoted_mean
FROM t
GROUP BY GROUPING SETS ((period, center, service), (period, center), (period))
"""


def period_rows(
    conn: psycopg.Connection,
    previous: str,
    first: str,
    last: str,
    targets: Iterable[tuple[str, str, float]],
) -> list[dict[str, Any]]:
    """The ticket figures of days ``first..last`` and ``previous..first-1`` (ISO days), per
    service of each center, per center and for all: each row has ``period`` and ``level``
    (0: center and service, 1: center, 3: all)."""
    rows = [{"center": c, "service": s, "target_s": t} for c, s, t in targets]
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            _PERIOD_SQL,
            {"targets": json.dumps(rows), "previous": previous, "first": first, "last": last},
        ).fetchall()


def period_totals(
    conn: psycopg.Connection, current: list[str], previous: list[str]
) -> list[dict[str, Any]]:
    """The aggregates (migration 7) of the ``current`` and ``previous`` spans (whole months
    ``YYYY-MM`` and the days ``YYYY-MM-DD`` around them) merged per service of each center:
    exact counts and sums, read without touching a ticket."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT CASE WHEN day = ANY(%(current)s) THEN 'current' ELSE 'previous' END"
            " AS period, center, service, sum(tickets)::bigint AS tickets,"
            " sum(served)::bigint AS served, sum(no_shows)::bigint AS no_shows,"
            " sum(cancelled)::bigint AS cancelled, sum(called)::bigint AS called,"
            " sum(wait_sum) AS wait_sum, sum(quoted)::bigint AS quoted,"
            " sum(quoted_sum) AS quoted_sum, sum(quote_error_sum) AS quote_error_sum"
            " FROM ticket_figures WHERE day = ANY(%(all)s) GROUP BY 1, center, service",
            {"current": current, "all": current + previous},
        ).fetchall()


def period_waits(
    conn: psycopg.Connection, current: list[str], previous: list[str]
) -> list[tuple[str, str, str, int, int, int]]:
    """(period, center, service, kind, bucket, count) of the waits' histograms (migration 7);
    one query per period (a CASE over the keys per row cost more than the second query)."""
    out: list[tuple[str, str, str, int, int, int]] = []
    for period, keys in (("current", current), ("previous", previous)):
        out += [
            (period, *row)
            for row in conn.execute(
                "SELECT center, service, kind, bucket, sum(n)::bigint FROM ticket_waits"
                " WHERE day = ANY(%s) GROUP BY center, service, kind, bucket HAVING sum(n) <> 0",
                [keys],
            ).fetchall()
        ]
    return out


def files_rows(
    conn: psycopg.Connection, bounds: Mapping[str, tuple[float, float]], now: float
) -> list[dict[str, Any]]:
    """Per center: files opened and closed within its ``[start, end)`` (its local days as
    timestamps), and overdue now (open, due before ``now``)."""
    spans = [{"center": c, "start": s, "end": e} for c, (s, e) in bounds.items()]
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "WITH b AS (SELECT * FROM jsonb_to_recordset(%s::jsonb)"
            '  AS x(center text, start double precision, "end" double precision))'
            " SELECT b.center,"
            ' count(*) FILTER (WHERE f.opened_at >= b.start AND f.opened_at < b."end") AS opened,'
            " count(*) FILTER (WHERE f.status = 'closed' AND f.updated_at >= b.start"
            '   AND f.updated_at < b."end") AS closed,'
            " count(*) FILTER (WHERE f.status <> 'closed' AND f.due_at < %s) AS overdue"
            " FROM b LEFT JOIN files f ON f.center = b.center GROUP BY b.center",
            [json.dumps(spans), now],
        ).fetchall()


def waiting_now(conn: psycopg.Connection, today: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per center and service: tickets waiting now (issued on the center's ``today``) and the
    oldest one's issue time."""
    days = [{"center": c, "day": d} for c, d in today.items()]
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "WITH d AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS x(center text, day text))"
            " SELECT k.center, k.service, count(*) AS waiting, min(k.issued_at) AS oldest"
            " FROM tickets k JOIN d ON d.center = k.center AND d.day = k.day"
            " WHERE k.state = 'waiting' GROUP BY k.center, k.service ORDER BY k.center, k.service",
            [json.dumps(days)],
        ).fetchall()


def device_alerts(conn: psycopg.Connection, limit: int = 200) -> list[dict[str, Any]]:
    """The alerts centers raised (printer out of paper, device offline...) and the counters'
    silent alarms (a press again while its alert is open is the same alarm), shipped, with
    whether a later ``alert_resolved`` closed them; open ones first, newest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT r.center, r.seq, r.at, r.device, r.counter, r.data,"
            " (SELECT min(x.at) FROM events x WHERE x.center = r.center"
            "   AND x.kind = 'alert_resolved' AND x.seq > r.seq"
            "   AND x.data::jsonb ->> 'alert' = r.data::jsonb ->> 'alert') AS resolved_at"
            " FROM events r WHERE r.kind = 'alert_raised' OR (r.kind = 'silent_alarm'"
            "   AND coalesce(r.data::jsonb ->> 'repeat', 'false') <> 'true')"
            " ORDER BY r.at DESC LIMIT %s",
            [limit],
        ).fetchall()
    for row in rows:
        data = json.loads(row.pop("data"))
        row["kind"] = data.get("kind")
        row["message"] = data.get("message")
        row["label"] = data.get("label")
    rows.sort(key=lambda r: (r["resolved_at"] is not None, -r["at"]))
    return rows


COMPLAINT_EVENTS = (
    "complaint_filed", "complaint_status_changed", "complaint_answered", "complaint_escalated",
    "complaint_marked_spam",
)  # fmt: skip


def escalated_complaints(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every complaint a center escalated to the ministry (``complaint_escalated`` at level
    ``ministry``), with its state after its latest step as the chain carries it (no text, no
    phone: digests only), when it was filed, escalated and first answered."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "WITH steps AS ("
            "  SELECT center, seq, at, kind, data::jsonb AS data,"
            "   data::jsonb -> 'complaint' ->> 'reference' AS reference"
            "  FROM events WHERE kind = ANY(%s)"
            "), per AS ("  # one pass over each complaint's steps
            "  SELECT center, reference,"
            "   min(at) FILTER (WHERE kind = 'complaint_escalated'"
            "    AND data ->> 'level' = 'ministry') AS escalated_at,"
            "   min(at) FILTER (WHERE kind = 'complaint_filed') AS filed_at,"
            "   min(at) FILTER (WHERE kind = 'complaint_answered') AS answered_at,"
            "   (array_agg(data -> 'complaint' ORDER BY seq DESC))[1] AS state,"
            "   max(at) AS last_at"
            "  FROM steps GROUP BY center, reference"
            ") SELECT center, reference, escalated_at, filed_at, answered_at, state, last_at"
            " FROM per WHERE escalated_at IS NOT NULL ORDER BY escalated_at DESC",
            [list(COMPLAINT_EVENTS)],
        ).fetchall()
    return rows


def call_counts(
    conn: psycopg.Connection, bounds: Mapping[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    """Per center: calls made in order and out of order within its ``[start, end)``; one query
    per center, so the partial index ``events_calls`` (migration 6) serves it."""
    out = []
    for center, (start, end) in bounds.items():
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE kind = 'ticket_called'),"
            " count(*) FILTER (WHERE kind = 'ticket_called_out_of_order') FROM events"
            " WHERE center = %s AND kind IN ('ticket_called', 'ticket_called_out_of_order')"
            " AND at >= %s AND at < %s",
            [center, start, end],
        ).fetchone()
        assert row is not None
        out.append({"center": center, "in_order": row[0], "out_of_order": row[1]})
    return out


def out_of_order_calls(
    conn: psycopg.Connection, bounds: Mapping[str, tuple[float, float]], limit: int = 1000
) -> list[dict[str, Any]]:
    """Each call out of order within each center's ``[start, end)``: when, where, by whom, why,
    and the ticket it passed over; newest first (index ``events_out_of_order``, migration 7)."""
    rows: list[dict[str, Any]] = []
    with conn.cursor(row_factory=dict_row) as cur:
        for center, (start, end) in bounds.items():
            rows += cur.execute(
                "SELECT e.center, e.seq, e.at, e.actor, e.counter, e.ticket_id, e.data,"
                " k.number, k.service, k.day FROM events e"
                " LEFT JOIN tickets k ON k.center = e.center AND k.ticket_id = e.ticket_id"
                " WHERE e.center = %s AND e.kind = 'ticket_called_out_of_order'"
                " AND e.at >= %s AND e.at < %s ORDER BY e.at DESC LIMIT %s",
                [center, start, end, limit],
            ).fetchall()
    for row in rows:
        data = json.loads(row.pop("data"))
        row["reason"] = data.get("reason")
        row["passed_over"] = data.get("passed_over")
    rows.sort(key=lambda r: -r["at"])
    return rows[:limit]


CATALOG_KINDS = ("catalog_imported", "category_saved", "service_saved", "counter_saved")


def catalog_events(conn: psycopg.Connection) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Per center, its catalog events in order (kind, data): what the center runs is their fold
    (``hub.domain.portal_catalog.fold_all``)."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for center, kind, data in conn.execute(
        # The same literal list as the partial index events_catalog (migration 5), which a
        # parameter would not let the planner use: a year of events is never scanned here.
        "SELECT center, kind, data FROM events WHERE kind IN"
        " ('catalog_imported', 'category_saved', 'service_saved', 'counter_saved')"
        " ORDER BY center, seq"
    ).fetchall():
        out.setdefault(center, []).append((kind, json.loads(data)))
    return out
