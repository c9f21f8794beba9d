"""The OpenAPI 3.1 document, built from the routes' pydantic models (their single source)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from chalicelib.api.http import HTML, JSON, RouteDoc, declared_responses
from chalicelib.api.routes import all_routes
from chalicelib.schemas.common import ErrorResponse
from chalicelib.settings import get_settings, public_base_url

_REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "Missing, expired or invalid token",
    403: "Role not allowed, or the tenant's space disabled by the operator (« Espace désactivé »)",
    404: "Not found (or another tenant's)",
    406: "The document exists in another format only: ask for it by the Accept header",
    409: "Conflict: version, state, or a duplicate",
    410: "Gone: the link has expired",
    413: "Payload too large",
    415: "Unsupported request media type",
    422: "Validation error, field by field",
    429: "Too many requests: retry after Retry-After seconds",
}


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def ref(self, tp: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        schema = TypeAdapter(tp).json_schema(ref_template=_REF, mode=mode)
        self.components.update(schema.pop("$defs", {}))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            name = schema.get("title", tp.__name__)
            self.components[name] = schema
            return {"$ref": _REF.format(model=name)}
        return schema


def _parameters(route: RouteDoc, schemas: _Schemas) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", route.path)
    ]
    if route.query is not None:
        schema = TypeAdapter(route.query).json_schema(ref_template=_REF)
        schemas.components.update(schema.pop("$defs", {}))
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if route.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "A retry with the same key within 24 hours gets the first answer, not a second job; "
                "the same key with another body: 422; while the first runs: 409.",
            }
        )
    return params


def _operation(route: RouteDoc, schemas: _Schemas) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": route.name, "summary": route.summary, "tags": [route.tag]}
    params = _parameters(route, schemas)
    if params:
        op["parameters"] = params
    request = _request_body(route, schemas)
    if request:
        op["requestBody"] = request
    op["responses"] = {
        str(status): _response(route, status, media, schemas) for status, media in declared_responses(route).items()
    }
    op["security"] = [] if route.public else [{"cognito": []}]
    if route.roles != "any":
        op["description"] = f"Requires role: {route.roles}."
    return op


def _request_body(route: RouteDoc, schemas: _Schemas) -> dict[str, Any] | None:
    """JSON by the route's body model; the others (a CSV, a public page's form) by ``bodies``."""
    content: dict[str, Any] = {}
    for media_type in route.content_types:
        if media_type == JSON:
            if route.body is not None:
                content[JSON] = {"schema": schemas.ref(route.body, "validation")}
            continue
        described = route.bodies.get(media_type)
        if described is None:
            content[media_type] = {"schema": _opaque(media_type)}
        elif isinstance(described, dict):
            content[media_type] = {"schema": described}
        else:
            content[media_type] = {"schema": schemas.ref(described, "validation")}
    return {"required": True, "content": content} if content else None


def _response(route: RouteDoc, status: int, media_types: tuple[str, ...], schemas: _Schemas) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": _description(route, status, media_types)}
    content: dict[str, Any] = {}
    for media_type in media_types:
        if media_type != JSON:
            content[media_type] = {"schema": _opaque(media_type)}
        elif status >= 400:
            content[JSON] = {"schema": schemas.ref(ErrorResponse, "serialization")}
        elif route.response is not None:
            content[JSON] = {"schema": schemas.ref(route.response, "serialization")}
        else:
            content[JSON] = {"schema": {"type": "object"}}
    if content:
        answer["content"] = content
    if status == 429:
        wait = "Seconds to wait (the app's own limits; API Gateway's throttling may omit it)"
        answer["headers"] = {"Retry-After": {"description": wait, "schema": {"type": "integer"}}}
    return answer


def _description(route: RouteDoc, status: int, media_types: tuple[str, ...]) -> str:
    if status >= 400:
        text = _ERROR_TEXT.get(status, "Error")
        return text + (" (a French page)" if HTML in media_types else "")
    others = [m for m in media_types if m != JSON]
    if JSON in media_types and others and set(others) <= set(route.produces):
        return f"Success: JSON, or {' / '.join(others)} when the Accept header asks for it"
    if JSON in media_types and others:
        return f"Success: JSON to a JSON request, {' / '.join(others)} to a form"
    if others:
        return f"Success: {' / '.join(others)}"
    return "Success" if media_types else "Success, no body"


def _opaque(media_type: str) -> dict[str, Any]:
    """A body the document does not model field by field: text (a page, a CSV) or bytes (a PDF, a workbook)."""
    if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
        return {"type": "string", "contentMediaType": media_type}
    return {"type": "string", "format": "binary"}


def _component_name(name: str) -> str:
    """OpenAPI names allow [A-Za-z0-9._-]: "Page[Contact]" becomes "Page_Contact"."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


def _rename_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                _REF.format(model=_component_name(v.rsplit("/", 1)[1]))
                if k == "$ref" and isinstance(v, str)
                else _rename_refs(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(v) for v in node]
    return node


def served() -> dict[str, Any]:
    """The document as this request gets it: paths relative to this stage's base URL (`servers`)."""
    return {**document(), "servers": servers()}


def servers() -> list[dict[str, str]]:
    """Where the paths start: AGORA_PUBLIC_BASE_URL (a custom domain, the local stack's URL), else the API
    Gateway address and stage the request came through (https://{domain}/api), else the document's own root
    (chalice local without a configured URL, the test client)."""
    try:
        url = public_base_url()
    except RuntimeError:
        url = "/"
    return [{"url": url, "description": f"Agora API, stage {get_settings().stage}"}]


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The stage-independent part, built once per process (a hundred routes' schemas: a few tens of ms)."""
    schemas = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    for route in all_routes():
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, schemas)
    components = {_component_name(k): v for k, v in schemas.components.items()}
    document: dict[str, Any] = _rename_refs(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Agora API",
                "version": "1.0.0",
                "description": "Citizen-relationship CRM for French communes. Errors: "
                '{"error": {"code", "message", "details"}}; lists: {"items", "next_cursor"}.',
            },
            "servers": [{"url": "/"}],
            "paths": dict(sorted(paths.items())),
            "components": {
                "schemas": dict(sorted(components.items())),
                "securitySchemes": {
                    "cognito": {
                        "type": "http",
                        "scheme": "bearer",
                        "bearerFormat": "JWT",
                        "description": "Cognito ID token (USER_PASSWORD_AUTH)",
                    },
                },
            },
        }
    )
    return document
