"""L52-8 limits (each at, just under and just over), L52-4 financing periods (presidential year, municipal
exemption under 9 000 inhabitants), the L52-12 filing deadline."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain import donations as rules
from chalicelib.domain.electoral.calendar import Election

FRENCH = rules.Donor("person", nationality="FR")
DAY = date(2027, 1, 15)
NO_PERIOD = None


def standing(donor: int = 0, cash: int = 0, ceiling: int = 5_000_000) -> rules.Standing:
    return rules.Standing(donor_total_cents=donor, cash_total_cents=cash, ceiling_cents=ceiling)


def refused(donor: rules.Donor, amount: int, method: str = "cheque", st: rules.Standing | None = None) -> list[str]:
    return [r.rule for r in rules.check(donor, amount, method, DAY, st or standing(), NO_PERIOD)]


@pytest.mark.parametrize(
    ("already", "amount", "expected"),
    [
        pytest.param(0, 460_000, [], id="L52-8-cap-at-4600"),
        pytest.param(0, 459_999, [], id="L52-8-cap-just-under"),
        pytest.param(0, 460_001, ["donor_cap"], id="L52-8-cap-just-over"),
        pytest.param(300_000, 160_000, [], id="L52-8-cap-cumulated-at"),
        pytest.param(300_000, 160_001, ["donor_cap"], id="L52-8-cap-cumulated-over"),
    ],
)
def test_donor_cap_per_election(already: int, amount: int, expected: list[str]) -> None:
    assert refused(FRENCH, amount, st=standing(donor=already)) == expected


@pytest.mark.parametrize(
    ("amount", "method", "expected"),
    [
        pytest.param(15_000, "especes", [], id="L52-8-cash-at-150"),
        pytest.param(14_999, "especes", [], id="L52-8-cash-just-under"),
        pytest.param(15_001, "especes", ["cash_gift"], id="L52-8-cash-just-over"),
        pytest.param(15_001, "cheque", [], id="L52-8-cheque-over-150"),
    ],
)
def test_cash_gift_at_most_150(amount: int, method: str, expected: list[str]) -> None:
    assert refused(FRENCH, amount, method) == expected


@pytest.mark.parametrize(
    ("ceiling", "cash_before", "amount", "expected"),
    [
        pytest.param(1_500_000, 290_000, 10_000, [], id="L52-8-20pc-at-ceiling-15000"),
        pytest.param(1_500_000, 290_000, 9_999, [], id="L52-8-20pc-just-under"),
        pytest.param(1_500_000, 290_000, 10_001, ["cash_share"], id="L52-8-20pc-just-over"),
        pytest.param(1_499_999, 400_000, 10_000, [], id="L52-8-20pc-ceiling-under-15000-no-share"),
    ],
)
def test_cash_total_within_20_percent_of_ceiling(
    ceiling: int, cash_before: int, amount: int, expected: list[str]
) -> None:
    st = standing(cash=cash_before, ceiling=ceiling)
    assert refused(FRENCH, amount, "especes", st) == expected


def test_cash_share_cap() -> None:
    assert rules.cash_share_cap(1_500_000) == 300_000
    assert rules.cash_share_cap(1_499_999) is None


@pytest.mark.parametrize(
    ("donor", "expected"),
    [
        pytest.param(rules.Donor("person", nationality="FR"), [], id="L52-8-french"),
        pytest.param(rules.Donor("person", nationality="BE", has_french_address=True), [], id="L52-8-resident"),
        pytest.param(rules.Donor("person", nationality="BE", attestation=True), [], id="L52-8-attested"),
        pytest.param(rules.Donor("person", nationality="BE"), ["nationality_residence"], id="L52-8-foreign-abroad"),
        pytest.param(rules.Donor("person"), ["nationality_residence"], id="L52-8-unknown"),
        pytest.param(rules.Donor("organisation"), ["legal_person"], id="L52-8-legal-person"),
        pytest.param(rules.Donor("organisation", is_political_party=True), [], id="L52-8-party"),
    ],
)
def test_who_may_give(donor: rules.Donor, expected: list[str]) -> None:
    assert refused(donor, 10_000) == expected


def test_party_contribution_has_no_cap_nor_cash_rules() -> None:
    party = rules.Donor("organisation", is_political_party=True)
    assert rules.kind_of(party) == rules.PARTY_CONTRIBUTION
    assert refused(party, 5_000_000, "especes", standing(donor=460_000, cash=1_000_000, ceiling=1_500_000)) == []


def test_refusals_cite_the_article_in_french() -> None:
    [refusal] = rules.check(FRENCH, 460_001, "cheque", DAY, standing(), None)
    assert refusal.article == "article L52-8 du Code électoral"
    assert "4\u202f600 €" in refusal.message and "L52-8" in refusal.message
    assert refusal.field == "amount_cents"


def test_limits_are_data_with_their_source() -> None:
    assert rules.limit("donor_cap_cents") == 460_000
    for item in rules.LIMITS.values():
        assert item.article and item.source
    assert rules.LIMITS["donor_cap_cents"].to_check  # indexation decree not checked
    custom = {**rules.LIMITS, "donor_cap_cents": rules.Limit(470_000, rules.L52_8, "décret (exemple)")}
    assert rules.check(FRENCH, 470_000, "cheque", DAY, standing(), None, custom) == []


def election(kind: str, first_round: str, **extra: object) -> Election:
    return Election.parse({"id": f"{kind}-x", "kind": kind, "rounds": [{"date": first_round}], **extra})


def test_presidential_period_is_one_year() -> None:
    period = rules.financing_period(election("presidentielle", "2027-04-11"), None)
    assert period is not None
    assert period.start == date(2026, 4, 1)  # loi n° 62-1292 art. 3: one year
    assert not period.contains(date(2026, 3, 31))
    assert period.contains(date(2026, 4, 1))
    assert period.end == date(2027, 6, 18)  # L52-12 II: tenth Friday after 2027-04-11


def test_other_elections_six_months() -> None:
    period = rules.financing_period(election("legislatives", "2029-06-10"), None)
    assert period is not None and period.start == date(2028, 12, 1)
    assert rules.check(FRENCH, 100, "cheque", date(2028, 11, 30), standing(), period)[0].rule == "financing_period"
    assert rules.check(FRENCH, 100, "cheque", date(2028, 12, 1), standing(), period) == []
    assert rules.check(FRENCH, 100, "cheque", period.end, standing(), period) == []
    after = rules.check(FRENCH, 100, "cheque", date(2029, 8, 18), standing(), period)
    assert [r.rule for r in after] == ["financing_period"] and "L52-4" in after[0].message


@pytest.mark.parametrize(
    ("population", "checked"),
    [
        pytest.param(8_999, False, id="L52-4-municipales-under-9000"),
        pytest.param(9_000, True, id="L52-4-municipales-9000"),
    ],
)
def test_municipal_exemption_under_9000(population: int, checked: bool) -> None:
    period = rules.financing_period(election("municipales", "2032-03-14"), population)
    assert (period is not None) is checked
    if period:
        assert period.start == date(2031, 9, 1)


def test_account_filed_ends_the_period() -> None:
    period = rules.financing_period(election("legislatives", "2029-06-10"), None, date(2029, 7, 1))
    assert period is not None and period.end == date(2029, 7, 1)


@pytest.mark.parametrize(
    ("first_round", "deadline"),
    [
        (date(2027, 4, 11), date(2027, 6, 18)),  # a Sunday: first Friday the 16th, tenth nine weeks later
        (date(2029, 6, 10), date(2029, 8, 17)),
        (date(2027, 4, 16), date(2027, 6, 25)),  # a Friday: the next Friday counts first
    ],
)
def test_account_deadline_tenth_friday(first_round: date, deadline: date) -> None:
    assert rules.account_deadline(first_round) == deadline
    assert deadline.weekday() == 4


def test_euros_shown_the_french_way() -> None:
    assert rules.euros(460_000) == "4\u202f600 €"
    assert rules.euros(15_050) == "150,50 €"
