"""Run in a fresh interpreter (tests/api/test_cold_start.py): the app imported for the first time, under moto, then
one call of each kind it answers, each the first of its kind in the process. What the app defers past its import
(pydantic models built on first use, fpdf, segno, phonenumbers, email-validator imported where they are used) must
be there when a request needs it. Prints one JSON object: what each call answered, and the deferred modules
loaded before and after the calls.

    python -m tests.support.first_requests
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.environment import use_local_stage

use_local_stage({"AGORA_LOG_LEVEL": "WARNING"})

import moto  # noqa: E402,F401  (before any boto3 client)
from moto import mock_aws  # noqa: E402

DEFERRED = ("fpdf", "segno", "phonenumbers", "email_validator", "openpyxl")


def loaded() -> list[str]:
    return [name for name in DEFERRED if name in sys.modules]


def answer(response: Any) -> dict[str, Any]:
    """Status, content type and the start of the body (bytes as text where they are text)."""
    body = response.body
    head = body[:5].decode("latin-1") if isinstance(body, bytes) else str(body)[:5]
    return {"status": response.status_code, "type": response.headers.get("Content-Type", ""), "head": head}


def run() -> dict[str, Any]:
    from chalice.test import Client

    from tests.support.provisioned import provision_app

    with mock_aws():
        provision_app()

        import app

        before = loaded()
        from tests.support.responses import ok
        from tests.support.world import build_world

        calls: dict[str, Any] = {}
        with Client(app.app, stage_name="local") as client:
            world = build_world(client)
            pdf = {**world.headers(), "Accept": "application/pdf"}
            calls["public_json"] = answer(world.get("/health", headers={}))
            person = {
                "kind": "person",
                "civility": "Mme",
                "first_name": "Anne",
                "last_name": "Martin",
                "emails": ["Anne.Martin@Exemple.FR"],
                "phones": ["06 12 34 56 78"],
            }
            created = world.post("/contacts", person)
            calls["create"] = answer(created)
            contact = json.loads(created.body)
            calls["stored_email"] = contact["emails"]
            calls["stored_phone"] = contact["phones"]
            refused = world.post("/contacts", {**person, "emails": ["pas une adresse"]})
            calls["refused"] = {**answer(refused), "details": json.loads(refused.body)["error"]["details"]}
            calls["list_with_query"] = answer(world.get("/contacts?limit=5"))
            ceremony = {"departement": "76", "commune_insee": "76540", "date": "2027-01-15"}
            sheet = world.request(
                "POST", "/protocol/precedence", {"contact_ids": [contact["id"]], "ceremony": ceremony}
            )
            calls["json_from_domain"] = answer(sheet)
            calls["pdf"] = answer(
                world.request(
                    "POST",
                    "/protocol/precedence",
                    {"contact_ids": [contact["id"]], "ceremony": ceremony},
                    headers=pdf,
                )
            )
            starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()
            event = ok(
                world.post(
                    "/events", {"title": "Vœux du maire", "kind": "voeux", "starts_at": starts, "status": "open"}
                ),
                201,
            )
            world.invite(event["id"], [contact["id"]])
            guests = ok(world.get(f"/events/{event['id']}/guests?limit=10"))["items"]
            ok(world.post(f"/events/{event['id']}/invitations/send", {"acknowledge_warnings": True}))
            token = guests[0]["rsvp_url"].rsplit("/", 1)[1]
            calls["public_page"] = answer(world.request("GET", f"/public/rsvp/{token}", headers={}))
            public_json = {"Content-Type": "application/json"}
            calls["public_answer"] = answer(
                world.request("POST", f"/public/rsvp/{token}", {"response": "accept"}, headers=public_json)
            )
            calls["pdf_with_qr_codes"] = answer(world.request("GET", f"/events/{event['id']}/badges", headers=pdf))
            calls["openapi"] = answer(world.get("/openapi.json", headers={}))
            calls["queue_job_audit_entries"] = len(world.drain_audit())
            schedule = client.events.generate_cw_event(
                source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
            )
            calls["schedule"] = client.lambda_.invoke("send_reminders", schedule).payload
        return {"loaded_by_import": before, "loaded_by_calls": loaded(), "calls": calls}


if __name__ == "__main__":
    print(json.dumps(run()))
