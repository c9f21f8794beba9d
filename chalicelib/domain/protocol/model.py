"""The value objects protocol rules work on: pure data, built by the services from stored records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TERRITORY_KINDS = (
    "commune",
    "epci",
    "canton",
    "arrondissement",
    "circonscription",
    "departement",
    "region",
    "europe",
    "nation",
)


@dataclass(frozen=True)
class Territory:
    kind: str  # one of TERRITORY_KINDS
    code: str  # INSEE COG code as text: commune "76540", département "2A", circonscription "7601", région "28"
    name: str = ""


@dataclass(frozen=True)
class Mandate:
    """A mandate or function held by a person (function codes: domain/protocol/functions.py)."""

    function: str
    territory: Territory | None = None
    start: date | None = None
    end: date | None = None
    first_elected_on: date | None = None
    organisation: str | None = None
    title: str | None = None  # free title, for function "autre"

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Distinction:
    """A grade or dignity in a national order (codes: domain/protocol/distinctions.py). Not a function."""

    order: str  # "legion_honneur" | "liberation" | "ordre_national_merite"
    grade: str  # "chevalier" … "grand_croix", or "compagnon" (ordre de la Libération)


@dataclass(frozen=True)
class Person:
    contact_id: str
    civility: str | None = None  # "M", "Mme" or None
    first_name: str | None = None
    last_name: str | None = None
    honorific: str | None = None  # Maître, Docteur, Professeur, Général, Monseigneur…
    birth_date: date | None = None
    address_form: str | None = None  # None or "traditional" ("Madame le Maire")
    mandates: tuple[Mandate, ...] = field(default_factory=tuple)
    distinctions: tuple[Distinction, ...] = field(default_factory=tuple)

    @property
    def is_woman(self) -> bool:
        return self.civility == "Mme"


@dataclass(frozen=True)
class Ceremony:
    departement: str  # "76", "2A", "75" (Paris: article 2 instead of article 3)
    date: date
    commune_insee: str | None = None
    arrondissement: str | None = None  # arrondissement code, e.g. "762" (département + number)
    inviting_contact_id: str | None = None
    prescribed_by_government: bool = False

    @property
    def in_paris(self) -> bool:
        return self.departement == "75"


@dataclass(frozen=True)
class Representation:
    contact_id: str
    represents_contact_id: str
    capacity: str  # "adjoint" | "vice_president" | "other"


@dataclass(frozen=True)
class Placed:
    """One line of a precedence or speaking order."""

    contact_id: str
    rank: int  # 1-based position in the list
    category_rank: float | None  # the decree's category (7 for the maire); usage ranks may be fractional
    function: str | None  # function code that placed the person, None without a listed function
    title: str  # as it will be announced, e.g. "Madame la Préfète de la Seine-Maritime"
    reason: str  # in French: which article or usage placed the person
