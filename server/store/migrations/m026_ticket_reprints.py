"""How many times a ticket was printed again (the kiosk's "reprint my ticket", the counter's key).

The kiosk refuses a third reprint of one ticket (docs/kiosk.md, "Reprint"); every reprint is also
a ``ticket_reprinted`` event, so the count is audited, not only stored.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE tickets ADD COLUMN reprints INTEGER NOT NULL DEFAULT 0")
