"""Printable protocol sheets: the PDFs say what the JSON says, in the same order, in French typography."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.api.test_protocol_api import CEREMONY, ROUEN, holder
from tests.support.responses import ok
from tests.support.world import World

PDF = "application/pdf"


def pdf_post(world: World, path: str, body: dict[str, Any], role: str = "admin") -> PdfReader:
    headers = {**world.headers(role=role), "Accept": PDF}
    response = world.request("POST", path, body, headers=headers)
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == PDF
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.body[:5] == b"%PDF-"
    return PdfReader(io.BytesIO(response.body))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with every kind of space as one ordinary space (pypdf keeps U+202F and U+00A0)."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def people(world: World) -> dict[str, str]:
    return {
        "prefete": holder(
            world, "Beaulieu", "Mme", {"function": "prefet", "territory": {"kind": "departement", "code": "76"}}
        ),
        "maire": holder(
            world, "Lefèvre", "Mme", {"function": "maire", "territory": ROUEN, "start": "2020-07-03"}, first_name="Anne"
        ),
        "adjoint": holder(world, "N'Diaye", "Mme", {"function": "adjoint_maire", "territory": ROUEN}),
        "citoyen": holder(world, "Dupont", "M", first_name="Jean"),
    }


def body(people: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "contact_ids": [people["citoyen"], people["adjoint"], people["maire"], people["prefete"]],
        "ceremony": {**CEREMONY, "name": "Cérémonie des vœux"},
        **extra,
    }


def test_precedence_sheet_lists_the_json_order_with_titles_and_reasons(world, people):
    order = ok(world.post("/protocol/precedence", body(people)))["order"]
    reader = pdf_post(world, "/protocol/precedence", body(people))
    text = flat(text_of(reader))
    assert "Ordre de préséance" in text and "Cérémonie des vœux" in text
    assert "vendredi 15 janvier 2027" in text and "Seine-Maritime" in text
    positions = [text.index(flat(x["title"])) for x in order if x["function"]]
    assert positions == sorted(positions), "the sheet keeps the order of precedence"
    assert "Article 3" in text and "décret n° 89-655" in text
    assert reader.metadata.title == "Ordre de préséance"


def test_the_font_renders_french_typography_including_narrow_no_break_spaces(world, people):
    raw = text_of(pdf_post(world, "/protocol/seating", body(people, layout={"kind": "row", "seats_per_row": 5})))
    assert "personnes assises\u202f; les sièges" in raw, "a narrow no-break space before the semicolon"
    assert "Cérémonie des vœux" in raw and "Lefèvre" in raw  # accents and the œ ligature are in the embedded font


def test_speaking_order_sheet_puts_the_highest_authority_last(world, people):
    reader = pdf_post(world, "/protocol/speaking-order", body(people, welcome_contact_id=people["maire"]))
    text = flat(text_of(reader))
    order = ok(world.post("/protocol/speaking-order", body(people, welcome_contact_id=people["maire"])))["order"]
    assert order[-1]["contact_id"] == people["prefete"]
    assert "Ordre des prises de parole" in text and "article 19" in text
    assert text.index("Mme Anne Lefèvre") < text.index("Mme Beaulieu")


@pytest.mark.parametrize("kind", ["row", "two_blocks", "table_francaise"])
def test_seating_sheet_draws_every_seat_and_lists_the_places(world, people, kind):
    request = body(people, layout={"kind": kind, "seats_per_row": 3})
    seats = ok(world.post("/protocol/seating", request))["seats"]
    reader = pdf_post(world, "/protocol/seating", request)
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height, "A4 landscape"
    text = flat(text_of(reader))
    for n, seat in enumerate(seats, start=1):
        assert f"n° {n} · siège {seat['seat']}" in text
    assert "Plan de placement" in text and "Mme Beaulieu" in text


def test_place_cards_two_per_sheet_name_on_both_faces(world, people):
    reader = pdf_post(world, "/protocol/place-cards", body(people))
    assert len(reader.pages) == 2  # four people, two cards per A4 sheet
    first = flat(reader.pages[0].extract_text())
    assert first.count("Mme Beaulieu") == 2, "the name on both faces of the folded card"
    assert "Préfète" in first


def test_place_cards_exist_only_as_pdf(world, people):
    response = world.post("/protocol/place-cards", body(people))
    assert response.status_code == 406
    assert response.json_body["error"]["code"] == "not_acceptable"


def test_sheets_check_input_like_the_json_routes(world, people):
    headers = {**world.headers(), "Accept": PDF}
    unknown = body(people)
    unknown["contact_ids"] = ["01J00000000000000000000000"]
    response = world.request("POST", "/protocol/precedence", unknown, headers=headers)
    assert response.status_code == 404 and response.headers["Content-Type"] == "application/json"
    bad = world.request("POST", "/protocol/seating", body(people, layout={"kind": "row"}), headers=headers)
    assert bad.status_code == 422
    assert any(d["field"] == "layout.seats_per_row" for d in bad.json_body["error"]["details"])


def test_a_reader_may_print_sheets(world, people):
    pdf_post(world, "/protocol/place-cards", body(people), role="lecteur")
