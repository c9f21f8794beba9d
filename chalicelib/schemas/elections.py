"""The election calendar, pre-electoral windows and the L52-1 compliance of events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import Field, model_validator

from chalicelib.domain.electoral import calendar
from chalicelib.domain.electoral.calendar import KINDS
from chalicelib.schemas.common import NOT_NULL, Line, Lines, Model, PlausibleDate, StrictModel, raise_field
from chalicelib.store import entities

ElectionKind = Literal[
    "presidentielle", "legislatives", "senatoriales", "europeennes", "regionales", "departementales", "municipales"
]
assert set(get_args(ElectionKind)) == set(KINDS)
Month = Annotated[str, Field(pattern=r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
# Départements (COG: 01–95 without 20, 2A, 2B, 971–976) and the collectivités d'outre-mer that elect senators
# (975 Saint-Pierre-et-Miquelon, 977 Saint-Barthélemy, 978 Saint-Martin, 986 Wallis-et-Futuna, 987 Polynésie
# française, 988 Nouvelle-Calédonie): the territories of the séries of the Sénat (tableau n° 5 annexé).
TERRITORY_CODE = r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[6-8])$"


class RoundIn(StrictModel):
    """One round: its exact date once decreed; until then the range it must fall in, or its month."""

    date: PlausibleDate | None = None  # 1900–2200: a window computed months around it stays a date
    earliest: PlausibleDate | None = None
    latest: PlausibleDate | None = None
    month: Month | None = None

    @model_validator(mode="after")
    def _one_form(self) -> RoundIn:
        forms = [self.date is not None, self.month is not None, self.earliest is not None or self.latest is not None]
        if sum(forms) != 1:
            raise_field("date", "Donnez soit date, soit month, soit earliest et latest.")
        if forms[2] and (self.earliest is None or self.latest is None):
            raise_field("latest", "earliest et latest vont ensemble.")
        if self.earliest is not None and self.latest is not None and self.latest < self.earliest:
            raise_field("latest", "latest précède earliest.")
        return self

    def spec(self) -> dict[str, str]:
        return {
            k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.model_dump(exclude_none=True).items()
        }


class TerritoryIn(StrictModel):
    national: bool = False
    departements: Annotated[list[Annotated[str, Field(pattern=TERRITORY_CODE)]], Field(max_length=110)] = []
    regions: Annotated[list[Annotated[str, Field(pattern=r"^\d{2}$")]], Field(max_length=30)] = []
    communes: Annotated[list[Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$")]], Field(max_length=1000)] = []
    senate_series: Literal[1, 2] | None = Field(
        default=None,
        description="Sénatoriales: the série renewed (Code électoral L.O. 276, tableau n° 5); its départements and "
        "collectivités are the bundled ones (elections.json, senate_series)",
    )
    note: Annotated[str, Lines(500)] | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> TerritoryIn:
        if not self.national and not (self.departements or self.regions or self.communes or self.senate_series):
            raise_field(
                "national",
                "Indiquez national: true, une série sénatoriale, ou au moins un département, une région ou une "
                "commune.",
            )
        return self


class ElectionFields(StrictModel):
    kind: Annotated[ElectionKind | None, NOT_NULL] = None
    label: Annotated[str, Line(200)] | None = None
    general: Annotated[bool | None, NOT_NULL] = Field(
        default=None, description="False for a by-election: it opens no L52-1 window"
    )
    territory: Annotated[TerritoryIn | None, NOT_NULL] = None
    rounds: Annotated[Annotated[list[RoundIn], Field(min_length=1, max_length=2)] | None, NOT_NULL] = None
    reference_month: Month | None = Field(
        default=None, description="A legislated month L52-1 counts from instead of the first round's (as in 2021)"
    )
    decided_round: Annotated[int, Field(ge=1, le=2)] | None = None
    financing_months: Annotated[int, Field(ge=1, le=24)] | None = Field(
        default=None,
        description="L52-4 financing period in months when a text sets one for this election (e.g. 9 for 2022, "
        "LO n° 2021-335); otherwise its kind's: 12 for the presidential election (loi n° 62-1292 art. 3), else 6",
    )
    confirmed: Annotated[bool | None, NOT_NULL] = None
    sources: Annotated[Annotated[list[Annotated[str, Line(500)]], Field(max_length=20)] | None, NOT_NULL] = None


class ElectionCreate(ElectionFields):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{2,62}$", description="e.g. municipales-partielles-2027")]
    kind: ElectionKind
    rounds: Annotated[list[RoundIn], Field(min_length=1, max_length=2)]
    territory: TerritoryIn
    sources: Annotated[list[Annotated[str, Line(500)]], Field(min_length=1, max_length=20)]
    scope: Literal["tenant", "deployment"] = Field(
        default="tenant", description="deployment: every tenant (operator's admins only); tenant: this tenant only"
    )


class ElectionPatch(ElectionFields):
    version: int = Field(ge=0, description="The version read (0 for a bundled entry not yet corrected)")
    scope: Literal["tenant", "deployment"] = "tenant"


class Election(Model):
    id: str
    kind: ElectionKind
    label: str
    general: bool
    territory: dict[str, Any]
    rounds: list[dict[str, str]]
    reference_month: str | None
    decided_round: int | None
    financing_months: int = Field(description="The L52-4 financing period in force for this election, in months")
    confirmed: bool
    sources: list[str]
    source: Literal["reference", "deployment", "tenant"] = Field(
        description="Where the entry comes from: the bundled file, a deployment-wide or a tenant correction"
    )
    reference_version: str
    version: int
    updated_at: str | None
    updated_by: str | None


class ElectionList(Model):
    items: list[Election]


class WindowsQuery(Model):
    on: PlausibleDate | None = Field(default=None, description="Day (YYYY-MM-DD); default: today in Paris")


class ElectoralWindow(Model):
    election_id: str
    kind: str
    label: str
    first_round: str = Field(description="YYYY-MM-DD once decreed; otherwise YYYY-MM or earliest/latest")
    confirmed: bool
    l52_1_start: dt.date
    l52_4_start: dt.date
    ends: dt.date
    active: bool


class Finding(Model):
    rule: Literal["anteriorite", "regularite", "identite", "neutralite"]
    level: Literal["ok", "warning", "blocking"]
    message: str
    evidence: dict[str, Any]
    key: str = Field(description="Stable key of this finding (same rule, level and evidence)")


class Override(Model):
    by: str
    at: str
    justification: str
    covers: list[str]


class Compliance(Model):
    windows: list[ElectoralWindow]
    applies: bool = Field(description="False for political tenants and events outside every window")
    level: Literal["ok", "warning", "blocking"]
    findings: list[Finding]
    note: str | None
    assessed_at: str
    override: Override | None = Field(description="The admin override in force, if it covers the blocking findings")


class OverrideCreate(StrictModel):
    justification: Annotated[str, Lines(5000, min_length=30)]


# --- the stored record of a request, and the responses --------------------------------------------------------------


def election_doc(body: ElectionCreate) -> entities.ElectionDoc:
    """A new election as stored: as in elections.json (no scope: it is where the election is stored)."""
    return cast(
        entities.ElectionDoc,
        {
            **body.model_dump(mode="json", exclude={"scope", "rounds", "territory"}, exclude_none=True),
            "rounds": [r.spec() for r in body.rounds],
            "territory": body.territory.model_dump(mode="json", exclude_none=True),
        },
    )


def election_changes(patch: ElectionPatch) -> dict[str, Any]:
    """The fields a correction names, as stored; None removes a field."""
    changes = patch.model_dump(mode="json", include=patch.model_fields_set - {"version", "scope"})
    if "rounds" in changes:
        changes["rounds"] = [r.spec() for r in patch.rounds or []]
    if "territory" in changes and patch.territory is not None:
        changes["territory"] = patch.territory.model_dump(mode="json", exclude_none=True)
    return changes


def election_json(spec: entities.ElectionDoc, source: str, stored: entities.Election | None) -> dict[str, Any]:
    """An election of the tenant's calendar: its spec, the layer it comes from, and the correction stored (None
    for a bundled entry not corrected: version 0)."""
    version, _ = calendar.reference()
    return {
        "id": spec["id"],
        "kind": spec["kind"],
        "label": spec.get("label") or calendar.KIND_LABELS[spec["kind"]],
        "general": bool(spec.get("general", True)),
        "territory": spec.get("territory") or {"national": True},
        "rounds": spec["rounds"],
        "reference_month": spec.get("reference_month"),
        "decided_round": spec.get("decided_round"),
        "financing_months": calendar.financing_months(spec["kind"], spec.get("financing_months")),
        "confirmed": bool(spec.get("confirmed", False)),
        "sources": list(spec.get("sources", [])),
        "source": source,
        "reference_version": version,
        "version": (stored.version or 0) if stored else 0,
        "updated_at": stored.updated_at if stored else None,
        "updated_by": stored.updated_by if stored else None,
    }


def election_list_json(elections: list[dict[str, Any]]) -> dict[str, Any]:
    """The calendar in one list (`elections`: built by election_json)."""
    return {"items": elections}


def electoral_window_json(window: calendar.Window) -> dict[str, Any]:
    return window.as_json()


def compliance_json(assessment: entities.Assessment) -> dict[str, Any]:
    """An event's assessment as stored: the windows, the findings, and the override in force."""
    return assessment_json(assessment.doc)


def assessment_json(doc: entities.AssessmentDoc) -> dict[str, Any]:
    """An assessment (an event's or a campaign's): the windows, the findings, and the override in force."""
    return {
        "windows": doc["windows"],
        "applies": doc["applies"],
        "level": doc["level"],
        "findings": doc["findings"],
        "note": doc["note"],
        "assessed_at": doc["assessed_at"],
        "override": doc.get("override"),
    }
