"""The store's typed entities: what services read and write, whatever table or bucket holds them.

The PynamoDB models stay private to `store/` (each store module converts its items to and from these types);
`schemas/` builds responses from them. An entity keeps the attribute names of its item: its keys, its metadata
(`version` for optimistic locking, None until first saved; `created_at` and `updated_at`, ISO instants in UTC)
and, for records kept as one DynamoDB map, `doc`: a TypedDict naming each field of the map once, so that every
read of `entity.doc["…"]` is type-checked. Instants inside docs are ISO text in UTC (`…Z`): they sort as text,
which the keys and the GSIs rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field  # noqa: F401  (integration: drop the noqa)
from typing import Any, Literal, NotRequired, Required, TypedDict  # noqa: F401


# --- directory: contacts, the name index, interactions and tasks ------------------------------------------------


# --- tenancy: tenant settings, custom fields, users, audit -------------------------------------------------------


# --- events and their seats, elections and the electoral watch ---------------------------------------------------


# --- invitations, their guards and reminder rules ---------------------------------------------------------------


# --- protocol: mandates; imports and letters ---------------------------------------------------------------------


# --- end of entities ---------------------------------------------------------------------------------------------
