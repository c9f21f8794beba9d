"""Every API response a test receives is checked against the route's declared model (the HTTP contract).

The response models are the single source of /openapi.json; a route returning anything else (a missing field, a
null where the model has none, a field the model does not declare) fails here, in whichever test met it, so the
document cannot drift from what the API answers. Errors are checked against the one error shape. The status itself
must be one the route declares (api/http.py declared_responses: what the route lists and what its kind adds), and
the body's media type one declared for that status: a page, a PDF or a CSV the document does not announce fails too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema
from pydantic import TypeAdapter

from chalicelib.api.http import RouteDoc, declared_responses
from chalicelib.api.routes import all_routes
from chalicelib.schemas.common import ErrorResponse


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$")


@cache
def _routes() -> list[tuple[re.Pattern[str], int, RouteDoc]]:
    import app  # noqa: F401  (registers the local stage's own routes)

    # Literal segments win over parameters (/events/{id}/guests before /events/{id}): fewer parameters first.
    return sorted(((_pattern(r.path), r.path.count("{"), r) for r in all_routes()), key=lambda x: x[1])


def route_for(method: str, path: str) -> RouteDoc | None:
    bare = path.split("?", 1)[0]
    return next((r for pattern, _, r in _routes() if r.method == method and pattern.match(bare)), None)


def _closed(schema: Any) -> Any:
    """The schema with no undeclared property allowed anywhere: a field the model does not name is drift too."""
    if isinstance(schema, dict):
        closed = {k: _closed(v) for k, v in schema.items()}
        if closed.get("type") == "object" and "properties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@cache
def _validator(tp: Any) -> jsonschema.Draft202012Validator:
    schema = _closed(TypeAdapter(tp).json_schema(mode="serialization"))
    return jsonschema.Draft202012Validator(schema)


class ContractViolation(AssertionError):
    pass


def check(method: str, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
    """Raise ContractViolation when a response's status is not one the route declares, its media type not one
    declared for that status, or a JSON body does not match the declared model (errors: the one error shape)."""
    route = route_for(method, path)
    if route is None:
        return  # Chalice's own answers to unknown routes and methods: checked by the error-shape tests
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    media_type = content_type.split(";")[0].strip().lower()
    declared = declared_responses(route)
    where = f"{method} {route.path} → {status}"
    if status not in declared:
        raise ContractViolation(f"{where} ({media_type}): a status the route does not declare")
    if body and media_type not in declared[status]:
        raise ContractViolation(f"{where}: {media_type} is not declared for it (only {', '.join(declared[status])})")
    if media_type != "application/json" or not body:
        return
    payload = json.loads(body)
    if status >= 400:
        model: Any = ErrorResponse
    elif 200 <= status < 300 and route.response is not None:
        model = route.response
    else:
        return
    errors = sorted(_validator(model).iter_errors(payload), key=lambda e: list(e.absolute_path))
    if errors:
        where = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:200]}" for e in errors[:5])
        raise ContractViolation(f"{method} {route.path} → {status} does not match its declared model: {where}")
