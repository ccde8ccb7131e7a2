"""The dashboard's satisfaction section in real headless Chromium: figures equal to a computation
made here from the database's rows, comments shown inert (scripts, event attributes, bidi
overrides), and the CSV export guarded against spreadsheet formulas; in Arabic and English."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections import defaultdict
from statistics import mean

import pytest
import requests

from nafitha.text import t
from tests.ratings.serving import served, token_of
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>Nice <b>staff</b>"
ATTRIBUTE = '<img src=x onerror="window.__pwned=2"> slow'
BIDI = "\u202eevil.exe\u202c ok"
FORMULA = '=HYPERLINK("http://127.0.0.1/x","click")'
VISITS = [  # service, counter, clerk, stars, comment
    ("civil-extract", "c1", "clerk1", 5, SCRIPT),
    ("civil-extract", "c1", "clerk1", 4, FORMULA),
    ("civil-extract", "c2", "clerk2", 1, BIDI),
    ("work-permit", "c8", "clerk8", 3, None),
    ("work-permit", "c8", "clerk8", 2, ATTRIBUTE),
    ("work-permit", "c8", "clerk8", None, None),  # served, not rated
]


@pytest.fixture(scope="module")
def rated_server(demo_server: RunningServer) -> RunningServer:
    for service, counter, clerk, stars, comment in VISITS:
        _, ticket = served(demo_server, service, counter, clerk)
        if stars is not None:
            demo_server.client().request(
                "POST",
                f"/api/v1/tickets/public/{token_of(ticket)}/rating",
                json_body={"stars": stars, "comment": comment, "lang": "en"},
            )
    return demo_server


def raw(server: RunningServer, sql: str) -> list[tuple]:
    with sqlite3.connect(server.db) as db:
        return db.execute(sql).fetchall()


def expected(server: RunningServer) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Satisfaction and mean wait per group, computed here from the rows."""
    ratings = raw(server, "SELECT stars, service, counter, clerk, comment FROM ratings")
    tickets = raw(
        server,
        "SELECT service, counter, clerk, issued_at, called_at FROM tickets"
        " WHERE day = (SELECT max(day) FROM tickets)",
    )
    out: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for index, group in enumerate(("service", "counter", "clerk"), start=1):
        stars: dict[str, list[int]] = defaultdict(list)
        for row in ratings:
            stars[row[index]].append(row[0])
        waits: dict[str, list[float]] = defaultdict(list)
        for row in tickets:
            if row[4] is not None and row[index - 1] is not None:
                waits[row[index - 1]].append(row[4] - row[3])
        out[group] = {
            key: {
                "count": len(values),
                "mean": round(mean(values), 2),
                "satisfied": sum(v >= 4 for v in values) / len(values),
                "wait": mean(waits[key]) if waits[key] else None,
            }
            for key, values in stars.items()
        }
    everything = [r[0] for r in ratings]
    out["overall"] = {
        "": {
            "count": len(everything),
            "mean": round(mean(everything), 2),
            "satisfied": sum(v >= 4 for v in everything) / len(everything),
            "comments": sum(1 for r in ratings if r[4]),
        }
    }
    return out


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_satisfaction_section_equals_a_computation_from_the_rows_and_shows_comments_inert(
    rated_server: RunningServer, open_page, artifacts, lang: str
) -> None:
    server = rated_server
    day = raw(server, "SELECT max(day) FROM tickets")[0][0]
    want = expected(server)
    page = open_page(1400, 1000, locale="ar-LB" if lang == "ar" else "en-US").page
    page.goto(f"{server.url}/dashboard?lang={lang}&from={day}&to={day}")
    login_in_page(page, server, "manager")
    page.wait_for_selector(f"body[data-ratings-loaded='{day}/{day}']")
    overall = want["overall"][""]
    for name in ("count", "mean", "satisfied", "comments"):
        shown = page.get_attribute(f"[data-figure='ratings.overall.{name}']", "data-value")
        assert float(shown) == pytest.approx(overall[name]), name
    for group in ("service", "counter", "clerk"):
        page.select_option("#ratings-by", group)
        for key, figures in want[group].items():
            for name in ("count", "mean", "satisfied", "wait"):
                shown = page.get_attribute(
                    f"[data-figure='ratings.{group}.{key}.{name}']", "data-value"
                )
                if figures[name] is None:
                    assert shown == ""
                else:
                    assert float(shown) == pytest.approx(figures[name]), (group, key, name)
    page.select_option("#ratings-by", "service")
    # the comments: exactly the stored text, as text; nothing ran, no element came from them
    cells = page.locator("#ratings-comments td.comment bdi")
    stored = {r[0] for r in raw(server, "SELECT comment FROM ratings WHERE comment != ''")}
    assert {cells.nth(i).text_content() for i in range(cells.count())} == stored
    assert BIDI.replace("\u202e", "").replace("\u202c", "") in stored  # the overrides were removed
    assert (
        page.locator("#ratings-comments script, #ratings-comments img, #ratings-comments b").count()
        == 0
    )
    assert page.evaluate("window.__pwned") is None
    assert page.inner_text("#ratings-title") == t("ratings.dash_title", lang)
    page.locator("#ratings").screenshot(path=str(artifacts / "ratings" / f"dashboard_{lang}.png"))


def test_the_csv_export_holds_every_rating_with_formulas_made_text(
    rated_server: RunningServer,
) -> None:
    server = rated_server
    day = raw(server, "SELECT max(day) FROM tickets")[0][0]
    manager = server.login("manager")
    answer = requests.get(
        f"{server.url}/api/v1/ratings.csv",
        params={"from": day, "to": day},
        headers={"Authorization": f"Bearer {manager.token}"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == len(raw(server, "SELECT 1 FROM ratings"))
    comments = {row["comment"] for row in rows}
    assert "'" + FORMULA in comments and FORMULA not in comments
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    stars = sorted(int(row["stars"]) for row in rows)
    assert stars == sorted(r[0] for r in raw(server, "SELECT stars FROM ratings"))
    clerk = server.login("clerk1", counter="c1")
    refused = requests.get(
        f"{server.url}/api/v1/ratings.csv",
        params={"from": day, "to": day},
        headers={"Authorization": f"Bearer {clerk.token}"},
        timeout=10,
    )
    assert refused.status_code == 403
