"""Signed, URL-safe tokens for public links (RSVP page, check-in QR code).

A token names a tenant and a reference (an invitation id) for one purpose, and nothing else: no name, email or
phone, so a leaked link reveals no personal data (data minimisation, GDPR art. 5(1)(c)). Shape::

    <purpose>.<base64url(tenant_id)>.<base64url(ref)>.<base64url(HMAC-SHA256(secret, body)[:16])>

where ``body`` is everything before the last dot, so the purpose is signed too: an RSVP token is no check-in token.
Base64url without padding (RFC 4648 §5) keeps it to ``[A-Za-z0-9_-.]``, safe in a path segment and a QR code.
The MAC is truncated to 128 bits (RFC 2104 §5 allows truncation to at least half the hash; NIST SP 800-107
§5.3.4). With a ULID ref and a tenant id of at most 36 characters the token is under 120 characters.

Key rotation: ``sign`` uses one secret, ``verify`` accepts any of the current ones (the first signs, all verify), so
a new secret can be added first and the old one removed once no link signed with it matters any more.
Pure domain code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Sequence

MAX_TOKEN_LENGTH = 200  # verify refuses longer input before any work; sign never issues one
MAC_BYTES = 16
DOMAIN = b"agora-token-v1\x00"  # separates these MACs from any other use of the same secret

_PURPOSE = re.compile(r"[a-z][a-z0-9_-]{0,15}")
_B64 = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """Strict decoding: only the URL-safe alphabet, and only the canonical form (no stray bits), else None."""
    if not _B64.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if _b64encode(raw) == text else None


def _mac(secret: bytes, body: str) -> str:
    return _b64encode(hmac.new(secret, DOMAIN + body.encode("ascii"), hashlib.sha256).digest()[:MAC_BYTES])


def sign(secret: bytes, tenant_id: str, ref: str, purpose: str = "rsvp") -> str:
    """A token for (tenant_id, ref) valid for ``purpose`` only. ValueError for an empty secret or field."""
    if not isinstance(secret, bytes | bytearray) or not secret:
        raise ValueError("La clé de signature est vide.")
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"Usage de jeton invalide : {purpose!r}.")
    for label, value in (("espace", tenant_id), ("référence", ref)):
        if not value or _CONTROL.search(value):
            raise ValueError(f"Identifiant d'{label} invalide pour un jeton.")
    body = f"{purpose}.{_b64encode(tenant_id.encode())}.{_b64encode(ref.encode())}"
    token = f"{body}.{_mac(bytes(secret), body)}"
    if len(token) > MAX_TOKEN_LENGTH:
        raise ValueError("Identifiants trop longs pour un jeton.")
    return token


def verify(secrets: Sequence[bytes], token: str, purpose: str = "rsvp") -> tuple[str, str] | None:
    """(tenant_id, ref) if ``token`` was signed for ``purpose`` by one of ``secrets``, else None; never raises.

    The MAC is compared in constant time (``hmac.compare_digest``) before anything in the token is decoded.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != purpose:
        return None
    body, given = token.rsplit(".", 1)
    try:
        keys = [bytes(s) for s in secrets if isinstance(s, bytes | bytearray) and s]
    except TypeError:
        return None
    if not any(hmac.compare_digest(_mac(key, body), given) for key in keys):
        return None
    tenant_raw, ref_raw = _b64decode(parts[1]), _b64decode(parts[2])
    if not tenant_raw or not ref_raw:
        return None
    try:
        return tenant_raw.decode("utf-8"), ref_raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
