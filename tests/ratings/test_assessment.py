"""The self-assessment page: three months of visits made through the API on a simulated clock
(waits around the target, outcomes, ratings) and complaints due in them; every figure the page
shows equals a computation made here from the database's rows; printed to PDF and read back."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from statistics import mean
from typing import Any

import pytest
from pydantic import ValidationError

from nafitha.text import t
from server.config import DEFAULT_CENTER, AssessmentGoals, load_center_config
from tests.server.conftest import AppEnv, local_ts, make_env
from tests.support.server import RunningServer, running_server
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser

MONTHS = ("2026-08", "2026-09", "2026-10")
GOALS = {"within_target": 0.8, "resolution": 0.8, "satisfied": 0.8, "complaints_on_time": 0.9}
# per month: one day's visits as (wait in minutes, outcome, stars); waits ascending
PLANS = {
    "2026-08": [(2, "served", 5), (9, "served", 4), (14, "missing_documents", 2), (25, None, None),
                (40, "served", 3)],
    "2026-09": [(1, "served", 5), (5, "served", 5), (8, "served", 4), (12, "referred", None),
                (16, "served", 4), (31, None, 1)],
    "2026-10": [(3, "served", 5), (4, "served", 4), (6, "served", 5), (10, "served", None)],
}  # fmt: skip
# complaints: (month, days to answer or None, spam); deadlines are the center's (7 days)
COMPLAINTS = [("2026-08", 2, False), ("2026-08", 9, False), ("2026-08", None, False),
              ("2026-09", 1, False), ("2026-09", 3, False), ("2026-09", 20, True),
              ("2026-10", 6, False)]  # fmt: skip


def serve_day(env: AppEnv, day: str, plan: list[tuple[int, str | None, int | None]]) -> None:
    env.clock.set_local(f"{day} 09:00")
    start = env.clock.t
    tickets = [env.issue("civil-extract") for _ in plan]
    clerk = env.login("clerk1", counter="c1")
    for (wait, outcome, stars), ticket in zip(plan, tickets, strict=True):
        env.clock.t = start + wait * 60
        called = env.http.post("/api/v1/counters/c1/next", headers=clerk)
        assert called.json()["id"] == ticket["id"], called.text
        env.clock.advance(90)
        body = {"outcome": outcome} if outcome else {}
        done = env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", json=body, headers=clerk)
        assert done.status_code == 200, done.text
        if stars:
            env.clock.advance(60)
            rated = env.http.post(
                f"/api/v1/tickets/public/{ticket['token']}/rating", json={"stars": stars}
            )
            assert rated.status_code == 201, rated.text


def add_complaints(db: Path) -> None:
    """Complaint rows as C's store keeps them (what the page reads is C's own count of them)."""
    with sqlite3.connect(db) as conn:
        for number, (month, answered_after, spam) in enumerate(COMPLAINTS):
            filed = local_ts(f"{month}-03 10:00")
            deadline = filed + 7 * 86400
            answered = None if answered_after is None else filed + answered_after * 86400
            conn.execute(
                "INSERT INTO complaints (reference, kind, about, text, channel, status, spam,"
                " filed_at, deadline_at, due_day, answered_at, updated_at)"
                " VALUES (?, 'complaint', 'center', 'x', 'phone', ?, ?, ?, ?, ?, ?, ?)",
                [f"TEST{number}", "received" if answered is None else "answered", int(spam),
                 filed, deadline, f"{month}-10", answered, filed],
            )  # fmt: skip


@pytest.fixture(scope="module")
def assessed(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("assessment")
    envs = make_env(seeded_db, folder, ignore_hours=True)
    env = next(envs)
    for month, plan in PLANS.items():
        serve_day(env, f"{month}-12", plan)
    envs.close()
    add_complaints(folder / "nafitha.db")
    with running_server(folder, seed=False) as server:
        server.people = {"manager": "manager"}
        yield server


def expected(db: Path) -> dict[str, dict[str, Any]]:
    """Every measure of every month, computed here from the rows."""
    center = load_center_config(DEFAULT_CENTER)
    target = {s.id: s.target_wait_min * 60 for s in center.services}
    out: dict[str, dict[str, Any]] = {}
    with sqlite3.connect(db) as conn:
        for month in ("2026-07", *MONTHS):
            first, last = f"{month}-01", f"{month}-31"
            tickets = conn.execute(
                "SELECT service, state, issued_at, called_at, outcome FROM tickets"
                " WHERE day BETWEEN ? AND ?",
                [first, last],
            ).fetchall()
            waits = [(s, c - i) for s, _, i, c, _ in tickets if c is not None]
            outcomes = [o for _, state, _, _, o in tickets if state == "done" and o is not None]
            stars = [r[0] for r in conn.execute(
                "SELECT stars FROM ratings WHERE day BETWEEN ? AND ?", [first, last])]  # fmt: skip
            due = conn.execute(
                "SELECT answered_at, deadline_at FROM complaints"
                " WHERE spam = 0 AND due_day BETWEEN ? AND ?",
                [first, last],
            ).fetchall()
            on_time = [a for a, d in due if a is not None and a <= d]
            out[month] = {
                "within_target": (
                    sum(w <= target[s] for s, w in waits) / len(waits) if waits else None
                ),
                "mean_wait_s": mean(w for _, w in waits) if waits else None,
                "resolution": outcomes.count("served") / len(outcomes) if outcomes else None,
                "mean_stars": round(mean(stars), 2) if stars else None,
                "satisfied": sum(s >= 4 for s in stars) / len(stars) if stars else None,
                "complaints_on_time": len(on_time) / len(due) if due else None,
            }  # fmt: skip
    return out


def value(page: Any, figure: str) -> float | None:
    shown = page.get_attribute(f"[data-figure='{figure}']", "data-value")
    return None if shown == "" else float(shown)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_figure_equals_a_computation_from_the_rows_and_the_page_prints(
    assessed: RunningServer, open_page, artifacts: Path, lang: str
) -> None:
    want = expected(assessed.db)
    assert want["2026-08"]["within_target"] not in (None, 0, 1)  # the data tells months apart
    page = open_page(1200, 900, locale="ar-LB" if lang == "ar" else "en-US").page
    page.goto(f"{assessed.url}/assessment?lang={lang}&until=2026-10&months=3")
    login_in_page(page, assessed, "manager")
    page.wait_for_selector("body[data-assessment-loaded='2026-10/3']")
    previous = want["2026-07"]
    for month in MONTHS:
        for measure, figure in want[month].items():
            shown = value(page, f"{month}.{measure}")
            if figure is None:
                assert shown is None, (month, measure)
            else:
                assert shown == pytest.approx(figure), (month, measure)
            before = previous[measure]
            delta = page.locator(f"[data-figure='{month}.{measure}'] .trend")
            assert delta.count() == (0 if before is None or figure is None else 1), (month, measure)
            if delta.count():  # the trend: the change from the month before, computed here
                change = float(delta.get_attribute("data-change"))  # type: ignore[arg-type]
                assert change == pytest.approx(figure - before), (month, measure)
        previous = want[month]
    latest = want["2026-10"]
    for measure, goal in GOALS.items():
        assert value(page, f"latest.{measure}") == pytest.approx(latest[measure])
        met = page.get_attribute(f"[data-measure='{measure}'] [data-met]", "data-met")
        assert met == str(latest[measure] >= goal).lower(), measure
    assert page.inner_text("h1") == t("ratings.assess_title", lang)
    page.screenshot(path=str(artifacts / "ratings" / f"assessment_{lang}.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = artifacts / "ratings" / f"assessment_{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "10/2026" in text and "08/2026" in text
    assert t("ratings.assess_until", lang) not in text  # the controls are not printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages == 1  # one sheet for the file
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
         str(artifacts / "ratings" / f"assessment_print_{lang}")],
        check=True,
    )  # fmt: skip


def test_the_assessment_is_for_managers_only(assessed: RunningServer) -> None:
    import requests

    clerk = assessed.login("clerk1", counter="c1")
    answer = requests.get(
        f"{assessed.url}/api/v1/assessment",
        headers={"Authorization": f"Bearer {clerk.token}"},
        timeout=10,
    )
    assert answer.status_code == 403
    assert requests.get(f"{assessed.url}/api/v1/assessment", timeout=10).status_code == 401
    manager = assessed.login("manager")
    bad = requests.get(
        f"{assessed.url}/api/v1/assessment",
        params={"until": "2026-13", "months": 3},
        headers={"Authorization": f"Bearer {manager.token}"},
        timeout=10,
    )
    assert bad.status_code == 422


def test_month_list_runs_back_from_the_month_asked() -> None:
    from server.usecases.assessment import parse_months

    months = parse_months("2026-02", 3, date(2026, 11, 29))
    assert months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert parse_months(None, 1, date(2026, 11, 29)) == [date(2026, 11, 1)]
    assert date(2026, 3, 1) - timedelta(days=1) == date(2026, 2, 28)


def test_the_goals_are_the_centers_settings(seeded_db: Path, tmp_path: Path) -> None:
    config = load_center_config(DEFAULT_CENTER)
    goals = {"within_target": 0.5, "resolution": 0.6, "satisfied": 0.7, "mean_stars": 3.5,
             "complaints_on_time": 0.95}  # fmt: skip
    center = config.model_copy(
        update={
            "center": config.center.model_copy(
                update={"assessment": AssessmentGoals.model_validate(goals)}
            )
        }
    )
    envs = make_env(seeded_db, tmp_path, center=center, ignore_hours=True)
    env = next(envs)
    try:
        serve_day(env, "2026-10-12", [(5, "served", 4), (30, "served", 3)])  # half within 15 min
        answer = env.http.get(
            "/api/v1/assessment", params={"until": "2026-10", "months": 1},
            headers=env.login("manager"),
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["goals"] == goals
        latest = body["months"][-1]
        assert latest["within_target"] == 0.5 and latest["mean_stars"] == 3.5
        assert body["met"]["within_target"] is True  # 0.5 meets 0.5 (it would miss 0.8)
        assert body["met"]["mean_stars"] is True  # 3.5 meets 3.5 (it would miss 4.0)
        assert body["met"]["satisfied"] is False  # 0.5 misses 0.7
    finally:
        envs.close()


@pytest.mark.parametrize(
    "bad", [{"within_target": 1.5}, {"mean_stars": 6}, {"satisfied": -0.1}, {"unknown": 1}]
)
def test_a_goal_out_of_range_is_refused_with_its_name(bad: dict) -> None:
    with pytest.raises(ValidationError) as refused:
        AssessmentGoals.model_validate(bad)
    assert next(iter(bad)) in str(refused.value)
