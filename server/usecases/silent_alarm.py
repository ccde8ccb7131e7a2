"""The silent alarm: a staff member in trouble at a counter warns the managers without a word.

One key at the counter (docs/counter.md, "Silent alarm") → ``POST /api/v1/counters/{id}/alarm``.
In one transaction: an urgent alert of kind ``silent_alarm`` naming the counter (its number and
name in Arabic and English) for the dashboard, and a ``silent_alarm`` event for the audit log. The
event is never public: nothing reaches the board, the phones or the live stream, where someone
watching could notice it. Pressing again while the alert is still open keeps that one alert (the
dashboard shows it once) and records the press in the log.

No rate limit refuses it: an alarm that can be refused is no alarm. Only a person signed in at
that very counter may raise it (``not_at_counter`` otherwise), so one counter cannot be framed
from another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nafitha.text import LANGS, t
from server.domain.errors import Refusal
from server.domain.roles import Can, require
from server.store import alerts as alerts_store
from server.store import reprints as store
from server.store.events import append_event
from server.usecases.alerts import list_alerts
from server.usecases.catalog import catalog_with
from server.usecases.context import Actor, Context

KIND = "silent_alarm"
WAIT_S = 20.0  # a dashboard's wait for a new alert, then it asks again
WAIT_STEP_S = 0.2  # how often a waiting dashboard's server looks (other workers write too)


def raise_silent_alarm(ctx: Context, actor: Actor, counter_id: str) -> dict[str, Any]:
    """Raise (or repeat) the counter's silent alarm; what was recorded."""
    require(actor, Can.RAISE_SILENT_ALARM)
    catalog = catalog_with(ctx, counter=counter_id)
    counter = catalog.counter(counter_id)
    if actor.counter != counter.id:
        raise Refusal("not_at_counter")
    names = counter.name.model_dump()
    message = " / ".join(
        t("server.silent_alarm_message", lang, number=counter.number, name=names[lang])
        for lang in LANGS
    )
    label = f"counter:{counter.id}"
    now = ctx.now()
    with ctx.db.write() as tx:
        alert_id = store.open_alert_of_kind(tx, KIND, label)
        repeat = alert_id is not None
        if alert_id is None:
            alert_id = alerts_store.insert_alert(tx, now, KIND, message, None, actor.name, label)
        append_event(
            tx,
            KIND,
            at=now,
            actor=actor.name,
            counter=counter.id,
            device=actor.device,
            data={
                "alert": alert_id,
                "kind": KIND,
                "counter": counter.id,
                "number": counter.number,
                "name": names,
                "message": message,
                "repeat": repeat,
            },
            public=None,  # never on the board, the phones or the live stream
        )
    return {"alert": alert_id, "repeat": repeat}


async def wait_for_alerts(
    ctx: Context,
    after: int | None,
    closed: Callable[[], bool] = lambda: False,
    guard: Callable[[Callable[[], Any], Any], Any] = lambda read, stopped: read(),
) -> dict[str, Any]:
    """The open alerts and the newest alert id, once an alert newer than ``after`` exists (at
    once when ``after`` is None), or after :data:`WAIT_S` with what there is.

    The dashboard keeps one such request open, so a silent alarm shows within a fraction of a
    second without being on the public stream. ``closed()`` true (the server stopping) ends the
    wait early. Each read runs through ``guard(read, stopped)`` (the live feed's
    :meth:`~server.events.EventFeed.read_guarded`), so the server's stop waits for a read already
    running in its thread instead of closing the database under it.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S

    def newest_id() -> int:
        # this thread's own connection
        return guard(lambda: store.newest_alert_id(ctx.db.read()), after or 0)

    newest = await asyncio.to_thread(newest_id)
    while after is not None and newest <= after and loop.time() < deadline and not closed():
        await asyncio.sleep(WAIT_STEP_S)
        newest = await asyncio.to_thread(newest_id)
    alerts = await asyncio.to_thread(guard, lambda: list_alerts(ctx), None)
    if alerts is None:  # the server is stopping: no list rather than an empty one
        raise Refusal("storage_unavailable")
    return {"last": newest, "alerts": alerts}
