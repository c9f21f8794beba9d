"""Election calendar and the pre-electoral windows of the Code électoral (pure: no AWS, no clock).

- L52-1 al. 2: « A compter du premier jour du sixième mois précédant le mois au cours duquel il doit être procédé
  à des élections générales, aucune campagne de promotion publicitaire des réalisations ou de la gestion d'une
  collectivité ne peut être organisée sur le territoire des collectivités intéressées par le scrutin. » The window
  opens on the first day of (month of the first round − 6 months) and lasts « jusqu'à la date du tour de scrutin où
  celle-ci est acquise » (al. 1): the round that decided it, the last round while that is unknown.
  Worked examples: municipales March 2014 → 2013-09-01 (environnement-magazine.fr, 2013), March 2020 → 2019-09-01
  (Seban avocats, 2019; AdCF), March 2026 → 2025-09-01 (ballastconseil.eu).
- The legislature may fix the reference month (loi n° 2021-191 du 22 février 2021: the 2021 départementales and
  régionales, moved from March to June 2021, kept 2020-09-01): an election's `reference_month` overrides.
- L52-4 (loi n° 2016-508): the mandataire collects funds « pendant les six mois précédant le premier jour du mois de
  l'élection »: the same first day (L52-4 does not apply to municipales in communes under 9,000 inhabitants; the
  date is still shown for information). Except the presidential election: one year (loi n° 62-1292 du 6 novembre
  1962, art. 3; « un an au lieu de six mois en règle générale », Senate report on LO n° 2021-335), so 2026-04-01 for
  April 2027 while L52-1 al. 2 stays six months (2026-10-01). An organic law may set another
  period for one election (LO n° 2021-335: nine months for 2022, from 2021-07-01): an election's
  `financing_months` overrides its kind's.
- Only élections générales open a window; by-elections (partielles) are recorded with `general: false` and open
  none (L52-1 al. 2 speaks of « élections générales »; L52-4 runs from the event that makes a by-election necessary).
- Sénatoriales: L. 306 and L. 308-1 make L52-1 and chapter V bis apply. The Sénat is renewed by
  half, « les sénateurs sont répartis en deux séries 1 et 2 […] suivant le tableau n° 5 annexé » (L.O. 276): série 1
  in 2011, 2017, 2023, 2029, série 2 in 2014, 2020, 2026, 2032. The collectivités concerned are those of the
  série's départements and collectivités d'outre-mer: an election's territory names the série (`senate_series`),
  whose codes are data in `elections.json` with their sources (groups not checked against the consolidated
  tableau n° 5 are `confirmed: false`).

Reference data: `elections.json` beside this module, versioned, each entry with its sources. Rounds known only by
month (or by a range while the decree is not out) are marked `confirmed: false`: correctable data, through
`PATCH /elections/{id}` or a new version of the file. When a first round may fall in two different months, the
earlier month is used, so that the window never opens later than the law requires.
"""

from __future__ import annotations

import calendar as _calendar
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

KINDS = (
    "presidentielle",
    "legislatives",
    "senatoriales",
    "europeennes",
    "regionales",
    "departementales",
    "municipales",
)
KIND_LABELS = {
    "presidentielle": "élection présidentielle",
    "legislatives": "élections législatives",
    "senatoriales": "élections sénatoriales",
    "europeennes": "élections européennes",
    "regionales": "élections régionales",
    "departementales": "élections départementales",
    "municipales": "élections municipales",
}
UPCOMING_MONTHS = 24  # GET /elections/windows lists windows opening within this horizon
DATA_FILE = Path(__file__).with_name("elections.json")
L52_1_MONTHS = 6  # L52-1 al. 2: « à compter du premier jour du sixième mois précédant le mois » of the election
L52_4_MONTHS = 6  # L52-4 since loi n° 2016-508: « pendant les six mois précédant le premier jour du mois »
# Financing periods set by another text, by kind.
FINANCING_MONTHS: Mapping[str, int] = MappingProxyType(
    {"presidentielle": 12}  # loi n° 62-1292 du 6 novembre 1962, art. 3 (as amended): one year
)


@dataclass(frozen=True)
class Round:
    """A round: its exact date once decreed, else the range it must fall in (a month is a range)."""

    earliest: date
    latest: date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @classmethod
    def parse(cls, spec: Mapping[str, Any]) -> Round:
        if spec.get("date"):
            day = date.fromisoformat(spec["date"])
            return cls(day, day)
        if spec.get("month"):
            first = month_start(spec["month"])
            return cls(first, first.replace(day=_calendar.monthrange(first.year, first.month)[1]))
        earliest, latest = date.fromisoformat(spec["earliest"]), date.fromisoformat(spec["latest"])
        if latest < earliest:
            raise ValueError("latest précède earliest")
        return cls(earliest, latest)

    def as_spec(self) -> dict[str, str]:
        if self.exact:
            return {"date": self.earliest.isoformat()}
        last = _calendar.monthrange(self.earliest.year, self.earliest.month)[1]
        if self.earliest.day == 1 and self.latest == self.earliest.replace(day=last):
            return {"month": self.earliest.strftime("%Y-%m")}
        return {"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()}

    def shown(self) -> str:
        """An exact date as YYYY-MM-DD; otherwise the month (YYYY-MM), or both ends of the range."""
        spec = self.as_spec()
        return spec.get("date") or spec.get("month") or f"{spec['earliest']}/{spec['latest']}"


@dataclass(frozen=True)
class SeriesGroup:
    """Part of a série of the Sénat: départements and collectivités d'outre-mer (COG codes), with their sources."""

    label: str
    departements: frozenset[str]
    confirmed: bool
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class SenateSeries:
    """A série of the Sénat (L.O. 276, tableau n° 5): the years it is renewed and the territories it covers."""

    number: int
    renewals: tuple[int, ...]
    groups: tuple[SeriesGroup, ...]

    @property
    def departements(self) -> frozenset[str]:
        return frozenset().union(*(g.departements for g in self.groups))

    def group_of(self, code: str) -> SeriesGroup | None:
        return next((g for g in self.groups if code in g.departements), None)

    @classmethod
    def parse(cls, spec: Mapping[str, Any]) -> SenateSeries:
        groups = tuple(
            SeriesGroup(
                g["label"], frozenset(g["departements"]), bool(g["confirmed"]), tuple(g["sources"]), g.get("note")
            )
            for g in spec["groups"]
        )
        if not all(g.sources for g in groups):
            raise ValueError("chaque groupe d'une série sénatoriale cite ses sources")
        return cls(int(spec["series"]), tuple(int(y) for y in spec["renewals"]), groups)


@dataclass(frozen=True)
class Territory:
    """Where an election is held: all of France, or the listed départements / régions / communes (COG codes), or
    the départements and collectivités of a série of the Sénat (`senate_series`, resolved from the bundled data)."""

    national: bool = True
    departements: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()
    senate_series: int | None = None

    @classmethod
    def parse(cls, spec: Mapping[str, Any]) -> Territory:
        departements = frozenset(spec.get("departements", ()))
        number = spec.get("senate_series")
        if number is not None:
            found = senate_series().get(int(number))
            if found is None:
                raise ValueError(f"série sénatoriale inconnue : {number} (1 ou 2)")
            departements |= found.departements
        return cls(
            bool(spec.get("national", False)),
            departements,
            frozenset(spec.get("regions", ())),
            frozenset(spec.get("communes", ())),
            None if number is None else int(number),
        )

    def concerns(self, place: Place) -> bool:
        if self.national:
            return True
        return bool(
            (place.departement and place.departement in self.departements)
            or (place.region and place.region in self.regions)
            or (place.commune_insee and place.commune_insee in self.communes)
        )


@dataclass(frozen=True)
class Place:
    """A tenant's territory, from /settings (the département of a commune given alone is read from its code)."""

    departement: str | None = None
    region: str | None = None
    commune_insee: str | None = None

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Place:
        commune = settings.get("commune_insee")
        return cls(settings.get("departement") or departement_of_commune(commune), settings.get("region"), commune)


def departement_of_commune(code: str | None) -> str | None:
    """The COG code of a commune's département or collectivité d'outre-mer: "76540" → "76", "2A004" → "2A",
    "97411" → "974", "98818" → "988"; None without a five-character code."""
    if not code or len(code) != 5:
        return None
    return code[:3] if code[:2] in ("97", "98") else code[:2]


@dataclass(frozen=True)
class Election:
    id: str
    kind: str
    label: str
    rounds: tuple[Round, ...]
    territory: Territory = Territory()
    general: bool = True
    reference_month: str | None = None  # "YYYY-MM": a legislated override of the month L52-1 counts from
    decided_round: int | None = None  # 1-based: the round at which the election was decided, once known
    financing_months: int | None = None  # L52-4 period set for this election by a text (else its kind's)
    confirmed: bool = False
    sources: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # territory notes and the like, shown as stored

    @classmethod
    def parse(cls, spec: Mapping[str, Any]) -> Election:
        rounds = tuple(Round.parse(r) for r in spec["rounds"])
        if not rounds:
            raise ValueError("au moins un tour")
        if spec.get("kind") not in KINDS:
            raise ValueError(f"type d'élection inconnu : {spec.get('kind')}")
        decided = spec.get("decided_round")
        if decided is not None and not 1 <= int(decided) <= len(rounds):
            raise ValueError("decided_round hors des tours")
        if spec.get("reference_month"):
            month_start(spec["reference_month"])
        financing = spec.get("financing_months")
        if financing is not None and not 1 <= int(financing) <= 24:
            raise ValueError("financing_months hors de 1 à 24 mois")
        return cls(
            id=spec["id"],
            kind=spec["kind"],
            label=spec.get("label") or KIND_LABELS[spec["kind"]],
            rounds=rounds,
            territory=Territory.parse(spec.get("territory") or {"national": True}),
            general=bool(spec.get("general", True)),
            reference_month=spec.get("reference_month"),
            decided_round=decided,
            financing_months=None if financing is None else int(financing),
            confirmed=bool(spec.get("confirmed", False)),
            sources=tuple(spec.get("sources", ())),
            extra={"territory_note": (spec.get("territory") or {}).get("note")},
        )


@dataclass(frozen=True)
class Window:
    """One election's pre-electoral window as the API shows it (GET /elections/windows)."""

    election_id: str
    kind: str
    label: str
    first_round: str
    confirmed: bool
    l52_1_start: date
    l52_4_start: date
    ends: date
    active: bool

    def contains(self, day: date) -> bool:
        return self.l52_1_start <= day <= self.ends

    def as_json(self) -> dict[str, Any]:
        return {
            "election_id": self.election_id,
            "kind": self.kind,
            "label": self.label,
            "first_round": self.first_round,
            "confirmed": self.confirmed,
            "l52_1_start": self.l52_1_start.isoformat(),
            "l52_4_start": self.l52_4_start.isoformat(),
            "ends": self.ends.isoformat(),
            "active": self.active,
        }


def month_start(value: str) -> date:
    """'2027-04' → 2027-04-01 (ValueError otherwise)."""
    year, _, month = value.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(f"mois invalide : {value} (AAAA-MM)")
    return date(int(year), int(month), 1)


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _election_month(election: Election) -> date:
    """First day of the month of the first round, or of the legislated reference month."""
    reference = month_start(election.reference_month) if election.reference_month else election.rounds[0].earliest
    return reference.replace(day=1)


def l52_1_start(election: Election) -> date:
    """First day of the sixth month before the month of the first round (or of the legislated reference month)."""
    return add_months(_election_month(election), -L52_1_MONTHS)


def financing_months(kind: str, override: int | None = None) -> int:
    """The L52-4 financing period in months: the election's own, else its kind's, else six (loi n° 2016-508)."""
    return override or FINANCING_MONTHS.get(kind, L52_4_MONTHS)


def l52_4_start(election: Election) -> date:
    """L52-4: « pendant les six mois précédant le premier jour du mois de l'élection »; a year for the presidential
    election (loi n° 62-1292 art. 3), or the period a text set for this election."""
    return add_months(_election_month(election), -financing_months(election.kind, election.financing_months))


def ends(election: Election) -> date:
    """The round at which the election is decided (al. 1); the last round, at its latest, while unknown."""
    index = (election.decided_round or len(election.rounds)) - 1
    return election.rounds[index].latest


def window(election: Election, on: date) -> Window:
    start = l52_1_start(election)
    end = ends(election)
    return Window(
        election_id=election.id,
        kind=election.kind,
        label=election.label,
        first_round=election.rounds[0].shown(),
        confirmed=election.confirmed,
        l52_1_start=start,
        l52_4_start=l52_4_start(election),
        ends=end,
        active=start <= on <= end,
    )


def windows_for(
    elections: Iterable[Election], place: Place, on: date, horizon_months: int = UPCOMING_MONTHS
) -> list[Window]:
    """The windows concerning `place` that are active on `on` or open within the horizon, by start date.

    By-elections open no window; an election whose window has ended is history."""
    horizon = _same_day_months_later(on, horizon_months)
    found = []
    for election in elections:
        if not election.general or not election.territory.concerns(place):
            continue
        w = window(election, on)
        if w.ends >= on and w.l52_1_start <= horizon:
            found.append(w)
    return sorted(found, key=lambda w: (w.l52_1_start, w.election_id))


def _same_day_months_later(on: date, months: int) -> date:
    """The same day `months` months later, clamped to the month's end (31 Aug + 6 months → 28 or 29 Feb)."""
    target = add_months(on.replace(day=1), months)
    return target.replace(day=min(on.day, _calendar.monthrange(target.year, target.month)[1]))


def windows_containing(windows: Iterable[Window], day: date) -> list[Window]:
    return [w for w in windows if w.contains(day)]


@lru_cache(maxsize=1)
def _data() -> str:
    return DATA_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def senate_series() -> Mapping[int, SenateSeries]:
    """The two séries of the Sénat as bundled (`senate_series` of elections.json), by number."""
    found = (SenateSeries.parse(s) for s in json.loads(_data())["senate_series"])
    return MappingProxyType({s.number: s for s in found})


@lru_cache(maxsize=1)
def reference() -> tuple[str, tuple[Election, ...]]:
    """The bundled calendar: (its version, its elections)."""
    data = json.loads(_data())
    return data["version"], tuple(Election.parse(e) for e in data["elections"])


def reference_specs() -> dict[str, dict[str, Any]]:
    """The bundled entries as stored, by id: the base that corrections patch (a fresh copy each call)."""
    return {e["id"]: e for e in json.loads(_data())["elections"]}
