"""The calling profiles a manager chooses: the center's default and each counter's (audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT
from server.config import CallProfile
from server.domain.roles import Can
from server.usecases import call_profiles
from server.usecases.context import Actor

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
Manager = Annotated[Actor, Depends(permit(Can.SET_CALL_PROFILE))]
CounterId = Annotated[str, Path(max_length=64)]


class CounterProfileIn(BaseModel):
    """A counter's own profile (null: the center's) and its helping services."""

    model_config = INPUT
    profile: CallProfile | None = None
    helps: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=50)


@router.get("/center/profile")
def get_center_profile(ctx: Ctx, actor: Manager) -> dict[str, Any]:
    return call_profiles.center_profile(ctx, actor)


@router.put("/center/profile")
def put_center_profile(body: CallProfile, ctx: Ctx, actor: Manager) -> dict[str, Any]:
    return call_profiles.put_center_profile(ctx, actor, body)


@router.get("/counters/{counter}/profile")
def get_counter_profile(counter: CounterId, ctx: Ctx, actor: Manager) -> dict[str, Any]:
    return call_profiles.counter_profile(ctx, actor, counter)


@router.put("/counters/{counter}/profile")
def put_counter_profile(
    counter: CounterId, body: CounterProfileIn, ctx: Ctx, actor: Manager
) -> dict[str, Any]:
    return call_profiles.put_counter_profile(ctx, actor, counter, body.profile, body.helps)
