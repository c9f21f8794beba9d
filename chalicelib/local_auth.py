"""The local stage's own check of Cognito ID tokens (RS256 against the pool's JWKS, issuer, audience, expiry,
`token_use`), since neither chalice local nor the test client runs Cognito authorizers. In AWS, API Gateway's
authorizer has checked the token before the function runs: this module, and the JWT and HTTP libraries it needs
(PyJWT with cryptography, requests), stay out of the Lambda package (pyproject's `local` extra).
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import jwt
import requests

from chalicelib.errors import Unauthorized
from chalicelib.settings import Settings, get_settings


class _Jwks:
    """The pool's signing keys, fetched once and again only for an unknown key id (at most every 60 s)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}
        self._url = ""
        self._fetched_at = 0.0

    def key(self, settings: Settings, kid: str) -> Any:
        url, headers = _jwks_location(settings)
        with self._lock:
            if url != self._url:
                self._keys, self._url, self._fetched_at = {}, url, 0.0
            if kid not in self._keys and time.monotonic() - self._fetched_at > 60:
                response = requests.get(url, headers=headers, timeout=5)
                response.raise_for_status()
                self._keys = {k["kid"]: jwt.PyJWK(k).key for k in response.json().get("keys", [])}
                self._fetched_at = time.monotonic()
            return self._keys.get(kid)


_JWKS = _Jwks()


def _jwks_location(settings: Settings) -> tuple[str, dict[str, str]]:
    host = f"cognito-idp.{settings.region}.amazonaws.com"
    path = f"/{settings.user_pool_id}/.well-known/jwks.json"
    endpoint = os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        # The local embedded AWS serves every service on one port and routes by Host header.
        return endpoint.rstrip("/") + path, {"Host": host}
    return f"https://{host}{path}", {}


def verify_id_token(token: str, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or get_settings()
    try:
        header = jwt.get_unverified_header(token)
        key = _JWKS.key(settings, str(header.get("kid")))
        if key is None:
            raise Unauthorized("Jeton signé par une clé inconnue.")
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=settings.user_pool_client_id,
            issuer=settings.cognito_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Session expirée : reconnectez-vous.") from exc
    except (jwt.InvalidTokenError, requests.RequestException, ValueError) as exc:
        raise Unauthorized("Jeton d'authentification invalide.") from exc
    if claims.get("token_use") != "id":
        raise Unauthorized("Un jeton d'identité (IdToken) est attendu.")
    return claims
