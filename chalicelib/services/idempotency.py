"""Idempotency-Key on the POSTs that start work (a mail merge, an import, invitations or a campaign sent): a client
that retries after a timeout gets the first answer instead of a second job.

The key is the client's (at most 255 visible ASCII characters), scoped to the tenant, the user and the route, and
kept 24 hours (store/idempotency.py, Powertools' idempotency utility). The same key with another body → 422; while
the first request runs → 409. Only successes are kept: an error answer is not, so the client may correct its
request and try again with the same key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from chalicelib.auth import Principal
from chalicelib.errors import BadRequest, Conflict, ValidationFailed
from chalicelib.store import idempotency as store

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


class NotKept(Exception):
    """The answer was an error: given to the client, not kept for the key."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(answer.get("status"))
        self.answer = answer


def once(
    p: Principal, route: str, key: str, body: bytes, work: Callable[[], dict[str, Any]], context: Any = None
) -> dict[str, Any]:
    """The answer of `work()` ({"status", "headers", "body"}), computed once per (tenant, user, route, key);
    `context`, the Lambda's, bounds how long a request counts as in progress."""
    if not _KEY.fullmatch(key):
        raise BadRequest(
            "En-tête Idempotency-Key invalide.",
            [{"field": HEADER, "message": "De 1 à 255 caractères ASCII visibles, sans espace."}],
        )
    scope = hashlib.sha256("\n".join((p.tenant_id, p.user_id, route, key)).encode()).hexdigest()
    request = {"key": scope, "body": hashlib.sha256(body).hexdigest()}

    def kept() -> dict[str, Any]:
        answer = work()
        if int(answer["status"]) >= 400:
            raise NotKept(answer)
        return answer

    try:
        return store.once(request, kept, context)
    except NotKept as error:
        return error.answer
    except store.KeyReused as exc:
        raise ValidationFailed(
            [{"field": HEADER, "message": "Cette clé a déjà servi pour une autre requête : prenez-en une nouvelle."}]
        ) from exc
    except store.StillRunning as exc:
        raise Conflict("La première requête avec cette clé est encore en cours : réessayez dans un instant.") from exc
