"""Campaign donations under the Code électoral (pure: no AWS, no clock): who may give, how much, how, and when.

Article L52-8 (version in force since 30 June 2020, loi n° 2019-1269 du 2 décembre 2019):
- « Une personne physique peut verser un don à un candidat si elle est de nationalité française ou si elle réside
  en France. »
- « Les dons consentis par une personne physique dûment identifiée pour le financement de la campagne d'un ou
  plusieurs candidats lors des mêmes élections ne peuvent excéder 4 600 euros. » The cap is per donor and per
  election, summed over every candidate of that election (here: every candidacy of the tenant for it).
- « Les personnes morales, à l'exception des partis ou groupements politiques, ne peuvent participer au financement
  de la campagne électorale d'un candidat, ni en lui consentant des dons sous quelque forme que ce soit […] ».
- « Tout don de plus de 150 euros consenti à un candidat en vue de sa campagne doit être versé par chèque, virement,
  prélèvement automatique ou carte bancaire. » A cash gift of 150 € is lawful, 150,01 € is not.
- « Le montant global des dons en espèces faits au candidat ne peut excéder 20 % du montant des dépenses autorisées
  lorsque ce montant est égal ou supérieur à 15 000 euros en application de l'article L. 52-11. »
- « Les montants prévus au présent article sont actualisés tous les ans par décret. » Hence `LIMITS` is data with its
  source: whether a decree has indexed 4 600 € / 150 € / 15 000 € is still to be checked before each election.

A party's or political group's contribution is not a « don »: it has no cap and no receipt (L52-8 excepts parties
from the ban on legal persons). Agora records it in the same ledger as `kind: "party_contribution"` (POST /donations
with a donor organisation flagged `is_political_party`), outside the donor cap and the cash total, without receipt:
one ledger per candidacy is what the compte de campagne (L52-12) lists by origin.

Article L52-4 (loi n° 2016-508): the mandataire collects funds « pendant les six mois précédant le premier jour du mois
de l'élection et jusqu'à la date du dépôt du compte de campagne du candidat »; one year for the presidential election
(loi n° 62-1292 du 6 novembre 1962, art. 3); computed by domain/electoral/calendar.l52_4_start. L52-4 (last
paragraph) does not apply to municipal elections in communes of less than 9 000 inhabitants: no period check there,
so a municipal candidacy states its commune's population (`commune_population`, from the INSEE légal population the
prefecture uses). The end: the filing of the account (a candidacy's `account_filed_on`), at the latest the L52-12 II
deadline: « au plus tard avant 18 heures le dixième vendredi suivant le premier tour de scrutin ».
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Final

from chalicelib.domain.campaign_reports import safe_cell
from chalicelib.domain.electoral import calendar

METHODS: Final = ("cheque", "virement", "carte", "prelevement", "especes")
METHOD_LABELS: Final = MappingProxyType(
    {
        "cheque": "chèque",
        "virement": "virement",
        "carte": "carte bancaire",
        "prelevement": "prélèvement automatique",
        "especes": "espèces",
    }
)
CASH: Final = "especes"
DON: Final = "don"
PARTY_CONTRIBUTION: Final = "party_contribution"
L52_4_MIN_POPULATION: Final = 9_000  # L52-4 does not apply to municipales in communes under 9 000 inhabitants
ACCOUNT_FRIDAY: Final = 10  # L52-12 II: the tenth Friday after the first round


@dataclass(frozen=True)
class Limit:
    """One amount of the law, with its article and where the value comes from."""

    value: int
    article: str
    source: str
    to_check: str | None = None  # why the value may have changed since it was written down


_INDEXED = (
    "L52-8 dernier alinéa : montants actualisés tous les ans par décret (indice des prix hors tabac) ; aucun décret "
    "d'actualisation retrouvé à ce jour : à vérifier avant chaque élection."
)
L52_8 = "article L52-8 du Code électoral"
LIMITS: Final[Mapping[str, Limit]] = MappingProxyType(
    {
        "donor_cap_cents": Limit(
            460_000, L52_8, "L52-8 (loi n° 2019-1269 du 2 décembre 2019, en vigueur le 30 juin 2020)", _INDEXED
        ),
        "cash_gift_max_cents": Limit(15_000, L52_8, "L52-8 : « Tout don de plus de 150 euros […] »", _INDEXED),
        "cash_share_percent": Limit(20, L52_8, "L52-8 : « ne peut excéder 20 % du montant des dépenses autorisées »"),
        "cash_share_min_ceiling_cents": Limit(
            1_500_000, L52_8, "L52-8 : « lorsque ce montant est égal ou supérieur à 15 000 euros »", _INDEXED
        ),
    }
)


def limit(name: str, limits: Mapping[str, Limit] = LIMITS) -> int:
    return limits[name].value


# What a tenant may set each amount to (a decree indexes them; nothing past these is a plausible amount).
LIMIT_BOUNDS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "donor_cap_cents": (100_00, 100_000_00),
        "cash_gift_max_cents": (1_00, 10_000_00),
        "cash_share_percent": (1, 100),
        "cash_share_min_ceiling_cents": (1_000_00, 10_000_000_00),
    }
)


def limit_errors(values: Mapping[str, int], source: str) -> list[tuple[str, str]]:
    """(field, French message) for each value a tenant may not set, and for a missing source."""
    errors: list[tuple[str, str]] = []
    if not values:
        errors.append(("values", "Indiquez au moins un montant à actualiser."))
    for name, value in values.items():
        bounds = LIMIT_BOUNDS.get(name)
        if bounds is None:
            errors.append((f"values.{name}", f"Montant inconnu ; montants possibles : {', '.join(LIMIT_BOUNDS)}."))
        elif not bounds[0] <= value <= bounds[1]:
            errors.append((f"values.{name}", f"Valeur hors des bornes plausibles ({bounds[0]} à {bounds[1]})."))
    if len(source.strip()) < 3:
        errors.append(("source", "Citez le texte qui fixe ces montants (le décret d'actualisation)."))
    return errors


def with_settings(settings: Mapping[str, Mapping[str, Any]], base: Mapping[str, Limit] = LIMITS) -> Mapping[str, Limit]:
    """The law's amounts as the tenant recorded them after an indexation decree: each setting {"value", "source"}
    replaces the value and the source (the article stays, and there is nothing left to check)."""
    out = dict(base)
    for name, setting in settings.items():
        if name in out and isinstance(setting.get("value"), int):
            out[name] = Limit(int(setting["value"]), out[name].article, str(setting.get("source") or ""), None)
    return MappingProxyType(out)


@dataclass(frozen=True)
class Refusal:
    """Why a gift is refused: the rule, the field the user should look at, the article, a French message."""

    rule: str
    field: str
    article: str
    message: str


@dataclass(frozen=True)
class Donor:
    """What the law asks of the donor, read from the contact and the gift."""

    kind: str  # "person" | "organisation"
    is_political_party: bool = False
    nationality: str | None = None  # ISO 3166-1 alpha-2
    has_french_address: bool = False  # the directory's addresses are French ones (code postal, INSEE code)
    attestation: bool = False  # the donor attested being French or resident in France (the gift's box)


@dataclass(frozen=True)
class Period:
    """The L52-4 financing period, both days included."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Standing:
    """What is already recorded: the donor's gifts for the election, the candidacy's cash gifts, its ceiling."""

    donor_total_cents: int
    cash_total_cents: int
    ceiling_cents: int


def kind_of(donor: Donor) -> str | None:
    """A natural person's gift is a « don », a party's a contribution; another legal person may not give (None)."""
    if donor.kind == "person":
        return DON
    return PARTY_CONTRIBUTION if donor.is_political_party else None


def cash_share_cap(ceiling_cents: int, limits: Mapping[str, Limit] = LIMITS) -> int | None:
    """The most cash a candidacy may receive in all (20 % of the ceiling), or None when its ceiling is below 15 000 €
    and L52-8 sets no share."""
    if ceiling_cents < limit("cash_share_min_ceiling_cents", limits):
        return None
    return ceiling_cents * limit("cash_share_percent", limits) // 100


def euros(cents: int) -> str:
    """« 4 600 € », « 150,50 € » (narrow no-break space between thousands, as French typography wants)."""
    whole, rest = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d} €" if rest else f"{grouped} €"


def check(
    donor: Donor,
    amount_cents: int,
    method: str,
    day: date,
    standing: Standing,
    period: Period | None,
    limits: Mapping[str, Limit] = LIMITS,
) -> list[Refusal]:
    """Every reason the law refuses this gift (empty: it may be recorded). `period` None: no period check (a
    municipal election in a commune under 9 000 inhabitants). A party's contribution is checked for its date only."""
    refusals: list[Refusal] = []
    kind = kind_of(donor)
    if kind is None:
        refusals.append(
            Refusal(
                "legal_person",
                "donor_contact_id",
                L52_8,
                "Une personne morale autre qu'un parti ou groupement politique ne peut pas financer la campagne d'un "
                "candidat (article L52-8 du Code électoral).",
            )
        )
    if kind == DON and not (donor.nationality == "FR" or donor.has_french_address or donor.attestation):
        refusals.append(
            Refusal(
                "nationality_residence",
                "donor_attestation",
                L52_8,
                "Seule une personne de nationalité française ou résidant en France peut faire un don (article L52-8 "
                "du Code électoral) : renseignez la nationalité ou l'adresse en France du donateur, ou cochez son "
                "attestation.",
            )
        )
    if kind == DON:
        cap = limit("donor_cap_cents", limits)
        if standing.donor_total_cents + amount_cents > cap:
            refusals.append(cap_refusal(standing.donor_total_cents, cap))
    if kind == DON and method == CASH:
        most = limit("cash_gift_max_cents", limits)
        if amount_cents > most:
            refusals.append(
                Refusal(
                    "cash_gift",
                    "method",
                    L52_8,
                    f"Un don de plus de {euros(most)} doit être versé par chèque, virement, prélèvement automatique ou "
                    "carte bancaire, pas en espèces (article L52-8 du Code électoral).",
                )
            )
        share = cash_share_cap(standing.ceiling_cents, limits)
        if share is not None and standing.cash_total_cents + amount_cents > share:
            refusals.append(cash_share_refusal(standing.cash_total_cents, share))
    if period is not None and not period.contains(day):
        refusals.append(
            Refusal(
                "financing_period",
                "date",
                "article L52-4 du Code électoral",
                f"Le mandataire ne peut recueillir de fonds qu'entre le {period.start:%d/%m/%Y} et le "
                f"{period.end:%d/%m/%Y} (article L52-4 du Code électoral).",
            )
        )
    return refusals


def cap_refusal(total_cents: int, cap_cents: int) -> Refusal:
    """The donor would pass the cap: also what a lost race on the running total answers."""
    return Refusal(
        "donor_cap",
        "amount_cents",
        L52_8,
        f"Les dons d'une même personne pour une même élection ne peuvent excéder {euros(cap_cents)} (article L52-8 "
        f"du Code électoral) : ce donateur a déjà donné {euros(total_cents)} pour cette élection.",
    )


def cash_share_refusal(total_cents: int, share_cents: int) -> Refusal:
    return Refusal(
        "cash_share",
        "method",
        L52_8,
        f"Le total des dons en espèces ne peut excéder 20 % du plafond des dépenses, soit {euros(share_cents)} "
        f"(article L52-8 du Code électoral) : {euros(total_cents)} déjà reçus en espèces.",
    )


def account_deadline(first_round: date) -> date:
    """L52-12 II: the tenth Friday after the first round (the account is filed « avant 18 heures » that day)."""
    ahead = (4 - first_round.weekday()) % 7 or 7  # the first Friday strictly after the round
    return first_round + timedelta(days=ahead + 7 * (ACCOUNT_FRIDAY - 1))


def needs_population(election_kind: str) -> bool:
    """Only a municipal candidacy must state its commune's population: it decides whether L52-4 applies."""
    return election_kind == "municipales"


def financing_period(
    election: calendar.Election, commune_population: int | None, account_filed_on: date | None = None
) -> Period | None:
    """The L52-4 period of a candidacy, or None where L52-4 does not apply (municipales in a commune under 9 000
    inhabitants). It starts six months (a year for the presidential election, or the period a text set for this
    election) before the first day of the month of the election, and ends when the account is filed, at the latest
    on the L52-12 deadline. While the first round is known only by month, the deadline counts from its latest day, so
    that no lawful gift is refused."""
    if election.kind == "municipales" and (commune_population or 0) < L52_4_MIN_POPULATION:
        return None
    deadline = account_deadline(election.rounds[0].latest)
    end = min(account_filed_on, deadline) if account_filed_on else deadline
    return Period(calendar.l52_4_start(election), end)


# --- the receipt ----------------------------------------------------------------------------------------------

# The reçu-don (L52-10: the mandataire « délivre au donateur un reçu » on the CNCCFP's model, numbered by it) states
# the tax reduction the gift opens: article 200 of the Code général des impôts, 3 (gifts to finance an electoral
# campaign: 66 % of the sums given) and 1 bis (retained within 20 % of the household's taxable income, the excess
# carried over five years; campaign gifts are outside the €15,000 ceiling of party gifts). Checked against the
# Government's answer published by La Gazette des communes (« Comment est calculée la réduction d'impôt sur le
# revenu liée aux dons aux partis politiques »); a finance law can change the rate: it is data, with its source.
TAX_MENTION: Final = Limit(
    66,
    "article 200 du Code général des impôts",
    "CGI art. 200, 3 (taux de 66 %) et 1 bis (dans la limite de 20 % du revenu imposable)",
    "Une loi de finances peut changer le taux : à revoir à chaque loi de finances.",
)


def tax_mention() -> str:
    return (
        f"Ce don ouvre droit à une réduction d'impôt sur le revenu égale à {TAX_MENTION.value} % de son montant, dans "
        "la limite de 20 % du revenu imposable (article 200 du Code général des impôts). Il n'ouvre droit à aucune "
        "réduction s'il n'est pas versé au mandataire financier du candidat."
    )


# --- the ledger -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What the ledger needs of a gift."""

    donation_id: str
    kind: str
    donor_contact_id: str
    donor_name: str
    amount_cents: int
    day: date
    method: str
    receipt_number: str | None
    cancelled: bool


@dataclass(frozen=True)
class DonorLine:
    donor_contact_id: str
    donor_name: str
    total_cents: int
    receipt_numbers: tuple[str, ...]


@dataclass(frozen=True)
class Ledger:
    """A candidacy's gifts summed for the compte de campagne (L52-12: receipts by origin): the « dons » by method
    and by month, the party contributions apart, each donor with the receipt numbers of their gifts. Cancelled gifts
    are listed (`cancelled_count`) and count in no total."""

    dons_cents: int
    party_contributions_cents: int
    by_method: Mapping[str, int]
    by_month: Mapping[str, int]
    donors: tuple[DonorLine, ...]
    cancelled_count: int


def ledger(entries: list[Entry]) -> Ledger:
    live = [e for e in entries if not e.cancelled]
    dons = [e for e in live if e.kind == DON]
    by_method = {m: sum(e.amount_cents for e in dons if e.method == m) for m in METHODS}
    months: dict[str, int] = {}
    for e in sorted(dons, key=lambda e: e.day):
        key = e.day.strftime("%Y-%m")
        months[key] = months.get(key, 0) + e.amount_cents
    donors: dict[str, list[Entry]] = {}
    for e in dons:
        donors.setdefault(e.donor_contact_id, []).append(e)
    lines = tuple(
        sorted(
            (
                DonorLine(
                    cid,
                    gifts[-1].donor_name,
                    sum(g.amount_cents for g in gifts),
                    tuple(g.receipt_number for g in gifts if g.receipt_number),
                )
                for cid, gifts in donors.items()
            ),
            key=lambda line: (line.donor_name.casefold(), line.donor_contact_id),
        )
    )
    return Ledger(
        dons_cents=sum(e.amount_cents for e in dons),
        party_contributions_cents=sum(e.amount_cents for e in live if e.kind == PARTY_CONTRIBUTION),
        by_method=MappingProxyType(by_method),
        by_month=MappingProxyType(months),
        donors=lines,
        cancelled_count=len(entries) - len(live),
    )


CSV_COLUMNS: Final = (
    "date",
    "nature",
    "donateur",
    "montant_euros",
    "mode",
    "numero_recu",
    "statut",
)


def csv_row(e: Entry) -> list[str]:
    """One gift as the CSV export lists it (cells to neutralise against formulas before writing)."""
    whole, rest = divmod(e.amount_cents, 100)
    return [
        e.day.isoformat(),
        "don" if e.kind == DON else "contribution de parti",
        e.donor_name,
        f"{whole},{rest:02d}",
        METHOD_LABELS.get(e.method, e.method),
        e.receipt_number or "",
        "annulé" if e.cancelled else "enregistré",
    ]


def csv_bytes(entries: Iterable[Entry]) -> bytes:
    """The ledger's gifts for the compte de campagne: UTF-8 with BOM and « ; » (Excel in France), every cell
    neutralised (a donor named « =HYPERLINK(…) » stays text: OWASP « CSV Injection »)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([safe_cell(cell) for cell in csv_row(e)] for e in entries)
    return out.getvalue().encode("utf-8")
