"""Admin: the catalog (categories, services, counters), people and devices. All audited."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT, NewPassword, PlainLine
from server.config import Category, Counter, Service
from server.domain.errors import Refusal
from server.domain.roles import Can
from server.usecases import catalog_admin, people
from server.usecases.context import Actor

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
CatalogEditor = Annotated[Actor, Depends(permit(Can.EDIT_CATALOG))]
PeopleAdmin = Annotated[Actor, Depends(permit(Can.MANAGE_PEOPLE))]
DeviceAdmin = Annotated[Actor, Depends(permit(Can.MANAGE_DEVICES))]
ItemId = Annotated[str, Path(max_length=64)]


def _same_id(path_id: str, body_id: str) -> None:
    if path_id != body_id:
        raise Refusal(
            "invalid_input",
            field="id",
            reason={"ar": "يختلف عن المسار", "en": "differs from the path"},
        )


@router.put("/categories/{item_id}")
def put_category(item_id: ItemId, body: Category, ctx: Ctx, actor: CatalogEditor) -> dict[str, Any]:
    _same_id(item_id, body.id)
    return catalog_admin.put_category(ctx, actor, body)


@router.put("/services/{item_id}")
def put_service(item_id: ItemId, body: Service, ctx: Ctx, actor: CatalogEditor) -> dict[str, Any]:
    _same_id(item_id, body.id)
    return catalog_admin.put_service(ctx, actor, body)


@router.put("/counters/{item_id}")
def put_counter(item_id: ItemId, body: Counter, ctx: Ctx, actor: CatalogEditor) -> dict[str, Any]:
    _same_id(item_id, body.id)
    return catalog_admin.put_counter(ctx, actor, body)


class PersonIn(BaseModel):
    model_config = INPUT
    username: str = Field(pattern=r"^[a-z0-9._-]{2,32}$")
    role: Literal["clerk", "manager", "admin", "auditor"] = "clerk"
    password: NewPassword | None = None
    name: PlainLine(100) = ""


class PersonChange(BaseModel):
    model_config = INPUT
    role: Literal["clerk", "manager", "admin", "auditor"] | None = None
    password: NewPassword | None = None
    name: PlainLine(100) | None = None
    active: bool | None = None


class DeviceIn(BaseModel):
    model_config = INPUT
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,47}$")
    kind: Literal["kiosk", "counter", "board"] = "kiosk"
    name: PlainLine(100) = ""


@router.get("/people")
def list_people(ctx: Ctx, actor: PeopleAdmin) -> list[dict[str, Any]]:
    return people.list_people(ctx)


@router.post("/people", status_code=201)
def create_person(body: PersonIn, ctx: Ctx, actor: PeopleAdmin) -> dict[str, Any]:
    return people.create_person(ctx, actor, body.username, body.role, body.password, body.name)


@router.patch("/people/{username}")
def update_person(
    username: Annotated[str, Path(max_length=64)], body: PersonChange, ctx: Ctx, actor: PeopleAdmin
) -> dict[str, Any]:
    return people.update_person(
        ctx, actor, username, body.role, body.password, body.name, body.active
    )


@router.get("/devices")
def list_devices(ctx: Ctx, actor: DeviceAdmin) -> list[dict[str, Any]]:
    return people.list_devices(ctx)


@router.post("/devices", status_code=201)
def create_device(body: DeviceIn, ctx: Ctx, actor: DeviceAdmin) -> dict[str, Any]:
    """A new device; its token is in this answer only."""
    return people.create_device(ctx, actor, body.id, body.kind, body.name)


@router.post("/devices/{device_id}/revoke")
def revoke_device(device_id: ItemId, ctx: Ctx, actor: DeviceAdmin) -> dict[str, Any]:
    return people.revoke_device(ctx, actor, device_id)
