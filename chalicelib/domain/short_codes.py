"""Short codes for links that must fit in an SMS: the opt-out link every campaign SMS ends with.

A signed token (domain/tokens.py) names its tenant and contact inside itself and is about 120 characters: a
quarter of a GSM-7 segment, and three quarters of a UCS-2 one, for the link alone. A short code is instead mapped
server-side (store/short_links.py: code → tenant, contact), so it carries nothing but enough randomness not to be
guessed: ten base62 characters, 59 bits.

The code is derived, not drawn: HMAC-SHA256 of (purpose, tenant, ref) under the link secret, so the same contact
always gets the same code. The preview counts the very text that will be sent (same link, same length) without
writing anything, and a redelivered chunk writes the same mapping again, harmlessly. A rotated secret gives new
codes to new messages; the old mappings stay and old links keep working (the lookup never re-derives).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LENGTH: Final = 10  # 62**10 ≈ 2**59.5: unguessable at any rate a public route allows
DOMAIN: Final = b"agora-short-v1\x00"  # separates these MACs from the tokens' under the same secret
SHAPE: Final = re.compile(f"[0-9A-Za-z]{{{LENGTH}}}")


def code(secret: bytes, purpose: str, tenant_id: str, ref: str) -> str:
    """The code of (purpose, tenant, ref): ten characters of [0-9A-Za-z]."""
    if not secret:
        raise ValueError("empty secret")
    if any("\x00" in part or not part for part in (purpose, tenant_id, ref)):
        raise ValueError("empty or invalid field")
    message = DOMAIN + "\x00".join((purpose, tenant_id, ref)).encode()
    number = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")
    out = []
    for _ in range(LENGTH):
        number, digit = divmod(number, 62)
        out.append(ALPHABET[digit])
    return "".join(out)


def well_formed(text: str) -> bool:
    """Whether `text` could be a code (checked before any lookup)."""
    return bool(SHAPE.fullmatch(text))
