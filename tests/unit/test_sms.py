"""SMS encoding, segments and cost (3GPP TS 23.038 §6.2.1 alphabets, TS 23.040 §9.2.3.24.1 concatenation) on
French texts, and the opt-out mention every message ends with (CNIL: a STOP mechanism or link in each message)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import sms
from chalicelib.domain.sms import encoding, estimate, segments, septets, units, with_opt_out


@pytest.mark.parametrize(
    ("code", "char"),
    [
        (0x04, "è"),
        (0x05, "é"),
        (0x06, "ù"),
        (0x07, "ì"),
        (0x08, "ò"),
        (0x09, "Ç"),
        (0x0A, "\n"),
        (0x1F, "É"),
        (0x24, "¤"),
        (0x40, "¡"),
        (0x5F, "§"),
        (0x60, "¿"),
        (0x7F, "à"),
    ],
    ids=lambda v: f"{v:#04x}" if isinstance(v, int) else repr(v),
)
def test_basic_table_positions_from_ts_23_038(code: int, char: str) -> None:
    assert sms._BASIC_TABLE[code] == char


def test_escape_is_not_a_character() -> None:
    assert "\x1b" not in sms.BASIC
    assert len(sms.BASIC) == 127
    assert encoding("\x1b") == "UCS-2"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Réunion publique à l'école, où ? Salle Émile-Zola", id="e-acute-a-grave-u-grave-E-acute"),
        pytest.param("Fête annulée", id="e-circumflex"),
        pytest.param("Théâtre", id="a-circumflex"),
        pytest.param("Île", id="I-circumflex"),
        pytest.param("Hôtel de ville", id="o-circumflex"),
        pytest.param("sûr", id="u-circumflex"),
        pytest.param("Œuvre", id="OE-ligature"),
        pytest.param("cœur", id="oe-ligature"),
        pytest.param("À demain", id="A-grave"),
        pytest.param("Ève", id="E-grave"),
        pytest.param("ça", id="c-cedilla-small"),
        pytest.param("Noël", id="e-diaeresis"),
        pytest.param("Fête 🎉", id="emoji"),
        pytest.param("STOP\u00a0: x", id="no-break-space"),
    ],
)
def test_encoding_of_french_texts(text: str) -> None:
    expected = "GSM-7" if text.startswith("Réunion") else "UCS-2"
    assert encoding(text) == expected


@pytest.mark.parametrize(
    ("char", "gsm"),
    [
        ("é", True),
        ("è", True),
        ("à", True),
        ("ù", True),
        ("É", True),
        ("Ç", True),
        ("ü", True),
        ("ö", True),
        ("ñ", True),
        ("€", True),
        ("ê", False),
        ("â", False),
        ("î", False),
        ("ô", False),
        ("û", False),
        ("œ", False),
        ("Œ", False),
        ("ç", False),
        ("À", False),
        ("È", False),
        ("Ê", False),
        ("ë", False),
        ("ï", False),
        ("«", False),
        ("’", False),
    ],
)
def test_each_french_letter(char: str, gsm: bool) -> None:
    assert (encoding(f"a{char}b") == "GSM-7") is gsm


@pytest.mark.parametrize("char", list("€[]{}\\|^~\f"))
def test_extension_characters_cost_two_septets(char: str) -> None:
    assert septets(f"10 {char}") == 5
    assert encoding(char) == "GSM-7"


def test_septets_refuses_a_ucs2_text() -> None:
    with pytest.raises(ValueError):
        septets("Fête")


def test_ucs2_counts_utf16_code_units() -> None:
    assert units("ê🎉") == [1, 2]
    assert segments("ê" + "🎉" * 35) == 2  # 71 units
    assert segments("🎉" * 35) == 1  # 70 units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", 0, id="empty"),
        pytest.param("a" * 160, 1, id="gsm-160"),
        pytest.param("a" * 161, 2, id="gsm-161"),
        pytest.param("é" * 160, 1, id="gsm-160-accented"),
        pytest.param("a" * 306, 2, id="gsm-2x153"),
        pytest.param("a" * 307, 3, id="gsm-307"),
        pytest.param("€" * 80, 1, id="gsm-80-euros-160-septets"),
        pytest.param("€" + "a" * 159, 2, id="gsm-euro-161-septets"),
        pytest.param("ê" * 70, 1, id="ucs2-70"),
        pytest.param("ê" * 71, 2, id="ucs2-71"),
        pytest.param("ê" * 134, 2, id="ucs2-2x67"),
        pytest.param("ê" * 135, 3, id="ucs2-135"),
        pytest.param("a" * 159 + "ê", 3, id="one-circumflex-makes-160-chars-three-segments"),
    ],
)
def test_segment_boundaries(text: str, expected: int) -> None:
    assert segments(text) == expected


def test_an_escape_pair_is_never_split_across_segments() -> None:
    # 152 septets then « € » (2): 154 > 153, so the euro moves whole to segment 2, which holds 2 + 151 = 153 and
    # leaves the last « a » to a third segment.
    text = "a" * 152 + "€" + "a" * 152
    assert sum(units(text)) == 306  # would fit 2 × 153 if the pair could be split
    assert segments(text) == 3
    assert segments("a" * 151 + "€" + "a" * 153) == 2  # 153 exactly, then 153


def test_a_surrogate_pair_is_never_split_across_segments() -> None:
    text = "ê" * 66 + "🎉" + "ê" * 66  # 134 units, but the emoji cannot straddle units 67–68
    assert segments(text) == 3
    assert segments("ê" * 65 + "🎉" + "ê" * 67) == 2


def test_opt_out_mention_is_counted_and_keeps_gsm7() -> None:
    sent = with_opt_out("Conseil municipal jeudi à 18 h, salle des fêtes.  \n", "https://a.gr/s/Xy7")
    assert sent == "Conseil municipal jeudi à 18 h, salle des fêtes.\nSTOP : https://a.gr/s/Xy7"
    assert encoding(sent) == "UCS-2"  # « fêtes »
    plain = with_opt_out("a" * 140, "https://a.gr/s/Xy7")
    assert encoding(plain) == "GSM-7"
    assert segments("a" * 140) == 1
    assert segments(plain) == 2  # 140 + 1 + 25: the mention pushes it over 160


def test_opt_out_normalises_decomposed_accents() -> None:
    decomposed = "re\u0301union"  # e + combining acute accent: not in GSM-7 as such
    assert encoding(decomposed) == "UCS-2"
    assert encoding(with_opt_out(decomposed, "x.fr/s")) == "GSM-7"


@pytest.mark.parametrize("link", ["", "a b", "x\ny"])
def test_opt_out_link_is_one_word(link: str) -> None:
    with pytest.raises(ValueError):
        with_opt_out("Bonjour", link)


def test_estimate() -> None:
    result = estimate(with_opt_out("Fête de la musique ce soir !", "x.fr/s/1"), 1200, Decimal("6.5"))
    assert result == sms.Estimate("UCS-2", 1, 1200, 1200, 7800)
    long = estimate("a" * 161, 3, "4.1")  # 2 segments × 3 = 6 × 4.1 = 24.6 → 25
    assert (long.total_segments, long.estimated_cost_cents) == (6, 25)
    assert estimate("a", 0, 5).estimated_cost_cents == 0


@pytest.mark.parametrize(("recipients", "price"), [(-1, 5), (1, -1)])
def test_estimate_refuses_negatives(recipients: int, price: int) -> None:
    with pytest.raises(ValueError):
        estimate("a", recipients, price)


@given(st.text(alphabet="aé€ê🎉\n ", max_size=600))
def test_segments_hold_every_unit(text: str) -> None:
    """Whatever the text, the segments carry its units, and a pair moved whole wastes at most one unit a segment."""
    n = segments(text)
    total = sum(units(text))
    gsm = encoding(text) == "GSM-7"
    single, per = (160, 153) if gsm else (70, 67)
    if total == 0:
        assert n == 0
    elif total <= single:
        assert n == 1
    else:
        assert -(-total // per) <= n <= -(-total // (per - 1))
