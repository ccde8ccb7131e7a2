"""Every text the pages ask for exists in both languages: the keys written in the templates and
scripts, and the families the scripts build from values (ticket states, weekdays, roles, device
kinds, counter states, printer fault codes)."""

from __future__ import annotations

import re
from pathlib import Path

from nafitha.text import catalogs
from printers.errors import CODES as PRINTER_CODES
from server.config import DAYS
from server.domain.tickets import STATES

WEB = Path(__file__).resolve().parents[2] / "server" / "web"
KEY = re.compile(r"""["'`]((?:web|common)\.[a-z0-9_]+)["'`]""")


def test_every_key_in_the_pages_is_in_the_catalogs() -> None:
    files = [*(WEB / "templates").glob("*.html"), *(WEB / "static").glob("*.js")]
    used = {key for path in files for key in KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 150
    assert sorted(used - set(catalogs())) == []


def test_every_key_the_pages_build_from_values_exists() -> None:
    built = [
        *(f"web.ticket_status_{state}" for state in STATES),
        *(f"web.day_{day}" for day in DAYS),
        *(f"web.role_{role}" for role in ("clerk", "manager", "admin")),
        *(f"web.device_{kind}" for kind in ("kiosk", "counter", "board")),
        *(f"web.dash_counter_{state}" for state in ("open", "paused", "closed")),
        *(f"web.alert_printer_{code}" for code in PRINTER_CODES),
        "web.alert_printer_near_end",
        "web.alert_scanner_lost",
    ]
    assert sorted(set(built) - set(catalogs())) == []
