"""The thin HTTP layer shared by every blueprint.

`Api.route` registers a Chalice route and records what the OpenAPI document needs; its
wrapper turns service errors into the API's one error shape. `http_pipeline` is the app's
HTTP middleware: authentication, error normalisation (Chalice's own 405/415/500 included),
audit flush, security headers.
"""

from __future__ import annotations

import inspect
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypedDict, TypeVar, Unpack, cast
from urllib.parse import parse_qs

from chalice.app import Blueprint, CognitoUserPoolAuthorizer, Request, Response
from pydantic import BaseModel

from chalicelib import auth, observability
from chalicelib.api import cors
from chalicelib.domain.roles import can_handle_donations, can_send_campaigns
from chalicelib.errors import AgoraError, BadRequest, Forbidden, NotAcceptable, NotFound, PayloadTooLarge
from chalicelib.settings import Settings, get_settings, use_request_base_url

logger = logging.getLogger("agora.http")

M = TypeVar("M", bound=BaseModel)
_H = TypeVar("_H", bound=Callable[..., Any])  # a route's handler

PUBLIC_PREFIXES = ("/public/", "/docs", "/dev/")  # /dev/ exists in the local stage only
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs"})

# In AWS stages API Gateway checks the ID token before the Lambda runs. The pool is created by
# the same stack, so its ARN is unknown when `chalice package` runs: infra/resources.json
# replaces this placeholder with the pool's ARN (a deploy without it fails on the bad ARN).
COGNITO_AUTHORIZER = CognitoUserPoolAuthorizer(
    "AgoraCognito", provider_arns=["arn:aws:cognito-idp:::userpool/set-by-infra-resources-json"]
)

# Chalice's own error codes (its {"Code", "Message"} bodies) → ours.
_CHALICE_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}
_CHALICE_MESSAGES = {
    405: "Méthode non autorisée pour cette adresse.",
    415: "Type de contenu non pris en charge : envoyez du JSON (application/json).",
    500: "Erreur interne : l'équipe technique a été prévenue.",
}


@dataclass
class RouteDoc:
    path: str
    method: str
    name: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    public: bool = False
    roles: str = "any"
    errors: tuple[int, ...] = ()
    produces: tuple[str, ...] = ()  # media types served besides JSON, chosen by the Accept header
    idempotent: bool = False  # honours Idempotency-Key (services/idempotency.py)
    answers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # status → non-JSON media (pages, files)
    content_types: tuple[str, ...] = ("application/json",)  # request bodies Chalice lets through
    bodies: dict[str, Any] = field(default_factory=dict)  # media type → model or JSON schema of a non-JSON body
    module: str = ""  # the module that declares it: api/routes.py imports it on the route's first request


JSON = "application/json"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"


def pages(*statuses: int) -> dict[int, tuple[str, ...]]:
    """``answers`` of a public page: these statuses answer French HTML (pages.py)."""
    return {status: (HTML,) for status in statuses}


def declared_responses(route: RouteDoc) -> dict[int, tuple[str, ...]]:
    """Every status the route can answer, with the media types of its body (empty: no body).

    The one source of the document's `responses` and of the tests' contract check. Besides what a route declares
    (``errors``: JSON error statuses; ``answers``: statuses served as pages or files), the errors this wrapper and
    the pipeline produce for every route of its kind are added here, from the route's properties: an
    authenticated route 401 (token) and 403 (role, or « Espace désactivé »); a request body 413 (too large) and 415
    (another media type, Chalice's own), a JSON one 400 (malformed) and 422 (validation); a query 400 (bad
    cursor) and 422; an
    Idempotency-Key 409 (first call still running) and 422 (the key reused with another body); every route 429
    (API Gateway's stage throttling, answered in the error shape by infra's gateway responses) and 500 (what no
    rule foresaw, an AWS service failing: the pipeline answers it in the error shape, never a stack trace)."""
    codes = set(route.errors) | {429, 500}
    if not route.public:
        codes |= {401, 403}
    if route.body is not None or route.bodies or route.content_types != (JSON,):
        codes |= {413, 415}
    if route.body is not None:
        codes |= {400, 422}
    if route.query is not None:
        codes |= {400, 422}
    if route.idempotent:
        codes |= {409, 422}
    declared: dict[int, tuple[str, ...]] = {code: (JSON,) for code in sorted(codes)}
    if route.status == 204:
        success: tuple[str, ...] = ()
    elif route.response is None and route.status in route.answers:
        success = ()
    else:
        success = (JSON,)
    declared[route.status] = _merged(declared.get(route.status, ()), success + route.produces)
    for status, media in route.answers.items():
        declared[status] = _merged(declared.get(status, ()), media)
    return dict(sorted(declared.items()))


def _merged(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


@dataclass
class Ctx:
    """What a route handler gets: the request, the principal, and lazy parsers."""

    request: Request
    principal: auth.Principal | None = None
    _parsed: tuple[Any, AgoraError | None] | None = field(default=None, init=False)

    @property
    def user(self) -> auth.Principal:
        if self.principal is None:
            return auth.current()
        return self.principal

    def raw_json(self) -> Any:
        """The parsed body; parsed once even when a route peeks at it first."""
        if self._parsed is None:
            try:
                self._parsed = (self._parse_raw(), None)
            except AgoraError as err:
                self._parsed = (None, err)
        value, error = self._parsed
        if error is not None:
            raise error
        return value

    def _parse_raw(self) -> Any:
        raw = self.request.raw_body or b""
        if len(raw) > get_settings().max_body_bytes:
            raise PayloadTooLarge(f"Corps de requête trop volumineux (maximum {get_settings().max_body_bytes} octets).")
        if not raw.strip():
            raise BadRequest("Corps de requête JSON attendu.", [{"field": "body", "message": "Corps vide."}])
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("JSON mal formé.", [{"field": "body", "message": f"JSON invalide : {exc}"}]) from exc
        except RecursionError as exc:  # "[[[[…" nested deeper than the interpreter's stack allows
            raise BadRequest("JSON mal formé.", [{"field": "body", "message": "JSON trop imbriqué."}]) from exc

    def peek_json(self) -> Any:
        """The parsed body, or None if it is not valid JSON: for a 403 that depends on the fields sent,
        which must come before the 404 and the 400/422 (order of checks: 401, 403, 404, 400/422, so that a
        user without the role learns nothing of the record or of what the body should be)."""
        try:
            return self.raw_json()
        except AgoraError:
            return None

    def body(self, model: type[M], context: dict[str, Any] | None = None) -> M:
        data = self.raw_json()
        if not isinstance(data, dict):
            raise BadRequest("Un objet JSON est attendu.", [{"field": "body", "message": "Un objet JSON est attendu."}])
        from chalicelib.schemas.validation import parse

        return parse(model, data, context=context)

    def query(self, model: type[M]) -> M:
        from chalicelib.schemas.validation import parse

        params = dict(self.request.query_params or {})
        return parse(model, params)

    def header(self, name: str) -> str:
        """A request header (case-insensitive), or the empty string."""
        headers = self.request.headers
        return str(headers.get(name.lower(), "")) if headers else ""

    def media_type(self) -> str:
        """The body's media type: Content-Type without its parameters, lower-cased."""
        return self.header("content-type").split(";")[0].strip().lower()

    def source_ip(self) -> str:
        """The caller's address as API Gateway saw it (never a header the client sets)."""
        identity = (self.request.context or {}).get("identity") or {}
        return str(identity.get("sourceIp") or "")

    def form(self, max_fields: int) -> dict[str, list[str]]:
        """The fields of an urlencoded form body (`max_fields` at most); BadRequest when it cannot be read."""
        try:
            return parse_qs(self.raw_bytes().decode("utf-8"), keep_blank_values=True, max_num_fields=max_fields)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("Formulaire illisible.") from exc

    def raw_bytes(self) -> bytes:
        """The body as bytes: Chalice gives str for some content types and bytes for the binary ones."""
        raw = self.request.raw_body
        return raw.encode("utf-8") if isinstance(raw, str) else (raw or b"")

    def accepts(self, media_type: str) -> bool:
        """Whether the client asked for ``media_type`` (Accept header): the PDF of a sheet instead of its JSON.
        API Gateway returns a binary body only when Accept names one of the app's binary types, so the
        client must ask by name; a wildcard keeps JSON."""
        accept = self.header("accept")
        return any(part.split(";")[0].strip().lower() == media_type for part in accept.split(","))

    def require_accept(self, media_type: str) -> None:
        """For a document that exists in one format only (a PDF): 406 unless the client asks for it by name."""
        if not self.accepts(media_type):
            raise NotAcceptable(f"Ce document n'existe qu'en {media_type} : envoyez l'en-tête Accept: {media_type}.")


def file_response(data: bytes, media_type: str, filename: str) -> Response:
    """A downloadable file; ``media_type`` must be in app.api.binary_types so API Gateway passes the bytes."""
    return Response(
        body=data,
        status_code=200,
        headers={"Content-Type": media_type, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(err: AgoraError) -> Response:
    return Response(
        body=error_body(err.code, err.message, err.details),
        status_code=err.status,
        headers={**err.headers, "Content-Type": "application/json"},
    )


class RouteOptions(TypedDict, total=False):
    """What a route declares besides its path and method (`Api.route`), and what an `Api` or a resource declares
    once for all its routes."""

    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    public: bool
    roles: str
    errors: tuple[int, ...]
    content_types: list[str] | None
    produces: tuple[str, ...]
    forbidden: str | None
    idempotent: bool
    answers: dict[int, tuple[str, ...]] | None
    bodies: dict[str, Any] | None


def _combined(shared: RouteOptions, own: RouteOptions) -> RouteOptions:
    """A route's options: its own over those shared by its module or resource, whose error statuses it adds to."""
    errors = tuple(sorted(set(shared.get("errors", ())) | set(own.get("errors", ()))))
    return cast(RouteOptions, {**shared, **own, "errors": errors})


class Api:
    """A Chalice Blueprint plus the route metadata that /openapi.json is built from.

    What every route of a module, or of one resource (`resource`), has in common (its roles, the 404 of an unknown
    id, the model it answers) is declared once, there; a route declares what is its own. A handler's docstring is
    its summary in the OpenAPI document (its first paragraph)."""

    registry: list[RouteDoc] = []
    # (method, path) → the route's answer to a request (api/routes.py calls it; a registered blueprint's view too).
    views: dict[tuple[str, str], Callable[..., Response]] = {}

    def __init__(
        self,
        import_name: str,
        tag: str,
        *,
        prefix: str = "",
        bp: Blueprint | None = None,
        **shared: Unpack[RouteOptions],
    ) -> None:
        self.import_name = import_name
        self.bp = bp or Blueprint(import_name)
        self.tag = tag
        self.prefix = prefix
        self.shared = shared

    def resource(self, path: str, **shared: Unpack[RouteOptions]) -> Api:
        """The routes under ``path`` (``/campaigns/{campaign_id}``), sharing these options besides the module's."""
        return Api(self.import_name, self.tag, prefix=self.prefix + path, bp=self.bp, **_combined(self.shared, shared))

    def get(self, path: str = "", **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        return self.route(path, "GET", **options)

    def post(self, path: str = "", **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        return self.route(path, "POST", **options)

    def put(self, path: str = "", **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        return self.route(path, "PUT", **options)

    def patch(self, path: str = "", **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        return self.route(path, "PATCH", **options)

    def delete(self, path: str = "", **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        return self.route(path, "DELETE", **options)

    def route(self, path: str, method: str, **options: Unpack[RouteOptions]) -> Callable[[_H], _H]:
        """Register a route at the prefix plus ``path``. ``roles`` ("any", "write", "admin"...) is enforced here,
        before the handler runs, and printed in the OpenAPI document; ``forbidden`` words the 403 when the default
        does not say what to do instead. Services keep only the checks that depend on data. ``idempotent`` (the
        POSTs that start work): a request with an Idempotency-Key gets, on a retry, the first successful answer
        instead of a second job. ``errors`` lists the JSON error statuses the handler's services raise (the wrapper
        adds those of the route's kind: declared_responses); ``answers`` the statuses served as a page or a file
        (status → media types; a success listed there without ``response`` has no JSON); ``bodies`` the request
        bodies that are not JSON (media type → pydantic model or JSON schema): the CSV of an import, the form of a
        public page. A public route has no role, whatever its module shares."""
        o = _combined(self.shared, options)
        path = self.prefix + path
        public = o.get("public", False)
        roles = "any" if public else o.get("roles", "any")
        if roles not in ROLE_RULES:
            raise ValueError(f"{path} {method}: roles must be one of {sorted(ROLE_RULES)}")
        if public and options.get("roles", "any") != "any":
            raise ValueError(f"{path} {method}: a public route has no role")
        status = o.get("status", 200)
        content_types = o.get("content_types") or [JSON]

        def decorator(handler: _H) -> _H:
            bp = self.bp
            summary = _summary(handler)
            run = _answering(
                handler, path, method, public, roles, o.get("forbidden"), o.get("idempotent", False), status
            )

            def view(**path_params: str) -> Response:
                return run(bp.current_request, bp.lambda_context, **path_params)

            view.__name__ = handler.__name__
            view.__doc__ = handler.__doc__
            _register_preflight(bp, path)
            bp.route(path, methods=[method], content_types=content_types, authorizer=authorizer_for(path))(view)
            Api.registry.append(
                RouteDoc(
                    path,
                    method,
                    handler.__name__,
                    summary,
                    self.tag,
                    o.get("body"),
                    o.get("query"),
                    o.get("response"),
                    status,
                    public,
                    roles,
                    o["errors"],
                    o.get("produces", ()),
                    o.get("idempotent", False),
                    dict(o.get("answers") or {}),
                    tuple(content_types),
                    dict(o.get("bodies") or {}),
                    handler.__module__,
                )
            )
            Api.views[(method, path)] = run
            return handler

        return decorator


def _summary(handler: Callable[..., Any]) -> str:
    """A handler's docstring, first paragraph, on one line: the route's summary. Every route has one."""
    doc = inspect.getdoc(handler)
    if not doc:
        raise ValueError(f"{handler.__module__}.{handler.__name__}: a route's handler says what it does in a docstring")
    return " ".join(doc.split("\n\n")[0].split())


def _answering(
    handler: Callable[..., Any],
    path: str,
    method: str,
    public: bool,
    roles: str,
    forbidden: str | None,
    idempotent: bool,
    status: int,
) -> Callable[..., Response]:
    """A route's answer to a request: role check, handler, errors in the API's shape, Idempotency-Key."""

    def run(request: Request, lambda_context: Any, **path_params: str) -> Response:
        ctx = Ctx(request=request)

        def answer() -> Response:
            try:
                if not public:
                    require_role(ctx.user, roles, forbidden)
                result = handler(ctx, **path_params)
            except AgoraError as err:
                return error_response(err)
            return _to_response(result, status)

        key = ctx.header("idempotency-key") if idempotent else ""
        if not key:
            return answer()
        from chalicelib.services import idempotency

        try:
            kept = idempotency.once(
                ctx.user,
                f"{method} {path}",
                key,
                ctx.raw_bytes(),
                lambda: _kept(answer()),
                lambda_context,
            )
        except AgoraError as err:
            return error_response(err)
        return Response(body=kept["body"], status_code=kept["status"], headers=kept["headers"])

    return run


_PREFLIGHT_PATHS: set[str] = set()


def _register_preflight(bp: Blueprint, path: str) -> None:
    """One OPTIONS route per path, without authorizer (a preflight carries no credentials): API Gateway then lets
    it reach the app, which answers for the methods the path has (api/cors.py)."""
    if path in _PREFLIGHT_PATHS:
        return
    _PREFLIGHT_PATHS.add(path)

    def preflight(**_: str) -> Response:
        methods = [doc.method for doc in Api.registry if doc.path == path]
        return cors.preflight(bp.current_request, methods)

    bp.route(path, methods=["OPTIONS"], content_types=["*/*"], name=f"preflight_{len(_PREFLIGHT_PATHS)}")(preflight)


# Who may call a route, by the value of its `roles`: the one place route roles are checked.
ROLE_RULES: dict[str, tuple[Callable[[auth.Principal], bool], str]] = {
    "any": (lambda p: True, ""),
    "write": (lambda p: p.can_write, "Votre rôle ne permet que la consultation."),
    "admin": (lambda p: p.is_admin, "Action réservée aux administrateurs de l'espace."),
    "campaign": (
        lambda p: can_send_campaigns(p.roles),
        "Les campagnes sont réservées aux rôles communication, cabinet et administrateur.",
    ),
    "donations": (
        lambda p: can_handle_donations(p.roles),
        "Les dons et candidatures sont réservés aux rôles cabinet et administrateur.",
    ),
}


def require_role(principal: auth.Principal, roles: str, message: str | None = None) -> None:
    allowed, default = ROLE_RULES[roles]
    if not allowed(principal):
        raise Forbidden(message or default)


def authorizer_for(path: str) -> CognitoUserPoolAuthorizer | None:
    """The Cognito authorizer for a non-public route, except in stage `local`.

    Decided when the route is registered, from the stage-level AGORA_STAGE that chalice sets
    before importing the app. In `local` the app verifies tokens itself (auth.authenticate):
    chalice local and the test client would otherwise decode the token unverified, and fail
    on a malformed one, before our middleware runs (Chalice's LocalGatewayAuthorizer, chalice/local.py).
    """
    if is_public(path) or _stage_verifies_tokens_itself():
        return None
    return COGNITO_AUTHORIZER


@lru_cache(maxsize=1)
def _stage_verifies_tokens_itself() -> bool:
    """Read once for the hundred routes registered at import: loading the settings for each was a tenth of the
    cold start. The stage does not change while the app is imported."""
    return Settings.load().verifies_tokens_itself


# What a kept answer keeps of its headers: the others (CORS, security) are the pipeline's, set on every answer.
_KEPT_HEADERS = ("Content-Type", "Location")


def _kept(response: Response) -> dict[str, Any]:
    """An answer as the idempotency record keeps it (JSON text)."""
    body = response.body
    text = body.decode() if isinstance(body, bytes) else body if isinstance(body, str) else json.dumps(body)
    headers = {k: str(v) for k, v in (response.headers or {}).items() if k in _KEPT_HEADERS}
    return {"status": response.status_code, "headers": headers, "body": text}


def _to_response(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if status == 204:
        return Response(body="", status_code=204, headers={})
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    return Response(body=result, status_code=status, headers={"Content-Type": "application/json"})


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def http_pipeline(request: Request, get_response: Callable[[Request], Response]) -> Response:
    # Imported by the first request, not by app.py: the queue jobs' and schedules' functions import the app too,
    # and never answer HTTP (the audit log's store and queue, the tenants' table).
    from chalicelib.services import audit

    started = time.perf_counter()
    auth.set_current(None)
    audit.begin()
    domain, stage = request.context.get("domainName"), request.context.get("stage")
    use_request_base_url(f"https://{domain}/{stage}" if domain and stage and "." in domain else None)
    resource = request.context.get("resourcePath", request.path)
    response: Response | None = None
    principal: auth.Principal | None = None
    try:
        with observability.traced(f"{request.method} {resource}", route=resource):
            response = _answer(request, resource, get_response)
        principal = auth.current_or_none()
    finally:
        audit.flush()
        auth.set_current(None)
        observability.flush()
        observability.request_line(
            method=request.method,
            route=resource,
            status=response.status_code if response is not None else 500,
            duration_ms=(time.perf_counter() - started) * 1000,
            request_id=request.context.get("requestId"),
            tenant_id=principal.tenant_id if principal else None,
            user_id=principal.user_id if principal else None,
        )
    return response


def _answer(request: Request, resource: str, get_response: Callable[[Request], Response]) -> Response:
    if request.method == "OPTIONS":  # a CORS preflight: no credentials by the Fetch standard
        return _secure(get_response(request))
    if not is_public(resource) and not _is_fallback(resource):
        from chalicelib.services import tenant_access

        try:
            principal = auth.authenticate(request.headers, request.context)
            auth.set_current(principal)
            tenant_access.ensure_open(principal.tenant_id)  # 403 « Espace désactivé »; cached, see tenant_access
        except AgoraError as err:
            return _secure(cors.decorate(request, error_response(err)))
    return _secure(cors.decorate(request, _normalise_error(get_response(request))))


def _is_fallback(resource: str) -> bool:
    return resource.startswith("/{fallback")


def _normalise_error(response: Response) -> Response:
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
        status = response.status_code
        code = _CHALICE_CODES.get(status, "internal_error")
        message = _CHALICE_MESSAGES.get(status) or str(body.get("Message") or "Requête invalide.")
        if status == 400 and "JSON" in str(body.get("Message", "")):
            message = "JSON mal formé."
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
        headers["Content-Type"] = "application/json"
        return Response(body=error_body(code, message), status_code=status, headers=headers)
    return response


def _secure(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def not_found(what: str = "Ressource introuvable.") -> NotFound:
    return NotFound(what)
