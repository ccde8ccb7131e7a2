"""Ratings of visits (docs/ratings.md): the citizen's (by the ticket's token), the counter's small
screen's, the managers' figures and CSV, and a clerk's own averages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from server.api.deps import Ctx, client_address, permit
from server.api.inputs import INPUT
from server.domain.ratings import COMMENT_MAX
from server.domain.roles import Can
from server.usecases import rating_figures, ratings
from server.usecases.context import Actor

router = APIRouter(tags=["ratings"])

Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day, YYYY-MM-DD")]
Token = Annotated[str, Path(max_length=64)]
Stars = Annotated[int, Field(ge=1, le=5, description="1 (very bad) to 5 (excellent)")]
Lang = Literal["ar", "en"]


class PhoneRatingIn(BaseModel):
    model_config = INPUT
    stars: Stars
    comment: str | None = Field(
        default=None,
        max_length=COMMENT_MAX,
        description="optional plain text; control and bidi-override characters are removed",
    )
    lang: Lang = "ar"


class CounterRatingIn(BaseModel):
    model_config = INPUT
    stars: Stars
    lang: Lang = "ar"
    ticket: int | None = Field(default=None, description="the visit the screen showed, if any")


@router.post("/api/v1/tickets/public/{token}/rating", status_code=201)
def rate_ticket(token: Token, body: PhoneRatingIn, request: Request, ctx: Ctx) -> dict[str, Any]:
    """The citizen rates a finished visit from its phone page; no login (the token is the
    right), once per ticket. Refusals: ``ticket_not_found``, ``rating_not_finished``,
    ``already_rated``, ``rating_closed``, ``rating_rate_limited`` (429, ``Retry-After``)."""
    return ratings.rate_by_token(
        ctx, client_address(request), token, body.stars, body.comment, body.lang
    )


@router.get("/api/v1/tickets/public/{token}/rating")
def ticket_rating(token: Token, ctx: Ctx) -> dict[str, Any]:
    """Whether the phone page asks for a rating (``rateable``), and the stars if ``rated``."""
    return ratings.rating_by_token(ctx, token)


RatingDevice = Annotated[Actor, Depends(permit(Can.RATE_AT_COUNTER))]


@router.get("/api/v1/counters/{counter}/rating")
def counter_pending(counter: str, ctx: Ctx, actor: RatingDevice) -> dict[str, Any]:
    """The counter's rating screen: the visit finished there in the last minutes and not rated
    (``pending``), or ``pending: null``."""
    return ratings.pending_at_counter(ctx, actor, counter)


@router.post("/api/v1/counters/{counter}/rating", status_code=201)
def rate_at_counter(
    counter: str, body: CounterRatingIn, ctx: Ctx, actor: RatingDevice
) -> dict[str, Any]:
    """The counter's rating screen rates the visit finished last there (within minutes, never
    twice). Refusals: ``nothing_to_rate``, ``unknown_counter``."""
    return ratings.rate_at_counter(ctx, actor, counter, body.stars, body.lang, body.ticket)


Manager = Annotated[Actor, Depends(permit(Can.VIEW_RATINGS))]


@router.get("/api/v1/ratings")
def ratings_figures(
    ctx: Ctx,
    actor: Manager,
    date_from: Annotated[Day, Query(alias="from")],
    to: Day,
    by: Literal["service", "counter", "clerk", "hour"] | None = None,
) -> dict[str, Any]:
    """Satisfaction (count, mean stars, share of 4-5, stars given) overall and per ``by`` (all
    four when omitted), beside each group's wait and service time, and the comments."""
    return rating_figures.figures(ctx, actor, date_from, to, by)


@router.get("/api/v1/ratings.csv")
def ratings_csv(
    ctx: Ctx, actor: Manager, date_from: Annotated[Day, Query(alias="from")], to: Day
) -> StreamingResponse:
    """Every rating of the period, one row each; a cell a spreadsheet would run is prefixed."""
    chunks = rating_figures.ratings_csv(ctx, actor, date_from, to)
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ratings-{date_from}-{to}.csv"'},
    )


@router.get("/api/v1/me/ratings")
def my_ratings(
    ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.VIEW_OWN_RATINGS))]
) -> dict[str, Any]:
    """The signed-in clerk's own averages (today, the last 7 and 30 days); nobody else's, and no
    comments."""
    return rating_figures.my_ratings(ctx, actor)
