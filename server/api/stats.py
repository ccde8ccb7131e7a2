"""GET /api/v1/stats (a period against the one before it) and the CSV exports, for managers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import stats
from server.usecases.context import Actor

router = APIRouter(tags=["stats"])

Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day, YYYY-MM-DD")]
Manager = Annotated[Actor, Depends(permit(Can.VIEW_STATS))]


@router.get("/api/v1/stats")
def period_stats(
    ctx: Ctx, actor: Manager, date_from: Annotated[Day, Query(alias="from")], to: Day
) -> dict[str, Any]:
    """Tickets, waiting and service times (mean, median, p90), service levels, no-shows, quoted
    against actual wait: overall and per service, counter, clerk and hour; and the period before."""
    return stats.period_stats(ctx, actor, date_from, to)


@router.get("/api/v1/stats/tickets.csv")
def tickets_csv(
    ctx: Ctx, actor: Manager, date_from: Annotated[Day, Query(alias="from")], to: Day
) -> StreamingResponse:
    chunks = stats.tickets_csv(ctx, actor, date_from, to)
    name = f"tickets-{date_from}-{to}.csv"
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/api/v1/stats/files.csv")
def files_csv(
    ctx: Ctx, actor: Manager, date_from: Annotated[Day, Query(alias="from")], to: Day
) -> StreamingResponse:
    chunks = stats.files_csv(ctx, actor, date_from, to)
    name = f"files-{date_from}-{to}.csv"
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
