"""Health, API documentation (OpenAPI + Swagger UI served from an installed package), unknown routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui
from chalice.app import Response

from chalicelib.api import openapi
from chalicelib.api.http import Api, Ctx, error_response
from chalicelib.errors import NotFound
from chalicelib.settings import get_settings

api = Api(__name__, "system")

_ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
}
_STATIC = Path(swagger_ui.__file__).parent / "static"
_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agora API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true});
</script>
</body>
</html>
"""


@api.route("/health", "GET", summary="Liveness", public=True)
def health(ctx: Ctx) -> dict[str, Any]:
    return {"status": "ok", "stage": get_settings().stage}


@api.route("/openapi.json", "GET", summary="This document", public=True)
def openapi_json(ctx: Ctx) -> dict[str, Any]:
    return openapi.document()


@api.route("/docs", "GET", summary="Swagger UI", public=True)
def docs(ctx: Ctx) -> Response:
    return Response(body=_DOCS_PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@api.route("/docs/{asset}", "GET", summary="Swagger UI assets", public=True, errors=(404,))
def docs_asset(ctx: Ctx, asset: str) -> Response:
    content_type = _ASSETS.get(asset)
    if content_type is None:
        raise NotFound("Fichier inconnu.")
    body = (_STATIC / asset).read_text(encoding="utf-8")
    return Response(
        body=body, status_code=200, headers={"Content-Type": content_type, "Cache-Control": "public, max-age=86400"}
    )


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
