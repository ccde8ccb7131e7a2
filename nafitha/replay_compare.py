"""A table compared with its replay from the event log: every column that disagrees, named.

The replay (:mod:`nafitha.replay`) says what each ticket, file or history entry should be;
this module lines the table's rows up against it. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nafitha.replay import UNKNOWN, Replayed

# Times are compared to the millisecond: a stored REAL may differ from the event's float in its
# last digits (a datetime round trip keeps microseconds); an edit of under 1 ms changes nothing.
TIME_TOLERANCE_S = 0.001


@dataclass(frozen=True)
class Difference:
    """One way a table disagrees with the log: ``what`` (ticket/file) ``key``, the column, the
    table's value and the log's, and the last event about it (where to start looking)."""

    what: str
    key: str
    label: str
    column: str
    table: Any
    log: Any
    event: int | None

    def describe(self) -> str:
        name = f"{self.what} {self.key}" + (f" ({self.label})" if self.label else "")
        where = f"; last event about it: {self.event}" if self.event else ""
        if self.column == "(row)":
            return f"{name}: {self.table}{where}"
        return (
            f"{name}: {self.column} is {self.table!r} in the table,"
            f" {self.log!r} by the events{where}"
        )


def _same(column: str, table: Any, log: Any) -> bool:
    if log is UNKNOWN:
        return True
    if column == "at" or column.endswith("_at") or column.endswith("_s"):
        if table is None or log is None:
            return table is None and log is None
        try:
            return abs(float(table) - float(log)) <= TIME_TOLERANCE_S
        except (TypeError, ValueError):
            return False
    if column in ("documents_received", "missing") and isinstance(table, str):
        try:
            table = json.loads(table)
        except ValueError:
            return False
    return bool(table == log)


def compare_rows(
    what: str,
    replayed: Mapping[Any, Replayed],
    rows: Mapping[Any, Mapping[str, Any]],
    columns: tuple[str, ...],
    label: Callable[[Mapping[str, Any]], str] = lambda row: "",
    covered: Callable[[Any, Mapping[str, Any]], bool] = lambda key, row: False,
) -> list[Difference]:
    """Every disagreement between ``rows`` (the table, by key) and ``replayed`` (the log).

    ``covered(key, row)`` says a row with no event of its own is accounted for otherwise (seeded
    history checked as a block).
    """
    found: list[Difference] = []
    for key in sorted(set(replayed) | set(rows), key=lambda k: (str(type(k)), k)):
        row, log = rows.get(key), replayed.get(key)
        if log is None:
            assert row is not None
            if not covered(key, row):
                found.append(
                    Difference(what, str(key), label(row), "(row)", "in the table, but no event"
                               " ever wrote it", None, None)
                )  # fmt: skip
            continue
        if row is None:
            found.append(
                Difference(what, str(key), "", "(row)", f"written by event {log.first_event},"
                           " but missing from the table", None, log.last_event)
            )  # fmt: skip
            continue
        if log.values.get("issued") is False or log.values.get("opened") is False:
            found.append(
                Difference(what, str(key), label(row), "(row)", "in the table, but the event"
                           " that created it is not in the log", None, log.last_event)
            )  # fmt: skip
        for column in columns:
            if not _same(column, row[column], log.values.get(column, UNKNOWN)):
                found.append(
                    Difference(
                        what, str(key), label(row), column, row[column], log.values[column],
                        log.last_event,
                    )
                )  # fmt: skip
    return found
