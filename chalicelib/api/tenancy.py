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

api = Api(__name__, "tenant")


@api.route("/settings", "GET", summary="The tenant's settings", response=TenantSettings)
def get_settings(ctx: Ctx) -> dict[str, Any]:
    return tenant_settings_json(tenancy.get_settings(ctx.user))


@api.route(
    "/settings",
    "PATCH",
    summary="Change settings (admin); version required",
    body=SettingsPatch,
    response=TenantSettings,
    roles="admin",
    errors=(409, 422),
)
def patch_settings(ctx: Ctx) -> dict[str, Any]:
    patch = ctx.body(SettingsPatch)
    return tenant_settings_json(tenancy.patch_settings(ctx.user, settings_changes(patch), version=patch.version))


@api.route("/fields", "GET", summary="Custom contact fields declared by the tenant", response=Page[FieldDef])
def list_fields(ctx: Ctx) -> dict[str, Any]:
    return whole_list([field_def_json(f) for f in tenancy.list_fields(ctx.user)])


@api.route(
    "/fields",
    "POST",
    summary="Declare a custom field (admin)",
    body=FieldCreate,
    response=FieldDef,
    status=201,
    roles="admin",
    errors=(409, 422),
)
def create_field(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body(FieldCreate)
    return field_def_json(tenancy.create_field(ctx.user, body.name, custom_field_doc(body)))


@api.route(
    "/fields/{name}",
    "PATCH",
    summary="Change a field's label or choices (admin)",
    body=FieldPatch,
    response=FieldDef,
    roles="admin",
    errors=(404, 409, 422),
)
def patch_field(ctx: Ctx, name: str) -> dict[str, Any]:
    custom_field = tenancy.load_field(ctx.user, name)
    patch = ctx.body(FieldPatch)
    return field_def_json(tenancy.patch_field(ctx.user, custom_field, label=patch.label, choices=patch.choices))


@api.route(
    "/fields/{name}",
    "DELETE",
    summary="Remove a field declaration (admin); 409 if it changed since it was read",
    status=204,
    roles="admin",
    errors=(404, 409),
)
def delete_field(ctx: Ctx, name: str) -> None:
    tenancy.delete_field(ctx.user, name)


@api.route("/users", "GET", summary="The tenant's users (admin)", query=ListQuery, response=Page[User], roles="admin")
def list_users(ctx: Ctx) -> dict[str, Any]:
    query = ctx.query(ListQuery)
    return listing_json(users.list_users(ctx.user, cursor=query.cursor, limit=query.limit), user_json)


@api.route(
    "/users",
    "POST",
    summary="Create a user with roles (admin)",
    body=UserCreate,
    response=UserCreated,
    status=201,
    roles="admin",
    errors=(409, 422),
)
def create_user(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body(UserCreate)
    user, temporary_password = users.create_user(
        ctx.user, email=str(body.email), roles=list(body.roles), first_name=body.first_name, last_name=body.last_name
    )
    return user_created_json(user, temporary_password)


@api.route("/users/{user_id}", "GET", summary="One user (admin)", response=User, roles="admin", errors=(404,))
def get_user(ctx: Ctx, user_id: str) -> dict[str, Any]:
    return user_json(users.get_user(ctx.user, user_id))


@api.route(
    "/users/{user_id}",
    "PATCH",
    summary="Change roles, names or enable/disable (admin)",
    body=UserPatch,
    response=User,
    roles="admin",
    errors=(404, 409, 422),
)
def patch_user(ctx: Ctx, user_id: str) -> dict[str, Any]:
    user = users.load(ctx.user, user_id)
    return user_json(users.patch_user(ctx.user, user, user_changes(ctx.body(UserPatch))))


@api.route("/users/{user_id}", "DELETE", summary="Delete a user (admin)", status=204, roles="admin", errors=(404, 409))
def delete_user(ctx: Ctx, user_id: str) -> None:
    users.delete_user(ctx.user, user_id)
