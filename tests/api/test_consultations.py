"""Consultations: writing them (communication, cabinet, admin), their results in JSON, CSV and SVG."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.store import consultations as store
from chalicelib.store.entities import ConsultationResponse
from tests.api.test_electoral_compliance import PARTISAN, needs_window, next_january
from tests.support.responses import error_of, ok
from tests.support.world import World

QUESTIONS = [
    {"kind": "single", "label": "Êtes-vous favorable au projet ?", "options": ["Oui", "Non"], "required": True},
    {"kind": "multiple", "label": "Vos usages", "options": ["Vélo", "Marche", "Bus"]},
    {"kind": "scale", "label": "Note du quartier"},
    {"kind": "text", "label": "Remarques"},
    {"kind": "ranking", "label": "Priorités", "options": ["Parc", "École", "Voirie"]},
]


def when(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def consultation(world: World, role: str = "communication", **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Réaménagement de la place du Marché",
        "introduction": "Donnez votre avis.",
        "questions": QUESTIONS,
        "opens_at": when(-1),
        "closes_at": when(14),
        "audience": "public",
        **fields,
    }
    return dict(ok(world.post("/consultations", body, role=role), 201))


def test_a_consultation_is_created_read_listed_and_changed(world: World) -> None:
    made = consultation(world, opens_at=when(2))
    assert made["state"] == "scheduled" and made["anonymous"] is True and made["version"] == 1
    assert [q["id"] for q in made["questions"]] == ["q1", "q2", "q3", "q4", "q5"]
    assert "/public/consultations/consult." in made["public_url"]
    assert ok(world.get(f"/consultations/{made['id']}", role="cabinet")) == made
    assert [c["id"] for c in ok(world.get("/consultations"))["items"]] == [made["id"]]
    changed = ok(
        world.patch(
            f"/consultations/{made['id']}",
            {"version": 1, "title": "Place du Marché", "questions": QUESTIONS[:1]},
        )
    )
    assert changed["title"] == "Place du Marché" and len(changed["questions"]) == 1 and changed["version"] == 2
    assert store.get("t-ville", made["id"]).doc["title"] == "Place du Marché"  # type: ignore[union-attr]
    error_of(world.patch(f"/consultations/{made['id']}", {"version": 1, "title": "Vieux"}), 409, "conflict")


def test_questions_are_fixed_once_open(world: World) -> None:
    made = consultation(world)
    assert made["state"] == "open"
    error_of(world.patch(f"/consultations/{made['id']}", {"version": 1, "questions": QUESTIONS[:1]}), 409, "conflict")
    later = ok(world.patch(f"/consultations/{made['id']}", {"version": 1, "closes_at": when(30)}))
    assert later["closes_at"] > made["closes_at"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"questions": [{"kind": "single", "label": "x", "options": ["Oui"]}]}, "questions[0].options"),
        ({"closes_at": when(-2)}, "closes_at"),
        ({"audience": "segment", "segment_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "segment_id"),
    ],
)
def test_bad_consultations_are_refused_field_by_field(world: World, fields: dict[str, Any], field: str) -> None:
    body = {"title": "T", "questions": QUESTIONS, "opens_at": when(-1), "closes_at": when(3), "audience": "public"}
    error = error_of(world.post("/consultations", {**body, **fields}), 422, "validation_error")
    assert field in [d["field"] for d in error["details"]], error
    assert ok(world.get("/consultations"))["items"] == []


@pytest.mark.parametrize("role", ["protocole", "lecteur"])
def test_other_roles_may_not_write_or_read_consultations(world: World, role: str) -> None:
    made = consultation(world)
    error_of(world.get("/consultations", role=role), 403, "forbidden")
    error_of(world.get(f"/consultations/{made['id']}/results", role=role), 403, "forbidden")
    body = {"title": "T", "questions": QUESTIONS, "opens_at": when(-1), "closes_at": when(3), "audience": "public"}
    error_of(world.post("/consultations", body, role=role), 403, "forbidden")


def _seed(consultation_id: str, answers: list[dict[str, Any]], groups: list[str | None] | None = None) -> None:
    for n, a in enumerate(answers):
        store.put_response(
            ConsultationResponse(
                tenant_id="t-ville",
                consultation_id=consultation_id,
                response_id=f"r{n}",
                answers=a,
                contact_id=f"c{n}" if groups else None,
                group=groups[n] if groups else None,
            )
        )


ANSWERS = [
    {"q1": "Oui", "q2": ["Vélo", "Bus"], "q3": 5, "q4": "=cmd|' /C calc'!A0", "q5": ["Parc", "École", "Voirie"]},
    {"q1": "Oui", "q2": ["Vélo"], "q3": 3},
    {"q1": "Non", "q3": 4},
]


def test_results_give_counts_percentages_and_free_texts(world: World) -> None:
    made = consultation(world)
    _seed(made["id"], ANSWERS)
    results = ok(world.get(f"/consultations/{made['id']}/results"))
    assert results["respondents"] == 3 and results["breakdown"] is None
    q1, q2, q3, q4, _ = results["questions"]
    assert [(o["label"], o["count"], o["percent"]) for o in q1["options"]] == [("Oui", 2, 66.7), ("Non", 1, 33.3)]
    assert [(o["count"], o["percent"]) for o in q2["options"]] == [(2, 100.0), (0, 0.0), (1, 50.0)]
    assert q3["mean"] == 4.0 and q4["texts"] == ["=cmd|' /C calc'!A0"]
    assert "une réponse par navigateur" in results["limits"]


def test_results_as_csv_are_formula_safe_and_audited(world: World) -> None:
    made = consultation(world)
    _seed(made["id"], ANSWERS)
    response = world.get(f"/consultations/{made['id']}/results", headers={**world.headers(), "Accept": "text/csv"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [q["label"] for q in QUESTIONS]
    assert sorted(r[0] for r in rows[1:]) == ["Non", "Oui", "Oui"]
    assert "'=cmd|' /C calc'!A0" in [r[3] for r in rows[1:]]
    assert any('"export"' in b and "consultation_results" in b for b in world.drain_audit())


def test_results_as_an_accessible_svg_chart(world: World) -> None:
    made = consultation(world)
    _seed(made["id"], ANSWERS)
    response = world.get(f"/consultations/{made['id']}/results", headers={**world.headers(), "Accept": "image/svg+xml"})
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.body)
    charts = root.findall("{http://www.w3.org/2000/svg}svg")
    assert len(charts) == 4  # every question with options; the free text has none
    desc = charts[0].find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and desc.text == "3 réponse(s). Oui : 2 (66,7 %); Non : 1 (33,3 %)"


def test_identified_results_are_broken_down_by_commune(world: World) -> None:
    segment = ok(world.post("/segments", {"name": "Tous", "filter": {"kind": "person"}, "shared": True}), 201)
    made = consultation(world, audience="segment", segment_id=segment["id"], anonymous=False)
    assert made["public_url"] is None
    _seed(made["id"], ANSWERS, ["Rouen (76540)", "Rouen (76540)", "Darnétal (76212)"])
    results = ok(world.get(f"/consultations/{made['id']}/results"))
    by = {g["group"]: g["questions"][0]["options"][0]["count"] for g in results["breakdown"]}
    assert by == {"Darnétal (76212)": 0, "Rouen (76540)": 2}
    response = world.get(f"/consultations/{made['id']}/results", headers={**world.headers(), "Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["contact_id", "groupe"]


@needs_window
def test_an_institutions_consultation_in_a_window_has_its_texts_assessed(world: World) -> None:
    january = next_january()
    opens = datetime(january.year, january.month, january.day, 9, tzinfo=UTC)
    made = consultation(
        world,
        introduction=PARTISAN,
        opens_at=opens.isoformat(),
        closes_at=(opens + timedelta(days=10)).isoformat(),
    )
    assessed = made["compliance"]
    assert assessed["applies"] is True and assessed["level"] == "blocking"
    assert [f["rule"] for f in assessed["findings"]] == ["neutralite"]
    neutral = ok(world.patch(f"/consultations/{made['id']}", {"version": 1, "introduction": "Donnez votre avis."}))
    assert neutral["compliance"]["level"] == "ok"
    liste = {k: v for k, v in made.items() if k in ("title", "questions", "opens_at", "closes_at", "audience")}
    political = ok(world.post("/consultations", {**liste, "introduction": PARTISAN}, tenant="liste"), 201)
    assert political["compliance"] is None  # L52-1 restricts the collectivities' communication only
