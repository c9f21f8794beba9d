"""A page of a list as services return it: the items and the cursor of the next page (None on the last)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None
