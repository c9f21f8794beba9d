"""The local stage's JWKS cache (PyJWT's PyJWKClient): keys fetched once and kept for a lifetime, a rotated key
picked up by one refetch, unknown key ids unable to make it fetch more than once a cooldown, and a clear 401 for
each failure. The pool's endpoint is a fake counting its calls; the clock is a fake too."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib import local_auth
from chalicelib.errors import Unauthorized
from chalicelib.settings import Settings

SETTINGS = Settings(stage="local", user_pool_id="eu-west-3_pool", user_pool_client_id="client")


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEYS = {"kid-a": _key(), "kid-b": _key(), "kid-c": _key()}


def _public(kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEYS[kid].public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def token(kid: str) -> str:
    now = int(time.time())
    claims = {
        "iss": SETTINGS.cognito_issuer,
        "aud": "client",
        "sub": "u-1",
        "token_use": "id",
        "custom:tenant_id": "t-ville",
        "iat": now,
        "exp": now + 600,
    }
    return jwt.encode(claims, KEYS[kid], algorithm="RS256", headers={"kid": kid})


class Pool:
    """The pool's JWKS endpoint: publishes `kids`, counts the fetches, fails when told."""

    def __init__(self) -> None:
        self.kids = ["kid-a"]
        self.fetches: list[str] = []
        self.failure: Exception | None = None
        self.body: Any = None

    def get(self, url: str, headers: dict[str, str] | None = None, timeout: float = 0) -> Any:
        self.fetches.append(url)
        if self.failure is not None:
            raise self.failure
        response = requests.Response()
        response.status_code = 200
        body = self.body if self.body is not None else {"keys": [_public(k) for k in self.kids]}
        response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return response


class Clock:
    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pool]:
    fake = Pool()
    monkeypatch.setattr(local_auth.requests, "get", fake.get)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_COGNITO_IDP", raising=False)
    local_auth._jwks_client.cache_clear()
    yield fake
    local_auth._jwks_client.cache_clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "monotonic", fake)  # PyJWT's cache and cooldown read time.monotonic
    return fake


def verify(kid: str) -> dict[str, Any]:
    return local_auth.verify_id_token(token(kid), SETTINGS)


def test_keys_are_fetched_once_then_served_from_the_cache(pool: Pool, clock: Clock) -> None:
    assert verify("kid-a")["sub"] == "u-1"
    clock.now += 60
    assert verify("kid-a")["sub"] == "u-1"
    assert pool.fetches == [f"https://cognito-idp.{SETTINGS.region}.amazonaws.com/eu-west-3_pool/.well-known/jwks.json"]


def test_the_cache_has_a_lifetime(pool: Pool, clock: Clock) -> None:
    verify("kid-a")
    clock.now += local_auth.JWKS_LIFETIME + 1
    verify("kid-a")
    assert len(pool.fetches) == 2


def test_a_rotated_key_is_fetched_once(pool: Pool, clock: Clock) -> None:
    verify("kid-a")
    pool.kids = ["kid-a", "kid-b"]  # the pool rotates: a new key signs the new tokens
    assert verify("kid-b")["sub"] == "u-1"
    assert verify("kid-b")["sub"] == "u-1"
    assert len(pool.fetches) == 2


def test_unknown_key_ids_refetch_at_most_once_per_cooldown(pool: Pool, clock: Clock) -> None:
    verify("kid-a")
    for _ in range(3):
        with pytest.raises(Unauthorized, match="clé inconnue"):
            verify("kid-c")
    assert len(pool.fetches) == 2  # the first unknown id refetched; the next ones waited for the cooldown
    clock.now += local_auth.REFETCH_COOLDOWN + 1
    pool.kids = ["kid-a", "kid-c"]
    assert verify("kid-c")["sub"] == "u-1"
    assert len(pool.fetches) == 3


@pytest.mark.parametrize(
    ("failure", "body"),
    [
        pytest.param(requests.ConnectionError("refused"), None, id="unreachable"),
        pytest.param(requests.Timeout("slow"), None, id="timeout"),
        pytest.param(None, b"<html>maintenance</html>", id="not-json"),
    ],
)
def test_an_unusable_jwks_is_a_clear_401(pool: Pool, clock: Clock, failure: Exception | None, body: Any) -> None:
    pool.failure, pool.body = failure, body
    with pytest.raises(Unauthorized, match="injoignables"):
        verify("kid-a")


def test_a_jwks_without_keys_is_a_401(pool: Pool, clock: Clock) -> None:
    pool.body = {"keys": []}
    with pytest.raises(Unauthorized):
        verify("kid-a")


def test_the_local_stack_is_reached_by_its_endpoint_and_host(
    pool: Pool, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, str] | None] = []
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000/")
    monkeypatch.setattr(
        local_auth.requests, "get", lambda url, headers=None, timeout=0: seen.append(headers) or pool.get(url)
    )
    verify("kid-a")
    assert pool.fetches == ["http://127.0.0.1:5000/eu-west-3_pool/.well-known/jwks.json"]
    assert seen == [{"Host": f"cognito-idp.{SETTINGS.region}.amazonaws.com"}]
