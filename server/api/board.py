"""GET /api/v1/board (the board's state, public) and PUT /api/v1/board/message (managers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT, PlainLine
from server.domain.roles import Can
from server.usecases import board
from server.usecases.context import Actor

router = APIRouter(tags=["board"])


class BoardMessageIn(BaseModel):
    model_config = INPUT
    message: PlainLine(1000)


@router.get("/api/v1/board")
def board_state(ctx: Ctx) -> dict[str, Any]:
    """Today's latest calls, waiting per service, the message, and the event id to resume at."""
    return board.board_state(ctx)


@router.put("/api/v1/board/message")
def set_board_message(
    body: BoardMessageIn, ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.SET_BOARD_MESSAGE))]
) -> dict[str, Any]:
    return board.set_board_message(ctx, actor, body.message)
