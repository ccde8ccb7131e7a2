"""``nafitha hub status | verify | resume``: what an operator runs beside the running hub."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from hub.commands.serve import nats_url
from hub.config import HubSettings


def _ago(moment: float | None, now: float) -> str:
    if moment is None:
        return "never"
    seconds = max(0.0, now - moment)
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def _live_leaves(settings: HubSettings) -> dict:
    from hub.usecases.verify import ask_leaves

    ids = [c.id for c in settings.centers]
    return asyncio.run(ask_leaves(nats_url(settings), settings.nats.writer_password, ids, 2.0))


def status(settings: HubSettings, args: argparse.Namespace) -> int:
    """One line per center; the lag asked live from each reachable leaf, else as last recorded."""
    from hub.store.database import connect_reader
    from hub.usecases.leaf import LastRelayed
    from hub.usecases.status import all_centers, lag, open_alarms

    leaves = _live_leaves(settings)
    with connect_reader(settings.postgres.dsn) as conn:
        rows = all_centers(conn)
        alarms = open_alarms(conn) if args.alarms else []
    now = time.time()
    out = []
    for row in rows:
        item = row.to_json()
        leaf = leaves.get(row.id)
        item["leaf_reachable"] = isinstance(leaf, LastRelayed)
        if isinstance(leaf, LastRelayed):
            figures = {
                "leaf_seq": leaf.seq,
                "leaf_at": leaf.at,
                "head_seq": row.head_seq,
                "head_at": row.head_at,
            }
            item["leaf_seq"] = leaf.seq
            item["lag_events"], item["lag_s"] = lag(figures)
        out.append(item)
    if args.json:
        print(json.dumps({"centers": out, "alarms": alarms}, ensure_ascii=False, default=str))
        return 0
    head = f"{'center':<16} {'status':<8} {'head':>9} {'lag ev':>8} {'lag s':>8}"
    print(f"{head}  {'contact':<14} alarms")
    for item in out:
        lag_events = "?" if item["lag_events"] is None else str(item["lag_events"])
        lag_s = "?" if item["lag_s"] is None else f"{item['lag_s']:.1f}"
        reach = "" if item["leaf_reachable"] else " (leaf unreachable now)"
        print(
            f"{item['id']:<16} {item['status']:<8} {item['head_seq']:>9} {lag_events:>8}"
            f" {lag_s:>8}  {_ago(item['last_contact'], now):<14} {item['open_alarms']}{reach}"
        )
        if item["status"] == "stopped":
            print(f"  stopped: {item['stopped_reason']}")
    for alarm in alarms:
        print(f"alarm {alarm['id']} {alarm['center']} seq {alarm['seq']} {alarm['kind']}: "
              f"{alarm['detail']}")  # fmt: skip
    return 0


def verify(settings: HubSettings, args: argparse.Namespace) -> int:
    """0 when every chain recomputes and agrees with its reachable leaf, 1 otherwise."""
    from hub.store.database import connect_reader
    from hub.usecases.leaf import LastRelayed
    from hub.usecases.verify import compare_with_leaf, verify_chain

    leaves = _live_leaves(settings)
    bad = 0
    with connect_reader(settings.postgres.dsn) as conn:
        for center in settings.centers:
            check = verify_chain(conn, center.id)
            leaf = leaves.get(center.id)
            if isinstance(leaf, LastRelayed):
                compare_with_leaf(conn, check, leaf)
            else:
                check.notes.append(f"leaf not compared: {leaf}")
            print(f"{center.id}: {'ok' if check.ok else 'PROBLEMS'}")
            for note in check.notes:
                print(f"  {note}")
            for problem in check.problems[:50]:
                print(f"  PROBLEM: {problem}")
            bad += not check.ok
    return 1 if bad else 0


def resume(settings: HubSettings, args: argparse.Namespace) -> int:
    from hub.store.database import connect
    from hub.usecases.status import resume as resume_center

    with connect(settings.postgres.dsn) as conn:
        cleared = resume_center(conn, args.center, args.by, time.time())
    if cleared is None:
        print(f"nafitha hub: {args.center} is not stopped (or unknown)", file=sys.stderr)
        return 1
    print(f"{args.center}: intake resumes; {cleared} alarms marked as seen by {args.by}")
    return 0
