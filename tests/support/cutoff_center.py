"""A center file for the cut-off's end-to-end tests (kiosk and board): the demo catalog in a
fixed-offset zone whose local time now is about 10:00, with hours written around now.

- ``LATE`` (family extracts) closes in 30 minutes with a 45-minute margin: past its cut-off;
- ``LAST`` (civil extracts) closes in 5 hours; with no counter open there is no wait, so its last
  ticket is at closing minus the 10-minute margin;
- ``BY_PHONE`` (birth registrations): 1 ticket per phone number per day;
- ``BY_ID`` (marriage registrations): 1 ticket per last-4-digits of the national id.
Every other service is open all day (the demo's hours are taken out).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from nafitha.paths import DEMO

LATE, LAST, BY_PHONE, BY_ID = (
    "family-extract",
    "civil-extract",
    "birth-registration",
    "marriage-registration",
)
CATEGORY = "civil-status"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def zone_at_ten() -> str:
    """A fixed-offset zone whose local time now is about 10:00 (far from midnight both ways)."""
    offset = 10 - datetime.now(UTC).hour
    if offset < -12:
        offset += 24
    if offset > 14:
        offset -= 24
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")  # Etc/GMT-3 is UTC+3


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def cutoff_center(folder: Path) -> tuple[Path, dict[str, str]]:
    """The center file, and the times the tests expect: ``late_close``, ``last_ticket``."""
    zone = zone_at_ten()
    now = datetime.now(ZoneInfo(zone))
    today = DAYS[now.weekday()]
    late_close = _hhmm(now + timedelta(minutes=30))
    far = now + timedelta(hours=5)
    text = (DEMO / "center.toml").read_text(encoding="utf-8")
    text = re.sub(r"^hours = \[.*\]\n", "", text, flags=re.M)
    text = re.sub(r"^hours = \[\n.*?^\]\n", "", text, flags=re.M | re.S)
    # no hours: open all day, so nothing is bookable (a bookable service needs hours)
    text = re.sub(r"^appointments = true.*\n", "", text, flags=re.M)
    text = re.sub(r'^timezone = ".*"$', f'timezone = "{zone}"', text, count=1, flags=re.M)
    extra = {
        LATE: f'hours = [{{ days = ["{today}"], open = "00:00", close = "{late_close}" }}]\n'
        "cutoff_margin_min = 45\n",
        LAST: f'hours = [{{ days = ["{today}"], open = "00:00", close = "{_hhmm(far)}" }}]\n',
        BY_PHONE: 'max_tickets_per_person = 1\nidentify_by = "phone"\n',
        BY_ID: 'max_tickets_per_person = 1\nidentify_by = "id_digits"\n',
    }
    for service, lines in extra.items():
        text = text.replace(f'id = "{service}"\n', f'id = "{service}"\n{lines}', 1)
    path = folder / "center.toml"
    path.write_text(text, encoding="utf-8")
    last_ticket = _hhmm(far.replace(second=0, microsecond=0) - timedelta(minutes=10))
    return path, {"late_close": late_close, "last_ticket": last_ticket, "zone": zone}
