"""The demo's past ratings: a share of the simulated past visits rated, so the dashboard's
satisfaction section and the self-assessment page show something on a fresh demo
(``nafitha demo --history DAYS``; docs/ratings.md).

Stars lean on the visit's wait against its service's target (a long wait is rated lower); a few
carry a short comment in the visit's language. One ``ratings_seeded`` event records the batch
(as ``history_seeded`` does for the tickets).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from server.store import ratings as store
from server.store.events import append_event
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

RATED_SHARE = 0.3
COMMENT_SHARE = 0.15
COMMENTS = {  # what citizens write, as sample data
    "ar": ("خدمة سريعة، شكراً", "الموظف كان لطيفاً", "الانتظار طويل", "القاعة مزدحمة"),
    "en": ("Quick service, thanks", "The clerk was kind", "A long wait", "The hall was crowded"),
}


def seed_ratings(ctx: Context, actor: Actor, first: date, last: date, seed: int) -> int:
    """Rate a share of the finished visits of ``first..last`` that have no rating; how many."""
    catalog = load_catalog(ctx)
    target = {s.id: s.target_wait_min * 60.0 for s in catalog.services.values()}
    rng = random.Random(seed)
    rated = 0
    with ctx.db.write() as tx:
        rows = store.finished_visits(tx, first.isoformat(), last.isoformat())
        for ticket_id, day, service, counter, clerk, issued, called, finished in rows:
            if rng.random() >= RATED_SHARE:
                continue
            waited = (called or finished) - issued
            late = waited > target.get(service, 1800.0)
            stars = rng.choice((4, 3, 2, 2, 1) if late else (5, 5, 4, 4, 3))
            lang = rng.choice(("ar", "ar", "en"))
            comment = rng.choice(COMMENTS[lang]) if rng.random() < COMMENT_SHARE else ""
            rated += store.insert_rating(
                tx, ticket_id=ticket_id, stars=stars, comment=comment, lang=lang,
                at=finished + rng.uniform(60, 900), source=rng.choice(("phone", "counter")),
                day=day, finished_at=finished, service=service, counter=counter, clerk=clerk,
            )  # fmt: skip
        summary: dict[str, Any] = {"from": first.isoformat(), "to": last.isoformat()}
        append_event(
            tx, "ratings_seeded", at=ctx.now(), actor=actor.name, data={**summary, "count": rated}
        )
    return rated
