"""The demo's past days come with ratings of a share of their finished visits."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from server.config import DEFAULT_CENTER
from server.demo import history


def test_the_demo_history_rates_a_share_of_its_finished_visits(
    seeded_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "nafitha.db"
    shutil.copy(seeded_db, db)
    seeded = history.seed_demo_history(db, DEFAULT_CENTER, 3)
    assert seeded is not None and seeded["ratings"] > 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.stars, r.day = t.day, t.state, r.clerk IS t.clerk, r.comment FROM ratings r"
            " JOIN tickets t ON t.id = r.ticket_id"
        ).fetchall()
        done = conn.execute("SELECT count(*) FROM tickets WHERE state = 'done'").fetchone()[0]
        events = conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'ratings_seeded'"
        ).fetchone()[0]
    assert len(rows) == seeded["ratings"] and 0 < len(rows) < done
    assert all(1 <= stars <= 5 and same_day and state == "done" and same_clerk
               for stars, same_day, state, same_clerk, _ in rows)  # fmt: skip
    assert any(comment for *_, comment in rows)
    assert events == 1
    assert history.seed_demo_history(db, DEFAULT_CENTER, 3) is None  # a center with a past
