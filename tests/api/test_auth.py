"""Authentication in the local stage, where the app verifies Cognito ID tokens itself (chalice local and the test
client do not verify them): signature, issuer, audience, expiry against the pool's JWKS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from typing import Any

import boto3
import jwt
from cryptography.hazmat.primitives import serialization
from moto.utilities.utils import load_resource

from chalicelib.settings import get_settings
from tests.support.world import World

PASSWORD = "Test-Password-1"


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.body
    error = response.json_body["error"]
    assert error["code"] == "unauthorized"
    assert error["message"]
    assert error["details"] == []
    assert set(error) == {"code", "message", "details"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def moto_signing_key() -> Any:
    """The private key moto signs every pool's tokens with (its JWKS publishes the public half)."""
    return jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key


def id_claims(world: World, *, lifetime: int, tenant: str = "ville", role: str = "admin") -> dict[str, Any]:
    settings = get_settings()
    user = world.user(tenant, role)
    now = int(time.time())
    return {
        "iss": settings.cognito_issuer,
        "aud": settings.user_pool_client_id,
        "sub": user.user_id,
        "token_use": "id",
        "email": user.email,
        "custom:tenant_id": world.tenants[tenant].id,
        "custom:tenant_kind": world.tenants[tenant].kind,
        "cognito:groups": [role],
        "iat": now - 7200,
        "auth_time": now - 7200,
        "exp": now + lifetime,
    }


def forge(claims: dict[str, Any], key: Any = None, algorithm: str = "RS256", kid: str = "dummy") -> str:
    return jwt.encode(claims, key if key is not None else moto_signing_key(), algorithm=algorithm, headers={"kid": kid})


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_a_real_id_token_is_accepted(world: World) -> None:
    response = world.get("/contacts")
    assert response.status_code == 200, response.body
    assert response.json_body == {"items": [], "next_cursor": None}


def test_forged_token_helper_is_accepted_when_valid(world: World) -> None:
    """Control for the expiry test below: the same token, not expired, passes."""
    response = world.get("/contacts", headers=bearer(forge(id_claims(world, lifetime=3600))))
    assert response.status_code == 200, response.body


MALFORMED = {
    "no-authorization-header": {},
    "empty-header": {"Authorization": ""},
    "bearer-without-token": {"Authorization": "Bearer"},
    "bearer-blank": {"Authorization": "Bearer   "},
    "basic-scheme": {"Authorization": "Basic YWRtaW46cGFzcw=="},
    "token-without-scheme": {"Authorization": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"},
    "not-a-jwt": {"Authorization": "Bearer not-a-jwt"},
    "three-garbage-segments": {"Authorization": "Bearer a.b.c"},
    "very-long-garbage": {"Authorization": "Bearer " + "x" * 10000},
    "alg-none-empty-claims": {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."},
}


def test_missing_or_malformed_token(world: World) -> None:
    for name, headers in MALFORMED.items():
        response = world.get("/contacts", headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 401, name
        assert_unauthorized(response)


def private_routes() -> list[tuple[str, str]]:
    from app import app

    routes = []
    for path, methods in app.routes.items():
        if path in ("/health", "/openapi.json", "/docs") or path.startswith(
            ("/docs/", "/public/", "/dev/", "/{fallback")
        ):
            continue
        concrete = re.sub(r"{\w+}", "01ARZ3NDEKTSV4RRFFQ69G5FAV", path)
        # OPTIONS is the CORS preflight, which browsers send without credentials (tests/api/test_cors.py)
        routes += [(method, concrete) for method in methods if method != "OPTIONS"]
    return routes


def test_every_private_route_needs_a_token(world: World) -> None:
    routes = private_routes()
    assert len(routes) >= 21  # the foundation's routes, at least
    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer garbage"}):
            response = world.request(method, path, {"x": 1}, headers={**headers, "Content-Type": "application/json"})
            assert response.status_code == 401, (method, path, response.body)
            assert_unauthorized(response)


def test_public_routes_need_no_token(world: World) -> None:
    for path, marker in (
        ("/health", b'"status":"ok"'),
        ("/openapi.json", b'"openapi":"3.1.0"'),
        ("/docs", b"swagger-ui-bundle.js"),
        ("/docs/swagger-ui.css", b".swagger-ui"),
    ):
        response = world.get(path, headers={})
        assert response.status_code == 200, (path, response.body[:200])
        assert marker in response.body.replace(b" ", b""), path


def test_public_routes_ignore_a_bad_token(world: World) -> None:
    assert world.get("/health", headers=bearer("garbage")).status_code == 200


def test_expired_token(world: World) -> None:
    token = forge(id_claims(world, lifetime=-3600))
    response = world.get("/contacts", headers=bearer(token))
    assert_unauthorized(response)
    assert "expirée" in response.json_body["error"]["message"]


def test_token_expired_within_leeway_is_still_accepted(world: World) -> None:
    """Clock skew between Cognito and Lambda: 30 s of leeway, no more."""
    assert world.get("/contacts", headers=bearer(forge(id_claims(world, lifetime=-5)))).status_code == 200
    assert_unauthorized(world.get("/contacts", headers=bearer(forge(id_claims(world, lifetime=-120)))))


def test_token_from_another_user_pool(world: World) -> None:
    """Same signing key in moto, same tenant claims: only issuer and audience give it away."""
    cognito = boto3.client("cognito-idp", region_name=get_settings().region)
    pool_id = cognito.create_user_pool(
        PoolName="someone-elses-pool",
        UsernameAttributes=["email"],
        Schema=[
            {"Name": "tenant_id", "AttributeDataType": "String", "Mutable": False},
            {"Name": "tenant_kind", "AttributeDataType": "String", "Mutable": False},
        ],
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool_id, GroupName="admin")
    email = "intrus@ailleurs.test"
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "custom:tenant_id", "Value": world.tenants["ville"].id},
            {"Name": "custom:tenant_kind", "Value": "institution"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName="admin")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    token = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["custom:tenant_id"] == world.tenants["ville"].id
    assert claims["cognito:groups"] == ["admin"]
    assert pool_id in claims["iss"]

    assert_unauthorized(world.get("/contacts", headers=bearer(token)))
    assert_unauthorized(world.post("/contacts", {"kind": "person", "last_name": "Intrus"}, headers=bearer(token)))
    assert world.get("/contacts").json_body["items"] == []


def test_tampered_token_keeps_signature(world: World) -> None:
    token = world.headers("ville", "lecteur")["Authorization"].split()[1]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for change in (
        {"custom:tenant_id": world.tenants["liste"].id},
        {"cognito:groups": ["admin"]},
        {"exp": claims["exp"] + 10**6},
        {"email": "admin@ville.test"},
    ):
        tampered = f"{header}.{b64({**claims, **change})}.{signature}"
        response = world.get("/contacts", headers=bearer(tampered))
        assert response.status_code == 401, change
        assert_unauthorized(response)
    assert world.get("/contacts", headers=bearer(token)).status_code == 200
    # The escalation did not work either: the untampered lecteur token still cannot write.
    assert world.post("/contacts", {"kind": "person", "last_name": "X"}, headers=bearer(token)).status_code == 403


def test_token_with_a_changed_signature(world: World) -> None:
    header, payload, signature = world.headers()["Authorization"].split()[1].split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert_unauthorized(world.get("/contacts", headers=bearer(f"{header}.{payload}.{flipped}")))


def test_access_token_instead_of_id_token(world: World) -> None:
    user = world.user("ville", "admin")
    result = boto3.client("cognito-idp", region_name=get_settings().region).initiate_auth(
        ClientId=get_settings().user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.email, "PASSWORD": user.password},
    )["AuthenticationResult"]
    assert jwt.decode(result["AccessToken"], options={"verify_signature": False})["token_use"] == "access"
    assert_unauthorized(world.get("/contacts", headers=bearer(result["AccessToken"])))
    assert world.get("/contacts", headers=bearer(result["IdToken"])).status_code == 200


def test_correctly_signed_token_with_wrong_or_missing_claims(world: World) -> None:
    valid = id_claims(world, lifetime=3600)
    assert world.get("/contacts", headers=bearer(forge(valid))).status_code == 200
    variants = {
        "signed-access-use": {**valid, "token_use": "access"},
        "no-token-use": {k: v for k, v in valid.items() if k != "token_use"},
        "wrong-audience": {**valid, "aud": "another-client"},
        "wrong-issuer": {**valid, "iss": "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_other"},
        "issuer-of-another-region": {**valid, "iss": valid["iss"].replace("eu-west-3", "us-east-1")},
        "no-tenant-claim": {k: v for k, v in valid.items() if k != "custom:tenant_id"},
        "not-yet-valid": {**valid, "iat": valid["exp"] + 3600},
    }
    variants |= {
        f"no-{claim}": {k: v for k, v in valid.items() if k != claim} for claim in ("exp", "iat", "sub", "aud")
    }
    for name, claims in variants.items():
        response = world.get("/contacts", headers=bearer(forge(claims)))
        assert response.status_code == 401, name
        assert_unauthorized(response)


def test_token_signed_with_another_key(world: World) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_unauthorized(world.get("/contacts", headers=bearer(forge(id_claims(world, lifetime=3600), other_key))))


def test_token_with_unknown_key_id(world: World) -> None:
    token = forge(id_claims(world, lifetime=3600), kid="not-in-the-jwks")
    assert_unauthorized(world.get("/contacts", headers=bearer(token)))


def test_hmac_token_using_the_public_key_as_secret(world: World) -> None:
    """Algorithm confusion: only RS256 is accepted."""
    public_key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-public.json")["keys"][0]).key
    secret = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': 'dummy'})}.{b64(id_claims(world, lifetime=3600))}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"
    assert_unauthorized(world.get("/contacts", headers=bearer(token)))


def test_unsigned_token(world: World) -> None:
    token = jwt.encode(id_claims(world, lifetime=3600), None, algorithm="none", headers={"kid": "dummy"})
    assert_unauthorized(world.get("/contacts", headers=bearer(token)))


def test_rejected_token_writes_nothing(world: World) -> None:
    token = forge(id_claims(world, lifetime=-3600))
    response = world.post("/contacts", {"kind": "person", "last_name": "Fantôme"}, headers=bearer(token))
    assert_unauthorized(response)
    assert world.get("/contacts").json_body["items"] == []
