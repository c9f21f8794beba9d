"""/docs: Swagger UI over /openapi.json, on the local stage only.

Swagger UI's assets (from the swagger-ui-py package, pyproject's `local` extra) weigh 25 MB: they stay out of
the Lambda package, paid at every cold start of every function for a page no citizen opens. Deployed stages
serve /openapi.json, which any OpenAPI viewer reads.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from chalice.app import Response

from chalicelib.api.http import Api, Ctx
from chalicelib.errors import NotFound

api = Api(__name__, "system", public=True)

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


@api.get("/docs", answers={200: ("text/html",)})
def docs(ctx: Ctx) -> Response:
    """Swagger UI"""
    return Response(body=_DOCS_PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@api.get("/docs/{asset}", errors=(404,), answers={200: ("text/css", "application/javascript")})
def docs_asset(ctx: Ctx, asset: str) -> Response:
    """Swagger UI assets"""
    content_type = _ASSETS.get(asset)
    if content_type is None:
        raise NotFound("Fichier inconnu.")
    body = (_STATIC / asset).read_text(encoding="utf-8")
    return Response(
        body=body, status_code=200, headers={"Content-Type": content_type, "Cache-Control": "public, max-age=86400"}
    )
