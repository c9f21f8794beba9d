"""The electoral calendar and L52-1 compliance through the API: the calendar and its corrections, the windows of the
tenant's territory, the L52-1 assessment of events, the admin override and its audit entry, sending gated on it, and the
daily check that notifies each finding once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from chalicelib import aws
from chalicelib.domain import time as clock
from chalicelib.domain.electoral import calendar
from chalicelib.services import electoral_watch
from chalicelib.settings import get_settings, reset_settings
from chalicelib.store import electoral as electoral_store
from chalicelib.store import events as events_store
from chalicelib.store.base import new_id, now_iso
from chalicelib.store.entities import Event, EventDoc
from tests.api.test_events_api import person
from tests.support.responses import ok
from tests.support.sent_messages import plain_text, sent_emails
from tests.support.world import World

VOEUX = "Vœux du maire"
NEUTRAL = "Le maire et le conseil municipal ont le plaisir de vous présenter leurs vœux."
PARTISAN = "Venez découvrir le bilan de notre mandat… et en avril, votez !"


def audit_entries(world: World) -> list[dict[str, Any]]:
    world.drain_audit()
    return ok(world.get("/audit?limit=100"))["items"]


def past_occurrence(tenant_id: str, day: date, budget_cents: int = 800_000, series: str = VOEUX) -> str:
    """A vœux ceremony of an earlier year (the API refuses dates in the past, as it should)."""
    event_id = new_id()
    at = now_iso()
    doc: EventDoc = {
        "title": f"Vœux du maire {day.year}",
        "kind": "voeux",
        "series": series,
        "starts_at": f"{day.isoformat()}T17:30:00Z",
        "status": "closed",
        "capacity": 400,
        "budget_cents": budget_cents,
    }
    events_store.save_event(
        Event(tenant_id=tenant_id, event_id=event_id, doc=doc, created_at=at, updated_at=at), is_new=True
    )
    return event_id


def next_january(day: int = 8) -> date:
    """The next vœux: inside the presidential window while it lasts (until 2 May 2027)."""
    today = clock.today()
    return date(today.year + 1, 1, day)


def in_window_today() -> bool:
    _, elections = calendar.reference()
    windows = calendar.windows_for(elections, calendar.Place("76", "28", "76540"), clock.today())
    return any(w.contains(next_january()) for w in windows)


needs_window = pytest.mark.skipif(
    not in_window_today(),
    reason="the bundled calendar has no window over next January any more: update elections.json (dated test)",
)


@pytest.fixture
def history(world: World) -> list[str]:
    year = next_january().year
    return [past_occurrence("t-ville", date(y, 1, d)) for y, d in ((year - 3, 12), (year - 2, 10), (year - 1, 9))]


def voeux(world: World, **fields: Any) -> dict[str, Any]:
    body = {
        "title": f"Vœux du maire {next_january().year}",
        "kind": "voeux",
        "series": VOEUX,
        "starts_at": f"{next_january().isoformat()}T18:30:00",
        "capacity": 400,
        "budget_cents": 800_000,
        "description": NEUTRAL,
        **fields,
    }
    return ok(world.post("/events", body), 201)


# --- the calendar -------------------------------------------------------------------------------------------------


def test_the_calendar_lists_the_bundled_elections_with_their_sources(world: World) -> None:
    items = ok(world.get("/elections", role="lecteur"))["items"]
    presidential = next(e for e in items if e["id"] == "presidentielle-2027")
    assert presidential["source"] == "reference" and presidential["version"] == 0
    assert presidential["sources"] and presidential["reference_version"]
    assert ok(world.get("/elections/presidentielle-2027"))["kind"] == "presidentielle"
    assert presidential["financing_months"] == 12  # loi n° 62-1292 art. 3
    assert next(e for e in items if e["id"] == "municipales-2032")["financing_months"] == 6  # L52-4
    assert world.get("/elections/nope").status_code == 404


def test_windows_of_the_tenants_territory_on_a_day(world: World) -> None:
    windows = ok(world.get("/elections/windows?on=2026-11-21"))["items"]
    presidential = next(w for w in windows if w["election_id"] == "presidentielle-2027")
    assert presidential == {
        "election_id": "presidentielle-2027",
        "kind": "presidentielle",
        "label": "Élection présidentielle de 2027",
        "first_round": "2027-04-11/2027-04-18",
        "confirmed": False,
        "l52_1_start": "2026-10-01",
        "l52_4_start": "2026-04-01",  # the presidential financing period is a year (loi n° 62-1292 art. 3)
        "ends": "2027-05-02",
        "active": True,
    }
    # Opening within 24 months: March 2028 (1 Sept 2027) and the 2029 européennes, May at the earliest (1 Nov 2028).
    upcoming = [w["election_id"] for w in windows if not w["active"]]
    assert upcoming == ["departementales-2028", "regionales-2028", "europeennes-2029"]
    assert all(not w["active"] for w in ok(world.get("/elections/windows?on=2027-06-01"))["items"])
    bad = world.get("/elections/windows?on=2026-13-01")
    assert bad.status_code == 422 and bad.json_body["error"]["details"][0]["field"] == "on"


def test_l306_serie1_2029_the_senatoriales_window_opens_in_serie_1_departements_only(world: World) -> None:
    """L. 306 / L. 308-1 make L52-1 apply to the sénatoriales; September 2029 renews série 1 (L.O. 276, tableau n° 5):
    Seine-Maritime (série 2) sees no window, Indre-et-Loire (série 1) sees it from 1 March 2029."""
    on = "/elections/windows?on=2029-03-01"
    assert "senatoriales-2029" not in [
        w["election_id"] for w in ok(world.get(on))["items"]
    ]  # t-ville: Seine-Maritime, 76
    settings = ok(world.get("/settings"))
    tours = {"version": settings["version"], "departement": "37", "commune_insee": "37261"}
    ok(world.patch("/settings", tours))
    senatoriales = next(w for w in ok(world.get(on))["items"] if w["election_id"] == "senatoriales-2029")
    assert senatoriales == {
        "election_id": "senatoriales-2029",
        "kind": "senatoriales",
        "label": "Élections sénatoriales de 2029 (série 1)",
        "first_round": "2029-09",
        "confirmed": False,
        "l52_1_start": "2029-03-01",
        "l52_4_start": "2029-03-01",
        "ends": "2029-09-30",
        "active": True,
    }
    shown = ok(world.get("/elections/senatoriales-2029"))
    assert shown["territory"]["senate_series"] == 1 and shown["territory"]["national"] is False


def test_l306_a_senatoriale_is_recorded_by_serie_or_by_collectivite_d_outre_mer(world: World) -> None:
    body = {
        "id": "senatoriales-partielles-2028",
        "kind": "senatoriales",
        "territory": {"senate_series": 1},
        "rounds": [{"month": "2028-09"}],
        "sources": ["Exemple de test"],
    }
    assert ok(world.post("/elections", body), 201)["territory"] == {
        "national": False,
        "departements": [],
        "regions": [],
        "communes": [],
        "senate_series": 1,
    }
    noumea = {**body, "id": "senatoriales-nc-2028", "territory": {"departements": ["988"]}}
    assert ok(world.post("/elections", noumea), 201)["territory"]["departements"] == ["988"]
    for bad in ({"senate_series": 3}, {"departements": ["989"]}):
        refused = world.post("/elections", {**body, "id": "senatoriales-x-2028", "territory": bad})
        assert refused.status_code == 422, refused.body


def test_an_admin_corrects_the_calendar_for_the_tenant_and_it_is_audited(world: World) -> None:
    decree = {
        "version": 0,
        "rounds": [{"date": "2027-04-11"}, {"date": "2027-04-25"}],
        "confirmed": True,
        "sources": ["Décret de convocation (exemple de test)"],
    }
    assert world.patch("/elections/presidentielle-2027", decree, role="communication").status_code == 403
    corrected = ok(world.patch("/elections/presidentielle-2027", decree))
    assert (corrected["source"], corrected["version"], corrected["confirmed"]) == ("tenant", 1, True)
    windows = {w["election_id"]: w for w in ok(world.get("/elections/windows?on=2026-11-21"))["items"]}
    assert windows["presidentielle-2027"]["ends"] == "2027-04-25"
    assert world.patch("/elections/presidentielle-2027", decree).status_code == 409  # version 0 is stale now
    # The other tenant still sees the reference.
    theirs = ok(world.get("/elections/presidentielle-2027", tenant="liste"))
    assert (theirs["source"], theirs["confirmed"]) == ("reference", False)
    [entry] = [e for e in audit_entries(world) if e["resource_type"] == "election"]
    assert (entry["action"], entry["resource_id"]) == ("update", "presidentielle-2027")
    assert entry["detail"]["before"]["confirmed"] is False


def test_lo_2021_335_a_text_may_set_another_financing_period_for_one_election(world: World) -> None:
    """As LO n° 2021-335 did for 2022 (nine months): the L52-4 start moves, the L52-1 window does not."""
    shortened = ok(world.patch("/elections/presidentielle-2027", {"version": 0, "financing_months": 9}))
    assert shortened["financing_months"] == 9
    windows = {w["election_id"]: w for w in ok(world.get("/elections/windows?on=2026-11-21"))["items"]}
    presidential = windows["presidentielle-2027"]
    assert (presidential["l52_4_start"], presidential["l52_1_start"]) == ("2026-07-01", "2026-10-01")


def test_a_by_election_is_recorded_but_opens_no_window(world: World) -> None:
    body = {
        "id": "municipales-partielles-rouen-2027",
        "kind": "municipales",
        "label": "Municipales partielles",
        "general": False,
        "territory": {"communes": ["76540"]},
        "rounds": [{"date": "2027-03-07"}, {"date": "2027-03-14"}],
        "sources": ["Arrêté préfectoral (exemple de test)"],
    }
    created = ok(world.post("/elections", body), 201)
    assert created["source"] == "tenant"
    assert world.post("/elections", body).status_code == 409
    ids = [w["election_id"] for w in ok(world.get("/elections/windows?on=2026-11-21"))["items"]]
    assert "municipales-partielles-rouen-2027" not in ids
    assert world.get("/elections/municipales-partielles-rouen-2027", tenant="liste").status_code == 404


def test_days_outside_any_calendar_are_refused_field_by_field_not_computed(world: World) -> None:
    """A day a window cannot be computed from (its end months later past year 9999) is a 422 on its field, as
    any date of the API outside 1900–2200: never a computation that fails (a 500), here or in the daily check."""
    body = {
        "id": "municipales-partielles-lointaines",
        "kind": "municipales",
        "general": True,
        "territory": {"communes": ["76540"]},
        "sources": ["Exemple de test"],
    }
    for field, round_ in (
        ("rounds[0].date", {"date": "9999-12-31"}),
        ("rounds[0].earliest", {"earliest": "1000-01-01", "latest": "2027-01-01"}),
        ("rounds[0].latest", {"earliest": "2027-01-01", "latest": "9999-12-31"}),
    ):
        refused = world.post("/elections", {**body, "rounds": [round_]})
        assert refused.status_code == 422, (round_, refused.body)
        assert [d["field"] for d in refused.json_body["error"]["details"]] == [field]
    for day in ("9999-12-31", "0001-01-01"):
        refused = world.get(f"/elections/windows?on={day}")
        assert refused.status_code == 422, (day, refused.body)
        assert [d["field"] for d in refused.json_body["error"]["details"]] == ["on"]
    assert world.get("/elections/municipales-partielles-lointaines").status_code == 404


SNAP_ELECTION = {  # législatives after a dissolution: the kind of entry the calendar cannot foresee
    "id": "legislatives-anticipees-2027",
    "kind": "legislatives",
    "territory": {"national": True},
    "rounds": [{"date": "2027-06-13"}, {"date": "2027-06-20"}],
    "sources": ["Décret de dissolution (exemple)"],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rounds": []}, "rounds"),
        ({"rounds": [{"date": "2027-03-07", "month": "2027-03"}]}, "rounds[0].date"),
        ({"territory": {"national": False}}, "territory.national"),
        ({"kind": "primaires"}, "kind"),
        ({"id": "Bad Id"}, "id"),
        ({"decided_round": 2, "rounds": [{"date": "2027-03-07"}]}, "rounds"),
        ({"sources": []}, "sources"),
        ({"financing_months": 0}, "financing_months"),
    ],
)
def test_bad_elections_are_refused_field_by_field(world: World, change: dict[str, Any], field: str) -> None:
    response = world.post("/elections", {**SNAP_ELECTION, **change})
    assert response.status_code == 422, response.body
    assert field in [d["field"] for d in response.json_body["error"]["details"]], response.body


def test_only_the_operators_admins_change_the_deployment_calendar(world: World, monkeypatch) -> None:
    body = {**SNAP_ELECTION, "scope": "deployment"}
    assert world.post("/elections", body).status_code == 403
    monkeypatch.setenv("AGORA_OPERATOR_TENANTS", "t-ville")
    reset_settings()
    try:
        assert ok(world.post("/elections", body), 201)["source"] == "deployment"
    finally:
        monkeypatch.undo()
        reset_settings()
    seen = ok(world.get("/elections/legislatives-anticipees-2027", tenant="liste"))
    assert seen["source"] == "deployment"


# --- assessment of events --------------------------------------------------------------------------------------------


@needs_window
def test_the_vœux_scenario_through_the_api(world: World, history: list[str]) -> None:
    """Three past years of vœux: on time → ok; two months early → régularité; twice the budget → identité;
    « bilan de notre mandat… votez » → neutralité blocking; a new series → antériorité."""
    event = voeux(world)
    assert event["compliance"]["level"] == "ok" and event["compliance"]["applies"] is True
    report = ok(world.get(f"/events/{event['id']}/compliance"))
    assert [(f["rule"], f["level"]) for f in report["findings"]] == [
        ("anteriorite", "ok"),
        ("regularite", "ok"),
        ("identite", "ok"),
        ("neutralite", "ok"),
    ]
    assert [w["election_id"] for w in report["windows"]] == ["presidentielle-2027"]

    early = (next_january() - timedelta(days=61)).isoformat()
    if date.fromisoformat(early) > clock.today():
        moved = ok(world.patch(f"/events/{event['id']}", {"version": 1, "starts_at": f"{early}T18:30:00"}))
        assert moved["compliance"]["level"] == "warning"
        levels = {f["rule"]: f["level"] for f in ok(world.get(f"/events/{event['id']}/compliance"))["findings"]}
        assert levels["regularite"] == "warning"
        event = ok(world.patch(f"/events/{event['id']}", {"version": 2, "starts_at": f"{next_january()}T18:30:00"}))

    doubled = ok(world.patch(f"/events/{event['id']}", {"version": event["version"], "budget_cents": 1_600_000}))
    report = ok(world.get(f"/events/{event['id']}/compliance"))
    assert doubled["compliance"]["level"] == "warning"
    assert {f["rule"]: f["level"] for f in report["findings"]}["identite"] == "warning"

    partisan = ok(world.patch(f"/events/{event['id']}", {"version": doubled["version"], "description": PARTISAN}))
    assert partisan["compliance"]["level"] == "blocking"
    finding = next(
        f for f in ok(world.get(f"/events/{event['id']}/compliance"))["findings"] if f["rule"] == "neutralite"
    )
    assert finding["level"] == "blocking" and "L52-1" in finding["message"]
    assert {m["category"] for m in finding["evidence"]["matches"]} >= {"bilan", "appel_au_vote"}

    fresh = voeux(world, series="Fête de la réussite municipale")
    levels = {f["rule"]: f["level"] for f in ok(world.get(f"/events/{fresh['id']}/compliance"))["findings"]}
    assert levels == {"anteriorite": "warning", "regularite": "ok", "identite": "ok", "neutralite": "ok"}

    listed = ok(world.get("/events?limit=50"))["items"]
    assert next(e for e in listed if e["id"] == event["id"])["compliance"]["level"] == "blocking"


@needs_window
def test_declared_candidates_and_their_sites_from_settings(world: World, history: list[str]) -> None:
    settings = ok(world.get("/settings"))
    ok(
        world.patch(
            "/settings",
            {"version": settings["version"], "candidates": [{"name": "Jean Dupont", "sites": ["dupont2027.fr"]}]},
        )
    )
    event = voeux(world, invitation_text="Retrouvez le programme sur www.dupont2027.fr/agenda")
    finding = next(
        f for f in ok(world.get(f"/events/{event['id']}/compliance"))["findings"] if f["rule"] == "neutralite"
    )
    assert finding["level"] == "blocking"
    assert "candidate_site" in [m["pattern"] for m in finding["evidence"]["matches"]]
    bad = world.patch("/settings", {"version": settings["version"] + 1, "amplification_ratio": 0.5})
    assert bad.status_code == 422


@needs_window
def test_sending_needs_an_admin_override_for_blocking_and_an_acknowledgement_for_warnings(
    world: World, history: list[str]
) -> None:
    event = voeux(world, description=PARTISAN, budget_cents=1_600_000, status="open")
    guest = person(world, "Martin", emails=["martin@exemple.fr"])
    world.invite(event["id"], [guest])
    path = f"/events/{event['id']}/invitations/send"

    refused = world.post(path, {"acknowledge_warnings": True})
    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "compliance_override_required"
    assert {d["field"] for d in refused.json_body["error"]["details"]} == {
        "compliance.neutralite",
        "compliance.identite",
    }
    assert sent_emails() == []

    justification = "Citation d'un discours historique du maire de 1945, sans lien avec l'élection : validé par le DGS."
    override = f"/events/{event['id']}/compliance/override"
    assert world.post(override, {"justification": justification}, role="communication").status_code == 403
    short = world.post(override, {"justification": "ok"})
    assert short.status_code == 422 and short.json_body["error"]["details"][0]["field"] == "justification"
    lifted = ok(world.post(override, {"justification": justification}))
    assert lifted["override"]["justification"] == justification and lifted["level"] == "blocking"
    assert ok(world.get(f"/events/{event['id']}"))["compliance"]["overridden"] is True

    unacknowledged = world.post(path)
    assert unacknowledged.status_code == 409
    assert unacknowledged.json_body["error"]["code"] == "compliance_warnings_unacknowledged"
    sent = ok(world.post(path, {"acknowledge_warnings": True}))
    assert sent["sent"] == 1
    assert {f["rule"] for f in sent["compliance"]["findings"]} == {"neutralite", "identite"}
    assert sent["compliance"]["override"]["justification"] == justification

    entries = audit_entries(world)
    [entry] = [e for e in entries if e["action"] == "override"]
    assert (entry["resource_type"], entry["resource_id"]) == ("event_compliance", event["id"])
    assert entry["detail"]["justification"] == justification and entry["actor_email"] == world.user().email
    assert [e for e in entries if e["action"] == "acknowledge" and e["resource_id"] == event["id"]]

    # A new blocking finding is not covered by the old override.
    current = ok(world.get(f"/events/{event['id']}"))
    ok(world.patch(f"/events/{event['id']}", {"version": current["version"], "title": "Votez pour l'avenir"}))
    again = world.post(path, {"acknowledge_warnings": True})
    assert again.status_code == 409 and again.json_body["error"]["code"] == "compliance_override_required"


def test_an_override_without_anything_blocking_is_refused(world: World) -> None:
    event = voeux(world)
    response = world.post(f"/events/{event['id']}/compliance/override", {"justification": "x" * 40})
    assert response.status_code == 409


@needs_window
def test_political_tenants_see_the_windows_for_information_only(world: World) -> None:
    body = {
        "title": "Réunion publique : votez Dupont",
        "kind": "reunion_publique",
        "starts_at": f"{next_january()}T19:00:00",
    }
    event = ok(world.post("/events", body, tenant="liste"), 201)
    report = ok(world.get(f"/events/{event['id']}/compliance", tenant="liste"))
    assert (report["applies"], report["level"], report["findings"]) == (False, "ok", [])
    assert [w["election_id"] for w in report["windows"]] == ["presidentielle-2027"]
    assert "L52-1" in report["note"]


# --- the daily check ------------------------------------------------------------------------------------------------


def run_daily(world: World, now: datetime | None = None) -> list[dict[str, Any]]:
    """As in AWS: the schedule (a generated CloudWatch event; or fan_out at a chosen instant) queues one message per
    institution tenant, then each message goes to the SQS handler. Returns the handler's partial-batch responses."""
    if now is None:
        event = world.client.events.generate_cw_event(
            source="aws.events",
            detail_type="Scheduled Event",
            detail={},
            resources=["arn:aws:events:eu-west-3:1:rule/d"],
        )
        queued = world.client.lambda_.invoke("check_electoral_calendar", event).payload
    else:
        queued = electoral_watch.fan_out(now)
    url = aws.queue_url(get_settings().electoral_queue_name)
    responses, bodies = [], []
    while messages := aws.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            bodies.append(message["Body"])
            sqs_event = world.client.events.generate_sqs_event(message_bodies=[message["Body"]], queue_name=QUEUE)
            try:
                responses.append(world.client.lambda_.invoke("check_tenant_electoral", sqs_event).payload)
            except BatchProcessingError:  # the whole batch (one tenant) failed: Lambda fails, SQS delivers it again
                responses.append({"failed": True})
            aws.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert queued == {"tenants": len(bodies)}
    assert [json.loads(b)["tenant_id"] for b in bodies] == ["t-ville"]  # institutions only: not t-liste
    return responses


QUEUE = "agora-local-electoral"


def digests() -> list[Any]:
    return [m for m in sent_emails() if m["Subject"].startswith("Période préélectorale")]


def addressees(message: Any) -> list[str]:
    return sorted(a.addr_spec for a in message["To"].addresses)


TEAM = ["cabinet@ville.test", "communication@ville.test"]  # one digest to both: all or none, never twice


def notified(tenant_id: str) -> list[str]:
    return sorted(i.sk for i in electoral_store.ElectoralItem.query(tenant_id) if i.sk.startswith("notified#"))


@needs_window
def test_the_daily_check_run_twice_notifies_once(world: World, history: list[str]) -> None:
    soon = clock.today() + timedelta(days=40)
    body = {
        "title": "Forum des associations",
        "kind": "autre",
        "starts_at": f"{soon}T10:00:00",
        "description": PARTISAN,
    }
    event = ok(world.post("/events", body), 201)
    assert run_daily(world) == [{"batchItemFailures": []}]
    assert [addressees(m) for m in digests()] == [TEAM]
    text = plain_text(digests()[0])
    assert "Forum des associations" in text and "bloquant" in text and "réserve" in text and "L52-1" in text
    assert len(notified("t-ville")) == 2  # neutralité (blocking) and antériorité (no series): one record each

    run_daily(world)  # the next day: nothing new
    assert len(digests()) == 1 and len(notified("t-ville")) == 2

    # A changed finding is news again; the unchanged one is not.
    ok(world.patch(f"/events/{event['id']}", {"version": 1, "description": "Votez pour nous !"}))
    run_daily(world)
    assert len(digests()) == 2 and len(notified("t-ville")) == 3
    latest = plain_text(digests()[-1])
    assert "Votez pour nous" in latest and "Antériorité" not in latest


def before_departementales_window(days: int) -> datetime:
    """Midnight UTC, `days` days before the 2028 departementales' L52-1 window opens (in the reference calendar)."""
    departementales = next(e for e in calendar.reference()[1] if e.id == "departementales-2028")
    return datetime.combine(
        calendar.l52_1_start(departementales) - timedelta(days=days), datetime.min.time(), tzinfo=UTC
    )


def test_a_window_opening_within_30_days_is_announced_once(world: World) -> None:
    now = before_departementales_window(days=10)
    run_daily(world, now)
    run_daily(world, now)  # a second run, or the message delivered twice
    assert [addressees(m) for m in digests()] == [TEAM]
    text = plain_text(digests()[0])
    assert "Élections départementales de 2028" in text and "Élections régionales de 2028" in text
    assert [k.rsplit("#", 1)[0] for k in notified("t-ville")] == [
        "notified#window#departementales-2028",
        "notified#window#regionales-2028",
    ]


def test_a_tenant_whose_email_fails_is_retried_alone_and_nothing_is_marked(world: World, monkeypatch) -> None:
    now = before_departementales_window(days=5)

    def down(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("SES unavailable")

    monkeypatch.setattr(electoral_watch.outbound, "send_email", down)
    assert run_daily(world, now) == [{"failed": True}]  # SQS delivers this tenant's message again
    assert notified("t-ville") == []  # rolled back: the retry will notify
    monkeypatch.undo()
    assert electoral_watch.check_tenant("t-ville", now)["windows_notified"] == 2
    assert [addressees(m) for m in digests()] == [TEAM]


def test_with_nobody_to_tell_nothing_is_marked(world: World) -> None:
    from chalicelib.store.users import UserItem

    for user in UserItem.query("t-ville"):
        user.enabled = False
        user.save()
    now = before_departementales_window(days=5)
    assert electoral_watch.check_tenant("t-ville", now)["emails"] == 0
    assert notified("t-ville") == [] and digests() == []


class _Stopped(BaseException):
    """The Lambda stopped (timeout, memory): no `except Exception` of the app runs."""


def test_a_check_that_stops_between_its_marks_and_the_email_leaves_the_news_to_the_next_run(
    world: World, monkeypatch
) -> None:
    now = before_departementales_window(days=5)

    def stopped(*args: Any, **kwargs: Any) -> str:
        raise _Stopped()

    monkeypatch.setattr(electoral_watch.outbound, "send_email", stopped)
    with pytest.raises(_Stopped):
        electoral_watch.check_tenant("t-ville", now)
    monkeypatch.undo()
    assert electoral_watch.check_tenant("t-ville", now)["windows_notified"] == 2  # SQS's redelivery tells them
    assert [addressees(m) for m in digests()] == [TEAM]
    marks = {i.sk: i.doc for i in electoral_store.ElectoralItem.query("t-ville") if i.sk.startswith("notified#")}
    assert len(marks) == 2 and all("state" not in doc and doc["retold"] for doc in marks.values())
    assert electoral_watch.check_tenant("t-ville", now)["emails"] == 0  # told now: not again
    assert len(digests()) == 1


def test_a_check_whose_second_mark_is_throttled_tells_the_first_news_on_the_retry(world: World, monkeypatch) -> None:
    from botocore.exceptions import ClientError

    now = before_departementales_window(days=5)
    real, calls = electoral_store.mark_notified, []

    def throttled_second(mark: Any) -> bool:
        calls.append(mark.key)
        if len(calls) == 2:
            error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}
            raise ClientError(error, "PutItem")  # type: ignore[arg-type]
        return real(mark)

    monkeypatch.setattr(electoral_watch.store, "mark_notified", throttled_second)
    with pytest.raises(ClientError):
        electoral_watch.check_tenant("t-ville", now)
    monkeypatch.undo()
    assert electoral_watch.check_tenant("t-ville", now)["windows_notified"] == 2
    text = plain_text(digests()[0])
    assert len(digests()) == 1 and "départementales de 2028" in text and "régionales de 2028" in text


def test_a_run_whose_claims_another_delivery_took_over_and_told_does_not_tell_them_again(
    world: World, monkeypatch
) -> None:
    now = before_departementales_window(days=5)
    real = electoral_store.still_claimed
    twin: list[dict[str, int]] = []

    def after_a_twin(tenant_id: str, news: Any) -> Any:
        if not twin:  # the message delivered again while this run is between its claims and its email
            monkeypatch.setattr(electoral_watch.store, "still_claimed", real)
            twin.append(electoral_watch.check_tenant(tenant_id, now))
        return real(tenant_id, news)

    monkeypatch.setattr(electoral_watch.store, "still_claimed", after_a_twin)
    first = electoral_watch.check_tenant("t-ville", now)
    assert twin[0]["windows_notified"] == 2 and first["emails"] == 0
    assert [addressees(m) for m in digests()] == [TEAM]
    marks = [i.doc for i in electoral_store.ElectoralItem.query("t-ville") if i.sk.startswith("notified#")]
    assert len(marks) == 2 and all("state" not in doc for doc in marks)
