"""Duplicate detection (domain/duplicates.py): each kind of duplicate found, each trap of a naive matcher avoided,
blocking that compares only what may match."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain import duplicates as dd
from chalicelib.domain.duplicates import THRESHOLD, Profile


def person(ref: str, **fields: Any) -> Profile:
    doc: dict[str, Any] = {"kind": "person", **fields}
    found = dd.profile(ref, doc)
    assert found is not None
    return found


def home(line: str = "12 rue de la Paix", postcode: str = "69001") -> dict[str, Any]:
    return {"lines": [line], "postcode": postcode, "city": "Lyon"}


BASE: dict[str, Any] = {
    "civility": "Mme",
    "first_name": "Hélène",
    "last_name": "Lefèvre",
    "emails": ["helene.lefevre@orange.fr"],
    "phones": ["+33612345678"],
    "birth_date": "1962-07-14",
    "address": home(),
}


def pair_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The score of two records, checked symmetric and found by the blocking."""
    pa, pb = person("a", **a), person("b", **b)
    forward, backward = dd.score(pa, pb), dd.score(pb, pa)
    assert abs(forward.score - backward.score) < 0.02
    if forward.score >= THRESHOLD:
        assert dd.blocking_keys(pa) & dd.blocking_keys(pb), "a duplicate the blocking never compares is missed"
    return max(forward.score, backward.score)


def only(**fields: Any) -> dict[str, Any]:
    """A record with the names of BASE and only the given other fields."""
    return {"first_name": BASE["first_name"], "last_name": BASE["last_name"], **fields}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(BASE, BASE, id="identical"),
        pytest.param(BASE, only(last_name="Lefevre", emails=["Helene.Lefevre@Orange.fr"]), id="email-case-accents"),
        pytest.param(BASE, {**BASE, "last_name": "LEFEBVRE", "civility": None}, id="typo-last-name-upper"),
        pytest.param(BASE, only(last_name="Lefèbre", address=home()), id="typo-last-name-address-only"),
        pytest.param(BASE, only(first_name="Hélènne", phones=["06 12 34 56 78"]), id="typo-first-name-mobile"),
        pytest.param(BASE, only(first_name="Heelène", address=home()), id="typo-first-name-address-only"),
        pytest.param(
            {**BASE, "last_name": "de La Fontaine"}, only(last_name="Lafontaine", address=home()), id="particle-joined"
        ),
        pytest.param({**BASE, "last_name": "de Gaulle"}, only(last_name="Gaulle", birth_date="1962-07-14"), id="de"),
        pytest.param({**BASE, "last_name": "du Pont"}, only(last_name="Dupont", address=home()), id="du"),
        pytest.param({**BASE, "last_name": "Le Gall"}, only(last_name="LEGALL", address=home()), id="le"),
        pytest.param(
            {**BASE, "first_name": "Marie-Claire"},
            {**only(first_name="Marie Claire"), "address": home()},
            id="compound-first-name-unhyphenated",
        ),
        pytest.param(
            {**BASE, "first_name": "Marie-Claire"},
            only(first_name="Marie", emails=BASE["emails"]),
            id="compound-first-name-shortened",
        ),
        pytest.param(
            {**BASE, "last_name": "Martin née Lefèvre"}, only(birth_date="1962-07-14"), id="nee-birth-name-alone"
        ),
        pytest.param(
            {**BASE, "last_name": "Lefèvre épouse Martin"},
            only(last_name="Martin", emails=BASE["emails"]),
            id="epouse-usage-name-alone",
        ),
        pytest.param(
            BASE, only(first_name="LEFÈVRE", last_name="Hélène", address=home()), id="inverted-first-and-last-names"
        ),
        pytest.param(
            BASE,
            only(phones=["+33 6 12 34 56 78"], address=home("12, r. de la paix")),
            id="phone-and-street-formatted-otherwise",
        ),
        pytest.param(
            {**BASE, "address": home("3 bd St Michel")},
            only(address=home("3 boulevard Saint-Michel")),
            id="street-abbreviations",
        ),
        pytest.param(BASE, only(emails=BASE["emails"], address=home("4 place Bellecour")), id="moved-same-email"),
    ],
)
def test_a_duplicate_is_proposed(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert pair_score(a, b) >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(BASE, only(birth_date="1990-02-01"), id="homonym-other-birth-date"),
        pytest.param(
            BASE,
            only(emails=["h.lefevre@free.fr"], address=home("8 avenue Jean Jaurès", "38000")),
            id="homonym-other-address-and-email",
        ),
        pytest.param(
            {**BASE, "civility": "M", "first_name": "Jean", "birth_date": "1950-03-03"},
            {**BASE, "civility": "M", "first_name": "Jean", "birth_date": "1979-10-21", "emails": []},
            id="father-and-son-at-one-address",
        ),
        pytest.param(BASE, only(), id="names-alone-are-not-enough"),
        pytest.param(
            {**BASE, "civility": None, "first_name": "DUPOND", "last_name": "Jean", "phones": ["04 78 00 00 01"]},
            {**BASE, "first_name": "Jeanne", "last_name": "Dupont", "phones": ["04 78 00 00 01"], "emails": []},
            id="inverted-names-do-not-hide-a-feminine-form",
        ),
        pytest.param(
            {**BASE, "civility": "M", "first_name": "Jean", "phones": ["04 78 00 00 01"]},
            {**BASE, "first_name": "Jeanne", "phones": ["04 78 00 00 01"], "emails": [], "birth_date": None},
            id="household-jean-jeanne",
        ),
        pytest.param(
            {**BASE, "civility": None, "first_name": "Nicolas", "phones": ["04 78 00 00 01"], "emails": []},
            {**BASE, "civility": None, "first_name": "Nicole", "phones": ["04 78 00 00 01"], "emails": []},
            id="household-nicolas-nicole-no-civility",
        ),
        pytest.param(
            {**BASE, "first_name": "Julien", "civility": None, "birth_date": None, "phones": ["0478000001"]},
            {**BASE, "first_name": "Julie", "civility": None, "birth_date": None, "phones": ["0478000001"]},
            id="household-julien-julie-shared-email",
        ),
        pytest.param(
            {**BASE, "first_name": "Jean-Pierre", "civility": "M", "phones": ["04 78 00 00 01"], "birth_date": None},
            {**BASE, "first_name": "Jean-Paul", "civility": "M", "phones": ["04 78 00 00 01"], "emails": []},
            id="household-brothers-compound-names",
        ),
        pytest.param(
            {**BASE, "first_name": "Marie-Claire", "phones": ["04 78 00 00 01"], "emails": [], "birth_date": None},
            {**BASE, "first_name": "Marie", "phones": ["04 78 00 00 01"], "emails": [], "birth_date": None},
            id="household-mother-and-daughter-compound-prefix",
        ),
        pytest.param(
            {**BASE, "first_name": "Léa", "phones": [], "emails": [], "birth_date": None},
            {**BASE, "first_name": "Léo", "civility": None, "phones": [], "emails": [], "birth_date": None},
            id="household-short-names-one-letter-apart",
        ),
        pytest.param(
            BASE, {**BASE, "last_name": "Martin", "emails": [], "birth_date": None}, id="other-surname-same-mobile"
        ),
    ],
)
def test_a_trap_is_not_proposed(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert pair_score(a, b) < THRESHOLD


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Martin née Dubois", ("martin", "dubois")),
        ("MARTIN NÉE DUBOIS", ("martin", "dubois")),
        ("Dubois épouse Martin", ("dubois", "martin")),
        ("Dubois ép. Martin", ("dubois", "martin")),
        ("Durand veuve Petit", ("durand", "petit")),
        ("de La Fontaine", ("de la fontaine",)),
        ("Lefèvre-Dubois", ("lefevre dubois",)),
        ("", ()),
    ],
)
def test_usage_and_birth_names_are_both_kept(raw: str, names: tuple[str, ...]) -> None:
    assert dd.split_surname(raw) == names


@pytest.mark.parametrize(
    ("lines", "postcode", "key"),
    [
        (["12 bis, r. de la Paix"], "69001", "12b|rue paix|69001"),
        (["12B RUE DE LA PAIX"], "69001", "12b|rue paix|69001"),
        (["3 bd St-Michel"], "75005", "3|boulevard saint michel|75005"),
        (["Résidence les Pins", "4 all. des Tilleuls"], None, "|residence pins 4 allee tilleuls|lyon"),
        ([""], "69001", None),
    ],
)
def test_addresses_are_normalised(lines: list[str], postcode: str | None, key: str | None) -> None:
    assert dd.address_key(lines, postcode, "Lyon") == key


def test_phones_and_emails_are_normalised() -> None:
    p = person("x", first_name="Anne", last_name="Roux", phones=["06.12.34.56.78", "0692 12 34 56"], emails=[" A@B.FR"])
    assert p.phones == {"+33612345678", "+262692123456"}
    assert p.emails == {"a@b.fr"}


def test_organisations_and_nameless_records_have_no_profile() -> None:
    assert dd.profile("o", {"kind": "organisation", "organisation_name": "Mairie"}) is None
    assert dd.profile("n", {"kind": "person", "emails": ["a@b.fr"]}) is None


def test_find_pairs_reports_each_pair_once_with_its_matched_fields() -> None:
    records = [
        person("c1", **BASE),
        person("c2", **{**BASE, "first_name": "HELENE", "phones": []}),
        person("c3", **{**BASE, "first_name": "Paul", "civility": "M", "emails": [], "birth_date": "1960-01-01"}),
        person("c4", first_name="Paul", last_name="Durand", address=home("1 rue Neuve")),
    ]
    pairs = dd.find_pairs(records)
    assert [(p.a, p.b) for p in pairs] == [("c1", "c2")]
    assert set(pairs[0].matched) >= {"first_name", "last_name", "email", "birth_date", "address"}
    assert 0 < pairs[0].score <= 1


def test_candidates_ranks_the_new_record_against_others() -> None:
    new = person("new", **only(emails=BASE["emails"]))
    others = [person("old", **BASE), person("far", first_name="Paul", last_name="Durand")]
    assert [(p.a, p.b) for p in dd.candidates(new, others)] == [("new", "old")]


def test_blocking_keeps_comparisons_proportional_to_the_people() -> None:
    """A shared switchboard number and a common name: large blocks compare name neighbours only."""
    records = {
        f"r{n:04d}": person(
            f"r{n:04d}", first_name=f"Jean{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}", last_name="Martin",
            phones=["04 78 00 00 00"],
        )
        for n in range(2000)
    }  # fmt: skip
    pairs = dd.candidate_pairs(records)
    assert len(pairs) <= len(records) * (dd.WINDOW + dd.MAX_BLOCK)
    assert len(pairs) < len(records) * (len(records) - 1) / 2 / 20


def test_rows_named_like_the_import_become_records() -> None:
    row = {
        "civility": "Madame",
        "first_name": " Hélène ",
        "last_name": "Lefèvre",
        "email": "",
        "phone": "06 12 34 56 78",
        "birth_date": "14/07/1962",
        "address_line": "12 rue de la Paix",
        "postcode": "69001",
        "city": "Lyon",
    }
    doc = dd.doc_of_row(row)
    assert doc["civility"] == "Mme" and doc["first_name"] == "Hélène" and doc["emails"] == []
    assert doc["birth_date"] == "1962-07-14"
    assert [dd.iso_date(v) for v in ("1962-07-14", "1/2/1962", "31/02/1962", "1962-13-01", "hier")] == [
        "1962-07-14",
        "1962-02-01",
        None,
        None,
        None,
    ]
