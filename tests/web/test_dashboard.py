"""The dashboard shows, for a generated day of tickets, the figures a separate computation from the
database gives: overall, per service, counter, clerk and hour, and against the day before."""

from __future__ import annotations

import csv
import io
import sqlite3
import statistics
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from nafitha.formats import format_duration
from server.app import open_context
from server.config import DEFAULT_CENTER, ServerSettings, load_center_config
from server.demo import history
from server.usecases.context import SYSTEM
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser

DAY = "2026-11-17"  # a Tuesday; the Monday before is generated too, as the previous period
BEFORE = "2026-11-16"


@pytest.fixture(scope="module")
def history_server(demo_server: RunningServer) -> RunningServer:
    ctx = open_context(ServerSettings(db=demo_server.db, ignore_hours=True))
    try:
        history.seed_history(ctx, SYSTEM, 2, end=date.fromisoformat(DAY), seed=42)
    finally:
        ctx.db.close()
    return demo_server


def independent_figures(db: Path, day: str) -> dict[tuple[str, str], dict[str, float | None]]:
    """Every figure of ``day`` computed here, straight from the tickets table."""
    center = load_center_config(DEFAULT_CENTER)
    zone = ZoneInfo(center.center.timezone)
    target = {s.id: s.target_wait_min * 60 for s in center.services}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT service, counter, clerk, state, issued_at, called_at, started_at,"
            " finished_at, quoted_wait_s FROM tickets WHERE day = ?",
            [day],
        ).fetchall()
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in rows:
        groups[("overall", "")].append(row)
        groups[("service", row[0])].append(row)
        if row[1]:
            groups[("counter", row[1])].append(row)
        if row[2]:
            groups[("clerk", row[2])].append(row)
        groups[("hour", str(datetime.fromtimestamp(row[4], zone).hour))].append(row)

    def quantile(values: list[float], which: int) -> float | None:
        if not values:
            return None
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=10, method="inclusive")[which - 1]

    figures = {}
    for key, members in groups.items():
        waits = [r[5] - r[4] for r in members if r[5] is not None]
        services = [r[7] - (r[6] if r[6] is not None else r[5]) for r in members if r[3] == "done"]
        quoted = [(r[8], r[5] - r[4]) for r in members if r[5] is not None and r[8] is not None]
        within = [r[5] - r[4] <= target[r[0]] for r in members if r[5] is not None]
        figures[key] = {
            "tickets": len(members),
            "served": sum(r[3] == "done" for r in members),
            "no_shows": sum(r[3] == "no_show" for r in members),
            "wait.mean": statistics.fmean(waits) if waits else None,
            "wait.median": statistics.median(waits) if waits else None,
            "wait.p90": quantile(waits, 9),
            "service.mean": statistics.fmean(services) if services else None,
            "service.median": statistics.median(services) if services else None,
            "service.p90": quantile(services, 9),
            "within_target": statistics.fmean(within) if within else None,
            "quoted_mean_s": statistics.fmean(q for q, _ in quoted) if quoted else None,
            "actual_mean_s": statistics.fmean(a for _, a in quoted) if quoted else None,
        }
    return figures


def shown_duration(seconds: float) -> str:
    return format_duration(seconds, "en")


def close(shown: str, expected: float | None) -> bool:
    if expected is None:
        return shown == ""
    return abs(float(shown) - expected) <= 1e-6 * max(1.0, abs(expected))


def test_dashboard_figures_equal_an_independent_computation(
    history_server: RunningServer, open_page, artifacts: Path
) -> None:
    server = history_server
    expected = independent_figures(server.db, DAY)
    assert expected[("overall", "")]["tickets"] > 100  # a real day was generated
    recorded = open_page(1400, 1000, locale="en-GB")
    page = recorded.page
    page.goto(f"{server.url}/dashboard?lang=en&from={DAY}&to={DAY}")
    login_in_page(page, server, "manager")
    page.wait_for_function("d => document.body.dataset.statsLoaded === d", arg=f"{DAY}/{DAY}")

    shown = dict(
        page.eval_on_selector_all(
            "[data-figure]", "els => els.map(e => [e.dataset.figure, e.dataset.value])"
        )
    )
    checked = 0
    for (group, key), figures in expected.items():
        for name, value in figures.items():
            figure = f"overall.{name}" if group == "overall" else f"{group}.{key}.{name}"
            assert figure in shown, figure
            assert close(shown[figure], value), (figure, shown[figure], value)
            checked += 1
    assert checked > 300

    # The tiles read as a person reads them, and against the day before.
    overall = expected[("overall", "")]
    tile = page.locator('[data-figure="overall.wait.median"]')
    assert tile.inner_text() == shown_duration(overall["wait.median"])
    before = independent_figures(server.db, BEFORE)[("overall", "")]
    change = (overall["tickets"] - before["tickets"]) / before["tickets"]
    sign = "+" if change > 0 else ""
    assert (
        page.locator('[data-figure="change.tickets"]').inner_text().strip()
        == f"{sign}{round(change * 100)}%"
    )
    # A kiosk's printer runs out of paper: the alert reaches the manager within seconds.
    server.client(server.kiosk_token).post_alert("paper_out", "Printer out of paper")
    page.wait_for_selector("#now-alerts-list li:has-text('Printer out of paper')", timeout=10000)
    page.screenshot(path=str(artifacts / "web-dashboard-en.png"), full_page=True)

    # The same page in Arabic, right to left, after the switch.
    page.click("[data-switch-lang]")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    page.screenshot(path=str(artifacts / "web-dashboard-ar.png"), full_page=True)
    assert recorded.outside(server.url) == []


def test_csv_export_of_the_day_matches_the_database(history_server: RunningServer) -> None:
    server = history_server
    token = server.login("manager").token
    answer = requests.get(
        f"{server.url}/api/v1/stats/tickets.csv",
        params={"from": DAY, "to": DAY},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    with sqlite3.connect(server.db) as conn:
        db_rows = conn.execute(
            "SELECT number, called_at - issued_at FROM tickets WHERE day = ? ORDER BY id", [DAY]
        ).fetchall()
    assert [r["number"] for r in rows] == [n for n, _ in db_rows]
    assert [r["wait_s"] for r in rows] == ["" if w is None else str(round(w)) for _, w in db_rows]
    refused = requests.get(
        f"{server.url}/api/v1/stats/tickets.csv",
        params={"from": DAY, "to": DAY},
        headers={"Authorization": f"Bearer {server.login('clerk1').token}"},
        timeout=10,
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


def test_files_export_has_no_personal_data(history_server: RunningServer) -> None:
    server = history_server
    opened = server.login("clerk1").open_file(
        "civil-extract", {"name": "Karim Nassar", "national_id": "778899", "phone": "70111222"}, []
    )
    today = opened["opened_at"][:10]
    answer = requests.get(
        f"{server.url}/api/v1/stats/files.csv",
        params={"from": today, "to": today},
        headers={"Authorization": f"Bearer {server.login('manager').token}"},
        timeout=10,
    )
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert opened["reference"] in [r["reference"] for r in rows]
    assert "Karim" not in answer.text and "778899" not in answer.text
