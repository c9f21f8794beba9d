"""The forms of the public pages (application/x-www-form-urlencoded), as /openapi.json describes them.

The routes read these fields by hand (urllib.parse.parse_qs) so that a page re-shows everything typed with its
errors; these models document the fields the templates under templates/public/ post, they validate nothing (Model:
built when the document is, not at the import of a cold start).
A repeated field (a checkbox, a companion) is a list.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from chalicelib.schemas.common import Model


class RsvpForm(Model):
    """The RSVP page's form (templates/public/rsvp.html)."""

    model_config = ConfigDict(title="RsvpForm")

    response: Literal["accept", "decline", "represented"]
    companion: list[str] = Field(default=[], description="One per companion (accept only)")
    representative_name: str | None = Field(default=None, description="Who will attend instead (represented only)")
    representative_function: str | None = None


class UnsubscribeForm(Model):
    """The unsubscribe page's form, or a mailbox provider's one-click POST (RFC 8058: `List-Unsubscribe=One-Click`,
    nothing else): email consent is withdrawn either way, unless ``action`` is `topics`."""

    model_config = ConfigDict(title="UnsubscribeForm")

    List_Unsubscribe: Literal["One-Click"] | None = Field(default=None, alias="List-Unsubscribe")
    action: Literal["topics"] | None = Field(
        default=None, description="`topics`: keep the emails, only of the topics ticked"
    )
    origin: Literal["email", "sms"] | None = Field(
        default=None, description="`sms` (the page of an SMS's STOP link): SMS consent is withdrawn first"
    )
    channel: list[Literal["email", "sms"]] = Field(default=[], description="The other channel to stop too")
    topic: list[str] = Field(default=[], description="The topics (campaign series) still wanted")


class ConsultationForm(Model):
    """The consultation page's form (templates/public/consultation.html): one field per question, named by its id
    (repeated for a multiple choice; `<id>.<option index>` = rank for a ranking), the consent, and a trap field
    that a person leaves empty."""

    model_config = ConfigDict(title="ConsultationForm", extra="allow")

    consent: Literal["oui"] | None = Field(default=None, description="`oui`: the respondent consents to the notice")
    site_web: str | None = Field(default=None, description="Hidden trap field: filled by robots only")


class PrivacyRequestForm(Model):
    """The form of a request of access or erasure (RGPD art. 15, 17; templates/public/privacy_form.html)."""

    model_config = ConfigDict(title="PrivacyRequestForm")

    kind: Literal["access", "erasure"]
    email: str
    name: str
    message: str | None = None
    website: str | None = Field(default=None, description="Hidden trap field: filled by robots only")
