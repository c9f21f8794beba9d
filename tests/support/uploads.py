"""A file sent as the browser sends a large one: a PUT to the presigned URL that `POST /imports` answered with."""

from __future__ import annotations

import requests


def put_presigned(url: str, data: bytes) -> None:
    """PUT `data` as CSV to a presigned S3 URL, which must accept it (200)."""
    response = requests.put(url, data=data, headers={"Content-Type": "text/csv"}, timeout=10)
    assert response.status_code == 200, response.text
