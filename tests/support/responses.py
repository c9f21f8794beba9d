"""Reading API responses in tests: the expected status, then the body."""

from __future__ import annotations

from typing import Any


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.body
    return response.json_body


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.body
    error: dict[str, Any] = response.json_body["error"]
    assert error["code"] == code
    return error
