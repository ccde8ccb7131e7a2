"""The dashboard's appointment figures in real headless Chromium against a real server process:
the tiles and the day's row show what GET /api/v1/appointments/figures answers (bookings,
check-ins, no-shows, cancellations, punctuality, the appointment wait beside the walk-in wait), in
Arabic and in English."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nafitha.formats import format_duration
from nafitha.text import t
from server.config import DEFAULT_CENTER
from tests.support.cutoff_center import zone_at_ten
from tests.support.server import RunningServer, running_server
from tests.web.conftest import browser, login_in_page, open_page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
SERVICE = "passport-renewal"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "appointments"


# about 10:00 in the center's zone: its day has hours of slots left, whatever the hour the test
# runs at (in Beirut's evening the day's last slot has begun)
ZONE = zone_at_ten()


def all_day_center(folder: Path) -> Path:
    """The demo center with passport renewals bookable all day, every day, in a zone where it is
    about 10:00 (so a booking can be checked in now, whatever the hour the test runs at)."""
    text = DEFAULT_CENTER.read_text(encoding="utf-8")
    text = text.replace('timezone = "Asia/Beirut"', f'timezone = "{ZONE}"', 1)
    block = text.index('id = "passport-renewal"')
    start = text.index("hours = [", block)
    end = text.index("\n", start)
    days = '["mon", "tue", "wed", "thu", "fri", "sat", "sun"]'
    hours = f'hours = [{{ days = {days}, open = "00:00", close = "23:59" }}]'
    path = folder / "center.toml"
    path.write_text(text[:start] + hours + text[end:], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Today: three bookings (one checked in, one cancelled), walk-ins called."""
    folder = tmp_path_factory.mktemp("server")
    with running_server(folder, center=all_day_center(folder)) as running:
        clerk = running.login("clerk4", counter="c4")
        citizen = running.client()
        day = today_in_center()
        today = citizen.request("GET", f"/api/v1/appointments/slots?service={SERVICE}&from={day}")
        # three places today, the soonest first (it is checked in now), in one slot or several
        wanted: list[tuple[str, str]] = []
        for slot in today["days"][0]["slots"]:
            wanted += [(day, slot["start"])] * min(slot["free"], 3 - len(wanted))
        assert len(wanted) == 3, today  # about noon in the center's zone: hours of slots left
        codes = [citizen.book(SERVICE, day, start, "ar")["code"] for day, start in wanted]
        citizen.cancel_appointment(codes[2])
        kiosk = running.client(running.kiosk_token)
        kiosk.issue_ticket(SERVICE, idempotency_key=str(uuid.uuid4()))
        checked = kiosk.check_in(codes[0])
        assert checked["ticket"]["number"]
        for _ in range(2):  # the walk-in, then the appointment once its slot has come (or not)
            called = clerk.call_next("c4")
            if called:
                clerk.request("POST", f"/api/v1/tickets/{called['id']}/finish")
        yield running


def today_in_center() -> str:
    return datetime.now(ZoneInfo(ZONE)).date().isoformat()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_dashboard_shows_the_apis_appointment_figures(
    server: RunningServer,
    open_page,  # noqa: F811
    lang: str,
) -> None:
    day = today_in_center()
    recorded = open_page(1280, 1800, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    page.goto(f"{server.url}/dashboard?lang={lang}&from={day}&to={day}")
    login_in_page(page, server, "manager")
    page.wait_for_function(
        "d => document.body.dataset.appointmentsLoaded === d", arg=f"{day}/{day}"
    )
    figures = server.login("manager").request(
        "GET", f"/api/v1/appointments/figures?from={day}&to={day}"
    )
    (row,) = figures["days"]
    assert row["booked"] >= 2 and row["cancelled"] == 1 and row["checked_in"] == 1
    for key in ("booked", "checked_in", "no_show", "cancelled"):
        tile = page.locator(f"#appointment-tiles [data-figure={key}]")
        assert tile.inner_text() == str(row[key])
        assert page.locator(
            f"#appointment-days tr[data-day='{day}'] [data-figure={key}]"
        ).inner_text() == str(row[key])
    share = row["punctual_share"]
    expected_share = "—" if share is None else f"{round(share * 100)}%"
    assert (
        page.locator("#appointment-tiles [data-figure=punctual_share]").inner_text()
        == expected_share
    )

    def waits(pair: dict) -> str:
        as_text = [
            "—" if v is None else format_duration(v, lang) for v in (pair["p50"], pair["p90"])
        ]
        return " / ".join(as_text)

    cells = page.locator(f"#appointment-days tr[data-day='{day}']")
    assert cells.locator("[data-figure=appointment_wait]").inner_text() == waits(
        row["appointment_wait_s"]
    )
    assert cells.locator("[data-figure=walk_in_wait]").inner_text() == waits(row["walk_in_wait_s"])
    assert row["walk_in_wait_s"]["p50"] is not None  # a walk-in was called: its wait is shown
    assert page.inner_text("#appointments-title") == t("appointments.w_appointment_figures", lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#appointments").screenshot(path=str(SHOTS / f"dashboard-{lang}.png"))
