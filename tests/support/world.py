"""Two tenants with a user per role, logged in through Cognito: the cast of API tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalice.test import Client

from chalicelib import aws
from chalicelib.settings import get_settings
from infra.seed import DemoTenant, DemoUser, principal_for, seed_tenant
from tests.support import contract
from tests.support.responses import ok

# Contact JSON field names: fixed, the frontend depends on them.
CONTACT_FIELDS = {
    "id",
    "kind",
    "civility",
    "honorific",
    "first_name",
    "last_name",
    "organisation_name",
    "emails",
    "phones",
    "address",
    "birth_date",
    "nationality",
    "is_political_party",
    "tags",
    "interests",
    "custom",
    "affiliations",
    "partner_contact_id",
    "address_form",
    "distinctions",
    "protocol_notes",
    "archived",
    "erased_at",
    "legal_hold",
    "version",
    "created_at",
    "updated_at",
}

ROLES = ("admin", "cabinet", "protocole", "communication", "lecteur")


def login(email: str, password: str) -> str:
    result = aws.cognito().initiate_auth(
        ClientId=get_settings().user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])


@dataclass
class World:
    client: Client
    tenants: dict[str, DemoTenant]
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def user(self, tenant: str = "ville", role: str = "admin") -> DemoUser:
        return next(u for u in self.tenants[tenant].users if u.roles == [role])

    def principal(self, tenant: str = "ville", role: str = "admin") -> Any:
        return principal_for(self.tenants[tenant], self.user(tenant, role))

    def headers(self, tenant: str = "ville", role: str = "admin") -> dict[str, str]:
        key = (tenant, role)
        if key not in self.tokens:
            user = self.user(tenant, role)
            self.tokens[key] = login(user.email, user.password)
        return {"Authorization": f"Bearer {self.tokens[key]}", "Content-Type": "application/json"}

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        tenant: str = "ville",
        role: str = "admin",
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Any:
        h = self.headers(tenant, role) if headers is None else headers
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        response = self.client.http.request(method, path, headers=h, body=payload)
        contract.check(method, path, response.status_code, response.headers, response.body)
        return response

    def drain_audit(self) -> list[str]:
        """Feed what requests queued on the audit queue to the `write_audit` handler, as Lambda would."""
        sqs = aws.sqs()
        url = aws.queue_url(get_settings().audit_queue_name)
        bodies: list[str] = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            bodies += [m["Body"] for m in messages]
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)],
            )
        if bodies:
            event = self.client.events.generate_sqs_event(
                message_bodies=bodies, queue_name=get_settings().audit_queue_name
            )
            result = self.client.lambda_.invoke("write_audit", event)
            assert result.payload == {"batchItemFailures": []}
        return bodies

    def drain(self, queue_name: str, handler: str) -> int:
        """Deliver a job queue's messages one at a time to its handler, as Lambda would (batch size 1)."""
        sqs = aws.sqs()
        url = aws.queue_url(queue_name)
        delivered = 0
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
            event = self.client.events.generate_sqs_event(message_bodies=[messages[0]["Body"]], queue_name=queue_name)
            assert self.client.lambda_.invoke(handler, event).payload == {"batchItemFailures": []}
            sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
            delivered += 1
        return delivered

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PATCH", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)

    def interaction(self, contact_id: str, body: dict[str, Any], **kw: Any) -> Any:
        """POST /contacts/{id}/interactions, which must answer 201: the interaction (with its task, if it asked a
        follow-up)."""
        return ok(self.post(f"/contacts/{contact_id}/interactions", body, **kw), 201)

    def mandate(self, contact_id: str, body: dict[str, Any], **kw: Any) -> Any:
        """POST /contacts/{id}/mandates, which must answer 201: the mandate."""
        return ok(self.post(f"/contacts/{contact_id}/mandates", body, **kw), 201)

    def invite(self, event_id: str, contact_ids: list[str], channel: str = "email", **kw: Any) -> Any:
        """POST /events/{id}/invitations, which must answer 201: its body (the invitations created, those skipped)."""
        body = {"contact_ids": contact_ids, "channel": channel}
        return ok(self.post(f"/events/{event_id}/invitations", body, **kw), 201)


def build_world(client: Client) -> World:
    ville = DemoTenant(
        "t-ville",
        "institution",
        "Ville test",
        {"name": "Ville test", "commune_insee": "76540", "departement": "76", "region": "28"},
        [DemoUser(f"{r}@ville.test", [r], password="Test-Password-1") for r in ROLES],
        ("rouen.fr",),  # assigned by the operator: the tenants' senders (infra/tenant.py)
    )
    liste = DemoTenant(
        "t-liste",
        "political",
        "Liste test",
        {"name": "Liste test"},
        [DemoUser(f"{r}@liste.test", [r], password="Test-Password-1") for r in ROLES],
        ("liste-exemple.fr",),
    )
    for tenant in (ville, liste):
        seed_tenant(tenant)
    return World(client, {"ville": ville, "liste": liste})


def publish(topic_name: str, *messages: dict[str, Any] | str) -> None:
    """Publish to one of the app's SNS topics (named without the stage prefix) as AWS would: a dict as its JSON."""
    sns = aws.client("sns")
    topic = next(
        t["TopicArn"]
        for t in sns.list_topics()["Topics"]
        if t["TopicArn"].endswith(f":{get_settings().table_prefix}{topic_name}")
    )
    for message in messages:
        sns.publish(TopicArn=topic, Message=message if isinstance(message, str) else json.dumps(message))
