"""Public pages: French HTML rendered from templates/public/, with the headers every public page carries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalice.app import Response

from chalicelib.errors import Forbidden, NotFound
from chalicelib.messaging import templates

T = TypeVar("T")

# Public pages load nothing from elsewhere and run no script; the form posts back to the same address.
HTML_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> Response:
    html = templates.files().get_template(f"public/{template}").render(**context)
    return Response(body=html, status_code=status, headers={**HTML_HEADERS, **(headers or {})})


def notice(status: int, page_title: str, message: str, template: str = "message.html") -> Response:
    """A page in Agora's own name, not a tenant's: the link did not lead to one (or must not say which)."""
    return page(template, status, tenant_name="Agora", page_title=page_title, message=message)


def unavailable() -> Response:
    """The page of a disabled tenant's public link (services/tenant_access.py): no detail of why, nor of whom."""
    return notice(
        403,
        "Service indisponible",
        "Ce service n'est pas disponible pour le moment. Pour toute question, adressez-vous directement à "
        "l'organisateur qui vous a écrit.",
    )


def link_target(resolve: Callable[[str], T], token: str, invalid: str) -> T | Response:
    """What a public link's token leads to, or the page that says why not: 404 with `invalid` (no such link: a bad
    one learns nothing more), 403 for a disabled tenant's link."""
    try:
        return resolve(token)
    except NotFound:
        return notice(404, "Lien introuvable", invalid)
    except Forbidden:
        return unavailable()
