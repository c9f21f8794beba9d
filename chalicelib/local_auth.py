"""The local stage's own check of Cognito ID tokens (RS256 against the pool's JWKS, issuer, audience, expiry,
`token_use`), since neither chalice local nor the test client runs Cognito authorizers. In AWS, API Gateway's
authorizer has checked the token before the function runs: this module, and the JWT and HTTP libraries it needs
(PyJWT with cryptography, requests), stay out of the Lambda package (pyproject's `local` extra).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import jwt
import requests

from chalicelib.errors import Unauthorized
from chalicelib.settings import Settings, get_settings

JWKS_LIFETIME = 3600.0  # s: the pool's keys are fetched again at least hourly (Cognito rotates them rarely)
REFETCH_COOLDOWN = 60.0  # s: an unknown key id refetches the keys once, and not again within this delay


class _CognitoJwks(jwt.PyJWKClient):
    """PyJWT's JWKS client (cache with a lifetime; an unknown key id refetches once, then cools down), fetching
    through requests: the tests' embedded AWS (moto's mock_aws) answers requests' calls, not urllib's, and the
    local stack routes by the Host header either way."""

    def fetch_data(self) -> Any:
        try:
            response = requests.get(self.uri, headers=self.headers, timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise jwt.PyJWKClientConnectionError(f"JWKS unavailable: {exc}") from exc


@lru_cache(maxsize=4)
def _jwks_client(url: str, host: str | None) -> jwt.PyJWKClient:
    """One client (hence one cache) per pool's JWKS location."""
    return _CognitoJwks(
        url,
        lifespan=JWKS_LIFETIME,
        cooldown_duration=REFETCH_COOLDOWN,
        headers={"Host": host} if host else None,
        timeout=5,
    )


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
        url, headers = _jwks_location(settings)
        key = _jwks_client(url, headers.get("Host")).get_signing_key(str(header.get("kid"))).key
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
    except jwt.PyJWKClientConnectionError as exc:
        raise Unauthorized(
            "Votre jeton ne peut pas être vérifié pour l'instant : les clés de signature de l'annuaire sont "
            "injoignables. Veuillez réessayer dans un instant."
        ) from exc
    except jwt.PyJWKClientError as exc:
        raise Unauthorized("Jeton signé par une clé inconnue.") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthorized("Jeton d'authentification invalide.") from exc
    if claims.get("token_use") != "id":
        raise Unauthorized("Un jeton d'identité (IdToken) est attendu.")
    return claims
