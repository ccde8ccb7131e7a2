"""The manager's figures: pure rules (percentiles, service levels, histograms, merging), the period
use case on a real SQLite file (exact for short periods, day/month aggregates for long ones), and
the simulated history it is shown on."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nafitha import stats
from server.app import create_app, open_context
from server.config import ServerSettings
from server.demo import history
from server.domain.errors import Refusal
from server.usecases import stats as stats_usecase
from server.usecases.catalog import load_catalog
from server.usecases.context import SYSTEM, Actor, Context
from tests.server.conftest import TestClient  # imported there without starlette's warning

MANAGER = Actor("person", "manager", "manager")
durations = st.lists(st.floats(min_value=0, max_value=20000, allow_nan=False), min_size=1)


@given(durations, st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]))
def test_percentile_is_the_inclusive_quantile(values: list[float], q: float) -> None:
    ordered = sorted(values)
    got = stats.percentile(ordered, q)
    if len(values) == 1:
        assert got == values[0]
    else:
        cuts = statistics.quantiles(values, n=20, method="inclusive")
        assert got == pytest.approx(cuts[round(q * 20) - 1], rel=1e-9, abs=1e-9)


@given(st.lists(st.floats(min_value=1, max_value=20000, allow_nan=False), min_size=1))
def test_histogram_percentiles_are_within_one_percent(values: list[float]) -> None:
    hist = Counter(stats.bucket_of(v) for v in values)
    for q in (0.5, 0.9):
        exact = stats.percentile(sorted(values), q)
        assert exact is not None
        assert stats.histogram_percentile(hist, q) == pytest.approx(exact, rel=0.0101)


def fact(
    service: str, status: str, issued: float, called: float | None, **more: float
) -> stats.TicketFacts:
    return stats.TicketFacts(service, "c1", "clerk1", 9, status, issued, called, **more)


def test_summary_counts_service_levels_and_quotes() -> None:
    facts = [
        fact("a", "done", 0, 300, started_at=320, finished_at=620, quoted_wait_s=240),
        fact("a", "done", 0, 1200, finished_at=1500, quoted_wait_s=600),  # never "started"
        fact("a", "no_show", 0, 100),
        fact("b", "cancelled", 0, None),
        fact("b", "waiting", 0, None),
    ]
    summary = stats.summarize(facts, {"a": 900, "b": 600})
    assert (summary.tickets, summary.served, summary.no_shows, summary.cancelled) == (5, 2, 1, 1)
    assert summary.wait.count == 3 and summary.wait.median == 300
    assert summary.service.mean == 300  # 300 from start, 300 from the call
    assert summary.within_target == pytest.approx(2 / 3)
    assert summary.quoted_mean_s == 420 and summary.actual_mean_s == 750
    assert summary.quote_error_mean_s == pytest.approx((60 + 600) / 2)
    empty = stats.summarize([], {})
    assert empty.wait.mean is None and empty.within_target is None


def test_compare_gives_relative_change_or_none() -> None:
    now = stats.summarize([fact("a", "done", 0, 60, finished_at=120)] * 3, {"a": 900})
    before = stats.summarize([fact("a", "done", 0, 30, finished_at=60)] * 2, {"a": 900})
    change = stats.compare(now, before)
    assert change["tickets"] == pytest.approx(0.5) and change["wait_mean"] == pytest.approx(1.0)
    assert stats.compare(now, stats.summarize([], {}))["tickets"] is None


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(0, 5000), st.booleans()), max_size=60))
def test_merged_aggregates_equal_the_aggregate_of_the_whole(rows: list) -> None:
    facts = [
        fact(f"s{s}", "done" if done else "no_show", 0, wait, finished_at=wait + 100)
        for s, wait, done in rows
    ]
    whole = stats.aggregate_groups(facts, {"s0": 600})
    half = len(facts) // 2
    merged = stats.aggregate_groups(facts[:half], {"s0": 600})
    for key, part in stats.aggregate_groups(facts[half:], {"s0": 600}).items():
        if key in merged:
            merged[key].merge(part)
        else:
            merged[key] = part
    merged = {k: v for k, v in merged.items() if v.tickets or k == stats.OVERALL}
    assert merged.keys() == whole.keys()
    for key, aggregate in whole.items():
        mine, theirs = merged[key].to_json(), aggregate.to_json()
        assert mine.keys() == theirs.keys()
        for name, value in theirs.items():
            assert mine[name] == (value if isinstance(value, dict) else pytest.approx(value))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    db = Path(tmp_path_factory.mktemp("stats")) / "nafitha.db"
    today = 1795000000.0  # 2026-11-18
    ctx = open_context(ServerSettings(db=db, ignore_hours=True), clock=lambda: today)
    history.seed_history(ctx, SYSTEM, 70, end=date(2026, 11, 18), seed=3)
    yield ctx
    ctx.db.close()


def test_simulated_days_look_like_a_center(seeded: Context) -> None:
    catalog = load_catalog(seeded)
    rows = (
        seeded.db.read()
        .execute(
            "SELECT day, prefix, seq, service, counter, state, issued_at, called_at, started_at,"
            " finished_at FROM tickets ORDER BY day, prefix, seq"
        )
        .fetchall()
    )
    assert len(rows) > 10000
    seqs: dict[tuple[str, str], list[int]] = {}
    for day, prefix, seq, service, counter, state, issued, called, started, finished in rows:
        seqs.setdefault((day, prefix), []).append(seq)
        assert date.fromisoformat(day).weekday() != 6  # closed on Sundays
        if called is not None:
            assert called >= issued and service in catalog.counters[counter].services
        if state == "done":
            assert issued <= called <= started <= finished
        assert state in ("done", "no_show", "cancelled")
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())  # gapless numbering
    mix = Counter(r[5] for r in rows)
    assert 0.02 < mix["no_show"] / len(rows) < 0.08
    assert history.has_history(seeded)


def test_long_periods_from_aggregates_agree_with_the_exact_figures(seeded: Context) -> None:
    exact = stats_usecase.period_stats(seeded, MANAGER, "2026-09-21", "2026-10-20")
    assert exact["exact"] and exact["overall"]["tickets"] > 3000
    saved = stats_usecase.EXACT_TICKETS
    stats_usecase.EXACT_TICKETS = 0
    try:
        merged = stats_usecase.period_stats(seeded, MANAGER, "2026-09-21", "2026-10-20")
        again = stats_usecase.period_stats(seeded, MANAGER, "2026-09-21", "2026-10-20")
    finally:
        stats_usecase.EXACT_TICKETS = saved
    assert not merged["exact"] and again == merged  # kept aggregates give the same answer
    months = seeded.db.read().execute("SELECT DISTINCT month FROM stats_months").fetchall()
    assert ("2026-10",) not in months  # October is not whole in the period
    for group in ("overall",):
        a, b = exact[group], merged[group]
        for name in ("tickets", "served", "no_shows", "cancelled", "within_target"):
            assert a[name] == pytest.approx(b[name])
        for part in ("wait", "service"):
            assert a[part]["mean"] == pytest.approx(b[part]["mean"])
            assert a[part]["median"] == pytest.approx(b[part]["median"], rel=0.011)
            assert a[part]["p90"] == pytest.approx(b[part]["p90"], rel=0.011)
    by_service = {r["key"]: r for r in merged["service"]}
    for row in exact["service"]:
        assert by_service[row["key"]]["tickets"] == row["tickets"]


def test_a_period_spanning_whole_months_uses_month_rows(seeded: Context) -> None:
    saved = stats_usecase.EXACT_TICKETS
    stats_usecase.EXACT_TICKETS = 0
    try:
        merged = stats_usecase.period_stats(seeded, MANAGER, "2026-09-10", "2026-11-15")
    finally:
        stats_usecase.EXACT_TICKETS = saved
    months = {r[0] for r in seeded.db.read().execute("SELECT DISTINCT month FROM stats_months")}
    assert "2026-10" in months
    count = (
        seeded.db.read()
        .execute("SELECT count(*) FROM tickets WHERE day BETWEEN '2026-09-10' AND '2026-11-15'")
        .fetchone()[0]
    )
    assert merged["overall"]["tickets"] == count


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-11-10", "2026-11-01"),
        ("2024-01-01", "2026-11-01"),
        ("x", "y"),
        ("0001-01-01", "0001-01-02"),
        ("9999-12-30", "9999-12-31"),
    ],
)
def test_bad_periods_are_refused(seeded: Context, first: str, last: str) -> None:
    with pytest.raises(Refusal) as refused:
        stats_usecase.period_stats(seeded, MANAGER, first, last)
    assert refused.value.code == "bad_period" and refused.value.status == 422


def test_only_managers_see_the_figures(seeded: Context) -> None:
    for actor in (Actor("person", "clerk1", "clerk"), Actor("device", "k", "kiosk")):
        with pytest.raises(Refusal) as refused:
            stats_usecase.period_stats(seeded, actor, "2026-11-01", "2026-11-02")
        assert refused.value.status == 403


def test_a_demo_with_a_past_is_not_seeded_again(tmp_path: Path) -> None:
    from server.config import DEFAULT_CENTER

    db = tmp_path / "nafitha.db"
    first = history.seed_demo_history(db, DEFAULT_CENTER, 3)
    assert first is not None and first["tickets"] > 0
    assert history.seed_demo_history(db, DEFAULT_CENTER, 3) is None


def test_the_columnar_report_equals_the_one_built_from_facts(seeded: Context) -> None:
    catalog = load_catalog(seeded)
    hour_of = stats_usecase.LocalHour(catalog.center.timezone)
    first, last = date(2026, 11, 2), date(2026, 11, 8)
    target_s = stats_usecase.targets(catalog)
    facts = stats_usecase.read_facts(seeded.db.read(), first, last, hour_of)
    rows = stats_usecase.read_rows(seeded.db.read(), first, last)
    assert stats.report_from_rows(rows, target_s, hour_of) == stats.report(facts, target_s)


def _with_history(folder: Path, days: int) -> tuple[Path, float]:
    db = folder / "nafitha.db"
    today = 1795000000.0  # 2026-11-18
    ctx = open_context(ServerSettings(db=db, ignore_hours=True), clock=lambda: today)
    history.seed_history(ctx, SYSTEM, days, end=date(2026, 11, 18), seed=5)
    ctx.db.close()
    return db, today


def _days_done(ctx: Context) -> int:
    return ctx.db.read().execute("SELECT count(*) FROM stats_days_done").fetchone()[0]


def test_warm_up_builds_every_settled_day_once_and_one_worker_at_a_time(tmp_path: Path) -> None:
    db, today = _with_history(tmp_path, 12)
    ctx = open_context(ServerSettings(db=db, ignore_hours=True), clock=lambda: today)
    try:
        first = ctx.db.read().execute("SELECT min(day) FROM tickets").fetchone()[0]
        settled = (date(2026, 11, 18) - date.fromisoformat(first)).days + 1 - 2
        # another worker holds the lease: nothing is done twice
        with ctx.db.write() as tx:
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('stats_warmup_until', ?)", [str(today + 60)]
            )
        assert stats_usecase.warm_aggregates(ctx) == 0 and _days_done(ctx) == 0
        with ctx.db.write() as tx:
            tx.execute("DELETE FROM meta WHERE key = 'stats_warmup_until'")
        stopped = threading.Event()
        stopped.set()  # a server stopping at once: nothing built, the lease given back
        assert stats_usecase.warm_aggregates(ctx, stopped) == 0 and _days_done(ctx) == 0
        assert stats_usecase.warm_aggregates(ctx) == settled == _days_done(ctx)
        assert stats_usecase.warm_aggregates(ctx) == 0  # all kept already
        lease = ctx.db.read().execute("SELECT value FROM meta WHERE key = 'stats_warmup_until'")
        assert lease.fetchone() is None
    finally:
        ctx.db.close()


def test_the_server_builds_the_aggregates_at_start_without_a_request(tmp_path: Path) -> None:
    db, today = _with_history(tmp_path, 12)
    app = create_app(ServerSettings(db=db, ignore_hours=True), clock=lambda: today)
    with TestClient(app):
        ctx = app.state.ctx
        deadline = time.monotonic() + 60
        while ctx.db.read().execute(
            "SELECT count(*) FROM meta WHERE key = 'stats_warmup_until'"
        ).fetchone()[0] or not _days_done(ctx):
            assert time.monotonic() < deadline, "the aggregates were not built in the background"
            time.sleep(0.2)
        assert _days_done(ctx) == 10  # 12 days, the last two not settled yet
