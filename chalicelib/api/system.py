"""Health, the OpenAPI document (every stage). Unknown routes: api/routes.py; Swagger UI: api/docs.py (local stage)."""

from __future__ import annotations

from typing import Any

from chalicelib.api import openapi
from chalicelib.api.http import Api, Ctx
from chalicelib.settings import get_settings

api = Api(__name__, "system")


@api.route("/health", "GET", summary="Liveness", public=True)
def health(ctx: Ctx) -> dict[str, Any]:
    return {"status": "ok", "stage": get_settings().stage}


@api.route("/openapi.json", "GET", summary="This document", public=True)
def openapi_json(ctx: Ctx) -> dict[str, Any]:
    return openapi.served()
