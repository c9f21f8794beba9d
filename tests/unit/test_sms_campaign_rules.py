"""The pure rules SMS campaigns add: planning on mobile numbers (E.164) under SMS consent, the estimate of texts that
differ per recipient, and the short codes of STOP links."""

from __future__ import annotations

import pytest

from chalicelib.domain import campaigns as rules
from chalicelib.domain import short_codes, sms
from tests.support import campaigns as support

MOBILE = "+33612345678"


def candidate(cid: str, number: str | None = MOBILE, **kw: str | None) -> rules.Candidate:
    return support.candidate(cid, number, **kw)


@pytest.mark.parametrize(
    ("given", "kind", "reason"),
    [
        (candidate("1", None), "political", "no_address"),
        (candidate("1", "06 12 34 56 78"), "political", "invalid"),  # not E.164
        (candidate("1", "+0612345678"), "institution", "invalid"),  # no country code starts with 0 (E.164 §6)
        (candidate("1", suppression="sns_opt_out"), "political", "suppressed"),  # SNS's own opt-out list
        (candidate("1", status="unknown"), "political", "no_consent"),  # CNIL: prior consent for political SMS
        (candidate("1", status="withdrawn", source="unsubscribe"), "institution", "unsubscribed"),
    ],
)
def test_each_number_left_out_has_its_reason(given: rules.Candidate, kind: str, reason: str) -> None:
    plan = rules.plan([given], kind, "sms")
    assert plan.recipients == {} and plan.skipped == {"1": reason}


def test_one_sms_per_number_and_an_email_address_is_no_number() -> None:
    plan = rules.plan([candidate("1"), candidate("2"), candidate("3", "a@example.fr")], "political", "sms")
    assert plan.recipients == {"1": MOBILE}
    assert plan.skipped == {"2": "duplicate_address", "3": "invalid"}
    with pytest.raises(ValueError):
        rules.plan([], "political", "fax")


def test_texts_that_differ_are_estimated_together() -> None:
    """3GPP TS 23.038/23.040: one UCS-2 text makes the campaign UCS-2; the longest sets segments_per_message."""
    short, long, accented = "é" * 160, "é" * 161, "ê" * 10
    assert sms.estimate_texts([short, long], 6.5) == sms.Estimate("GSM-7", 2, 2, 3, 20)  # 19.5 → 20 cents
    assert sms.estimate_texts([short, accented], 5).encoding == "UCS-2"
    assert sms.estimate_texts([], 5) == sms.Estimate("GSM-7", 0, 0, 0, 0)
    with pytest.raises(ValueError):
        sms.estimate_texts([short], -1)


def test_short_codes_are_stable_distinct_and_ten_characters() -> None:
    code = short_codes.code(b"k1", "sms-stop", "t-ville", "01J00000000000000000000001")
    assert short_codes.well_formed(code) and len(code) == 10
    assert code == short_codes.code(b"k1", "sms-stop", "t-ville", "01J00000000000000000000001")  # same contact
    others = {
        short_codes.code(b"k2", "sms-stop", "t-ville", "01J00000000000000000000001"),  # another secret
        short_codes.code(b"k1", "sms-stop", "t-liste", "01J00000000000000000000001"),  # another tenant
        short_codes.code(b"k1", "sms-stop", "t-ville", "01J00000000000000000000002"),  # another contact
        short_codes.code(b"k1", "rsvp", "t-ville", "01J00000000000000000000001"),  # another purpose
    }
    assert code not in others and len(others) == 4
    assert not short_codes.well_formed("abc") and not short_codes.well_formed("abcdefghi!")
    with pytest.raises(ValueError):
        short_codes.code(b"", "sms-stop", "t", "c")
