"""The aggregates' keys of a period: whole calendar months, and the days around them."""

from __future__ import annotations

from datetime import date, timedelta

from hub.usecases.ministry_merge import span_keys


def test_whole_months_are_read_as_months_and_every_day_once() -> None:
    assert span_keys(date(2026, 1, 30), date(2026, 4, 2)) == [
        "2026-01-30", "2026-01-31", "2026-02", "2026-03", "2026-04-01", "2026-04-02",
    ]  # fmt: skip
    assert span_keys(date(2026, 2, 1), date(2026, 2, 28)) == ["2026-02"]
    assert span_keys(date(2028, 2, 1), date(2028, 2, 28))[-1] == "2028-02-28"  # a leap year
    assert span_keys(date(2026, 12, 1), date(2027, 1, 31)) == ["2026-12", "2027-01"]
    first, last = date(2025, 11, 17), date(2026, 11, 16)
    keys = span_keys(first, last)
    covered = set()
    for key in keys:
        if len(key) == 10:
            covered.add(key)
        else:
            day = date.fromisoformat(key + "-01")
            while day.isoformat()[:7] == key:
                covered.add(day.isoformat())
                day += timedelta(days=1)
    assert covered == {(first + timedelta(days=i)).isoformat() for i in range(365)}
    assert len(keys) == 11 + 16 + 14
