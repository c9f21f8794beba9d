"""What the user pool holds for the app's users: the groups that carry their roles, their attributes, whether they may
sign in."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.settings import get_settings


def groups_of(email: str) -> list[str]:
    """The user's groups (their roles), sorted."""
    found = aws.cognito().admin_list_groups_for_user(UserPoolId=get_settings().user_pool_id, Username=email)
    return sorted(g["GroupName"] for g in found["Groups"])


def cognito_user(email: str) -> dict[str, Any]:
    """The user's attributes by name, and `enabled`: whether they may sign in."""
    user = aws.cognito().admin_get_user(UserPoolId=get_settings().user_pool_id, Username=email)
    return {"enabled": user["Enabled"], **{a["Name"]: a["Value"] for a in user["UserAttributes"]}}


def sign_in_enabled(email: str) -> bool:
    return bool(cognito_user(email)["enabled"])
