"""Name folding and the search plan ("q": every query word must match the start of a
word of the first name, last name or organisation name, ignoring case, accents and hyphens)."""

from __future__ import annotations

import pytest

from chalicelib.domain import contacts as contact_rules
from chalicelib.domain.search import SearchPlan, accepts, driver_candidates, plan
from chalicelib.domain.text import MAX_WORDS, fold, slug, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Hélène Lefèvre-Dubois", "helene lefevre dubois", id="accents-and-hyphen"),
        pytest.param("ÉLODIE", "elodie", id="upper-case-accent"),
        pytest.param("Œuvray", "oeuvray", id="oe-ligature-upper"),
        pytest.param("vœux", "voeux", id="oe-ligature-lower"),
        pytest.param("Lætitia", "laetitia", id="ae-ligature"),
        pytest.param("Straße", "strasse", id="sharp-s"),
        pytest.param("Øre łódź đak", "ore lodz dak", id="letters-nfkd-cannot-split-lower"),
        pytest.param("Łukasz Đorđević", "lukasz dordevic", id="letters-nfkd-cannot-split-upper"),
        pytest.param("Yıldız", "yildiz", id="dotless-i-does-not-split-word"),
        pytest.param("Þór Ðóra Ħal", "thor dora hal", id="thorn-eth-h-stroke"),
        pytest.param("Jose\u0301", "jose", id="combining-acute"),
        pytest.param("N'Diaye", "n diaye", id="apostrophe-splits"),
        pytest.param("Jeanne d’Arc", "jeanne d arc", id="typographic-apostrophe"),
        pytest.param("Ｊｅａｎ", "jean", id="fullwidth-compatibility"),
        pytest.param("  Saint--Martin  ", "saint martin", id="runs-of-separators"),
        pytest.param("Vœux 2026", "voeux 2026", id="digits-kept"),
        pytest.param("🎉🎉", "", id="emoji-only"),
        pytest.param("שלום", "", id="rtl-script-dropped"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(("Hélène", "Lefèvre-Dubois", None), ["helene", "lefevre", "dubois"], id="person"),
        pytest.param((None, None, "Les Restos du Cœur"), ["les", "restos", "du", "coeur"], id="organisation"),
        pytest.param(("Jean", "Jean"), ["jean"], id="duplicates-once"),
        pytest.param(("Jean-Pierre", "PIERRE"), ["jean", "pierre"], id="duplicate-across-texts-case-folded"),
        pytest.param(("", None), [], id="nothing"),
        pytest.param(("!!! ---",), [], id="punctuation-only"),
    ],
)
def test_words(texts: tuple[str | None, ...], expected: list[str]) -> None:
    assert words(*texts) == expected


def test_words_are_capped() -> None:
    many = " ".join(f"mot{n}" for n in range(MAX_WORDS + 10))
    assert words(many) == [f"mot{n}" for n in range(MAX_WORDS)]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        pytest.param("Élu(e)s  municipaux", "elu-e-s-municipaux", id="docstring-example"),
        pytest.param("Vœux 2026", "voeux-2026", id="ligature-and-digits"),
        pytest.param("riverain", "riverain", id="plain"),
        pytest.param("Parent d'élève", "parent-d-eleve", id="apostrophe"),
        pytest.param("!!!", "", id="punctuation-only"),
    ],
)
def test_slug(tag: str, expected: str) -> None:
    assert slug(tag) == expected


def test_name_words_and_tag_slugs_of_a_contact() -> None:
    doc = {
        "kind": "person",
        "first_name": "Jean-Pierre",
        "last_name": "Lefèvre",
        "tags": ["Riverain", "riverain", "Vœux 2026", "???"],
    }
    assert contact_rules.name_words(doc) == ["jean", "pierre", "lefevre"]
    assert contact_rules.tag_slugs(doc) == ["riverain", "voeux-2026"]
    assert contact_rules.sort_name(doc) == "lefevre jean pierre"
    assert contact_rules.sort_name({"kind": "organisation", "organisation_name": "Région Normandie"}) == (
        "region normandie"
    )
    assert contact_rules.sort_name({"kind": "person", "last_name": "🎉"}) == "~"


@pytest.mark.parametrize(
    ("q", "tag", "kind", "expected"),
    [
        pytest.param(None, None, None, SearchPlan("all", "", None, (), None, None), id="everything"),
        pytest.param(
            "helene lefevre",
            None,
            None,
            SearchPlan("w#l", "lefevre", "lefevre", ("helene",), None, None),
            id="longest-word-drives",
        ),
        pytest.param(
            "jean-pierre", None, None, SearchPlan("w#p", "pierre", "pierre", ("jean",), None, None), id="hyphen-splits"
        ),
        pytest.param("HÉLÈNE", None, None, SearchPlan("w#h", "helene", "helene", (), None, None), id="folded"),
        pytest.param(
            "abc xyz", None, None, SearchPlan("w#a", "abc", "abc", ("xyz",), None, None), id="tie-first-word-drives"
        ),
        pytest.param("jean jean", None, None, SearchPlan("w#j", "jean", "jean", (), None, None), id="repeated-word"),
        pytest.param(None, "Vœux 2026", None, SearchPlan("tag", "voeux-2026#", None, (), "voeux-2026", None), id="tag"),
        pytest.param(None, None, "person", SearchPlan("kind", "person#", None, (), None, "person"), id="kind"),
        pytest.param(
            None,
            "riverain",
            "organisation",
            SearchPlan("tag", "riverain#", None, (), "riverain", "organisation"),
            id="tag-drives-kind-filters",
        ),
        pytest.param(
            "dupont",
            "riverain",
            "person",
            SearchPlan("w#d", "dupont", "dupont", (), "riverain", "person"),
            id="words-drive-tag-and-kind-filter",
        ),
    ],
)
def test_plan(q: str | None, tag: str | None, kind: str | None, expected: SearchPlan) -> None:
    result = plan(q, tag, kind)
    assert result == expected
    assert not result.is_empty


@pytest.mark.parametrize(
    ("q", "tag"),
    [
        pytest.param("!!!", None, id="punctuation-query"),
        pytest.param("🎉", None, id="emoji-query"),
        pytest.param(None, "???", id="punctuation-tag"),
        pytest.param("dupont", "---", id="words-with-punctuation-tag"),
    ],
)
def test_plan_that_can_match_nothing_is_empty(q: str | None, tag: str | None) -> None:
    assert plan(q, tag, None).is_empty


def _entries(contact_id: str, entry_words: list[str]) -> list[str]:
    """The word-partition sort keys the index holds for a contact."""
    return [f"{w}#{contact_id}" for w in entry_words]


@pytest.mark.parametrize(
    ("q", "name", "matches"),
    [
        pytest.param("helene lefevre", ("Hélène", "Lefèvre-Dubois"), True, id="accents-and-two-words"),
        pytest.param("jean-pierre", ("Jean", "Pierre"), True, id="hyphenated-query"),
        pytest.param("jean pierre", ("Jean-Pierre", "Martin"), True, id="hyphenated-first-name"),
        pytest.param("LEF", ("Hélène", "Lefèvre-Dubois"), True, id="prefix-case"),
        pytest.param("dub", ("Hélène", "Lefèvre-Dubois"), True, id="second-part-of-hyphenated-name"),
        pytest.param("helene martin", ("Hélène", "Lefèvre-Dubois"), False, id="every-word-must-match"),
        pytest.param("evre", ("Hélène", "Lefèvre"), False, id="infix-does-not-match"),
        pytest.param("lefevres", ("Hélène", "Lefèvre"), False, id="longer-than-word"),
    ],
)
def test_accepts_name_queries(q: str, name: tuple[str, str], matches: bool) -> None:
    p = plan(q, None, None)
    entry_words = words(*name)
    in_range = [sk for sk in _entries("C1", entry_words) if sk.startswith(p.prefix)]
    hits = [sk for sk in in_range if accepts(p, sk, entry_words, [], "person")]
    assert len(hits) == (1 if matches else 0)


@pytest.mark.parametrize(
    ("q", "name", "accepted"),
    [
        pytest.param("jean", ("Jean", "Jeanneau"), ["jean#C1"], id="two-words-share-prefix"),
        pytest.param("jean", ("Jeanne", "Jean"), ["jean#C1"], id="shortest-word-counts-whatever-order"),
        pytest.param("jea", ("Jeanne", "Jeanneau"), ["jeanne#C1"], id="both-longer-than-query"),
        pytest.param("jean", ("Pierre", "Jeanneau"), ["jeanneau#C1"], id="single-matching-word"),
        pytest.param("jean jeanneau", ("Jean", "Jeanneau"), ["jeanneau#C1"], id="two-query-words"),
    ],
)
def test_accepts_lists_a_contact_once(q: str, name: tuple[str, str], accepted: list[str]) -> None:
    p = plan(q, None, None)
    entry_words = words(*name)
    in_range = [sk for sk in _entries("C1", entry_words) if sk.startswith(p.prefix)]
    assert [sk for sk in in_range if accepts(p, sk, entry_words, [], "person")] == accepted


@pytest.mark.parametrize(
    ("tag", "kind", "entry_tags", "entry_kind", "ok"),
    [
        pytest.param("riverain", None, ["riverain"], "person", True, id="tag-present"),
        pytest.param("riverain", None, ["presse"], "person", False, id="tag-absent"),
        pytest.param(None, "person", [], "person", True, id="kind-same"),
        pytest.param("riverain", "person", ["riverain"], "organisation", False, id="tag-partition-kind-differs"),
        pytest.param("Riverain", "person", ["riverain"], "person", True, id="tag-compared-as-slug"),
    ],
)
def test_accepts_filters_tag_and_kind(
    tag: str | None, kind: str | None, entry_tags: list[str], entry_kind: str, ok: bool
) -> None:
    p = plan(None, tag, kind)
    sk = f"{p.prefix}dupont#C1"
    assert accepts(p, sk, ["dupont"], entry_tags, entry_kind) is ok


def test_accepts_word_query_with_tag_and_kind() -> None:
    p = plan("dup", "riverain", "person")
    assert accepts(p, "dupont#C1", ["jean", "dupont"], ["riverain"], "person")
    assert not accepts(p, "dupont#C1", ["jean", "dupont"], ["presse"], "person")
    assert not accepts(p, "dupont#C1", ["jean", "dupont"], ["riverain"], "organisation")


@pytest.mark.parametrize(
    ("q", "candidates"),
    [
        pytest.param("helene lefevre", ["lefevre", "helene"], id="longest-first"),
        pytest.param("Jean-Pierre", ["pierre", "jean"], id="hyphen-splits"),
        pytest.param("jean jean", ["jean"], id="repeated-word-once"),
        pytest.param("!!!", [], id="punctuation"),
        pytest.param(None, [], id="no-query"),
    ],
)
def test_driver_candidates(q: str | None, candidates: list[str]) -> None:
    assert driver_candidates(q) == candidates


@pytest.mark.parametrize(
    ("driver", "expected_driver", "others"),
    [
        pytest.param("helene", "helene", ("lefevre",), id="override-with-a-query-word"),
        pytest.param("martin", "lefevre", ("helene",), id="foreign-word-ignored"),
        pytest.param(None, "lefevre", ("helene",), id="default-longest"),
    ],
)
def test_plan_driver_override(driver: str | None, expected_driver: str, others: tuple[str, ...]) -> None:
    p = plan("helene lefevre", None, None, driver=driver)
    assert (p.partition, p.prefix, p.driver_word, p.other_words) == (
        f"w#{expected_driver[0]}",
        expected_driver,
        expected_driver,
        others,
    )


@pytest.mark.parametrize(
    ("q", "tag", "kind", "everything"),
    [
        pytest.param(None, None, None, True, id="plain-list"),
        pytest.param(None, "riverain", None, True, id="tag-partition"),
        pytest.param(None, None, "person", True, id="kind-partition"),
        pytest.param(None, "riverain", "person", False, id="tag-partition-filters-kind"),
        pytest.param("jean", None, None, False, id="word-range-may-list-a-contact-twice"),
    ],
)
def test_accepts_everything(q: str | None, tag: str | None, kind: str | None, everything: bool) -> None:
    assert plan(q, tag, kind).accepts_everything is everything
