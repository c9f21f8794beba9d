"""Which numbers are mobiles (SMS recipients; one person's line in the duplicates job): the numbering plans' ranges
as libphonenumber's metadata holds them (ARCEP's national plan, decision 2018-0881 and its amendments, for France and
its overseas departments), not a list of prefixes. Ids name what the previous prefix lists answered when it differs."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain import duplicates as dd
from chalicelib.domain.contact_points import is_french_mobile, is_mobile, mobile_region, normalise_phone
from chalicelib.services.event_messages import mobile_of, reachable


@pytest.mark.parametrize(
    ("number", "region"),
    [
        # Metropolitan France: 06 and 07 (073-079).
        pytest.param("+33612345678", "FR", id="arcep-06"),
        pytest.param("+33698123456", "FR", id="arcep-0698-metropolitan"),
        pytest.param("+33781223344", "FR", id="arcep-078"),
        pytest.param("+33756123456", "FR", id="arcep-075"),
        # Overseas departments: their own country codes, mobile ranges of the ARCEP plan.
        pytest.param("+262692123456", "RE", id="reunion-0692"),
        pytest.param("+262693123456", "RE", id="reunion-0693"),
        pytest.param("+262639401234", "YT", id="mayotte-0639-was-missed-by-the-prefix-list"),
        pytest.param("+590690123456", "GP", id="guadeloupe-0690"),
        pytest.param("+594694123456", "GF", id="guyane-0694"),
        pytest.param("+596696123456", "MQ", id="martinique-0696"),
        pytest.param("+596697123456", "MQ", id="martinique-0697-was-missed-by-the-prefix-list"),
        # Another country's mobile (the duplicates job counts it; SMS go to French numbers only).
        pytest.param("+32470123456", "BE", id="belgium-mobile"),
        pytest.param("+447400123456", "GB", id="uk-mobile"),
    ],
)
def test_mobiles(number: str, region: str) -> None:
    assert mobile_region(number) == region
    assert is_mobile(number)
    assert is_french_mobile(number) == (region not in {"BE", "GB"})


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("+33123456789", id="fixed-01-ile-de-france"),
        pytest.param("+33478000001", id="fixed-04"),
        pytest.param("+33951234567", id="voip-09"),
        pytest.param("+33987654321", id="voip-09-other-block"),
        pytest.param("+33800123456", id="freephone-08"),
        pytest.param("+262262123456", id="reunion-fixed-0262"),
        pytest.param("+262269612345", id="mayotte-fixed-0269"),
        pytest.param("+590590123456", id="guadeloupe-fixed-0590"),
        pytest.param("+594594123456", id="guyane-fixed-0594"),
        pytest.param("+33712345678", id="arcep-071-unallocated-was-mobile-for-the-prefix-list"),
        pytest.param("+33700000000", id="arcep-070-unallocated-was-mobile-for-the-prefix-list"),
        pytest.param("+33690123456", id="0690-is-guadeloupe-not-metropolitan-was-mobile-for-the-prefix-list"),
        pytest.param("+269639123456", id="comoros-269-not-mayotte-was-mobile-for-the-prefix-list"),
        pytest.param("+3361234", id="too-short"),
        pytest.param("0612345678", id="national-form-not-e164"),
        pytest.param("612345678", id="digits-only"),
        pytest.param("", id="empty"),
    ],
)
def test_not_mobiles(number: str) -> None:
    assert mobile_region(number) is None
    assert not is_mobile(number) and not is_french_mobile(number)


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0692 12 34 56", "+262692123456"),
        ("0639 40 12 34", "+262639401234"),
        ("0690 12 34 56", "+590690123456"),
        ("0694 12 34 56", "+594694123456"),
        ("0696 12 34 56", "+596696123456"),
    ],
)
def test_overseas_mobiles_written_nationally_are_mobiles_once_stored(written: str, e164: str) -> None:
    assert normalise_phone(written) == e164 and is_french_mobile(e164)


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        pytest.param(["+33478000001", "+33612345678"], "+33612345678", id="landline-skipped"),
        pytest.param(["+33951234567", "+262639401234"], "+262639401234", id="voip-skipped-mayotte-mobile"),
        pytest.param(["+596697123456", "+33612345678"], "+596697123456", id="first-mobile-wins"),
        pytest.param(["+32470123456"], None, id="foreign-mobile-not-texted"),
        pytest.param(["+33478000001", "+33951234567"], None, id="no-mobile"),
        pytest.param([], None, id="no-phone"),
    ],
)
def test_the_sms_number_of_a_contact(phones: list[str], expected: str | None) -> None:
    doc: dict[str, Any] = {"phones": phones}
    assert mobile_of(doc) == expected
    assert reachable(doc, "sms") == ((expected, None) if expected else (None, "Aucun numéro de mobile."))


def _names_and(phone: str) -> dict[str, Any]:
    return {"first_name": "Hélène", "last_name": "Lefèvre", "phones": [phone]}


@pytest.mark.parametrize(
    "phone",
    ["06 12 34 56 78", "07 81 22 33 44", "0692 12 34 56", "0639 40 12 34", "0697 12 34 56", "+32 470 12 34 56"],
)
def test_a_shared_mobile_is_one_persons_evidence(phone: str) -> None:
    """A mobile weighs AGREEMENT_WEIGHTS["mobile"], a landline (a household's) only "phone"; overseas and foreign
    mobiles counted as landlines before."""
    a, b = dd.profile("a", _names_and(phone)), dd.profile("b", _names_and(phone))
    landline_a, landline_b = (
        dd.profile("a", _names_and("04 78 00 00 01")),
        dd.profile("b", _names_and("04 78 00 00 01")),
    )
    assert a and b and landline_a and landline_b
    assert dd.score(a, b).score > dd.score(landline_a, landline_b).score
    assert dd.score(a, b).score >= dd.THRESHOLD


@pytest.mark.parametrize("phone", ["04 78 00 00 01", "09 51 23 45 67", "0262 21 23 45", "07 12 34 56 78"])
def test_a_shared_landline_or_voip_is_a_households(phone: str) -> None:
    mobile_a, mobile_b = dd.profile("a", _names_and("06 12 34 56 78")), dd.profile("b", _names_and("06 12 34 56 78"))
    a, b = dd.profile("a", _names_and(phone)), dd.profile("b", _names_and(phone))
    assert a and b and mobile_a and mobile_b
    assert dd.score(a, b).score < dd.score(mobile_a, mobile_b).score
