"""End to end: the real local stack as `make run` starts it, driven over HTTP like a frontend would.

The `stack` fixture (tests/e2e/conftest.py) starts one stack for this module; the Ctrl-C test stops it, so it
stays the last test here."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.e2e.conftest import token

pytestmark = pytest.mark.e2e  # starts the real local stack


def wait_for(read: Callable[[], Any], until: Callable[[Any], Any], timeout: float, every: float = 0.5) -> Any:
    """What `read()` returns once `until` holds for it, or the last it returned after `timeout` seconds: the
    local stack's pollers and timer work in the background."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value) or time.monotonic() >= deadline:
            return value
        time.sleep(every)


def demo_contact(state: dict[str, Any], **doc: Any) -> tuple[str, dict[str, str], str]:
    """A person created over HTTP in the demo commune: the API's URL, an admin's headers and the contact's id."""
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    made = requests.post(api + "/contacts", headers=headers, json={"kind": "person", **doc}, timeout=10)
    assert made.status_code == 201, made.text
    return api, headers, made.json()["id"]


def test_state_file_honours_the_contract(stack):
    state, _, _ = stack
    assert set(state) == {"api_url", "aws_endpoint_url", "region", "user_pool_id", "client_id", "topics", "tenants"}
    assert set(state["topics"]) == {"ses_events", "inbound_mail", "sms_inbound"}
    assert all(arn.startswith("arn:aws:sns:") for arn in state["topics"].values())
    assert state["api_url"].startswith("http://127.0.0.1:")
    assert state["aws_endpoint_url"].startswith("http://127.0.0.1:")
    kinds = {t["id"]: t["kind"] for t in state["tenants"]}
    assert kinds == {"ville-demo": "institution", "liste-demo": "political"}
    ville = next(t for t in state["tenants"] if t["id"] == "ville-demo")
    assert {r for u in ville["users"] for r in u["roles"]} >= {"admin", "protocole", "communication", "lecteur"}
    assert requests.get(state["api_url"] + "/health", timeout=5).status_code == 200


def test_login_create_search_and_read_a_contact_over_http(stack):
    state, _, _ = stack
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    assert requests.get(api + "/contacts", timeout=10).status_code == 401

    created = requests.post(
        api + "/contacts",
        headers=headers,
        timeout=10,
        json={
            "kind": "person",
            "civility": "M",
            "first_name": "Jean-Pierre",
            "last_name": "Vasseur-Hédouin",
            "emails": ["jp.vasseur@exemple.fr"],
            "phones": ["02 35 71 40 40"],
            "tags": ["e2e"],
        },
    )
    assert created.status_code == 201, created.text
    contact = created.json()
    assert contact["phones"] == ["+33235714040"]

    found = requests.get(api + "/contacts", headers=headers, params={"q": "jean pierre hedouin"}, timeout=10)
    assert found.status_code == 200
    assert [c["id"] for c in found.json()["items"]] == [contact["id"]]

    view = requests.get(f"{api}/contacts/{contact['id']}", headers=headers, timeout=10)
    assert view.status_code == 200
    assert view.json()["contact"]["last_name"] == "Vasseur-Hédouin"
    assert view.json()["interactions"] == [] and view.json()["open_tasks"] == []


def test_demo_is_seeded_and_tenants_are_isolated(stack):
    state, _, _ = stack
    api = state["api_url"]
    ville = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    liste = {"Authorization": f"Bearer {token(state, 'liste-demo')}"}
    page = requests.get(api + "/contacts", headers=ville, params={"limit": 100}, timeout=10).json()
    assert len(page["items"]) == 100 and page["next_cursor"]
    some_id = page["items"][0]["id"]
    assert requests.get(f"{api}/contacts/{some_id}", headers=liste, timeout=10).status_code == 404
    theirs = requests.get(api + "/contacts", headers=liste, params={"limit": 100}, timeout=10).json()["items"]
    assert theirs and not {c["id"] for c in theirs} & {c["id"] for c in page["items"]}


def test_audit_entries_reach_the_log_through_the_queue(stack):
    state, _, _ = stack
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    contact_id = requests.get(api + "/contacts", headers=headers, params={"q": "lefevre"}, timeout=10).json()["items"][
        0
    ]["id"]
    assert requests.get(f"{api}/contacts/{contact_id}", headers=headers, timeout=10).status_code == 200

    def logged(entries: list[dict[str, Any]]) -> bool:
        return any(e["action"] == "read" and e["resource_id"] == contact_id for e in entries)

    entries = wait_for(
        lambda: requests.get(api + "/audit", headers=headers, params={"limit": 50}, timeout=10).json()["items"],
        logged,
        30,
    )
    if not logged(entries):
        pytest.fail("the read of the contact never reached the audit log")


def test_an_ses_complaint_published_to_the_topic_withdraws_email_consent(stack):
    """A real-shaped SES notification on the topic of state.json: SNS → queue → the poller → handle_mail_events."""
    import boto3

    state, _, _ = stack
    api, headers, contact_id = demo_contact(state, last_name="Signalement", emails=["spam.e2e@exemple.fr"])
    event = {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": "spam.e2e@exemple.fr"}],
            "timestamp": "2026-12-04T08:00:00Z",
        },
        "mail": {
            "messageId": "e2e-complaint",
            "destination": ["spam.e2e@exemple.fr"],
            "tags": {"tenant": ["ville-demo"], "contact": [contact_id]},
        },
    }
    sns = boto3.client(
        "sns",
        endpoint_url=state["aws_endpoint_url"],
        region_name=state["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    sns.publish(TopicArn=state["topics"]["ses_events"], Message=json.dumps(event))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items = requests.get(f"{api}/contacts/{contact_id}/consents", headers=headers, timeout=10).json()["items"]
        email = next(c for c in items if c["channel"] == "email")
        if email["status"] == "withdrawn":
            assert email["source"] == "complaint"
            break
        time.sleep(0.5)
    else:
        pytest.fail("the complaint never reached the contact's consents")


def test_a_campaign_is_sent_by_the_pollers_and_ses_events_reach_its_report(stack):
    """POST /campaigns and /send over HTTP; the campaigns queue's poller plans and sends; the email is in the
    outbox with its one-click unsubscribe; SES's Delivery and Open for it, published to the ses_events topic of
    state.json, reach the campaign's report."""
    state, _, _ = stack
    api, headers, contact_id = demo_contact(state, last_name="Lectrice", emails=["lectrice.e2e@exemple.fr"])
    draft = requests.post(
        api + "/campaigns",
        headers=headers,
        json={"subject": "Lettre e2e", "body": "Bonjour,\n\nLes travaux de la rue.", "contact_ids": [contact_id]},
        timeout=10,
    )
    assert draft.status_code == 201, draft.text
    campaign_id = draft.json()["id"]
    # in a pre-electoral window an institution acknowledges the reserves (L52-1); the text blocks nothing
    started = requests.post(
        f"{api}/campaigns/{campaign_id}/send", headers=headers, json={"acknowledge_warnings": True}, timeout=10
    )
    assert started.status_code == 202, started.text
    done = wait_for(
        lambda: requests.get(f"{api}/campaigns/{campaign_id}", headers=headers, timeout=10).json(),
        lambda c: c["status"] == "sent",
        60,
    )
    assert done["status"] == "sent" and done["counts"]["sent"] == 1, done
    outbox = requests.get(api + "/dev/outbox", headers=headers, params={"limit": 20}, timeout=10).json()["items"]
    email = next(e for e in outbox if e["to"] == "lectrice.e2e@exemple.fr" and e["subject"] == "Lettre e2e")
    assert f"campagne={campaign_id}" in email["headers"]["List-Unsubscribe"]
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail = {
        "messageId": email["provider_message_id"],
        "destination": ["lectrice.e2e@exemple.fr"],
        "tags": {"tenant": ["ville-demo"], "campaign": [campaign_id], "contact": [contact_id]},
    }
    sns = _sns(state)
    for kind, detail in (
        ("Delivery", {"timestamp": "2026-12-05T09:00:00Z", "recipients": ["lectrice.e2e@exemple.fr"]}),
        ("Open", {"timestamp": "2026-12-05T09:05:00Z", "ipAddress": "192.0.2.1"}),
    ):
        event = {"eventType": kind, "mail": mail, kind.lower(): detail}
        sns.publish(TopicArn=state["topics"]["ses_events"], Message=json.dumps(event))
    report = wait_for(
        lambda: requests.get(f"{api}/campaigns/{campaign_id}/report", headers=headers, timeout=10).json(),
        lambda r: r["unique_opens"] == 1 and r["delivered"] == 1,
        30,
    )
    assert (report["delivered"], report["unique_opens"]) == (1, 1), report


def _sns(state: dict[str, Any]) -> Any:
    import boto3

    return boto3.client(
        "sns",
        endpoint_url=state["aws_endpoint_url"],
        region_name=state["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def test_a_reply_published_to_the_inbound_topic_reaches_the_contacts_360_view(stack):
    """An invitation sent, its Reply-To read in the outbox, SES's receipt notification (content inline) published to
    the inbound_mail topic of state.json: SNS → queue → the poller → handle_inbound_mail → the contact's history."""
    from email.message import EmailMessage

    state, _, _ = stack
    api, headers, contact_id = demo_contact(state, last_name="Répondeur", emails=["reponse.e2e@exemple.fr"])
    event = requests.post(
        api + "/events",
        headers=headers,
        json={
            "title": "Inauguration e2e",
            "kind": "inauguration",
            "starts_at": "2031-06-21T18:00:00",
            "status": "open",
        },
        timeout=10,
    )
    assert event.status_code == 201, event.text
    event_id = event.json()["id"]
    invited = requests.post(
        f"{api}/events/{event_id}/invitations",
        headers=headers,
        json={"contact_ids": [contact_id], "channel": "email"},
        timeout=10,
    )
    assert invited.status_code == 201, invited.text
    sent = requests.post(
        f"{api}/events/{event_id}/invitations/send", headers=headers, json={"acknowledge_warnings": True}, timeout=30
    )
    assert sent.status_code == 200 and sent.json()["sent"] == 1, sent.text
    outbox = requests.get(f"{api}/dev/outbox", params={"tenant_id": "ville-demo", "limit": 20}, timeout=10).json()
    reply_to = next(m["headers"]["Reply-To"] for m in outbox["items"] if m["to"] == "reponse.e2e@exemple.fr")
    assert reply_to.startswith("reponse+")

    mime = EmailMessage()
    mime["From"] = "Répondeur <reponse.e2e@exemple.fr>"
    mime["To"] = reply_to
    mime["Subject"] = "Re: Invitation : Inauguration e2e"
    mime.set_content("Je viendrai, merci.\n\nLe lun. a écrit :\n> Invitation")
    notification = {
        "notificationType": "Received",
        "receipt": {
            "timestamp": "2026-12-04T10:00:00.000Z",
            "recipients": [reply_to],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "action": {"type": "SNS", "topicArn": state["topics"]["inbound_mail"], "encoding": "UTF8"},
        },
        "mail": {"timestamp": "2026-12-04T10:00:00.000Z", "messageId": "e2e-reply-1", "destination": [reply_to]},
        "content": mime.as_string(),
    }
    _sns(state).publish(TopicArn=state["topics"]["inbound_mail"], Message=json.dumps(notification))
    view = wait_for(
        lambda: requests.get(f"{api}/contacts/{contact_id}", headers=headers, timeout=10).json(),
        lambda view: any(i["kind"] == "email_reply" for i in view["interactions"]),
        30,
    )
    replies = [i for i in view["interactions"] if i["kind"] == "email_reply"]
    assert replies, view["interactions"]
    assert "Je viendrai, merci." in replies[0]["summary"] and "> Invitation" not in replies[0]["summary"]


def test_an_sms_stop_published_to_the_sms_inbound_topic_withdraws_sms_consent(stack):
    state, _, _ = stack
    api, headers, contact_id = demo_contact(state, last_name="Textoteur", phones=["06 55 44 33 22"])
    sms = {
        "originationNumber": "+33655443322",
        "destinationNumber": "+33700000000",
        "messageKeyword": "KEYWORD",
        "messageBody": "STOP",
        "inboundMessageId": "e2e-sms-1",
    }
    _sns(state).publish(TopicArn=state["topics"]["sms_inbound"], Message=json.dumps(sms))
    consents = wait_for(
        lambda: requests.get(f"{api}/contacts/{contact_id}/consents", headers=headers, timeout=10).json()["items"],
        lambda items: next(c for c in items if c["channel"] == "sms")["status"] == "withdrawn",
        30,
    )
    assert next(c for c in consents if c["channel"] == "sms")["status"] == "withdrawn"


def test_an_rne_upload_is_imported_by_the_local_queue_poller(stack):
    from chalicelib.domain.rne import HEADERS, RneFileKind

    state, _, _ = stack
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    csv = ";".join(HEADERS[RneFileKind.MAIRES]) + "\n"
    csv += "76;Seine-Maritime;;;76451;Mont-Saint-Aignan;QUESNEL;Aurore;F;12/04/1975;;;03/07/2020;04/07/2020\n"
    created = requests.post(
        api + "/imports", headers=headers, json={"kind": "rne", "filename": "maires.csv"}, timeout=10
    )
    assert created.status_code == 201, created.text
    put = requests.put(
        created.json()["upload_url"], data=csv.encode("cp1252"), headers={"Content-Type": "text/csv"}, timeout=10
    )
    assert put.status_code == 200
    status = wait_for(
        lambda: requests.get(f"{api}/imports/{created.json()['id']}", headers=headers, timeout=10).json(),
        lambda status: status["status"] in ("done", "failed"),
        60,
    )
    assert (status["status"], status["created"]) == ("done", 1), status
    found = requests.get(api + "/contacts", headers=headers, params={"q": "aurore quesnel"}, timeout=10).json()
    assert [c["last_name"] for c in found["items"]] == ["QUESNEL"]


def test_a_mailing_is_rendered_by_the_poller_and_downloaded_from_its_presigned_url(stack):
    state, _, _ = stack
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    people = requests.get(api + "/contacts", headers=headers, params={"kind": "person", "limit": 5}, timeout=10)
    ids = [c["id"] for c in people.json()["items"]]
    created = requests.post(
        api + "/letters", headers=headers, json={"contact_ids": ids, "template": "voeux"}, timeout=10
    )
    assert created.status_code == 202, created.text
    job = wait_for(
        lambda: requests.get(f"{api}/letters/{created.json()['id']}", headers=headers, timeout=10).json(),
        lambda job: job["status"] in ("done", "failed"),
        60,
    )
    assert job["status"] == "done" and job["done"] == len(ids), job
    pdf = requests.get(job["pdf_url"], timeout=10)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert job["printed"] >= 1 and requests.get(job["labels_url"], timeout=10).content[:5] == b"%PDF-"
    sheet = requests.post(
        api + "/protocol/place-cards",
        headers={**headers, "Accept": "application/pdf"},
        json={"contact_ids": ids[:2], "ceremony": {"departement": "76", "date": "2027-01-15"}},
        timeout=10,
    )
    assert sheet.status_code == 200 and sheet.headers["Content-Type"] == "application/pdf"
    assert sheet.content[:5] == b"%PDF-", "chalice local passes the PDF as bytes (binary type)"


def test_the_demo_voeux_are_assessed_and_the_local_timer_runs_the_daily_electoral_check(stack):
    """The seeded vœux have three earlier years: all four L52-1 criteria are met. A partisan event created over
    HTTP is then reported by email by the daily check, which the local timer runs (AGORA_LOCAL_SCHEDULE_SECONDS)."""
    from datetime import date, timedelta

    state, _, _ = stack
    api = state["api_url"]
    headers = {"Authorization": f"Bearer {token(state, 'ville-demo')}"}
    events = requests.get(api + "/events", headers=headers, params={"limit": 50}, timeout=10).json()["items"]
    [voeux] = [e for e in events if e["status"] == "open" and e["series"] == "Vœux du maire"]
    report = requests.get(f"{api}/events/{voeux['id']}/compliance", headers=headers, timeout=30).json()
    if report["applies"]:  # inside a window (the 2027 presidential one, until May 2027)
        assert [(f["rule"], f["level"]) for f in report["findings"]] == [
            ("anteriorite", "ok"),
            ("regularite", "ok"),
            ("identite", "ok"),
            ("neutralite", "ok"),
        ], report
    windows = requests.get(api + "/elections/windows", headers=headers, timeout=10).json()["items"]
    soon = date.today() + timedelta(days=20)
    if not any(w["l52_1_start"] <= soon.isoformat() <= w["ends"] for w in windows):
        pytest.skip("no pre-electoral window in the next 20 days: nothing for the daily check to report")
    body = {
        "title": "Forum des associations",
        "kind": "autre",
        "starts_at": f"{soon.isoformat()}T10:00:00",
        "description": "Venez découvrir le bilan de notre mandat… et en avril, votez !",
    }
    created = requests.post(api + "/events", headers=headers, json=body, timeout=30)
    assert created.status_code == 201 and created.json()["compliance"]["level"] == "blocking", created.text

    def digests_in(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in sent if (m.get("subject") or "").startswith("Période préélectorale")]

    sent = wait_for(
        lambda: requests.get(api + "/dev/outbox", params={"limit": 50}, timeout=10).json()["items"],
        digests_in,
        90,
        every=1,
    )
    digests = digests_in(sent)
    if not digests:
        pytest.fail("the daily electoral check never reported the partisan event")
    assert "communication@ville-demo.fr" in digests[0]["to"]
    view = requests.get(api + digests[0]["view_url"], timeout=10).text
    assert "Forum des associations" in view and "L52-1" in view


def test_ctrl_c_stops_everything_and_removes_the_state_file(stack):
    state, process, state_file = stack
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert not state_file.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(state["api_url"] + "/health", timeout=2)
