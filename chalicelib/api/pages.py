"""Public pages: French HTML rendered from templates/public/, with the headers every public page carries."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.messaging import templates

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


def unavailable() -> Response:
    """The page of a disabled tenant's public link (services/tenant_access.py): no detail of why, nor of whom."""
    return page(
        "message.html",
        403,
        tenant_name="Agora",
        page_title="Service indisponible",
        message="Ce service n'est pas disponible pour le moment. Pour toute question, adressez-vous directement à "
        "l'organisateur qui vous a écrit.",
    )
