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


class AddressDoc(TypedDict, total=False):
    lines: list[str]
    postcode: str | None  # code postal, five digits
    city: str | None
    insee_code: str | None  # INSEE COG commune code


class AffiliationDoc(TypedDict, total=False):
    organisation_id: Required[str]  # a contact of kind "organisation" of the same tenant
    role: str | None
    start: str | None  # ISO date
    end: str | None  # ISO date


class DistinctionDoc(TypedDict):
    order: str  # legion_honneur, liberation, ordre_national_merite
    grade: str


class ContactDoc(TypedDict, total=False):
    """A contact's record (the map `doc`): the fields of the create model as validated, and `archived` once set.

    Only `kind` is always there: a record stored before a field existed lacks it (`distinctions`…).
    """

    kind: Required[Literal["person", "organisation"]]
    civility: str | None  # "M" or "Mme"
    honorific: str | None
    first_name: str | None
    last_name: str | None
    organisation_name: str | None
    emails: list[str]
    phones: list[str]
    address: AddressDoc | None
    birth_date: str | None  # ISO date
    nationality: str | None  # ISO 3166-1 alpha-2
    tags: list[str]
    interests: list[str]
    custom: dict[str, Any]  # values of the tenant's declared fields
    affiliations: list[AffiliationDoc]
    partner_contact_id: str | None
    address_form: str | None  # "traditional" or None
    distinctions: list[DistinctionDoc]
    protocol_notes: str | None  # confidential: redacted in responses for roles that may not read it
    archived: bool  # present (True) only while archived


@dataclass(slots=True, kw_only=True)
class Contact:
    tenant_id: str
    contact_id: str
    doc: ContactDoc
    version: int | None = None  # None until first saved; the store writes the new one back
    created_at: str = ""
    updated_at: str = ""

    @property
    def archived(self) -> bool:
        return bool(self.doc.get("archived"))


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexEntry:
    """One entry of the contact index as a search reads it: the contact's words, tags and kind decide a match
    without reading the contact. The store writes and deletes entries itself, with their contact."""

    pk: str
    sk: str
    contact_id: str
    kind: str
    words: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Interaction:
    tenant_id: str
    contact_id: str
    interaction_id: str
    kind: str  # call, meeting, letter, email, sms, visit, request
    date: str  # ISO date or date-time, as given
    summary: str
    author_id: str  # a user id, or "agora" for messages the application sent
    author_email: str | None = None
    task_id: str | None = None  # the follow-up task created with it
    created_at: str = ""


@dataclass(slots=True, kw_only=True)
class Task:
    tenant_id: str
    task_id: str
    title: str
    contact_id: str
    interaction_id: str | None = None
    assignee_id: str
    status: str  # open, done, cancelled
    due: str | None = None  # ISO date
    created_by: str
    created_at: str = ""
    updated_at: str = ""


class NewFollowUp(TypedDict):
    title: str
    due: str | None  # ISO date
    assignee: str  # "me" or a user id


class NewInteraction(TypedDict):
    """An interaction to record, as the request gave it (validated)."""

    kind: str
    date: str  # ISO date or date-time
    summary: str
    follow_up: NewFollowUp | None


class TaskChanges(TypedDict, total=False):
    """The fields a task PATCH sends (each key present only if sent; null where the request said null)."""

    title: str
    status: str
    due: str | None  # ISO date
    assignee: str | None  # "me" or a user id


@dataclass(slots=True, kw_only=True)
class ContactOverview:
    """The 360° view of a contact: its record, latest interactions, open tasks and mandates."""

    contact: Contact
    interactions: list[Interaction]
    open_tasks: list[Task]
    mandates: list[Any]  # the protocol family's mandates, as its store returns them (`Mandate` once it lands)


# --- tenancy: tenant settings, custom fields, users, audit -------------------------------------------------------


# --- events and their seats, elections and the electoral watch ---------------------------------------------------


class RoundDoc(TypedDict, total=False):
    """One round: its date once decreed, else the range it must fall in, or its month (YYYY-MM)."""

    date: str
    earliest: str
    latest: str
    month: str


class ElectionTerritoryDoc(TypedDict, total=False):
    national: bool
    departements: list[str]
    regions: list[str]
    communes: list[str]
    senate_series: int
    note: str


class ElectionDoc(TypedDict, total=False):
    """An election as in domain/electoral/elections.json (a correction stores the whole entry)."""

    id: Required[str]
    kind: Required[str]
    rounds: Required[list[RoundDoc]]
    label: str
    general: bool
    territory: ElectionTerritoryDoc
    reference_month: str
    decided_round: int
    financing_months: int
    confirmed: bool
    sources: list[str]


@dataclass(slots=True, kw_only=True)
class Election:
    """A correction of the calendar: `scope` is "deployment" (every tenant) or a tenant id (that tenant only)."""

    scope: str
    election_id: str
    doc: ElectionDoc
    version: int | None = None
    updated_at: str = ""
    updated_by: str = ""


# --- invitations, their guards and reminder rules ---------------------------------------------------------------


# --- protocol: mandates; imports and letters ---------------------------------------------------------------------


# --- end of entities ---------------------------------------------------------------------------------------------
