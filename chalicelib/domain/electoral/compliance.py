"""Compliance of a collectivité's event with L52-1 al. 2 during a pre-electoral window (pure domain).

In the six months before the month of a general election « aucune campagne de promotion publicitaire des
réalisations ou de la gestion d'une collectivité ne peut être organisée » (Code électoral L52-1 al. 2). The juge
de l'élection reads institutional communication in that period through four criteria (CE 28 juill. 1993
Fourcade; CE 5 juin 1996 Morhange; CE Ass. 18 déc. 1996 Paris 16e; CE 2015 La Croix-Saint-Leufroy); for
ceremonies: they « doivent avoir lieu conformément à [leur] périodicité et dans les conditions habituelles (ni
avancé, ni retardé, ni particulièrement amplifié) ». One finding per criterion:

- antériorité: the same series was held before the window opened (a new kind of ceremony inside it: warning);
- régularité: the date is the series' usual one. The rhythm is read from the previous occurrences (the median
  interval between them, within ± 25 % of a month, a quarter, a half-year or a year); with a single previous
  occurrence, or an interval matching none, the series is taken as yearly and the message says so. The expected date
  is the date of that rhythm nearest to the event, counted from each previous occurrence (the median of the shifts);
  farther than the tolerance is a warning (held earlier or later). The tolerance is `tolerance_days` (21 by default)
  for a yearly series, in proportion for a shorter rhythm but never under a week (nor under the setting): 7 days
  for a monthly or quarterly series, 10 for a half-yearly one by default;
- identité: not amplified: invitations, capacity or budget above `amplification_ratio` (1.3 by default) × the
  median of the previous occurrences is a warning;
- neutralité: no promotion of the outgoing team or of a candidate in the title, description or invitation text
  (domain/electoral/neutrality): a balance sheet or praise of the team, a candidacy, a call to vote, a slogan, a
  party's meeting, a campaign site is blocking; a mere reference to the election, a declared candidate named in
  his functions, a militant-looking turn of phrase is a warning. The finding names the elections whose windows
  contain the event's day.

The thresholds are our reading of « habituelles » and « particulièrement amplifié », not figures from a text:
they are settings a tenant can change (/settings). Only `institution` tenants are bound (L52-1 al. 2 restricts
collectivités); a `political` tenant's events list the windows for information only.
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
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
CITATION = "art. L52-1 al. 2 du Code électoral"
RhythmId = Literal["monthly", "quarterly", "half_yearly", "yearly"]


@dataclass(frozen=True)
class Rhythm:
    id: RhythmId
    months: int
    adjective: str  # « rythme mensuel »


RHYTHMS: tuple[Rhythm, ...] = (
    Rhythm("monthly", 1, "mensuel"),
    Rhythm("quarterly", 3, "trimestriel"),
    Rhythm("half_yearly", 6, "semestriel"),
    Rhythm("yearly", 12, "annuel"),
)
YEARLY = RHYTHMS[-1]
DAYS_PER_MONTH = 365.2425 / 12
RHYTHM_SPREAD = 0.25  # a median interval within ± 25 % of a rhythm's length is that rhythm (the ranges do not meet)
MIN_TOLERANCE_DAYS = 7  # a series held on a weekday (the first Tuesday of the month) moves by up to six days


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


SubjectKind = Literal["event", "campaign", "consultation"]


@dataclass(frozen=True)
class Wording:
    """How the findings name what is assessed: a newsletter is not a ceremony and has no invitation text, and a
    finding that speaks of one misleads the person who must correct the other."""

    this: str  # « Cet événement »
    it: str  # « l'événement »
    attached: str  # « n'est rattaché à aucune série ; rien ne montre qu'il existait »
    occurrence: str  # « la cérémonie »
    new_occurrence: str  # « Une cérémonie nouvelle organisée »
    held: str  # « se tenir »
    series_example: str  # « Vœux du maire »
    recurring: str  # « si la cérémonie a lieu chaque année »
    texts: str  # « le titre, la description et le texte de l'invitation »
    metrics: dict[str, str]  # measured figure → its French name
    usual_metrics: str  # « invitations, jauge et budget restent »
    any_metric: str  # « invitations, jauge ou budget »
    own_kind: str  # what a political tenant's subject is, in political_note


WORDINGS: dict[SubjectKind, Wording] = {
    "event": Wording(
        this="Cet événement",
        it="l'événement",
        attached="n'est rattaché à aucune série ; rien ne montre qu'il existait",
        occurrence="la cérémonie",
        new_occurrence="Une cérémonie nouvelle organisée",
        held="se tenir",
        series_example="Vœux du maire",
        recurring="si la cérémonie a lieu chaque année",
        texts="le titre, la description et le texte de l'invitation",
        metrics={"invitations": "invitations", "capacity": "jauge", "budget_cents": "budget"},
        usual_metrics="invitations, jauge et budget restent",
        any_metric="invitations, jauge ou budget",
        own_kind="aux événements",
    ),
    # A campaign's `invitations` is its recipients; it has neither capacity nor budget.
    "campaign": Wording(
        this="Cette campagne",
        it="la campagne",
        attached="n'est rattachée à aucune série ; rien ne montre qu'elle existait",
        occurrence="la campagne",
        new_occurrence="Une campagne nouvelle envoyée",
        held="partir",
        series_example="Lettre d'information",
        recurring="si la campagne est envoyée régulièrement",
        texts="l'objet et le corps du message",
        metrics={"invitations": "destinataires"},
        usual_metrics="le nombre de destinataires de la campagne reste",
        any_metric="nombre de destinataires",
        own_kind="aux campagnes",
    ),
    # A consultation is assessed on its texts only (neutralité): it has no series, recipients or budget of its own.
    "consultation": Wording(
        this="Cette consultation",
        it="la consultation",
        attached="n'est rattachée à aucune série ; rien ne montre qu'elle existait",
        occurrence="la consultation",
        new_occurrence="Une consultation nouvelle ouverte",
        held="se tenir",
        series_example="Budget participatif",
        recurring="si la consultation a lieu chaque année",
        texts="le titre, l'introduction, les questions et le texte de consentement",
        metrics={},
        usual_metrics="le public de la consultation reste",
        any_metric="public",
        own_kind="aux consultations",
    ),
}


@dataclass(frozen=True)
class Subject(Occurrence):
    series: str | None = None
    texts: dict[str, str | None] = field(default_factory=dict)  # title, description, invitation_text
    kind: SubjectKind = "event"

    @property
    def words(self) -> Wording:
        return WORDINGS[self.kind]


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


def political_note(words: Wording = WORDINGS["event"]) -> str:
    return (
        "Information : l'article L52-1 al. 2 du Code électoral restreint la communication des collectivités ; "
        f"il ne s'applique pas {words.own_kind} d'un élu, d'un candidat ou d'un parti, dont les dépenses relèvent "
        "en revanche du financement de la campagne électorale (art. L52-4 et suivants)."
    )


def outside_note(words: Wording = WORDINGS["event"]) -> str:
    return f"{words.this} n'a pas lieu pendant une période préélectorale (art. L52-1 du Code électoral)."


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
        return Assessment(inside, False, (), political_note(subject.words))
    if not inside:
        return Assessment((), False, (), outside_note(subject.words))
    before = sorted((o for o in history if o.day < subject.day and o.event_id != subject.event_id), key=_day)
    before = before[-HISTORY_SIZE:]
    findings = (
        anteriorite(subject, before, min(w.l52_1_start for w in inside)),
        regularite(subject, before, thresholds.tolerance_days),
        identite(subject, before, thresholds.amplification_ratio),
        neutralite(subject, candidates, inside),
    )
    return Assessment(inside, True, findings)


def _day(o: Occurrence) -> date:
    return o.day


def anteriorite(subject: Subject, before: Sequence[Occurrence], window_start: date) -> Finding:
    start = french_date(window_start)
    w = subject.words
    if not subject.series:
        return Finding(
            "anteriorite",
            "warning",
            f"Antériorité ({CITATION}) : {w.it} {w.attached} avant le début de la période préélectorale "
            f"({start}). Renseignez la série (ex. « {w.series_example} ») {w.recurring}.",
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
        f"Antériorité ({CITATION}) : aucune occurrence de la série « {subject.series} » avant le {start}. "
        f"{w.new_occurrence} pendant la période préélectorale peut être regardée comme une campagne de "
        "promotion de la collectivité.",
        {"series": subject.series, "window_start": window_start.isoformat(), "before_window": []},
    )


@dataclass(frozen=True)
class Periodicity:
    """A series' rhythm as read from its previous occurrences: `inferred` is False when it is assumed yearly."""

    rhythm: Rhythm
    inferred: bool
    occurrences: int  # distinct days
    median_interval_days: float | None  # None with a single occurrence

    def described(self) -> str:
        if self.inferred:
            return (
                f"rythme {self.rhythm.adjective} déduit de {self.occurrences} occurrences : intervalle médian de "
                f"{round(self.median_interval_days or 0)} jours"
            )
        if self.median_interval_days is None:
            return "rythme annuel supposé : une seule occurrence précédente, aucun intervalle à mesurer"
        return (
            f"rythme annuel supposé : l'intervalle médian de {round(self.median_interval_days)} jours entre les "
            "occurrences précédentes n'est ni mensuel, ni trimestriel, ni semestriel, ni annuel"
        )


def periodicity(days: Sequence[date]) -> Periodicity:
    """The rhythm whose length the median interval between the distinct `days` is within ± 25 % of; yearly (as
    assumed) with fewer than two days or an interval matching no rhythm."""
    distinct = sorted(set(days))
    intervals = [(later - earlier).days for earlier, later in pairwise(distinct)]
    if not intervals:
        return Periodicity(YEARLY, False, len(distinct), None)
    interval = float(median(intervals))
    for rhythm in RHYTHMS:
        length = rhythm.months * DAYS_PER_MONTH
        if abs(interval - length) <= RHYTHM_SPREAD * length:
            return Periodicity(rhythm, True, len(distinct), interval)
    return Periodicity(YEARLY, False, len(distinct), interval)


def tolerance_for(rhythm: Rhythm, tolerance_days: int) -> int:
    """The setting (a yearly series' tolerance) in proportion to the rhythm, never under a week nor the setting."""
    return max(round(tolerance_days * rhythm.months / 12), min(MIN_TOLERANCE_DAYS, tolerance_days))


def regularite(subject: Subject, before: Sequence[Occurrence], tolerance_days: int) -> Finding:
    if not before:
        return Finding(
            "regularite",
            "ok",
            f"Régularité ({CITATION}) : aucune occurrence précédente de la série ; la date ne peut pas être "
            "comparée à une périodicité habituelle (voir l'antériorité).",
            {"previous": [], "tolerance_days": tolerance_days},
        )
    found = periodicity([o.day for o in before])
    rhythm = found.rhythm
    tolerance = tolerance_for(rhythm, tolerance_days)
    shift = round(median(_offset(subject.day, o.day, rhythm.months) for o in before))
    expected = subject.day - timedelta(days=shift)
    evidence = {
        "previous": [o.day.isoformat() for o in before],
        "rhythm": rhythm.id,
        "rhythm_inferred": found.inferred,
        "median_interval_days": found.median_interval_days,
        "expected_day": expected.isoformat(),
        "usual_day": expected.strftime("%m-%d"),
        "shift_days": shift,
        "tolerance_days": tolerance,
    }
    if abs(shift) <= tolerance:
        return Finding(
            "regularite",
            "ok",
            f"Régularité ({CITATION}) : la date correspond à la périodicité habituelle de la série ("
            f"{found.described()} ; date attendue vers le {french_date(expected)}, écart de {abs(shift)} jour(s), "
            f"tolérance {tolerance}).",
            evidence,
        )
    way = "avancée" if shift < 0 else "retardée"
    return Finding(
        "regularite",
        "warning",
        f"Régularité ({CITATION}) : {subject.words.occurrence} est {way} de {abs(shift)} jours par rapport à sa "
        f"date attendue (vers le {french_date(expected)} ; {found.described()} ; tolérance {tolerance} jours). "
        f"Pendant la période préélectorale, {subject.words.occurrence} doit {subject.words.held} à sa périodicité "
        "habituelle, ni avancée ni retardée.",
        evidence,
        # A yearly series keeps the key it had before rhythms were read: no finding is news again for that alone.
        basis={"day": subject.day.isoformat(), "way": way} | ({} if rhythm is YEARLY else {"rhythm": rhythm.id}),
    )


def _offset(day: date, previous: date, months: int) -> int:
    """Days between `day` and the date of the rhythm nearest to it counted from `previous` (previous + k × months,
    the day of the month clamped to the month's end: 29 February → 28 in a common year); yearly: -182..183."""
    elapsed = (day.year - previous.year) * 12 + day.month - previous.month
    nearest = round(elapsed / months)
    best: int | None = None
    for k in (nearest - 1, nearest, nearest + 1):  # earliest first: on a tie, the earlier date of the rhythm
        delta = (day - _months_after(previous, k * months)).days
        if best is None or abs(delta) < abs(best):
            best = delta
    assert best is not None
    return best


def _months_after(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, _calendar.monthrange(year, month + 1)[1]))


def identite(subject: Subject, before: Sequence[Occurrence], ratio: float) -> Finding:
    compared: list[dict[str, Any]] = []
    over: list[str] = []
    w = subject.words
    for metric, label in w.metrics.items():
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
            f"Identité ({CITATION}) : {w.occurrence} paraît amplifiée par rapport aux précédentes ("
            + " ; ".join(over)
            + f" ; seuil × {_decimal(ratio)}). Pendant la période préélectorale, elle doit {w.held} dans les "
            "conditions habituelles.",
            evidence,
            basis={"exceeded": sorted(c["metric"] for c in compared if c["exceeded"])},
        )
    if not compared:
        return Finding(
            "identite",
            "ok",
            f"Identité ({CITATION}) : pas d'occurrence précédente comparable ({w.any_metric}).",
            evidence,
        )
    return Finding(
        "identite",
        "ok",
        f"Identité ({CITATION}) : {w.usual_metrics} dans les proportions habituelles "
        f"(seuil × {_decimal(ratio)} de la médiane des occurrences précédentes).",
        evidence,
    )


def _decimal(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _amount(metric: str, value: float) -> str:
    if metric == "budget_cents":
        return f"{value / 100:,.0f} €".replace(",", "\u202f")
    return f"{value:g}"


def _election(w: Window) -> str:
    """« élection présidentielle (1er tour le 11 avril 2027) »; a round known by its month only: « (1er tour en avril
    2027) »."""
    first = w.first_round
    if len(first) == 10:
        when = f"le {french_date(date.fromisoformat(first))}"
    elif len(first) == 7:
        when = f"en {MONTHS_FR[int(first[5:]) - 1]} {first[:4]}"
    else:
        earliest, latest = date.fromisoformat(first[:10]), date.fromisoformat(first[11:])
        when = f"entre le {french_date(earliest)} et le {french_date(latest)}"
    return f"{w.label} (1er tour {when})"


def neutralite(subject: Subject, candidates: Sequence[neutrality.Candidate], windows: Sequence[Window] = ()) -> Finding:
    """Blocking when a match is (promotion), a warning when every match is a warning (a reference to read), ok
    without any. The key's basis is the quoted words only, as before levels and elections were shown: an override
    keeps covering the same words, whatever window they fall in."""
    matches = neutrality.find(subject.texts, candidates)
    quoted = [
        {"field": m.field, "category": m.category, "pattern": m.pattern_id, "label": m.label, "excerpt": m.excerpt}
        for m in matches
    ]
    evidence = {
        "matches": [{**q, "level": m.level} for q, m in zip(quoted, matches, strict=True)],
        "elections": [{"election_id": w.election_id, "label": w.label, "first_round": w.first_round} for w in windows],
    }
    concerned = " ; ".join(_election(w) for w in windows) or "élection à venir"
    level = neutrality.worst_level(matches)
    if level == "ok":
        return Finding(
            "neutralite",
            "ok",
            f"Neutralité ({CITATION} ; {concerned}) : {subject.words.texts} ne "
            "contiennent ni référence à l'élection, ni bilan de l'équipe sortante, ni appel au vote, ni lien vers un "
            "candidat.",
            evidence,
            basis={"matches": quoted},
        )
    shown = " ; ".join(f"{m.label} (« {m.excerpt} »)" for m in sorted(matches, key=lambda m: m.level != "blocking")[:5])
    if level == "blocking":
        message = (
            f"Neutralité ({CITATION} ; {concerned}) : pendant la période préélectorale, la communication de la "
            f"collectivité doit rester informative et neutre. Relevé : {shown}. Modifiez le texte, ou faites lever "
            "le blocage par un administrateur avec une justification écrite."
        )
    else:
        message = (
            f"Neutralité ({CITATION} ; {concerned}) : à relire pendant la période préélectorale. Relevé : {shown}. "
            "Une information pratique (organisation du scrutin, élu nommé dans ses fonctions) reste permise ; "
            "un éloge de l'équipe sortante ou d'un candidat ne l'est pas."
        )
    return Finding("neutralite", level, message, evidence, basis={"matches": quoted})
