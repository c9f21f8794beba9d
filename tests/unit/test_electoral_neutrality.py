"""Neutrality of event texts under L52-1 al. 2 (the criterion of neutralité): every pattern against its own examples
and every neutral sentence against all patterns, then folding, excerpts, declared candidates and their sites."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from chalicelib.domain.electoral.neutrality import (
    CATEGORIES,
    PATTERNS,
    Candidate,
    Category,
    Match,
    find,
    fold,
    worst_level,
)

EXAMPLES = [pytest.param(p.id, text, id=f"{p.id}-ex{i}") for p in PATTERNS for i, text in enumerate(p.examples)]
COUNTEREXAMPLES = [
    pytest.param(text, id=f"{p.id}-counter{i}") for p in PATTERNS for i, text in enumerate(p.counterexamples)
]

DUPONT = Candidate("Jean Dupont", ("dupont2027.fr",))
AVENIR = Candidate("Hélène Lefèvre", ("https://www.liste-avenir.fr/programme",))


def ids(matches: list[Match]) -> list[str]:
    return [m.pattern_id for m in matches]


@pytest.mark.parametrize(("pattern_id", "text"), EXAMPLES)
def test_each_example_is_caught_by_its_pattern(pattern_id: str, text: str) -> None:
    assert pattern_id in ids(find({"description": text}))


@pytest.mark.parametrize("text", COUNTEREXAMPLES)
def test_each_counterexample_is_caught_by_no_pattern(text: str) -> None:
    assert find({"description": text}) == []


def test_every_pattern_has_examples_counterexamples_and_a_unique_snake_case_id() -> None:
    assert 35 <= len(PATTERNS) <= 100
    assert len({p.id for p in PATTERNS}) == len(PATTERNS)
    for p in PATTERNS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", p.id), p.id
        assert p.examples and p.counterexamples, p.id
        assert p.category in CATEGORIES and p.label, p.id
    assert set(CATEGORIES) == set(get_args(Category)) == {p.category for p in PATTERNS}


def test_regexes_are_written_for_folded_text_lowercase_and_without_accents() -> None:
    for p in PATTERNS:
        assert p.regex.isascii(), p.id
        without_escapes = re.sub(r"\\.", "", p.regex)
        assert without_escapes == without_escapes.lower(), p.id


NEUTRAL = [
    "Le maire et le conseil municipal ont le plaisir de vous convier à la cérémonie des vœux",
    "Cérémonie des vœux du maire à la population",
    "Le maire et le conseil municipal vous présentent leurs vœux pour 2027.",
    "Présentation des projets de l'année 2027 par les services",
    "Les élus du conseil municipal des jeunes",
    "Bilan de la saison culturelle",
    "Consultez la liste des invités",
    "Vote du budget en conseil municipal",
    "Un journaliste couvrira la cérémonie",
    "Dévotion et dévotement : concert de musique sacrée",
    "La commission électorale se réunit",
    "Révision des listes électorales",
    "Inscription sur les listes électorales avant le 6 mars",
    "Exercice bilanciel au club de gymnastique",
    "Informations sur www.rouen.fr et mairie-rouen.fr/agenda-2027",
]


@pytest.mark.parametrize("text", NEUTRAL)
def test_ordinary_municipal_wording_is_neutral(text: str) -> None:
    assert find({"title": text, "description": text, "invitation_text": text}, [DUPONT, AVENIR]) == []


def test_scenario_bilan_and_call_to_vote() -> None:
    text = "Venez découvrir le bilan de notre mandat… le 11 avril, votez pour la continuité !"
    matches = find({"title": "Vœux du maire", "description": text})
    assert {"bilan", "appel_au_vote"} <= {m.category for m in matches}
    assert [(m.field, m.pattern_id) for m in matches] == [
        ("description", "bilan_mandat"),
        ("description", "appel_votez"),
    ]


# --- folding and excerpts ------------------------------------------------------------------------------------------


def test_fold_strips_accents_case_ligatures_apostrophes_and_spaces() -> None:
    assert fold("  L’Élection\u00a0 des   Œuvres ʼÆ\u202fÉLECTEURS ") == "l'election des oeuvres 'ae electeurs"
    assert fold("e\u0301lection") == "election"  # decomposed accent


def test_excerpt_quotes_the_original_words_with_accents_and_case() -> None:
    (match,) = find({"title": "Soirée : LE BILAN DE L’ÉQUIPE MUNICIPALE"})
    assert match == Match("title", "bilan", "bilan_equipe", "bilan de l'équipe municipale", match.excerpt)
    assert match.excerpt == "Soirée : LE BILAN DE L’ÉQUIPE MUNICIPALE"


def test_excerpt_cuts_long_texts_on_whole_words_with_ellipses() -> None:
    text = (
        "La municipalité a le grand plaisir de vous inviter ce soir à découvrir nos réalisations "
        "en images, puis à partager le verre de l'amitié dans la salle des fêtes."
    )
    (match,) = find({"description": text})
    assert match.pattern_id == "nos_realisations"
    assert match.excerpt == "…inviter ce soir à découvrir nos réalisations en images, puis à partager le…"
    before, after = match.excerpt.split("nos réalisations")
    assert len(before) <= 31 and len(after) <= 31


def test_excerpt_normalises_whitespace_but_keeps_the_typographic_apostrophe() -> None:
    (match,) = find({"description": "Grâce\u00a0à   l’action\nmunicipale"})
    assert match.pattern_id == "grace_a_notre_action"
    assert match.excerpt == "Grâce à l’action municipale"


def test_nbsp_and_typographic_apostrophes_are_folded() -> None:
    matches = find({"description": "Le bilan de l’équipe sortante\u202f! Votez\u00a0!"})
    assert ids(matches) == ["bilan_equipe", "sortant", "appel_votez"]
    assert matches[0].excerpt.startswith("Le bilan de l’équipe")


def test_fields_are_reported_in_mapping_order_then_position() -> None:
    texts = {
        "title": "Votez !",
        "description": "Tous aux urnes. Mais d'abord : nos réalisations.",
        "invitation_text": "Bilan de la majorité",
    }
    assert [(m.field, m.pattern_id) for m in find(texts)] == [
        ("title", "appel_votez"),
        ("description", "aux_urnes"),
        ("description", "nos_realisations"),
        ("invitation_text", "bilan_equipe"),
    ]
    assert find(texts) == find(texts)
    reordered = {"invitation_text": texts["invitation_text"], "title": texts["title"]}
    assert [m.field for m in find(reordered)] == ["invitation_text", "title"]


def test_none_and_empty_texts_are_skipped() -> None:
    assert find({"title": None, "description": "", "invitation_text": "   "}) == []
    assert find({}) == []
    assert ids(find({"title": None, "description": "Votez !"})) == ["appel_votez"]


@pytest.mark.parametrize(
    ("text", "word"),
    [("Dévotement vôtre", "vote"), ("Un journaliste local", "liste"), ("Le bilanciel", "bilan"), ("Élections", "")],
)
def test_word_boundaries(text: str, word: str) -> None:
    matches = find({"title": text})
    assert (matches == []) is bool(word)


# --- declared candidates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "En présence de Jean Dupont",
        "En présence de DUPONT Jean",
        "En présence de Dupont Jean.",
        "Avec jean dupont",
        "Avec Jean\u00a0Dupont",
    ],
)
def test_candidate_name_in_both_orders_case_insensitive(text: str) -> None:
    (match,) = find({"title": text}, [DUPONT])
    assert (match.category, match.pattern_id, match.label) == (
        "candidature",
        "candidate_name",
        "candidat déclaré : Jean Dupont",
    )


def test_candidate_name_is_accent_insensitive_and_quoted_as_written() -> None:
    (match,) = find({"description": "Discours d'Helene LEFEVRE"}, [AVENIR])
    assert match.label == "candidat déclaré : Hélène Lefèvre" and match.excerpt == "Discours d'Helene LEFEVRE"
    assert ids(find({"description": "Lefèvre Hélène"}, [AVENIR])) == ["candidate_name"]


@pytest.mark.parametrize(
    "text",
    ["Jean Dupontel", "Jean-Jean Dupont-Moretti", "Marie-Jean Dupont", "Jean Martin et M. Dupont", "rue Dupont"],
)
def test_candidate_name_needs_the_whole_name(text: str) -> None:
    assert find({"title": text}, [DUPONT]) == []


def test_candidate_name_with_particle_and_compound_first_name() -> None:
    tour = Candidate("Marie-Claire de La Tour")
    assert ids(find({"title": "Mme DE LA TOUR Marie-Claire"}, [tour])) == ["candidate_name"]
    assert ids(find({"title": "Marie Claire de la Tour"}, [tour])) == ["candidate_name"]
    assert find({"title": "Marie-Claire de La Tourelle"}, [tour]) == []
    assert find({"title": "Anything"}, [Candidate("   ")]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Programme sur dupont2027.fr",
        "Programme sur www.dupont2027.fr.",
        "Programme sur https://dupont2027.fr/agenda",
        "Programme sur HTTP://WWW.DUPONT2027.FR/",
        "Écrivez à contact@dupont2027.fr",
        "Voir agenda.dupont2027.fr",
    ],
)
def test_candidate_site_ignores_scheme_www_and_path(text: str) -> None:
    matches = [m for m in find({"invitation_text": text}, [DUPONT]) if m.pattern_id == "candidate_site"]
    assert [(m.category, m.label) for m in matches] == [("lien", "site d'un candidat : dupont2027.fr")]
    assert "2027" in matches[0].excerpt


def test_candidate_site_bare_domain_excerpt_is_the_link_as_written() -> None:
    matches = find({"invitation_text": "Tout sur WWW.Dupont2027.fr, à bientôt"}, [DUPONT])
    site = next(m for m in matches if m.pattern_id == "candidate_site")
    assert site.excerpt == "Tout sur WWW.Dupont2027.fr, à bientôt"


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("https://www.liste-avenir.fr/programme", True),
        ("liste-avenir.fr/programme/", True),
        ("www.liste-avenir.fr/programme/ecoles", True),
        ("liste-avenir.fr/programme?page=2", True),
        ("liste-avenir.fr", False),
        ("liste-avenir.fr/agenda", False),
        ("liste-avenir.fr/programmes", False),
    ],
)
def test_candidate_site_with_a_path_needs_that_path(text: str, caught: bool) -> None:
    matches = find({"invitation_text": f"Voir {text} pour tout savoir"}, [AVENIR])
    found = [m.label for m in matches if m.pattern_id == "candidate_site"]
    assert found == (["site d'un candidat : liste-avenir.fr/programme"] if caught else [])


@pytest.mark.parametrize("text", ["dupont2027.fr.evil.com", "notdupont2027.fr", "dupont2027.fra", "dupont2027.fr.pdf"])
def test_candidate_site_is_the_whole_host(text: str) -> None:
    assert "candidate_site" not in ids(find({"title": f"Voir {text}"}, [DUPONT]))


def test_undeclared_campaign_site_is_caught_by_the_generic_pattern() -> None:
    (match,) = find({"title": "Infos : https://avec-marie-2028.fr/agenda"})
    assert (match.category, match.pattern_id) == ("lien", "lien_site_de_campagne")
    assert match.excerpt == "Infos : https://avec-marie-2028.fr/agenda"


def test_declared_site_also_trips_the_generic_pattern_in_position_order() -> None:
    matches = find({"title": "Votez Jean Dupont sur dupont2027.fr"}, [DUPONT])
    assert ids(matches) == ["appel_votez", "candidate_name", "lien_site_de_campagne", "candidate_site"]


def test_one_long_text_with_every_example_reports_every_pattern_once_per_occurrence() -> None:
    """A whole bulletin at once (speed is not asserted here: timings belong in bench/, not in tests)."""
    text = "\n\n".join(p.examples[0] for p in PATTERNS)
    found = find({"description": text})
    assert {m.pattern_id for m in found} == {p.id for p in PATTERNS}
    assert all(m.field == "description" for m in found)


# --- levels and contexts (the corpus measures them: test_neutrality_corpus) -----------------------------------------

CHECKED = [DUPONT, Candidate("Martine Roux", ("roux2026.fr",))]


def worst(text: str) -> str:
    return worst_level(find({"description": text}, CHECKED))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Les élections municipales auront lieu les 15 et 22 mars, de 8 h à 18 h.", id="R40-dates-hours"),
        pytest.param("Bureaux de vote : le bureau n° 3 est transféré au gymnase.", id="R40-polling-station"),
        pytest.param("Conseil de quartier : votez pour vos représentants", id="CGCT-L2143-1-conseil-de-quartier"),
        pytest.param("Journée citoyenne : mobilisez-vous pour nettoyer les berges", id="neutralite-civic-day"),
        pytest.param("Élections au conseil municipal des enfants : urnes et isoloir", id="CGCT-CME"),
        pytest.param("Martine Roux, maire, reçoit sans rendez-vous le samedi.", id="CGCT-L2122-18-elu-named"),
    ],
)
def test_lawful_notices_are_not_blocking(text: str) -> None:
    assert worst(text) != "blocking"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Notre maire a tenu ses promesses.", id="CE-1996-Paris-16e-praise"),
        pytest.param("La majorité municipale a transformé la ville.", id="CE-1996-Paris-16e-team"),
        pytest.param("Avec Martine Roux, la ville avance !", id="L52-1-al2-slogan-with-name"),
        pytest.param("Réunion publique de la liste « Rouen demain », salle des fêtes.", id="CGCT-L2144-3-list-meeting"),
        pytest.param("Le Parti socialiste tiendra sa réunion à la salle polyvalente.", id="CGCT-L2144-3-party"),
        pytest.param("Tout notre programme sur roux2026.fr", id="CNCCFP-campaign-site"),
        pytest.param("Le 15 mars, votez pour la liste conduite par Jean Dupont.", id="CE-2015-La-Croix-Saint-Leufroy"),
    ],
)
def test_partisan_texts_are_blocking(text: str) -> None:
    assert worst(text) == "blocking"


def test_a_candidate_named_alone_is_a_warning_and_names_him() -> None:
    (match,) = find({"title": "Inauguration en présence de Jean Dupont"}, [DUPONT])
    assert (match.level, match.label) == ("warning", "candidat déclaré : Jean Dupont")
    (match,) = find({"title": "Avec Jean Dupont, Rouen avance !"}, [DUPONT])
    assert (match.level, match.label) == ("blocking", "candidat déclaré mis en avant : Jean Dupont")


def test_a_context_quiets_its_own_sentence_only() -> None:
    text = "Les bureaux de vote sont ouverts de 8 h à 18 h. Le bureau de vote, c'est là que tout se joue !"
    (match,) = find({"description": text})
    assert (match.pattern_id, match.level, match.excerpt) == (
        "bureau_de_vote",
        "warning",
        "…ouverts de 8 h à 18 h. Le bureau de vote, c'est là que tout se joue !",
    )


def test_a_title_line_is_its_own_sentence_a_wrapped_line_is_not() -> None:
    assert worst("Conseil de quartier\nLe 15 mars, votez pour la continuité !") == "blocking"
    assert worst("Conseil de quartier : votez pour vos\nreprésentants") == "ok"


def test_election_references_are_warnings_promotion_is_blocking() -> None:
    levels = {p.id: p.level for p in PATTERNS}
    assert {levels[i] for i in ("election", "scrutin", "bureau_de_vote", "election_nommee", "electeurs")} == {"warning"}
    assert {
        levels[i] for i in ("bilan_mandat", "eloge_equipe", "appel_votez", "candidat", "lien_site_de_campagne")
    } == {"blocking"}
    assert all(set(p.quiet_in) <= {"pratique", "instance_locale"} for p in PATTERNS)
