"""CORS for the hosted frontend: an allow-list of origins per stage (AGORA_CORS_ORIGINS).

The app answers the preflight of every route itself (an OPTIONS route per path, registered by `Api.route`, with
no authorizer: browsers never send credentials on a preflight, Fetch standard § 3.2.2) and echoes the request's
`Origin` on every answer when the origin is in the list, never otherwise, with `Vary: Origin` so that a cache
never hands one origin's answer to another. API Gateway's own error responses carry the stage's first origin
(infra/resources.json), since they cannot choose per request.
"""

from __future__ import annotations

from collections.abc import Iterable

from chalice.app import Request, Response

from chalicelib.settings import get_settings

ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "If-Match")
EXPOSED_HEADERS = ("Location", "Retry-After", "Content-Disposition")
MAX_AGE_SECONDS = 600  # browsers cap it anyway (Chromium: 2 hours)


def allowed_origin(request: Request) -> str | None:
    """The request's Origin when the stage allows it, else None (compared exactly, as the browser sends it)."""
    origin = request.headers.get("origin") if request.headers else None
    return origin if isinstance(origin, str) and origin in get_settings().allowed_origins else None


def preflight(request: Request, methods: Iterable[str]) -> Response:
    """The answer to an OPTIONS preflight: 204 with what the route allows, or 403 for an origin not listed."""
    origin = allowed_origin(request)
    if origin is None:
        return Response(
            body={"error": {"code": "forbidden", "message": "Origine non autorisée pour cette API.", "details": []}},
            status_code=403,
            headers={"Content-Type": "application/json", "Vary": "Origin"},
        )
    return Response(
        body="",
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ", ".join(sorted({*methods, "OPTIONS"})),
            "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
            "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
            "Vary": "Origin",
        },
    )


def decorate(request: Request, response: Response) -> Response:
    """Every other answer: the allowed origin echoed, the headers a script may read exposed."""
    response.headers["Vary"] = _vary(response.headers.get("Vary"))
    origin = allowed_origin(request)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
    return response


def _vary(current: str | list[str] | None) -> str:
    joined = ", ".join(current) if isinstance(current, list) else current or ""
    names = [v.strip() for v in joined.split(",") if v.strip()]
    return ", ".join(names if any(n.lower() == "origin" for n in names) else [*names, "Origin"])
