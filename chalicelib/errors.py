"""Domain and service errors, mapped to HTTP once in chalicelib/api/http.py.

Messages are French: they reach users of the frontend and, on public pages, citizens.
"""

from __future__ import annotations

from typing import Any


class AgoraError(Exception):
    code = "bad_request"
    status = 400

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers: dict[str, str] = {}  # e.g. Retry-After of a 429 (RFC 9110 §10.2.3)


class BadRequest(AgoraError):
    code, status = "bad_request", 400


class Unauthorized(AgoraError):
    code, status = "unauthorized", 401


class Forbidden(AgoraError):
    code, status = "forbidden", 403


class NotFound(AgoraError):
    code, status = "not_found", 404


class MethodNotAllowed(AgoraError):
    code, status = "method_not_allowed", 405


class NotAcceptable(AgoraError):
    code, status = "not_acceptable", 406


class Conflict(AgoraError):
    code, status = "conflict", 409


class PayloadTooLarge(AgoraError):
    code, status = "payload_too_large", 413


class UnsupportedMediaType(AgoraError):
    code, status = "unsupported_media_type", 415


class ValidationFailed(AgoraError):
    code, status = "validation_error", 422

    def __init__(self, details: list[dict[str, Any]], message: str = "Certaines données sont invalides.") -> None:
        super().__init__(message, details)


class RateLimited(AgoraError):
    code, status = "rate_limited", 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": field, "message": message}])
