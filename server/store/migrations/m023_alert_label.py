"""An alert keeps the label a device gave itself apart from the device's id.

A device reports for itself: the alert's ``device`` is the id its token proves; a name it sends
(a kiosk's "entrance-left") is kept as ``label``, so it can never pass for another device.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE alerts ADD COLUMN label TEXT")
