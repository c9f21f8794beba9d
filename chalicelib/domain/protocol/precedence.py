"""Order of precedence and speaking order at a public ceremony (décret n° 89-655 du 13 septembre 1989).

Pure rules over the value objects of ``model.py`` and the catalogue of ``functions.py``. Sources: the decree's
articles 3 (départements), 2 (Paris), 8 to 18 (derogations, representation) and 19 (speeches) (Légifrance
JORFTEXT000000332354); for ties, the ministry's written answers (AN question 12-74133QE, JO Sénat QE n° 04200 of
16/03/2023); protocole.info for usage. Each line of the result says in French which article or usage placed the
person.

Rules applied, in order:

1. Each person takes the highest-ranking of their mandates that is active on the ceremony date and relevant to
   the place: commune-tied functions only in the commune of the ceremony, département-tied ones only in their
   département (a circonscription or canton code starts with the département code: "7601" → "76", "2A01" →
   "2A", "97101" → "971"), region-tied ones only in a département of their region (``region_of``; unknown →
   not relevant), the sous-préfet only in their arrondissement, the Alsace-Moselle authorities of art. 3, 18°
   only there (``FunctionDef.only_in``). Article 2 applies in Paris, article 3 elsewhere. A parliamentarian's
   national mandate prevails over local ones because its rank is higher. A dignity of an order (art. 3, 11°,
   ``distinctions.py``) is one more candidate: the highest rank wins.
2. Art. 11: a sous-préfet in their own arrondissement takes the préfet's rank when neither a préfet nor a
   member of the Government attends, nor a representative of the préfet (rule 3). Art. 10: in Paris, without the
   président de la République or a member of the Government, the préfet comes right after the président de
   l'Assemblée nationale.
3. Art. 13 and 14: precedence is not delegated, except an adjoint representing the maire and a vice-président
   representing the président of the conseil régional or départemental, who take the represented rank; and, by
   established usage on art. 13 (protocole.info, a correctable rule), a member of the corps préfectoral
   (sous-préfet, secrétaire général, directeur de cabinet, SGAR…) representing the préfet or the préfet de région,
   who takes the State's place: the préfet's rank, before the inviting authority.
4. Ties inside one category: the function listed first in the decree item, then the earlier first election
   (``first_elected_on``, else ``start``), then age (elder first), then the order given.
5. Art. 9: when the ceremony is not prescribed by the Government, the inviting authority comes right after the
   représentant de l'État (first when none attends).
6. Art. 18: people without a listed function come after the listed authorities, in the order given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from chalicelib.domain.protocol import distinctions
from chalicelib.domain.protocol.distinctions import DistinctionRank
from chalicelib.domain.protocol.function_def import FunctionDef
from chalicelib.domain.protocol.functions import FUNCTIONS, POSITION, title
from chalicelib.domain.protocol.model import (
    Ceremony,
    Distinction,
    Mandate,
    Person,
    Placed,
    Representation,
    Territory,
)
from chalicelib.domain.protocol.relevance import (
    Context,
    EpciOf,
    RegionOf,
    departement_of,
    label_of,
    no_region_data,
    relevance,
)

__all__ = ["departement_of", "no_region_data", "no_territory_label", "precedence", "speaking_order"]

TerritoryLabel = Callable[[Territory], str | None]

# Functions that stand for the State at a ceremony (art. 9 « représentant de l'État », art. 11, art. 15).
GOVERNMENT = ("president_republique", "premier_ministre", "ministre")
PREFECTS = ("prefet", "prefet_region")

# Usage on art. 13 (protocole.info, « Préséances toujours »; protocol guides): « Rangs et préséances ne se délèguent
# pas, exception faite pour les préfets, quand ils sont représentés par un membre du corps préfectoral ». Préfets and
# sous-préfets, and the secrétaire général, the SGAR and the directeur de cabinet named by that usage; the préfets
# délégués of art. 3, 19° are préfets. It is usage, not the decree's letter: this tuple is the data of the rule (correct
# it, or empty it to drop the rule).
PREFECTORAL_CORPS = (
    "prefet",
    "prefet_region",
    "prefet_adjoint_securite",
    "prefet_delegue_defense_securite",
    "sous_prefet",
    "secretaire_general_prefecture",
    "sgar",
    "directeur_cabinet_prefet",
)
_SOURCE_STATE = (
    "usage établi sur l'art. 13 : « exception faite pour les préfets, quand ils sont représentés par un membre du "
    "corps préfectoral » (protocole.info)"
)

# Art. 14: capacity → (function of the represented person, function the representative must hold).
ARTICLE_14 = {
    "adjoint": {"maire": "adjoint_maire"},
    "vice_president": {
        "president_conseil_regional": "vice_president_conseil_regional",
        "president_conseil_departemental": "vice_president_conseil_departemental",
    },
}

_SOURCE_TIES = "réponse ministérielle AN 12-74133QE ; QE n° 04200, JO Sénat 16/03/2023"
_AGE_DIRECTION = "le plus âgé d'abord : sens d'usage, non confirmé par la réponse ministérielle"
_UNLISTED = "placé par l'organisateur après les autorités listées, dans l'ordre donné (article 18)"


def no_territory_label(territory: Territory) -> str | None:
    """Default ``territory_label``: titles are announced without their territory (« Madame la Préfète »)."""
    return None


def _french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class _Standing:
    """What one person's own mandates give at this ceremony."""

    person: Person
    mandate: Mandate | None = None
    fdef: FunctionDef | None = None
    rank: float | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)  # mandates set aside, and why
    free_title: str | None = None
    distinction: Distinction | None = None  # set when a dignity of an order (art. 3, 11°) placed the person
    distinction_rank: DistinctionRank | None = None

    @property
    def position(self) -> int:
        """The order inside the category: the catalogue's for a function, the item's for a dignity."""
        if self.fdef is not None:
            return POSITION[self.fdef.code]
        return self.distinction_rank.position if self.distinction_rank else 0

    @property
    def seniority(self) -> date | None:
        if self.mandate is None:
            return None
        return self.mandate.first_elected_on or self.mandate.start


def _rank_of(fdef: FunctionDef, mandate: Mandate, ctx: Context) -> tuple[float | None, str]:
    """The rank of a relevant function at this ceremony and the French reason, special articles included."""
    ceremony = ctx.ceremony
    if ceremony.in_paris:
        if fdef.code in PREFECTS and not ctx.government_present:
            return 4.5, (
                "Article 10 : à Paris, en l'absence du président de la République et des membres du Gouvernement, "
                "le préfet de la région d'Île-de-France prend rang après le président de l'Assemblée nationale"
            )
        rank, cite = fdef.rank_paris, fdef.cite_paris
    else:
        if fdef.code == "sous_prefet" and not ctx.government_or_prefect_present:
            return 1, (
                "Article 11 : le sous-préfet, dans son arrondissement, en l'absence du ministre ou du préfet, "
                "prend le rang du préfet"
            )
        rank, cite = fdef.rank_departement, fdef.cite_departement
    if rank is None:
        where = "à Paris (article 2)" if ceremony.in_paris else "dans les départements (article 3)"
        return None, f"{label_of(mandate)} : fonction sans rang {where}"
    return rank, f"{cite} : {fdef.label}"


def _standing(person: Person, ctx: Context) -> _Standing:  # noqa: C901  (art. 9, 11, 13, 14 and the usage note, in order)
    standing = _Standing(person)
    candidates: list[tuple[float, int, Mandate, FunctionDef, str]] = []
    for mandate in person.mandates:
        fdef = FUNCTIONS.get(mandate.function)
        if not mandate.active_on(ctx.ceremony.date):
            ended = f" terminé le {_french_date(mandate.end)}" if mandate.end else " pas encore commencé"
            standing.notes.append(f"mandat de {label_of(mandate)}{ended}, non pris en compte")
            continue
        if fdef is None:
            standing.notes.append(f"fonction inconnue {label_of(mandate)}")
            continue
        if fdef.code == "autre":
            standing.free_title = standing.free_title or mandate.title
            continue
        not_relevant = relevance(mandate, fdef, ctx)
        if not_relevant:
            standing.notes.append(not_relevant)
            continue
        rank, reason = _rank_of(fdef, mandate, ctx)
        if rank is None:
            standing.notes.append(reason)
            continue
        candidates.append((rank, POSITION[fdef.code], mandate, fdef, reason))
    dignity = _dignity(person, ctx, standing.notes)
    if candidates:
        candidates.sort(key=lambda c: (c[0], c[1], c[2].first_elected_on or c[2].start or date.max))
        rank, _, mandate, fdef, reason = candidates[0]
        if dignity is not None and dignity[0].rank_departement < rank:
            return _placed_by_dignity(standing, dignity, [label_of(c[2]) for c in candidates])
        standing.mandate, standing.fdef, standing.rank, standing.reason = mandate, fdef, rank, reason
        lower = [c for c in candidates[1:] if c[3].code != fdef.code]
        if lower:
            prevails = " (le mandat national prévaut sur le mandat local, réponse ministérielle AN 12-74133QE)"
            national = fdef.code in ("depute", "senateur", "depute_europeen")
            standing.notes.insert(
                0,
                "rang le plus élevé retenu"
                + (prevails if national else "")
                + ", mandat(s) de rang inférieur : "
                + ", ".join(sorted({label_of(c[2]) for c in lower})),
            )
        if dignity is not None:
            standing.notes.append(f"{distinctions.in_text(dignity[1])} : rang de fonction plus élevé retenu")
    elif dignity is not None:
        return _placed_by_dignity(standing, dignity, [])
    return standing


def _dignity(person: Person, ctx: Context, notes: list[str]) -> tuple[DistinctionRank, Distinction] | None:
    """The dignity that gives a rank at this ceremony (art. 3, 11°; none in Paris); notes say why others do not."""
    notes.extend(distinctions.unranked(person.distinctions))
    found = distinctions.best(person.distinctions)
    if found is not None and ctx.ceremony.in_paris:
        notes.append(f"{distinctions.in_text(found[1])} : pas de rang à Paris (article 2)")
        return None
    return found


def _placed_by_dignity(
    standing: _Standing, dignity: tuple[DistinctionRank, Distinction], lower_mandates: list[str]
) -> _Standing:
    entry, distinction = dignity
    standing.distinction, standing.distinction_rank, standing.rank = distinction, entry, entry.rank_departement
    standing.reason = f"{entry.cite} : {entry.label} ({distinctions.title(distinction)})"
    if lower_mandates:
        lower = ", ".join(sorted(set(lower_mandates)))
        standing.notes.insert(0, f"rang le plus élevé retenu, mandat(s) de rang inférieur : {lower}")
    return standing


def _civility(person: Person) -> str | None:
    return {"Mme": "Madame", "M": "Monsieur"}.get(person.civility or "")


def _name_title(person: Person, free_title: str | None) -> str:
    name = " ".join(p for p in (_civility(person), person.first_name, person.last_name) if p) or person.contact_id
    return f"{name}, {free_title}" if free_title else name


def _function_title(standing: _Standing, territory_label: TerritoryLabel) -> str:
    person, fdef, mandate = standing.person, standing.fdef, standing.mandate
    if fdef is None or mandate is None:
        if standing.distinction is not None:
            return f"{_name_title(person, standing.free_title)}, {distinctions.title(standing.distinction)}"
        return _name_title(person, standing.free_title)
    label = territory_label(mandate.territory) if mandate.territory else None
    return title(fdef.code, person.is_woman, label, traditional=person.address_form == "traditional")


@dataclass
class _Line:
    standing: _Standing
    index: int  # position in the input list
    rank: float | None  # the rank used for sorting (own, represented, art. 11…)
    position: int  # function position inside the category
    seniority: date | None
    birth_date: date | None
    category_rank: float | None
    function: str | None
    title: str
    reason: str
    state: bool = False  # stands for the State (art. 9 « représentant de l'État »)

    def key(self) -> tuple[float, int, date, date, int]:
        return (
            self.rank if self.rank is not None else float("inf"),
            self.position,
            self.seniority or date.max,
            self.birth_date or date.max,
            self.index,
        )


def _unlisted_reason(standing: _Standing) -> str:
    if standing.free_title:
        head = f"Titre libre « {standing.free_title} », fonction non listée par le décret : {_UNLISTED}"
    else:
        head = f"Sans fonction listée : {_UNLISTED}"
    return _with_notes(head, standing.notes)


def _with_notes(reason: str, notes: list[str]) -> str:
    return reason + (" — " + " ; ".join(notes) if notes else "")


def _line(
    index: int,
    standing: _Standing,
    representation: Representation | None,
    people_ids: set[str],
    represented: dict[str, Person],
    ctx: Context,
    territory_label: TerritoryLabel,
) -> _Line:
    person = standing.person
    own_title = _function_title(standing, territory_label)
    fdef = standing.fdef
    line = _Line(
        standing=standing,
        index=index,
        rank=standing.rank,
        position=standing.position,
        seniority=standing.seniority,
        birth_date=person.birth_date,
        category_rank=standing.rank,
        function=fdef.code if fdef else None,
        title=own_title,
        reason=_unlisted_reason(standing) if standing.rank is None else _with_notes(standing.reason, standing.notes),
        state=bool(
            fdef and (fdef.code in GOVERNMENT + PREFECTS or (fdef.code == "sous_prefet" and standing.rank == 1))
        ),
    )
    if representation is None:
        return line
    target_id = representation.represents_contact_id
    other = represented.get(target_id)
    if target_id in people_ids:
        line.reason = f"Article 13 : la personne représentée est présente, représentation sans effet — {line.reason}"
        return line
    if other is None:
        line.reason = f"Article 13 : personne représentée inconnue, rang propre — {line.reason}"
        return line
    other_standing = _standing(other, ctx)
    other_title = _function_title(other_standing, territory_label)
    line.title = f"{own_title}, représentant {other_title}"
    if _stands_for_the_state(person, other_standing, ctx):
        corps = _prefectoral_mandate(person, ctx)
        if standing.fdef is None and corps is not None:  # e.g. a sous-préfet outside his arrondissement
            label = territory_label(corps.territory) if corps.territory else None
            own_title = title(corps.function, person.is_woman, label, traditional=person.address_form == "traditional")
            line.title = f"{own_title}, représentant {other_title}"
        return _takes_the_state_place(line, other_standing, corps.function if corps else None)
    wanted = ARTICLE_14.get(representation.capacity, {})
    other_code = other_standing.fdef.code if other_standing.fdef else None
    own_codes = {
        m.function
        for m in person.mandates
        if m.active_on(ctx.ceremony.date)
        and m.function in FUNCTIONS
        and relevance(m, FUNCTIONS[m.function], ctx) is None
        and _same_body(m, other_standing.mandate)
    }
    if representation.capacity in ARTICLE_14 and other_code in wanted and wanted[other_code] in own_codes:
        represented_rank = other_standing.rank
        if line.rank is None or (represented_rank is not None and represented_rank < line.rank):
            line.rank = represented_rank
            line.category_rank = represented_rank
            line.position = POSITION[other_code]
            line.seniority = other_standing.seniority
            line.birth_date = other.birth_date
            line.state = False
            if line.function is None:
                line.function = wanted[other_code]
        who = {
            "adjoint": "adjoint représentant le maire",
            "vice_president": "vice-président représentant le président",
        }[representation.capacity]
        line.reason = (
            f"Article 14 : {who}, prend le rang de l'autorité représentée ({other_standing.reason}) — "
            f"rang propre : {line.reason}"
        )
        return line
    if representation.capacity in ARTICLE_14:
        whom = label_of(other_standing.mandate) if other_standing.mandate else "une personne sans fonction listée"
        line.reason = (
            f"Article 13 : les rangs et préséances ne se délèguent pas ; l'exception de l'article 14 ne s'applique "
            f"pas (représentation « {representation.capacity} » de : {whom}, sans la fonction correspondante), "
            f"rang propre — {line.reason}"
        )
    else:
        line.reason = (
            f"Article 13 : les rangs et préséances ne se délèguent pas, le représentant garde son rang propre — "
            f"{line.reason}"
        )
    return line


def _prefectoral_mandate(person: Person, ctx: Context) -> Mandate | None:
    """The person's mandate in the corps préfectoral on the ceremony date (wherever it is held), else None."""
    active = (m for m in person.mandates if m.function in PREFECTORAL_CORPS and m.active_on(ctx.ceremony.date))
    return next(active, None)


def _stands_for_the_state(representative: Person, represented: _Standing, ctx: Context) -> bool:
    """A member of the corps préfectoral representing a préfet who has the State's rank at this ceremony."""
    return (
        represented.fdef is not None
        and represented.fdef.code in PREFECTS
        and represented.rank is not None
        and _prefectoral_mandate(representative, ctx) is not None
    )


def _takes_the_state_place(line: _Line, represented: _Standing, own_function: str | None) -> _Line:
    """The préfet's representative takes the State's place: the préfet's rank, first, before the inviting authority
    (art. 9 « après le représentant de l'État »). The request's capacity does not matter: the rule follows from the
    representative's own function."""
    assert represented.fdef is not None
    line.rank = line.category_rank = represented.rank
    line.position = POSITION[represented.fdef.code]
    line.seniority = represented.seniority
    line.birth_date = represented.person.birth_date
    line.state = True
    line.function = line.function or own_function
    line.reason = (
        f"Article 13 et usage : membre du corps préfectoral représentant le préfet, prend la place du représentant "
        f"de l'État ({_SOURCE_STATE} ; {represented.reason}) — rang propre : {line.reason}"
    )
    return line


def _same_body(own: Mandate, other: Mandate | None) -> bool:
    """An adjoint / vice-président represents the head of their own council (same territory code when known)."""
    if other is None or own.territory is None or other.territory is None:
        return True
    if own.function not in ("adjoint_maire", "vice_president_conseil_regional", "vice_president_conseil_departemental"):
        return True
    return own.territory.code == other.territory.code


def _annotate_ties(lines: list[_Line]) -> None:
    groups: dict[tuple[float, int], list[_Line]] = {}
    for line in lines:
        if line.rank is not None:
            groups.setdefault((line.rank, line.position), []).append(line)
    for group in groups.values():
        if len(group) < 2:
            continue
        for line in group:
            same_seniority = [other for other in group if other.seniority == line.seniority]
            if len(same_seniority) == len(group) or line.seniority is None:
                if line.birth_date is None:
                    line.reason += " ; à rang égal, ancienneté et âge inconnus : ordre donné"
                elif all(o.birth_date == line.birth_date for o in same_seniority):
                    line.reason += " ; à rang et ancienneté égaux, même âge : ordre donné"
                else:
                    line.reason += f" ; à rang et ancienneté égaux : âge, {_AGE_DIRECTION} ({_SOURCE_TIES})"
            elif len(same_seniority) > 1:
                line.reason += (
                    f" ; à rang égal : même ancienneté ({_seniority_text(line)}), "
                    f"puis âge, {_AGE_DIRECTION} ({_SOURCE_TIES})"
                )
            else:
                line.reason += (
                    f" ; à rang égal : ancienneté de première élection, sans tenir compte des interruptions "
                    f"({_seniority_text(line)} ; {_SOURCE_TIES})"
                )


def _seniority_text(line: _Line) -> str:
    if line.seniority is None:
        return "date inconnue"
    mandate = line.standing.mandate
    if mandate is not None and mandate.first_elected_on is None and line.seniority == mandate.start:
        return f"début du mandat le {_french_date(line.seniority)}, date de première élection inconnue"
    return f"première élection le {_french_date(line.seniority)}"


def precedence(  # noqa: C901  (the decree's steps in order, each a short block)
    people: list[Person],
    ceremony: Ceremony,
    representations: list[Representation],
    region_of: RegionOf = no_region_data,
    *,
    represented: dict[str, Person] | None = None,
    epci_of: EpciOf | None = None,
    territory_label: TerritoryLabel = no_territory_label,
) -> list[Placed]:
    """The order of precedence, highest first.

    ``region_of(departement_code)`` gives the region code of a département (None: unknown, region-tied
    functions then get no rank and the reason says so). ``represented`` maps each ``represents_contact_id`` to
    the represented Person, usually absent. ``epci_of(commune_insee)`` gives the EPCI (SIREN) of the ceremony's
    commune; None means membership is not checked (the reason says so). ``territory_label`` gives the territory
    with its article for the titles (« de la Seine-Maritime »); by default titles carry no territory.
    A contact id listed twice is placed once.
    """
    represented = represented or {}
    unique: list[Person] = []
    seen: set[str] = set()
    for person in people:
        if person.contact_id not in seen:
            seen.add(person.contact_id)
            unique.append(person)
    by_representative: dict[str, Representation] = {}
    for representation in representations:
        by_representative.setdefault(representation.contact_id, representation)

    # Who attends, for art. 10 and art. 11 (a préfet or a member of the Government with a relevant mandate).
    probe = Context(ceremony, region_of, epci_of, government_or_prefect_present=True, government_present=True)
    government_present = prefect_present = False
    for person in unique:
        for mandate in person.mandates:
            fdef = FUNCTIONS.get(mandate.function)
            if fdef is None or not mandate.active_on(ceremony.date) or relevance(mandate, fdef, probe):
                continue
            government_present |= fdef.code in GOVERNMENT
            prefect_present |= fdef.code in PREFECTS
    # A préfet represented by a member of the corps préfectoral is not absent for art. 11: the sous-préfet keeps
    # his own rank when someone else holds the State's place.
    by_id = {person.contact_id: person for person in unique}
    for representation in by_representative.values():
        target = represented.get(representation.represents_contact_id)
        representative = by_id.get(representation.contact_id)
        if target is None or representative is None or target.contact_id in seen:
            continue
        if _stands_for_the_state(representative, _standing(target, probe), probe):
            prefect_present = True
    ctx = Context(
        ceremony,
        region_of,
        epci_of,
        government_or_prefect_present=government_present or prefect_present,
        government_present=government_present,
    )

    lines = [
        _line(
            index,
            _standing(person, ctx),
            by_representative.get(person.contact_id),
            seen,
            represented,
            ctx,
            territory_label,
        )
        for index, person in enumerate(unique)
    ]
    _annotate_ties(lines)
    listed = sorted((line for line in lines if line.rank is not None), key=_Line.key)
    unlisted = [line for line in lines if line.rank is None]
    ordered = listed + unlisted

    inviting = ceremony.inviting_contact_id
    if inviting and not ceremony.prescribed_by_government:
        ordered = _apply_article_9(ordered, inviting, by_representative)
    elif inviting:
        for line in ordered:
            if line.standing.person.contact_id == inviting:
                line.reason += (
                    " ; cérémonie prescrite par le Gouvernement : l'autorité invitante garde son rang (article 9)"
                )

    return [
        Placed(
            contact_id=line.standing.person.contact_id,
            rank=position,
            category_rank=line.category_rank,
            function=line.function,
            title=line.title,
            reason=line.reason,
        )
        for position, line in enumerate(ordered, start=1)
    ]


def _apply_article_9(ordered: list[_Line], inviting: str, by_representative: dict[str, Representation]) -> list[_Line]:
    """Art. 9: the inviting authority (or its art. 14 representative) right after the représentant de l'État."""
    host = next((line for line in ordered if line.standing.person.contact_id == inviting), None)
    via = ""
    if host is None:
        # absent inviting authority represented under art. 14 (the representative took its rank)
        for line in ordered:
            representation = by_representative.get(line.standing.person.contact_id)
            if representation and representation.represents_contact_id == inviting and "Article 14" in line.reason:
                host, via = line, " (représentée, article 14)"
                break
    if host is None:
        return ordered
    rest = [line for line in ordered if line is not host]
    state_index = next((i for i, line in enumerate(rest) if line.state), None)
    target = 0 if state_index is None else state_index + 1
    current = ordered.index(host)
    if current <= target:
        host.reason += f" ; autorité invitante{via} : rang de l'article 9 déjà atteint"
        return ordered
    where = "après le représentant de l'État" if state_index is not None else "en l'absence du représentant de l'État"
    host.reason = (
        f"Article 9 : autorité invitante{via}, cérémonie non prescrite par le Gouvernement, "
        f"{'deuxième' if state_index is not None else 'premier'} rang {where} — rang hors article 9 : "
        f"{host.reason}"
    )
    return [*rest[:target], host, *rest[target:]]


def speaking_order(
    people: list[Person],
    ceremony: Ceremony,
    representations: list[Representation],
    welcome_contact_id: str | None = None,
    region_of: RegionOf = no_region_data,
    *,
    represented: dict[str, Person] | None = None,
    epci_of: EpciOf | None = None,
    territory_label: TerritoryLabel = no_territory_label,
) -> list[Placed]:
    """Speaking order: reverse precedence, the highest authority last (art. 19); the welcome speaker, if any,
    opens (usage: « l'accueil peut être fait par la personnalité qui reçoit »). ``rank`` is the speaking
    position. Raises ValueError when ``welcome_contact_id`` is not among ``people``."""
    order = precedence(
        people,
        ceremony,
        representations,
        region_of,
        represented=represented,
        epci_of=epci_of,
        territory_label=territory_label,
    )
    speakers = list(reversed(order))
    if welcome_contact_id is not None:
        welcome = next((p for p in speakers if p.contact_id == welcome_contact_id), None)
        if welcome is None:
            raise ValueError(f"welcome_contact_id {welcome_contact_id!r} is not among the people")
        speakers.remove(welcome)
        speakers.insert(0, welcome)
    result = []
    for position, placed in enumerate(speakers, start=1):
        if placed.contact_id == welcome_contact_id:
            reason = (
                "Usage : mot d'accueil par la personnalité qui reçoit, en ouverture (protocole.info) — "
                f"préséance n° {placed.rank} : {placed.reason}"
            )
        else:
            reason = (
                "Article 19 : allocutions dans l'ordre inverse des préséances, la plus haute autorité en dernier — "
                f"préséance n° {placed.rank} : {placed.reason}"
            )
        result.append(
            Placed(
                contact_id=placed.contact_id,
                rank=position,
                category_rank=placed.category_rank,
                function=placed.function,
                title=placed.title,
                reason=reason,
            )
        )
    return result
