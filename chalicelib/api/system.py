"""Health, the OpenAPI document (every stage). Unknown routes: api/routes.py; Swagger UI: api/docs.py (local stage)."""

from __future__ import annotations

from typing import Any

from chalicelib.api import openapi
from chalicelib.api.http import Api, Ctx
from chalicelib.settings import get_settings

api = Api(__name__, "system", public=True)


@api.get("/health")
def health(ctx: Ctx) -> dict[str, Any]:
    """Liveness"""
    return {"status": "ok", "stage": get_settings().stage}


@api.get("/openapi.json")
def openapi_json(ctx: Ctx) -> dict[str, Any]:
    """This document"""
    return openapi.served()
