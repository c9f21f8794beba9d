"""Compliance of a collectivité's event with L52-1 al. 2 during a pre-electoral window (pure domain).

In the six months before the month of a general election « aucune campagne de promotion publicitaire des
réalisations ou de la gestion d'une collectivité ne peut être organisée » (Code électoral L52-1 al. 2). The juge
de l'élection reads institutional communication in that period through four criteria (legal-fr.md §4.2: CE 28 juill.
1993 Fourcade; CE 5 juin 1996 Morhange; CE Ass. 18 déc. 1996 Paris 16e; CE 2015 La Croix-Saint-Leufroy); for
ceremonies: they « doivent avoir lieu conformément à [leur] périodicité et dans les conditions habituelles (ni
avancé, ni retardé, ni particulièrement amplifié) ». One finding per criterion:

- antériorité: the same series was held before the window opened (a new kind of ceremony inside it: warning);
- régularité: the date is the series' usual one, within ± `tolerance_days` (21 by default) of the usual day of the
  year (the median of the previous occurrences): held earlier or later is a warning;
- identité: not amplified: invitations, capacity or budget above `amplification_ratio` (1.3 by default) × the
  median of the previous occurrences is a warning;
- neutralité: no election reference, balance sheet of the outgoing team, candidacy, call to vote, or link to a
  candidate's site in the title, description or invitation text (domain/electoral/neutrality): blocking.

The thresholds are our reading of « habituelles » and « particulièrement amplifié », not figures from a text:
they are settings a tenant can change (/settings). Only `institution` tenants are bound (L52-1 al. 2 restricts
collectivités); a `political` tenant's events list the windows for information only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any, Literal

from chalicelib.domain.electoral import neutrality
from chalicelib.domain.electoral.calendar import Window
from chalicelib.domain.typography import MONTHS_FR, french_date

Level = Literal["ok", "warning", "blocking"]
Rule = Literal["anteriorite", "regularite", "identite", "neutralite"]
RULES: tuple[Rule, ...] = ("anteriorite", "regularite", "identite", "neutralite")
LEVELS: tuple[Level, ...] = ("ok", "warning", "blocking")
HISTORY_SIZE = 10  # previous occurrences compared (the most recent ones)
METRICS = {"invitations": "invitations", "capacity": "jauge", "budget_cents": "budget"}
CITATION = "art. L52-1 al. 2 du Code électoral"


@dataclass(frozen=True)
class Thresholds:
    tolerance_days: int = 21
    amplification_ratio: float = 1.3


@dataclass(frozen=True)
class Occurrence:
    """An event of a series, as the assessment compares it (day in Paris time)."""

    event_id: str
    day: date
    invitations: int | None = None
    capacity: int | None = None
    budget_cents: int | None = None


@dataclass(frozen=True)
class Subject(Occurrence):
    series: str | None = None
    texts: dict[str, str | None] = field(default_factory=dict)  # title, description, invitation_text


@dataclass(frozen=True)
class Finding:
    rule: Rule
    level: Level
    message: str
    evidence: dict[str, Any]
    basis: Any = None  # what makes it the same finding (default: the evidence); see `key`

    @property
    def key(self) -> str:
        """Same rule, level and basis → same key: what a notification or an override is recorded against.

        The basis leaves out what moves without changing the finding (invitations added day by day to an event
        already over budget), so the daily job does not tell the same thing every morning; for neutrality it is
        every quoted excerpt, so an override never covers words it was not given for."""
        basis = self.evidence if self.basis is None else self.basis
        canonical = json.dumps([self.rule, self.level, basis], sort_keys=True, ensure_ascii=False)
        return f"{self.rule}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "evidence": self.evidence,
            "key": self.key,
        }


@dataclass(frozen=True)
class Assessment:
    windows: tuple[Window, ...]
    applies: bool
    findings: tuple[Finding, ...]
    note: str | None = None

    @property
    def level(self) -> Level:
        return max((f.level for f in self.findings), key=LEVELS.index, default="ok")

    def as_json(self) -> dict[str, Any]:
        return {
            "windows": [w.as_json() for w in self.windows],
            "applies": self.applies,
            "level": self.level,
            "findings": [f.as_json() for f in self.findings],
            "note": self.note,
        }


POLITICAL_NOTE = (
    "Information : l'article L52-1 al. 2 du Code électoral restreint la communication des collectivités ; "
    "il ne s'applique pas aux événements d'un élu, d'un candidat ou d'un parti, dont les dépenses relèvent en "
    "revanche du financement de la campagne (art. L52-4 et suivants)."
)
OUTSIDE_NOTE = "Cet événement n'a pas lieu pendant une période préélectorale (art. L52-1 du Code électoral)."


def assess(
    subject: Subject,
    history: Sequence[Occurrence],
    windows: Sequence[Window],
    *,
    tenant_kind: str,
    candidates: Sequence[neutrality.Candidate] = (),
    thresholds: Thresholds = Thresholds(),
) -> Assessment:
    """The four criteria for an event whose day falls in `windows` (those containing it); `history` is the same
    series' other events, any order (only those before the subject's day count)."""
    inside = tuple(w for w in windows if w.contains(subject.day))
    if tenant_kind != "institution":
        return Assessment(inside, False, (), POLITICAL_NOTE)
    if not inside:
        return Assessment((), False, (), OUTSIDE_NOTE)
    before = sorted((o for o in history if o.day < subject.day and o.event_id != subject.event_id), key=_day)
    before = before[-HISTORY_SIZE:]
    findings = (
        anteriorite(subject, before, min(w.l52_1_start for w in inside)),
        regularite(subject, before, thresholds.tolerance_days),
        identite(subject, before, thresholds.amplification_ratio),
        neutralite(subject, candidates),
    )
    return Assessment(inside, True, findings)


def _day(o: Occurrence) -> date:
    return o.day


def anteriorite(subject: Subject, before: Sequence[Occurrence], window_start: date) -> Finding:
    start = french_date(window_start)
    if not subject.series:
        return Finding(
            "anteriorite",
            "warning",
            f"Antériorité ({CITATION}) : l'événement n'est rattaché à aucune série ; rien ne montre qu'il existait "
            f"avant le début de la période préélectorale ({start}). Renseignez la série (ex. « Vœux du maire ») "
            "si la cérémonie a lieu chaque année.",
            {"series": None, "window_start": window_start.isoformat()},
        )
    earlier = [o.day.isoformat() for o in before if o.day < window_start]
    if earlier:
        return Finding(
            "anteriorite",
            "ok",
            f"Antériorité ({CITATION}) : la série « {subject.series} » a eu lieu avant la période préélectorale "
            f"(dernière fois le {french_date(date.fromisoformat(earlier[-1]))}, avant le {start}).",
            {"series": subject.series, "window_start": window_start.isoformat(), "before_window": earlier[-3:]},
        )
    return Finding(
        "anteriorite",
        "warning",
        f"Antériorité ({CITATION}) : aucune occurrence de la série « {subject.series} » avant le {start}. Une "
        "cérémonie nouvelle organisée pendant la période préélectorale peut être regardée comme une campagne de "
        "promotion de la collectivité.",
        {"series": subject.series, "window_start": window_start.isoformat(), "before_window": []},
    )


def regularite(subject: Subject, before: Sequence[Occurrence], tolerance_days: int) -> Finding:
    if not before:
        return Finding(
            "regularite",
            "ok",
            f"Régularité ({CITATION}) : aucune occurrence précédente de la série ; la date ne peut pas être "
            "comparée à une périodicité habituelle (voir l'antériorité).",
            {"previous": [], "tolerance_days": tolerance_days},
        )
    offsets = [_offset_in_year(subject.day, o.day) for o in before]
    shift = round(median(offsets))
    usual = subject.day - timedelta(days=shift)
    evidence = {
        "previous": [o.day.isoformat() for o in before],
        "usual_day": usual.strftime("%m-%d"),
        "shift_days": shift,
        "tolerance_days": tolerance_days,
    }
    usual_text = f"{'1er' if usual.day == 1 else usual.day} {MONTHS_FR[usual.month - 1]}"
    if abs(shift) <= tolerance_days:
        return Finding(
            "regularite",
            "ok",
            f"Régularité ({CITATION}) : la date correspond à la périodicité habituelle de la série (vers le "
            f"{usual_text}, écart de {abs(shift)} jour(s), tolérance {tolerance_days}).",
            evidence,
        )
    way = "avancée" if shift < 0 else "retardée"
    return Finding(
        "regularite",
        "warning",
        f"Régularité ({CITATION}) : la cérémonie est {way} de {abs(shift)} jours par rapport à sa date habituelle "
        f"(vers le {usual_text}, tolérance {tolerance_days} jours). Pendant la période préélectorale, une "
        "cérémonie doit se tenir à sa périodicité habituelle, ni avancée ni retardée.",
        evidence,
        basis={"day": subject.day.isoformat(), "way": way},
    )


def _offset_in_year(day: date, previous: date) -> int:
    """Days between `day` and the anniversary of `previous` nearest to it (yearly series; -182..183)."""
    best: int | None = None
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            anniversary = previous.replace(year=year)
        except ValueError:  # 29 February
            anniversary = previous.replace(year=year, day=28)
        delta = (day - anniversary).days
        if best is None or abs(delta) < abs(best):
            best = delta
    assert best is not None
    return best


def identite(subject: Subject, before: Sequence[Occurrence], ratio: float) -> Finding:
    compared: list[dict[str, Any]] = []
    over: list[str] = []
    for metric, label in METRICS.items():
        value = getattr(subject, metric)
        past = [getattr(o, metric) for o in before if getattr(o, metric) is not None]
        if value is None or not past:
            continue
        usual = median(past)
        exceeded = usual > 0 and value > ratio * usual
        compared.append({"metric": metric, "value": value, "median": usual, "exceeded": exceeded})
        if exceeded:
            over.append(f"{label} : {_amount(metric, value)} contre {_amount(metric, usual)} habituellement")
    evidence = {"ratio": ratio, "compared": compared}
    if over:
        return Finding(
            "identite",
            "warning",
            f"Identité ({CITATION}) : la cérémonie paraît amplifiée par rapport aux précédentes ("
            + " ; ".join(over)
            + f" ; seuil × {_decimal(ratio)}). Pendant la période préélectorale, elle doit se tenir dans les "
            "conditions habituelles.",
            evidence,
            basis={"exceeded": sorted(c["metric"] for c in compared if c["exceeded"])},
        )
    if not compared:
        return Finding(
            "identite",
            "ok",
            f"Identité ({CITATION}) : pas d'occurrence précédente comparable (invitations, jauge ou budget).",
            evidence,
        )
    return Finding(
        "identite",
        "ok",
        f"Identité ({CITATION}) : invitations, jauge et budget restent dans les proportions habituelles "
        f"(seuil × {_decimal(ratio)} de la médiane des occurrences précédentes).",
        evidence,
    )


def _decimal(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _amount(metric: str, value: float) -> str:
    if metric == "budget_cents":
        return f"{value / 100:,.0f} €".replace(",", "\u202f")
    return f"{value:g}"


def neutralite(subject: Subject, candidates: Sequence[neutrality.Candidate]) -> Finding:
    matches = neutrality.find(subject.texts, candidates)
    evidence = {
        "matches": [
            {"field": m.field, "category": m.category, "pattern": m.pattern_id, "label": m.label, "excerpt": m.excerpt}
            for m in matches
        ]
    }
    if not matches:
        return Finding(
            "neutralite",
            "ok",
            f"Neutralité ({CITATION}) : le titre, la description et le texte de l'invitation ne contiennent ni "
            "référence à l'élection, ni bilan de l'équipe sortante, ni appel au vote, ni lien vers un candidat.",
            evidence,
        )
    shown = " ; ".join(f"{m.label} (« {m.excerpt} »)" for m in matches[:5])
    return Finding(
        "neutralite",
        "blocking",
        f"Neutralité ({CITATION}) : pendant la période préélectorale, la communication de la collectivité doit "
        f"rester informative et neutre. Relevé : {shown}. Modifiez le texte, ou faites lever le blocage par un "
        "administrateur avec une justification écrite.",
        evidence,
    )
