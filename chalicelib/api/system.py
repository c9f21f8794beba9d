"""Health, the OpenAPI document (every stage), unknown routes. Swagger UI: api/docs.py (local stage)."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api import openapi
from chalicelib.api.http import Api, Ctx, error_response
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings

api = Api(__name__, "system")


@api.route("/health", "GET", summary="Liveness", public=True)
def health(ctx: Ctx) -> dict[str, Any]:
    return {"status": "ok", "stage": get_settings().stage}


@api.route("/openapi.json", "GET", summary="This document", public=True)
def openapi_json(ctx: Ctx) -> dict[str, Any]:
    return openapi.served()


# API Gateway and chalice local answer a path matching no route with a 403 "Missing
# Authentication Token" of their own shape. These catch-alls (sorted after every real route)
# make the app answer 404 in the API's error shape instead, in every stage; deeper paths are
# covered in AWS by the MISSING_AUTHENTICATION_TOKEN gateway response (infra/).
_FALLBACK_DEPTH = 6
_FALLBACK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _unknown_route(**_: str) -> Response:
    return error_response(NotFound("Adresse inconnue."))


for _depth in range(1, _FALLBACK_DEPTH + 1):
    _path = "".join(f"/{{fallback{n}}}" for n in range(1, _depth + 1))
    api.bp.route(_path, methods=_FALLBACK_METHODS, content_types=["*/*"], name=f"unknown_route_{_depth}")(
        _unknown_route
    )
