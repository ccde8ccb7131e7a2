"""The self-assessment's waiting figures in one aggregate query (``server/usecases/assessment.py``).

The dashboard's ``within_target`` and mean wait, for a whole month, without reading each ticket
into Python: one pass over the ``tickets_stats`` covering index (m020) with the services' targets
joined in. The same definitions as :mod:`nafitha.stats`: a wait is issue to first call (never
negative), within target when at most the service's target.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils


def wait_figures(
    db: sqlite_utils.Database, first_day: str, last_day: str, target_s: Mapping[str, float]
) -> tuple[int, int, float]:
    """(called tickets, of them waited within their service's target, total wait in seconds)."""
    pairs = list(target_s.items()) or [("", 0.0)]
    values = ", ".join("(?, ?)" for _ in pairs)
    params: list[object] = [v for pair in pairs for v in pair]
    called, within, total = db.execute(
        f"WITH target (service, s) AS (VALUES {values})"
        " SELECT count(*), coalesce(sum(max(0.0, t.called_at - t.issued_at) <= target.s), 0),"
        " total(max(0.0, t.called_at - t.issued_at))"
        " FROM tickets t INDEXED BY tickets_stats LEFT JOIN target ON target.service = t.service"
        " WHERE t.day BETWEEN ? AND ? AND t.called_at IS NOT NULL",
        [*params, first_day, last_day],
    ).fetchone()
    return int(called), int(within), float(total)
