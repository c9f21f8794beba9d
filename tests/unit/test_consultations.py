"""Consultations (domain/consultations.py): the questions, an answer checked against them, the tallies."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain import consultations as rules

QUESTIONS: list[dict[str, Any]] = rules.parse_questions(
    [
        {"kind": "single", "label": "Êtes-vous favorable au projet ?", "options": ["Oui", "Non"], "required": True},
        {"id": "usages", "kind": "multiple", "label": "Usages", "options": ["Vélo", "Marche", "Bus"]},
        {"kind": "scale", "label": "Note du quartier"},
        {"kind": "text", "label": "Remarques"},
        {"kind": "ranking", "label": "Priorités", "options": ["Parc", "École", "Voirie"]},
    ]
)


def test_questions_are_numbered_and_normalised() -> None:
    assert [q["id"] for q in QUESTIONS] == ["q1", "usages", "q3", "q4", "q5"]
    assert QUESTIONS[0] == {
        "id": "q1",
        "kind": "single",
        "label": "Êtes-vous favorable au projet ?",
        "required": True,
        "options": ["Oui", "Non"],
    }
    assert QUESTIONS[2]["options"] == [] and QUESTIONS[2]["required"] is False


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "questions"),
        ([{"kind": "poll", "label": "x"}], "questions[0].kind"),
        ([{"kind": "single", "label": "x", "options": ["Oui"]}], "questions[0].options"),
        ([{"kind": "single", "label": "x", "options": ["Oui", " oui "]}], "questions[0].options"),
        ([{"kind": "text", "label": "x", "options": ["a", "b"]}], "questions[0].options"),
        ([{"kind": "text", "label": "  "}], "questions[0].label"),
        ([{"kind": "text", "label": "a", "id": "x"}, {"kind": "text", "label": "b", "id": "x"}], "questions[1].id"),
        ([{"kind": "text", "label": "a", "colour": "red"}], "questions[0]"),
        (["texte"], "questions[0]"),
    ],
)
def test_bad_questions_are_named_by_their_path(raw: Any, field: str) -> None:
    with pytest.raises(rules.ConsultationError) as err:
        rules.parse_questions(raw)
    assert field in [e["field"] for e in err.value.errors]


def test_an_answer_is_normalised() -> None:
    answer = rules.validate_answer(
        QUESTIONS,
        {"q1": "Oui", "usages": ["Bus", "Vélo"], "q3": "4", "q4": " Plus de bancs ", "q5": ["École", "Parc", "Voirie"]},
    )
    assert answer == {
        "q1": "Oui",
        "usages": ["Vélo", "Bus"],
        "q3": 4,
        "q4": "Plus de bancs",
        "q5": ["École", "Parc", "Voirie"],
    }


def test_optional_questions_may_be_skipped() -> None:
    assert rules.validate_answer(QUESTIONS, {"q1": "Non", "q4": ""}) == {"q1": "Non"}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({}, "q1"),  # required
        ({"q1": "Peut-être"}, "q1"),
        ({"q1": "Oui", "usages": ["Vélo", "Vélo"]}, "usages"),
        ({"q1": "Oui", "usages": ["Avion"]}, "usages"),
        ({"q1": "Oui", "q3": 6}, "q3"),
        ({"q1": "Oui", "q3": True}, "q3"),
        ({"q1": "Oui", "q4": "x" * 2001}, "q4"),
        ({"q1": "Oui", "q5": ["Parc", "École"]}, "q5"),
        ({"q1": "Oui", "q5": ["Parc", "Parc", "École"]}, "q5"),
        ({"q1": "Oui", "q9": "?"}, "q9"),
    ],
)
def test_a_bad_answer_names_its_question(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(rules.ConsultationError) as err:
        rules.validate_answer(QUESTIONS, raw)
    assert [e["field"] for e in err.value.errors] == [field]


def test_ranking_from_the_positions_a_plain_form_gives() -> None:
    assert rules.ranking_from_positions(["Parc", "École", "Voirie"], {"Parc": "2", "École": "3", "Voirie": "1"}) == [
        "Voirie",
        "Parc",
        "École",
    ]
    assert rules.ranking_from_positions(["Parc", "École"], {"Parc": "1", "École": "1"}) is None
    assert rules.ranking_from_positions(["Parc", "École"], {"Parc": "1"}) is None


def test_state_follows_the_dates() -> None:
    opens, closes = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC)
    assert rules.state(opens, closes, datetime(2026, 11, 30, tzinfo=UTC)) == "scheduled"
    assert rules.state(opens, closes, opens) == "open"
    assert rules.state(opens, closes, closes) == "closed"
    with pytest.raises(rules.ConsultationError):
        rules.check_dates(closes, opens)


def test_tallies_count_and_give_percentages_of_who_answered_the_question() -> None:
    answers = [
        {"q1": "Oui", "usages": ["Vélo", "Bus"], "q3": 5, "q4": "Bien", "q5": ["Parc", "École", "Voirie"]},
        {"q1": "Oui", "usages": ["Vélo"], "q3": 3, "q5": ["École", "Parc", "Voirie"]},
        {"q1": "Non", "q3": 4, "q5": ["Parc", "Voirie", "École"]},
    ]
    single, multiple, scale, text, ranking = rules.tally(QUESTIONS, answers)
    assert (single.answered, [(o.label, o.count, o.percent) for o in single.options]) == (
        3,
        [("Oui", 2, 66.7), ("Non", 1, 33.3)],
    )
    assert multiple.answered == 2
    assert [(o.label, o.count, o.percent) for o in multiple.options] == [
        ("Vélo", 2, 100.0),
        ("Marche", 0, 0.0),
        ("Bus", 1, 50.0),
    ]
    assert scale.mean == 4.0 and [o.count for o in scale.options] == [0, 0, 1, 1, 1]
    assert text.texts == ("Bien",) and text.answered == 1
    assert [(o.label, o.count, o.mean_rank) for o in ranking.options] == [
        ("Parc", 2, 1.33),
        ("École", 1, 2.0),
        ("Voirie", 0, 2.67),
    ]


def test_no_answer_gives_no_percentage() -> None:
    single = rules.tally(QUESTIONS, [])[0]
    assert [o.percent for o in single.options] == [None, None] and single.answered == 0


def test_tallies_by_group() -> None:
    grouped = rules.tally_by(QUESTIONS, [("76540", {"q1": "Oui"}), ("76000", {"q1": "Non"}), ("76540", {"q1": "Oui"})])
    assert list(grouped) == ["76000", "76540"]
    assert [o.count for o in grouped["76540"][0].options] == [2, 0]


def test_the_chart_says_in_text_what_it_draws_and_escapes_labels() -> None:
    questions = rules.parse_questions([{"kind": "single", "label": "<script>", "options": ["A & B", "C"]}])
    tallied = rules.tally(questions, [{"q1": "A & B"}])
    svg = rules.svg_document("Consultation <test>", tallied)
    root = ET.fromstring(svg)  # well-formed XML: everything escaped
    inner = root.find("{http://www.w3.org/2000/svg}svg")
    assert inner is not None and inner.get("role") == "img"
    desc = inner.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and desc.text == "1 réponse(s). A & B : 1 (100,0 %); C : 0 (0,0 %)"
    assert "<script>" not in svg


def test_csv_cells_are_formula_safe() -> None:
    questions = rules.parse_questions(
        [{"kind": "text", "label": "=SUM(A1)"}, {"kind": "multiple", "label": "x", "options": ["a", "b"]}]
    )
    assert rules.csv_header(questions, identified=False) == ["'=SUM(A1)", "x"]
    assert rules.csv_row(questions, {"q1": "=HYPERLINK(1)", "q2": ["a", "b"]}, ["c1", "76540"]) == [
        "c1",
        "76540",
        "'=HYPERLINK(1)",
        "a | b",
    ]


def test_a_plain_form_gives_the_answer_shape() -> None:
    form = {
        "q1": ["Oui"],
        "usages": ["Vélo", "Bus"],
        "q3": ["4"],
        "q4": [""],
        "q5.0": ["2"],
        "q5.1": ["1"],
        "q5.2": ["3"],
    }
    raw = rules.answers_from_form(QUESTIONS, form)
    assert rules.validate_answer(QUESTIONS, raw) == {
        "q1": "Oui",
        "usages": ["Vélo", "Bus"],
        "q3": 4,
        "q5": ["École", "Parc", "Voirie"],
    }
    assert "q5" not in rules.answers_from_form(QUESTIONS, {"q1": ["Oui"]})
    bad = rules.answers_from_form(QUESTIONS, {"q1": ["Oui"], "q5.0": ["1"], "q5.1": ["1"]})
    with pytest.raises(rules.ConsultationError) as err:
        rules.validate_answer(QUESTIONS, bad)
    assert [e["field"] for e in err.value.errors] == ["q5"]


def test_a_segment_condition_on_who_answered() -> None:
    from chalicelib.domain import segments

    node = segments.parse({"consultation": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "answered": False})
    assert segments.needs(node) == {"consultations"}
    today = datetime(2026, 12, 5, tzinfo=UTC).date()
    answered = segments.Facts(
        contact={"kind": "person"},
        tenant_kind="political",
        today=today,
        answered_consultations=frozenset({"01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
    )
    silent = segments.Facts(contact={"kind": "person"}, tenant_kind="political", today=today)
    assert not segments.matches(node, answered) and segments.matches(node, silent)
    assert segments.matches(segments.parse({"consultation": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}), answered)
    with pytest.raises(segments.SegmentError) as err:
        segments.parse({"consultation": "../x", "answered": "non"})
    assert [e["field"] for e in err.value.errors] == ["filter.consultation"]
