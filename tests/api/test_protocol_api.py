"""Precedence, speaking order, seating and the function catalogue through the API (décret 89-655)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.support.responses import ok
from tests.support.world import World


def holder(world: World, last: str, civility: str, *mandates: dict[str, Any], **fields: Any) -> str:
    c = ok(world.post("/contacts", {"kind": "person", "last_name": last, "civility": civility, **fields}), 201)
    for m in mandates:
        world.mandate(c["id"], m)
    return c["id"]


ROUEN = {"kind": "commune", "code": "76540", "name": "Rouen"}
CEREMONY = {"departement": "76", "commune_insee": "76540", "date": "2027-01-15"}


@pytest.fixture
def cast(world):
    return {
        "prefete": holder(
            world, "Beaulieu", "Mme", {"function": "prefet", "territory": {"kind": "departement", "code": "76"}}
        ),
        "maire": holder(world, "Lefèvre", "Mme", {"function": "maire", "territory": ROUEN, "start": "2020-07-03"}),
        "depute_maire": holder(
            world,
            "Hérault",
            "M",
            {
                "function": "depute",
                "territory": {"kind": "circonscription", "code": "7602"},
                "first_elected_on": "2017-06-18",
            },
            {"function": "maire", "territory": {"kind": "commune", "code": "76451", "name": "Mont-Saint-Aignan"}},
        ),
        "adjoint": holder(world, "N'Diaye", "Mme", {"function": "adjoint_maire", "territory": ROUEN}),
        "citoyen": holder(world, "Dupont", "M"),
    }


def test_precedence_applies_the_decree_and_explains_each_place(world, cast):
    body = {
        "contact_ids": [cast["citoyen"], cast["adjoint"], cast["maire"], cast["depute_maire"], cast["prefete"]],
        "ceremony": CEREMONY,
    }
    order = ok(world.post("/protocol/precedence", body))["order"]
    assert [x["contact_id"] for x in order] == [
        cast["prefete"],
        cast["depute_maire"],
        cast["maire"],
        cast["adjoint"],
        cast["citoyen"],
    ]
    assert [x["rank"] for x in order] == [1, 2, 3, 4, 5]
    assert order[0]["function"] == "prefet" and order[0]["title"].startswith("Madame la Préfète")
    assert order[1]["function"] == "depute"  # the national mandate prevails over the maire of another commune
    assert order[2]["category_rank"] == 7 and "Article 3" in order[2]["reason"]
    assert order[4]["function"] is None and "article 18" in order[4]["reason"]


def test_the_inviting_authority_comes_second_and_an_adjoint_represents_the_maire(world, cast):
    absent_maire = cast["maire"]
    body = {
        "contact_ids": [cast["depute_maire"], cast["adjoint"], cast["prefete"]],
        "ceremony": {**CEREMONY, "inviting_contact_id": cast["adjoint"]},
        "representations": [
            {"contact_id": cast["adjoint"], "represents_contact_id": absent_maire, "capacity": "adjoint"}
        ],
    }
    order = ok(world.post("/protocol/precedence", body))["order"]
    assert [x["contact_id"] for x in order] == [cast["prefete"], cast["adjoint"], cast["depute_maire"]]
    assert "représentant" in order[1]["title"]


def test_the_prefet_representative_takes_the_state_place_and_a_dignitary_ranks(world, cast):
    """art13-usage + art9: same request shape (capacity "other"); art3-11: the dignity comes from the contact."""
    sous_prefet = holder(
        world, "Morel", "M", {"function": "sous_prefet", "territory": {"kind": "arrondissement", "code": "761"}}
    )
    dignitaire = holder(
        world,
        "Aubrac",
        "Mme",
        {"function": "conseiller_municipal", "territory": ROUEN},
        distinctions=[{"order": "legion_honneur", "grade": "grand_officier"}],
    )
    body = {
        "contact_ids": [cast["adjoint"], dignitaire, cast["depute_maire"], cast["maire"], sous_prefet],
        "ceremony": {**CEREMONY, "arrondissement": "763", "inviting_contact_id": cast["maire"]},
        "representations": [{"contact_id": sous_prefet, "represents_contact_id": cast["prefete"], "capacity": "other"}],
    }
    order = ok(world.post("/protocol/precedence", body))["order"]
    assert [x["contact_id"] for x in order] == [
        sous_prefet,
        cast["maire"],
        cast["depute_maire"],
        dignitaire,
        cast["adjoint"],
    ]
    assert order[0]["title"] == "Monsieur le Sous-Préfet, représentant Madame la Préfète de la Seine-Maritime"
    assert (order[0]["category_rank"], order[0]["function"]) == (1, "sous_prefet")
    assert "corps préfectoral" in order[0]["reason"] and order[1]["reason"].startswith("Article 9")
    assert (order[3]["category_rank"], order[3]["function"]) == (11, None)
    assert order[3]["title"].endswith("Grand officier de la Légion d'honneur")


def test_a_departmental_chef_de_service_is_recorded_with_his_departement(world):
    chef = holder(world, "Petit", "M")
    ddtm = {"function": "chef_service_deconcentre", "title": "Directeur départemental des territoires et de la mer"}
    world.mandate(chef, {**ddtm, "territory": {"kind": "departement", "code": "76"}})
    world.mandate(chef, {**ddtm, "territory": {"kind": "region", "code": "28"}})
    wrong = world.post(f"/contacts/{chef}/mandates", {**ddtm, "territory": ROUEN})
    assert wrong.status_code == 422
    assert wrong.json_body["error"]["details"][0]["message"].endswith("« region » ou « departement ».")


def test_speaking_order_is_reversed_with_the_welcome_speech_first(world, cast):
    body = {
        "contact_ids": [cast["maire"], cast["prefete"], cast["citoyen"]],
        "ceremony": CEREMONY,
        "welcome_contact_id": cast["citoyen"],
    }
    order = ok(world.post("/protocol/speaking-order", body))["order"]
    assert [x["contact_id"] for x in order] == [cast["citoyen"], cast["maire"], cast["prefete"]]
    assert [x["rank"] for x in order] == [1, 2, 3]


def test_seating_places_the_highest_at_the_centre_and_draws_an_svg(world, cast):
    body = {
        "contact_ids": [cast["maire"], cast["prefete"], cast["depute_maire"]],
        "ceremony": CEREMONY,
        "layout": {"kind": "row", "seats_per_row": 3},
    }
    plan = ok(world.post("/protocol/seating", body))
    seats = {s["contact_id"]: (s["row"], s["seat"], s["side"]) for s in plan["seats"]}
    assert seats[cast["prefete"]] == (1, 2, "centre")
    assert {seats[cast["depute_maire"]][2], seats[cast["maire"]][2]} == {"right", "left"}
    root = ET.fromstring(plan["svg"])
    assert root.tag.endswith("svg") and "Beaulieu" in plan["svg"]
    bad_host = world.post(
        "/protocol/seating",
        {**body, "layout": {"kind": "table_francaise", "seats_per_row": 4, "host_contact_id": cast["citoyen"]}},
    )
    assert bad_host.status_code == 422 and bad_host.json_body["error"]["details"][0]["field"] == "layout"


def test_protocol_requests_validate_and_stay_inside_the_tenant(world, cast):
    unknown = world.post("/protocol/precedence", {"contact_ids": ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], "ceremony": CEREMONY})
    assert unknown.status_code == 404
    other_tenant = world.post(
        "/protocol/precedence", {"contact_ids": [cast["maire"]], "ceremony": CEREMONY}, tenant="liste"
    )
    assert other_tenant.status_code == 404
    bad = world.post("/protocol/precedence", {"contact_ids": [], "ceremony": {"departement": "20", "date": "x"}})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json_body["error"]["details"]} == {
        "contact_ids",
        "ceremony.departement",
        "ceremony.date",
    }
    not_listed = world.post(
        "/protocol/precedence",
        {"contact_ids": [cast["maire"]], "ceremony": {**CEREMONY, "inviting_contact_id": cast["adjoint"]}},
    )
    assert not_listed.status_code == 422
    assert (
        ok(world.post("/protocol/precedence", {"contact_ids": [cast["maire"]], "ceremony": CEREMONY}, role="lecteur"))[
            "order"
        ][0]["contact_id"]
        == cast["maire"]
    )


def test_function_catalogue_lists_ranks_titles_and_sources(world):
    catalogue = {f["code"]: f for f in ok(world.get("/protocol/functions"))["items"]}
    for code in (
        "president_republique",
        "prefet",
        "sous_prefet",
        "depute",
        "senateur",
        "maire",
        "president_epci",
        "adjoint_maire",
        "conseiller_municipal",
        "recteur",
        "general",
        "ambassadeur",
        "autre",
    ):
        assert code in catalogue
    assert catalogue["maire"]["rank_departement"] == 7
    assert catalogue["prefet"]["title_f"] == "Préfète"
    assert catalogue["maire"]["rank_departement"] < catalogue["president_epci"]["rank_departement"] < 8
    assert all(f["source"] for f in catalogue.values())


def test_address_forms_follow_function_gender_override_and_sender(world, cast):
    forms = ok(world.get(f"/contacts/{cast['prefete']}/address-forms"))
    assert forms["appel"] == "Madame la Préfète,"
    # The sender defaults to the tenant's signatory: the maire, writing to the State's representative.
    assert forms["closing"] == "Je vous prie d'agréer, Madame la Préfète, l'expression de ma haute considération."
    assert forms["address_block"][0] == "Madame la Préfète de la Seine-Maritime"
    assert forms["envelope"]

    to_equal = ok(world.get(f"/contacts/{cast['maire']}/address-forms?sender_function=maire"))
    assert to_equal["appel"] == "Madame la Maire,"
    maire = ok(world.get(f"/contacts/{cast['maire']}"))["contact"]
    ok(world.patch(f"/contacts/{cast['maire']}", {"version": maire["version"], "address_form": "traditional"}))
    assert ok(world.get(f"/contacts/{cast['maire']}/address-forms"))["appel"] == "Madame le Maire,"

    plain = ok(world.get(f"/contacts/{cast['citoyen']}/address-forms"))
    assert plain["appel"] == "Monsieur,"
    bad = world.get(f"/contacts/{cast['citoyen']}/address-forms?sender_function=roi")
    assert bad.status_code == 422 and bad.json_body["error"]["details"][0]["field"] == "sender_function"
    assert world.get(f"/contacts/{cast['prefete']}/address-forms", tenant="liste").status_code == 404


def test_address_forms_of_a_former_minister_and_of_the_maire_du_havre(world):
    """usage (the office's appel for life ❓) from an ended mandate; the commune's article from the COG TNCC table."""
    ancien = holder(world, "Durand", "M", {"function": "ministre", "start": "2017-05-17", "end": "2020-07-03"})
    forms = ok(world.get(f"/contacts/{ancien}/address-forms"))
    assert forms["appel"] == "Monsieur le Ministre,"
    assert forms["address_block"] == ["Monsieur Durand, Ancien ministre"]
    havre = {"kind": "commune", "code": "76351", "name": "Le Havre"}
    maire = holder(world, "Phare", "Mme", {"function": "maire", "territory": havre})
    assert ok(world.get(f"/contacts/{maire}/address-forms"))["address_block"] == ["Madame Phare, Maire du Havre"]
    body = {"contact_ids": [maire], "ceremony": {**CEREMONY, "commune_insee": "76351"}}
    assert ok(world.post("/protocol/precedence", body))["order"][0]["title"] == "Madame la Maire du Havre"


def test_a_partner_gives_the_joint_form(world, cast):
    prefete = ok(world.get(f"/contacts/{cast['prefete']}"))["contact"]
    spouse = ok(
        world.post("/contacts", {"kind": "person", "civility": "M", "first_name": "Claude", "last_name": "Martin"}), 201
    )
    ok(world.patch(f"/contacts/{cast['prefete']}", {"version": prefete["version"], "partner_contact_id": spouse["id"]}))
    forms = ok(world.get(f"/contacts/{cast['prefete']}/address-forms"))
    assert forms["appel"].startswith("Madame la Préfète, Monsieur")
    assert "Claude Martin" in " ".join(forms["address_block"])
