"""/candidacies and /donations: political tenants only (403 for an institution), roles admin and cabinet; L52-8
refusals as 422 citing the article; the donor cap over every candidacy of one election; party contributions apart;
receipt numbers unique per candidacy and the reçu-don PDF; the ledger, its CSV, cancellation."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pypdf import PdfReader

from chalicelib.store import tenants
from tests.support.faults import Fault, injected, transaction_conflict
from tests.support.responses import error_of, ok
from tests.support.world import World

PRESIDENTIELLE = "presidentielle-2027"  # financing period: 2026-04-01 (one year) to 2027-06-25 (L52-12 deadline)
DAY = "2026-11-15"
UNKNOWN = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def post(world: World, path: str, body: Any, **kw: Any) -> Any:
    return world.post(path, body, tenant=kw.pop("tenant", "liste"), **kw)


def contact(world: World, **doc: Any) -> str:
    return str(ok(post(world, "/contacts", doc), 201)["id"])


@pytest.fixture
def liste(world: World) -> dict[str, str]:
    ids = {
        "candidate": contact(world, kind="person", civility="Mme", first_name="Claire", last_name="Dupont"),
        "mandataire": contact(
            world,
            kind="organisation",
            organisation_name="Association de financement de Claire Dupont",
            address={"lines": ["3 place du Marché"], "postcode": "76000", "city": "Rouen"},
        ),
        "donor": contact(
            world,
            kind="person",
            civility="M",
            first_name="Paul",
            last_name="Martin",
            nationality="FR",
            address={"lines": ["12 rue Jeanne-d'Arc"], "postcode": "76000", "city": "Rouen"},
        ),
        "foreigner": contact(world, kind="person", last_name="Janssens", nationality="BE"),
        "company": contact(world, kind="organisation", organisation_name="Bâtiment SA"),
        "party": contact(world, kind="organisation", organisation_name="Parti exemple", is_political_party=True),
    }
    ids["candidacy"] = candidacy(world, ids, ceiling_cents=1_500_000)
    return ids


def candidacy(world: World, ids: dict[str, str], **extra: Any) -> str:
    body = {
        "election_id": PRESIDENTIELLE,
        "candidate_contact_id": ids["candidate"],
        "mandataire_contact_id": ids["mandataire"],
        "ceiling_cents": 1_500_000,
        **extra,
    }
    return str(ok(post(world, "/candidacies", body), 201)["id"])


def gift(world: World, ids: dict[str, str], amount: int, **extra: Any) -> Any:
    body = {
        "candidacy_id": ids["candidacy"],
        "donor_contact_id": ids["donor"],
        "amount_cents": amount,
        "date": DAY,
        "method": "cheque",
        **extra,
    }
    return post(world, "/donations", body)


def receipt_pdf(world: World, donation_id: str) -> Any:
    """GET a gift's reçu-don, asked for by name as a PDF: the response."""
    headers = {**world.headers("liste"), "Accept": "application/pdf"}
    return world.request("GET", f"/donations/{donation_id}/receipt", tenant="liste", headers=headers)


def refusal(response: Any, field: str, rule: str) -> dict[str, Any]:
    assert response.status_code == 422, response.body
    error = response.json_body["error"]
    [detail] = [d for d in error["details"] if d["key"].endswith(f"#{rule}")]
    assert detail["field"] == field
    assert "du Code électoral" in detail["message"] and "du Code électoral" in detail["key"]
    return detail


def test_candidacy_has_its_financing_period(world: World, liste: dict[str, str]) -> None:
    shown = ok(world.get(f"/candidacies/{liste['candidacy']}", tenant="liste"))
    # loi n° 62-1292 art. 3: one year before April 2027; L52-12 II: tenth Friday after 18 April 2027
    assert shown["financing_period"] == {"start": "2026-04-01", "end": "2027-06-25"}
    listed = ok(world.get("/candidacies", tenant="liste"))["items"]
    assert [c["id"] for c in listed] == [liste["candidacy"]]


def test_municipal_candidacy_needs_the_population_and_under_9000_has_no_period(
    world: World, liste: dict[str, str]
) -> None:
    body = {
        "election_id": "municipales-2032",
        "candidate_contact_id": liste["candidate"],
        "mandataire_contact_id": liste["mandataire"],
        "ceiling_cents": 500_000,
    }
    missing = post(world, "/candidacies", body)
    assert missing.status_code == 422
    assert missing.json_body["error"]["details"][0]["field"] == "commune_population"
    small = ok(post(world, "/candidacies", {**body, "commune_population": 8_999}), 201)
    assert small["financing_period"] is None
    large = ok(post(world, "/candidacies", {**body, "commune_population": 9_000}), 201)
    assert large["financing_period"]["start"] == "2031-09-01"
    # No period check under 9 000 inhabitants (L52-4 does not apply): a gift years ahead is recorded.
    early = {**liste, "candidacy": small["id"]}
    assert ok(gift(world, early, 10_000, date="2026-11-15"), 201)["status"] == "recorded"
    late = gift(world, {**liste, "candidacy": large["id"]}, 10_000, date="2026-11-15")
    refusal(late, "date", "financing_period")


def test_candidacy_refuses_unknown_election_and_contacts(world: World, liste: dict[str, str]) -> None:
    base = {
        "election_id": PRESIDENTIELLE,
        "candidate_contact_id": liste["candidate"],
        "mandataire_contact_id": liste["mandataire"],
        "ceiling_cents": 1_000,
    }
    for change, field in (
        ({"election_id": "presidentielle-2099"}, "election_id"),
        ({"candidate_contact_id": UNKNOWN}, "candidate_contact_id"),
        ({"candidate_contact_id": liste["company"]}, "candidate_contact_id"),
        ({"mandataire_contact_id": UNKNOWN}, "mandataire_contact_id"),
    ):
        response = post(world, "/candidacies", {**base, **change})
        assert response.status_code == 422, change
        assert response.json_body["error"]["details"][0]["field"] == field


def test_patch_candidacy_with_version(world: World, liste: dict[str, str]) -> None:
    path = f"/candidacies/{liste['candidacy']}"
    changed = ok(world.patch(path, {"version": 1, "account_filed_on": "2027-06-01"}, tenant="liste"))
    assert changed["financing_period"]["end"] == "2027-06-01" and changed["version"] == 2
    stale = world.patch(path, {"version": 1, "ceiling_cents": 2}, tenant="liste")
    assert stale.status_code == 409
    assert ok(world.get(path, tenant="liste"))["ceiling_cents"] == 1_500_000


def test_donor_cap_over_every_candidacy_of_the_election(world: World, liste: dict[str, str]) -> None:
    other = {**liste, "candidacy": candidacy(world, liste)}  # a second candidate of the same election
    assert ok(gift(world, liste, 300_000), 201)["kind"] == "don"
    # Two gifts of 3 000 € by one donor: the second passes the 4 600 € cap, whichever candidacy it goes to.
    detail = refusal(gift(world, other, 300_000), "amount_cents", "donor_cap")
    assert "4\u202f600 €" in detail["message"] and "3\u202f000 €" in detail["message"]
    assert ok(gift(world, other, 160_000), 201)  # exactly at the cap
    refusal(gift(world, other, 1), "amount_cents", "donor_cap")  # one cent over


def test_cash_rules(world: World, liste: dict[str, str]) -> None:
    assert ok(gift(world, liste, 15_000, method="especes"), 201)  # 150 € in cash: lawful
    refusal(gift(world, liste, 15_001, method="especes"), "method", "cash_gift")
    assert ok(gift(world, liste, 15_001, method="virement"), 201)
    # 20 % of a 15 000 € ceiling: 3 000 € in cash in all, from several donors.
    for n in range(19):
        donor = contact(world, kind="person", last_name=f"Donateur{n}", nationality="FR")
        assert ok(gift(world, {**liste, "donor": donor}, 15_000, method="especes"), 201)
    refusal(gift(world, liste, 1, method="especes"), "method", "cash_share")


def test_who_may_give(world: World, liste: dict[str, str]) -> None:
    refusal(gift(world, {**liste, "donor": liste["company"]}, 10_000), "donor_contact_id", "legal_person")
    refusal(gift(world, {**liste, "donor": liste["foreigner"]}, 10_000), "donor_attestation", "nationality_residence")
    attested = ok(gift(world, {**liste, "donor": liste["foreigner"]}, 10_000, donor_attestation=True), 201)
    assert attested["donor_attestation"] is True
    refusal(gift(world, liste, 10_000, date="2026-03-31"), "date", "financing_period")
    assert ok(gift(world, liste, 10_000, date="2026-04-01"), 201)


def test_party_contribution_recorded_apart(world: World, liste: dict[str, str]) -> None:
    party = {**liste, "donor": liste["party"]}
    no_receipt = post(
        world,
        "/donations",
        {
            "candidacy_id": liste["candidacy"],
            "donor_contact_id": liste["party"],
            "amount_cents": 1_000_000,
            "date": DAY,
            "method": "virement",
            "receipt_number": "P-1",
        },
    )
    assert no_receipt.status_code == 422
    recorded = ok(gift(world, party, 1_000_000, method="virement"), 201)  # over 4 600 €: no cap
    assert recorded["kind"] == "party_contribution"
    ledger = ok(world.get(f"/donations/ledger?candidacy_id={liste['candidacy']}", tenant="liste"))
    assert (ledger["dons_cents"], ledger["party_contributions_cents"], ledger["donors"]) == (0, 1_000_000, [])
    assert receipt_pdf(world, recorded["id"]).status_code == 409


def test_person_cannot_be_a_party(world: World) -> None:
    response = post(world, "/contacts", {"kind": "person", "last_name": "Parti", "is_political_party": True})
    assert response.status_code == 422
    assert response.json_body["error"]["details"][0]["field"] == "is_political_party"


def test_receipt_numbers_unique_per_candidacy_and_the_pdf(world: World, liste: dict[str, str]) -> None:
    first = ok(gift(world, liste, 460_000, receipt_number="CNCCFP-000123"), 201)
    donor2 = contact(world, kind="person", last_name="Bernard", nationality="FR")
    taken = gift(world, {**liste, "donor": donor2}, 1_000, receipt_number="CNCCFP-000123")
    assert taken.status_code == 409 and "CNCCFP-000123" in taken.json_body["error"]["message"]
    other = {**liste, "donor": donor2, "candidacy": candidacy(world, liste)}
    assert ok(gift(world, other, 1_000, receipt_number="CNCCFP-000123"), 201)

    assert world.get(f"/donations/{first['id']}/receipt", tenant="liste").status_code == 406  # a PDF only, by name
    pdf = receipt_pdf(world, first["id"])
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text().split())
    for expected in (
        "CNCCFP-000123",
        "quatre mille six cents euros",
        "M. Paul Martin",
        "Association de financement de Claire Dupont",
        "Mme Claire Dupont",
        "15 novembre 2026",
        "chèque",
        "article 200 du Code général des impôts",
    ):
        assert expected in text, expected
    no_number = ok(gift(world, {**liste, "donor": donor2}, 1_000), 201)
    assert receipt_pdf(world, no_number["id"]).status_code == 409


def test_ledger_totals_csv_and_cancel(world: World, liste: dict[str, str]) -> None:
    sneaky = contact(world, kind="person", first_name='=HYPERLINK("x")', last_name="Durand", nationality="FR")
    a = ok(gift(world, liste, 300_000, receipt_number="R1"), 201)
    ok(gift(world, liste, 10_000, method="especes", date="2026-12-01"), 201)
    ok(gift(world, {**liste, "donor": sneaky}, 5_000, method="carte", receipt_number="R3"), 201)
    ledger_path = f"/donations/ledger?candidacy_id={liste['candidacy']}"
    ledger = ok(world.get(ledger_path, tenant="liste"))
    assert ledger["dons_cents"] == 315_000
    assert ledger["by_method"] == {
        "cheque": 300_000,
        "especes": 10_000,
        "carte": 5_000,
        "virement": 0,
        "prelevement": 0,
    }
    assert ledger["by_month"] == {"2026-11": 305_000, "2026-12": 10_000}
    by_donor = {d["donor_contact_id"]: d for d in ledger["donors"]}
    assert by_donor[liste["donor"]]["total_cents"] == 310_000
    assert by_donor[liste["donor"]]["receipt_numbers"] == ["R1"]

    # Cancel: the gift stays, cancelled; its amount leaves the totals, so the donor may give again.
    refusal(gift(world, liste, 200_000), "amount_cents", "donor_cap")
    cancelled = ok(post(world, f"/donations/{a['id']}/cancel", {"reason": "Chèque sans provision"}))
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Chèque sans provision")
    assert post(world, f"/donations/{a['id']}/cancel", {"reason": "Encore"}).status_code == 409
    assert ok(gift(world, liste, 200_000), 201)
    after = ok(world.get(ledger_path, tenant="liste"))
    assert after["dons_cents"] == 215_000 and after["cancelled_count"] == 1
    assert len(after["items"]) == 4

    response = world.request(
        "GET", ledger_path, tenant="liste", headers={**world.headers("liste"), "Accept": "text/csv"}
    )
    assert response.status_code == 200
    body = response.body.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["date", "nature", "donateur", "montant_euros", "mode", "numero_recu", "statut"]
    assert ["2026-11-15", "don", "M. Paul Martin", "3000,00", "chèque", "R1", "annulé"] in rows
    sneaky_row = next(r for r in rows if "Durand" in r[2])
    assert sneaky_row[2].startswith("'=")  # neutralised: a spreadsheet shows it as text


def test_institution_gets_403_everywhere(world: World, liste: dict[str, str]) -> None:
    routes = [
        (
            "POST",
            "/candidacies",
            {
                "election_id": PRESIDENTIELLE,
                "candidate_contact_id": UNKNOWN,
                "mandataire_contact_id": UNKNOWN,
                "ceiling_cents": 1,
            },
        ),
        ("GET", "/candidacies", None),
        ("GET", f"/candidacies/{UNKNOWN}", None),
        ("PATCH", f"/candidacies/{UNKNOWN}", {"version": 1}),
        (
            "POST",
            "/donations",
            {"candidacy_id": UNKNOWN, "donor_contact_id": UNKNOWN, "amount_cents": 1, "date": DAY, "method": "cheque"},
        ),
        ("GET", f"/donations/ledger?candidacy_id={UNKNOWN}", None),
        ("GET", f"/donations/{UNKNOWN}", None),
        ("GET", "/donations/limits", None),
        ("POST", f"/donations/{UNKNOWN}/cancel", {"reason": "Essai"}),
        ("PUT", f"/donations/{UNKNOWN}/receipt-number", {"receipt_number": "R-1"}),
        ("GET", f"/donations/{UNKNOWN}/receipt", None),
    ]
    for method, path, body in routes:
        response = world.request(method, path, body, tenant="ville", role="admin")
        assert response.status_code == 403, (method, path, response.body)
        assert "espace politique" in response.json_body["error"]["message"]
        for role in ("protocole", "communication", "lecteur"):
            refused = world.request(method, path, body, tenant="liste", role=role)
            assert refused.status_code == 403, (role, method, path)
            assert "cabinet" in refused.json_body["error"]["message"]
    cabinet = ok(world.get("/candidacies", tenant="liste", role="cabinet"))
    assert [c["id"] for c in cabinet["items"]] == [liste["candidacy"]]


def test_receipt_number_recorded_after_the_gift(world: World, liste: dict[str, str]) -> None:
    first = ok(gift(world, liste, 10_000, receipt_number="R-7"), 201)
    later = ok(gift(world, liste, 10_000), 201)
    path = f"/donations/{later['id']}/receipt-number"
    taken = world.request("PUT", path, {"receipt_number": "R-7"}, tenant="liste")
    assert taken.status_code == 409
    assert ok(world.get(f"/donations/{later['id']}", tenant="liste"))["receipt_number"] is None
    assert ok(world.request("PUT", path, {"receipt_number": "R-8"}, tenant="liste"))["receipt_number"] == "R-8"
    again = world.request("PUT", path, {"receipt_number": "R-9"}, tenant="liste")
    assert again.status_code == 409  # given once
    ok(post(world, f"/donations/{first['id']}/cancel", {"reason": "Remboursé"}))
    # The cancelled gift keeps its number: the numbered form is voided, never reused.
    reused = world.request("PUT", path, {"receipt_number": "R-7"}, tenant="liste")
    assert reused.status_code == 409
    ledger = ok(world.get(f"/donations/ledger?candidacy_id={liste['candidacy']}", tenant="liste"))
    assert [d["receipt_numbers"] for d in ledger["donors"]] == [["R-8"]]


def test_limits_shown_with_their_source(world: World) -> None:
    items = {i["name"]: i for i in ok(world.get("/donations/limits", tenant="liste"))["items"]}
    assert items["donor_cap_cents"]["value"] == 460_000
    assert items["cash_gift_max_cents"]["value"] == 15_000
    assert "L52-8" in items["donor_cap_cents"]["article"] and items["donor_cap_cents"]["to_check"]


def test_an_indexation_decree_is_recorded_as_a_setting_with_its_source(world: World, liste: dict[str, str]) -> None:
    """L52-8 dernier alinéa: the amounts are indexed by decree. An admin records the new value with the decree that
    sets it; the checks and the store's conditional cap apply it at once; the source shows with it."""
    assert gift(world, liste, 465_000).status_code == 422  # over 4 600 €
    decree = "Décret n° 2027-12 du 5 janvier 2027 portant actualisation des montants"
    body = {"values": {"donor_cap_cents": 470_000, "cash_gift_max_cents": 15_500}, "source": decree}
    assert world.put("/donations/limits", body, tenant="liste", role="cabinet").status_code == 403
    shown = {i["name"]: i for i in ok(world.put("/donations/limits", body, tenant="liste"))["items"]}
    assert shown["donor_cap_cents"]["value"] == 470_000 and shown["donor_cap_cents"]["source"] == decree
    assert shown["donor_cap_cents"]["to_check"] is None and "L52-8" in shown["donor_cap_cents"]["article"]
    assert shown["cash_share_percent"]["value"] == 20  # not given: the law's value stays
    assert ok(gift(world, liste, 465_000), 201)["amount_cents"] == 465_000
    assert gift(world, liste, 5_100).status_code == 422  # 4 650 + 51 € passes the new cap
    cash = gift(world, liste, 15_600, method="especes", donor_contact_id=contact(world, kind="person", last_name="X"))
    assert "155 €" in refusal(cash, "method", "cash_gift")["message"]  # the new cash limit


def test_a_decree_recorded_while_the_settings_change_is_recorded_with_them(
    world: World, liste: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PUT /donations/limits rewrites the settings it read: another admin's change of the settings saved in
    between (PATCH /settings) is kept, and the decree recorded too, not refused for a version the client never
    sent."""
    decree = "Décret n° 2027-12 du 5 janvier 2027 portant actualisation des montants"
    read_settings = tenants.get_settings_item

    def read_then_changed(tenant_id: str) -> Any:
        read = read_settings(tenant_id)
        monkeypatch.setattr(tenants, "get_settings_item", read_settings)
        other = read_settings(tenant_id)  # another admin's change, saved between this request's read and write
        assert other is not None
        other.data = {**other.data, "name": "Liste Rouen Demain (renommée)"}
        tenants.save_settings(other)
        return read

    monkeypatch.setattr(tenants, "get_settings_item", read_then_changed)
    body = {"values": {"donor_cap_cents": 470_000}, "source": decree}
    shown = {i["name"]: i for i in ok(world.put("/donations/limits", body, tenant="liste"))["items"]}
    assert shown["donor_cap_cents"]["value"] == 470_000
    stored = tenants.get_settings_item(world.tenants["liste"].id)
    assert stored is not None and stored.data["name"] == "Liste Rouen Demain (renommée)"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"values": {"donor_cap_cents": 0}, "source": "Décret n° 1"}, "values.donor_cap_cents"),
        ({"values": {"cash_share_percent": 101}, "source": "Décret n° 1"}, "values.cash_share_percent"),
        ({"values": {"plafond": 1}, "source": "Décret n° 1"}, "values.plafond"),
        ({"values": {"donor_cap_cents": 470_000}, "source": " "}, "source"),
        ({"values": {}, "source": "Décret n° 1"}, "values"),
    ],
)
def test_a_limit_setting_that_makes_no_sense_is_refused(
    world: World, liste: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = world.put("/donations/limits", body, tenant="liste")
    assert response.status_code == 422, response.body
    assert field in {d["field"] for d in response.json_body["error"]["details"]}


def test_gifts_racing_other_writes_of_the_totals_give_409_and_write_nothing(
    world: World, liste: dict[str, str]
) -> None:
    """Another gift, cancellation or receipt number writing the same totals or gift at that very moment: DynamoDB
    cancels the transaction (TransactionConflict). Nothing was written, and the answer says to try again, not an
    error of the service."""
    recorded = ok(gift(world, liste, 10_000), 201)
    ledger_path = f"/donations/ledger?candidacy_id={liste['candidacy']}"
    before = ok(world.get(ledger_path, tenant="liste"))
    racing = Fault("dynamodb", "TransactWriteItems", transaction_conflict)
    with injected(racing):
        error_of(gift(world, liste, 20_000, receipt_number="R-1"), 409, "conflict")
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        error_of(post(world, f"/donations/{recorded['id']}/cancel", {"reason": "Erreur de saisie"}), 409, "conflict")
    with injected(Fault("dynamodb", "TransactWriteItems", transaction_conflict)):
        path = f"/donations/{recorded['id']}/receipt-number"
        error_of(world.request("PUT", path, {"receipt_number": "R-2"}, tenant="liste"), 409, "conflict")
    assert ok(world.get(ledger_path, tenant="liste")) == before
    assert ok(world.get(f"/donations/{recorded['id']}", tenant="liste"))["receipt_number"] is None
    ok(gift(world, liste, 20_000, receipt_number="R-1"), 201)  # sent again, it is recorded, its number free
