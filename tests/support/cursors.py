"""Cursors as an attacker writes them: the fingerprint of a real one (no secret), any start key."""

from __future__ import annotations

import base64
import json
from typing import Any


def forged(real: str, key: dict[str, Any]) -> str:
    """A cursor carrying `real`'s fingerprint and `key` as its start key (JSON as written, non-ASCII kept)."""
    data = json.loads(base64.urlsafe_b64decode(real + "=" * (-len(real) % 4)))
    text = json.dumps({"k": key, "f": data["f"]}, ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


def key_of(cursor: str) -> dict[str, Any]:
    """The start key a cursor carries."""
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return dict(data["k"])
