"""The self-assessment page's figures: what graders of government service centers measure, month
by month, side by side (docs/ratings.md, "Self-assessment").

For each calendar month (the center's days):

- **waiting against target**: the share of called tickets that waited at most their service's
  target wait, and the mean wait (the dashboard's definitions, ``nafitha/stats.py``, in one
  aggregate query: ``server/store/assessment.py``);
- **first-visit resolution**: the share of finished visits whose last outcome counts as resolved
  (visits finished without an outcome are counted apart, ``server/usecases/visit_steps.py``);
- **satisfaction**: ratings of the month's visits, mean stars and the share of 4-5 stars;
- **complaints answered within their deadline**: of the complaints and suggestions due in the
  month (spam left out), the share answered by their deadline
  (``server/store/complaints.answered_within_deadline``).

Each measure has a goal (``[center.assessment]``, ``server.config.AssessmentGoals``): the last
month is marked met or missed, and each month carries its change from the month before (the
trend).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.domain.ratings import satisfaction
from server.domain.roles import Can, require
from server.domain.visit_steps import resolution
from server.store import assessment as store
from server.store import complaints as complaints_store
from server.store import ratings as ratings_store
from server.usecases import stats as stats_uc
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import step_rules
from server.usecases.visit_steps import finished_visits

MAX_MONTHS = 24
MEASURES = ("within_target", "mean_wait_s", "resolution", "mean_stars", "satisfied",
            "complaints_on_time")  # fmt: skip
LOWER_IS_BETTER = {"mean_wait_s"}


def _month_bounds(month: date) -> tuple[date, date]:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return month, following - timedelta(days=1)


def parse_months(until: str | None, months: int, today: date) -> list[date]:
    """The first days of the ``months`` calendar months ending with ``until`` (YYYY-MM, default:
    this month), oldest first; ``bad_period`` for a malformed month or count."""
    if not 1 <= months <= MAX_MONTHS:
        raise Refusal("bad_period")
    try:
        last = date.fromisoformat(f"{until}-01") if until else today.replace(day=1)
    except ValueError:
        raise Refusal("bad_period") from None
    if not stats_uc.EARLIEST <= last <= stats_uc.LATEST:
        raise Refusal("bad_period")
    out = [last]
    while len(out) < months:
        out.append((out[-1] - timedelta(days=1)).replace(day=1))
    return out[::-1]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_figures(ctx: Context, catalog: Catalog, month: date) -> dict[str, Any]:
    """The four measures of one calendar month."""
    first, last = _month_bounds(month)
    total, _per = resolution(step_rules(catalog), finished_visits(ctx, catalog, first, last))
    with ctx.db.snapshot() as db:
        called, within, waited = store.wait_figures(
            db, first.isoformat(), last.isoformat(), stats_uc.targets(catalog)
        )
        stars = [
            r["stars"] for r in ratings_store.rating_rows(db, first.isoformat(), last.isoformat())
        ]
        on_time, due = complaints_store.answered_within_deadline(db, first, last)
    rated = satisfaction((s, False) for s in stars)
    return {
        "month": month.isoformat()[:7],
        "from": first.isoformat(),
        "to": last.isoformat(),
        "called": called,
        "within_target": _share(within, called),
        "mean_wait_s": waited / called if called else None,
        "visits_finished": total.finished,
        "visits_resolved": total.resolved,
        "visits_unrecorded": total.unrecorded,
        "resolution": total.rate,
        "ratings": rated.count,
        "mean_stars": rated.mean,
        "satisfied": rated.satisfied_share,
        "complaints_due": due,
        "complaints_on_time": _share(on_time, due),
        "complaints_answered_on_time": on_time,
    }


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def assessment(ctx: Context, actor: Actor, until: str | None, months: int) -> dict[str, Any]:
    """The months' measures, each month's change from the one before, and the goals."""
    require(actor, Can.VIEW_STATS)
    catalog = load_catalog(ctx)
    today = date.fromisoformat(local_day(ctx.now(), catalog.center.timezone))
    firsts = parse_months(until, months, today)
    before_first = (firsts[0] - timedelta(days=1)).replace(day=1)  # for the first month's trend
    rows = [month_figures(ctx, catalog, m) for m in [before_first, *firsts]]
    for before, row in pairwise(rows):
        row["change"] = {m: _change(row[m], before[m]) for m in MEASURES}
    shown = rows[1:]
    latest = shown[-1]
    goals = catalog.center.assessment.model_dump()
    met = {
        name: None if latest[name] is None else latest[name] >= goal for name, goal in goals.items()
    }
    return {
        "center": catalog.center.name.model_dump(),
        "until": firsts[-1].isoformat()[:7],
        "months": shown,
        "goals": goals,
        "met": met,
        "lower_is_better": sorted(LOWER_IS_BETTER),
        "targets": {s.id: s.target_wait_min * 60 for s in catalog.services.values()},
    }
