"""/settings, /fields and /users: a tenant's configuration, administered by its admins."""

from __future__ import annotations

from typing import Any

from chalicelib.api.http import Api, Ctx
from chalicelib.schemas.common import ListQuery, Page, listing_json, whole_list
from chalicelib.schemas.tenancy import (
    FieldCreate,
    FieldDef,
    FieldPatch,
    SettingsPatch,
    TenantSettings,
    User,
    UserCreate,
    UserCreated,
    UserPatch,
    custom_field_doc,
    field_def_json,
    settings_changes,
    tenant_settings_json,
    user_changes,
    user_created_json,
    user_json,
)
from chalicelib.services import tenancy, users

api = Api(__name__, "tenant", roles="admin")
field_api = api.resource("/fields/{name}", errors=(404, 409))
user_api = api.resource("/users/{user_id}", response=User, errors=(404,))


@api.get("/settings", response=TenantSettings, roles="any")
def get_settings(ctx: Ctx) -> dict[str, Any]:
    """The tenant's settings"""
    return tenant_settings_json(tenancy.get_settings(ctx.user))


@api.patch("/settings", body=SettingsPatch, response=TenantSettings, errors=(409, 422))
def patch_settings(ctx: Ctx) -> dict[str, Any]:
    """Change settings (admin); version required"""
    patch = ctx.body(SettingsPatch)
    return tenant_settings_json(tenancy.patch_settings(ctx.user, settings_changes(patch), version=patch.version))


@api.get("/fields", response=Page[FieldDef], roles="any")
def list_fields(ctx: Ctx) -> dict[str, Any]:
    """Custom contact fields declared by the tenant"""
    return whole_list([field_def_json(f) for f in tenancy.list_fields(ctx.user)])


@api.post("/fields", body=FieldCreate, response=FieldDef, status=201, errors=(409, 422))
def create_field(ctx: Ctx) -> dict[str, Any]:
    """Declare a custom field (admin)"""
    body = ctx.body(FieldCreate)
    return field_def_json(tenancy.create_field(ctx.user, body.name, custom_field_doc(body)))


@field_api.patch(body=FieldPatch, response=FieldDef, errors=(422,))
def patch_field(ctx: Ctx, name: str) -> dict[str, Any]:
    """Change a field's label or choices (admin)"""
    custom_field = tenancy.load_field(ctx.user, name)
    patch = ctx.body(FieldPatch)
    return field_def_json(tenancy.patch_field(ctx.user, custom_field, label=patch.label, choices=patch.choices))


@field_api.delete(status=204)
def delete_field(ctx: Ctx, name: str) -> None:
    """Remove a field declaration (admin); 409 if it changed since it was read"""
    tenancy.delete_field(ctx.user, name)


@api.get("/users", query=ListQuery, response=Page[User])
def list_users(ctx: Ctx) -> dict[str, Any]:
    """The tenant's users (admin)"""
    query = ctx.query(ListQuery)
    return listing_json(users.list_users(ctx.user, cursor=query.cursor, limit=query.limit), user_json)


@api.post("/users", body=UserCreate, response=UserCreated, status=201, errors=(409, 422))
def create_user(ctx: Ctx) -> dict[str, Any]:
    """Create a user with roles (admin)"""
    body = ctx.body(UserCreate)
    user, temporary_password = users.create_user(
        ctx.user, email=str(body.email), roles=list(body.roles), first_name=body.first_name, last_name=body.last_name
    )
    return user_created_json(user, temporary_password)


@user_api.get()
def get_user(ctx: Ctx, user_id: str) -> dict[str, Any]:
    """One user (admin)"""
    return user_json(users.get_user(ctx.user, user_id))


@user_api.patch(body=UserPatch, errors=(409, 422))
def patch_user(ctx: Ctx, user_id: str) -> dict[str, Any]:
    """Change roles, names or enable/disable (admin)"""
    user = users.load(ctx.user, user_id)
    return user_json(users.patch_user(ctx.user, user, user_changes(ctx.body(UserPatch))))


@user_api.delete(response=None, status=204, errors=(409,))
def delete_user(ctx: Ctx, user_id: str) -> None:
    """Delete a user (admin)"""
    users.delete_user(ctx.user, user_id)
