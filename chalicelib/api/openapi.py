"""The OpenAPI 3.1 document, built from the routes' pydantic models (their single source)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from chalicelib.api.http import Api, RouteDoc
from chalicelib.schemas.common import ErrorResponse

_REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "Missing, expired or invalid token",
    403: "Role not allowed, or the tenant's space disabled by the operator (« Espace désactivé »)",
    404: "Not found (or another tenant's)",
    409: "Version conflict",
    413: "Payload too large",
    422: "Validation error, field by field",
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
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schemas.ref(route.body, "validation")}},
        }
    ok: dict[str, Any] = {"description": "Success"}
    if route.response is not None and route.status != 204:
        ok["content"] = {"application/json": {"schema": schemas.ref(route.response, "serialization")}}
    for media_type in route.produces:
        ok.setdefault("content", {})[media_type] = {"schema": {"type": "string", "format": "binary"}}
        ok["description"] = f"Success: JSON, or {media_type} when the Accept header asks for it"
    responses: dict[str, Any] = {str(route.status): ok}
    error_ref = schemas.ref(ErrorResponse, "serialization")
    codes = set(route.errors) | ({400} if route.body else set())
    if not route.public:
        codes |= {401, 403}
        op["security"] = [{"cognito": []}]
    else:
        op["security"] = []
    for code in sorted(codes):
        responses[str(code)] = {
            "description": _ERROR_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    op["responses"] = responses
    if route.roles != "any":
        op["description"] = f"Requires role: {route.roles}."
    return op


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


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    schemas = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    for route in Api.registry:
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
