"""The integrity report's figures counted independently of server/, straight from the events
table with plain Python: what the report's tests compare the API, the page and the board with."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

KNOWN = {"returning", "special_needs", "appointment", "manager_request", "other"}


def day_span(day: str, timezone: str = "Asia/Beirut") -> tuple[float, float]:
    first = date.fromisoformat(day)
    zone = ZoneInfo(timezone)
    after = first + timedelta(days=1)
    return (
        datetime(first.year, first.month, first.day, tzinfo=zone).timestamp(),
        datetime(after.year, after.month, after.day, tzinfo=zone).timestamp(),
    )


def published(reason: str, known: set[str] = KNOWN) -> str:
    """A reason as the public may see it: a known id (or ``id: note``), else ``other``."""
    if reason in known:
        return reason
    head = reason.split(":", 1)[0].strip()
    return head if ":" in reason and head in known else "other"


def count_day(
    db: Path, day: str, up_to: int | None = None, known: set[str] = KNOWN
) -> dict[str, Any]:
    """Figures of ``day`` from the events with ids up to ``up_to`` (default: all); ``known``: the
    center's reason ids."""
    start, end = day_span(day)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT id, at, kind, ticket_id, data, public, hash FROM events ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    priority: dict[int, bool] = {}
    out: dict[str, Any] = {
        "issued": 0,
        "in_order": 0,
        "out_of_order": 0,
        "priority": 0,
        "transfers": 0,
        "calls": [],
        "head": None,
        "events": 0,
    }
    for seq, at, kind, ticket_id, data_text, public_text, digest in rows:
        if up_to is not None and seq > up_to:
            break
        data = json.loads(data_text)
        if kind == "ticket_issued":
            priority[ticket_id] = bool(data["priority"])
        if not start <= at < end:
            continue
        out["events"] += 1
        out["head"] = f"{seq}:{digest}"
        if kind == "ticket_issued":
            out["issued"] += 1
        elif kind in ("ticket_called", "ticket_called_out_of_order"):
            out["priority"] += priority.get(ticket_id, False)
            if kind == "ticket_called":
                out["in_order"] += 1
            else:
                out["out_of_order"] += 1
                counter = json.loads(public_text)["counter"]["number"]
                out["calls"].append((data["number"], counter, published(data["reason"], known)))
        elif kind in ("ticket_transfer", "ticket_transferred"):
            out["transfers"] += 1
    out["called"] = out["in_order"] + out["out_of_order"]
    return out


def share_text(part: int, whole: int) -> str:
    """A share as the page and the board print it: rounded down to one decimal, with ``%``."""
    if not whole:
        return "—"
    tenths = part * 1000 // whole
    return f"{tenths // 10}.{tenths % 10}%"
