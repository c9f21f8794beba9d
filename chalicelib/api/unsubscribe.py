"""/public/unsubscribe/{token}: the one-click unsubscribe of campaign emails (RFC 8058) and its page; /public/s/{code}:
the same page reached from the short « STOP » link of a campaign SMS, SMS first.

Mailbox providers POST `List-Unsubscribe=One-Click` to the address of the `List-Unsubscribe` header without a
person seeing anything: that withdraws email consent at once (200). A person following the visible link gets a
French page (no script, no account) where one button does the same, and may also stop SMS; or, keeping the
emails, the person chooses which topics (the tenant's campaign series) it still wants. The signed token names
the tenant and the contact only; an altered or unknown one gets the same page as any invalid link.

The SMS link is short (services/sms_links.py: a code mapped server-side, since a signed token would take a quarter
of the message): its page is rendered at once, not redirected (one request on a phone's connection), and its form
posts to the contact's signed unsubscribe address with `origin=sms`: SMS consent is withdrawn, email too only when
ticked. With an alphanumeric sender ID, French mobiles cannot answer STOP: this page is their way out.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib.api.http import FORM, Api, Ctx, pages
from chalicelib.api.pages import notice, page
from chalicelib.errors import BadRequest, NotFound
from chalicelib.schemas.forms import UnsubscribeForm
from chalicelib.services import consents, sms_links

api = Api(__name__, "public", public=True)
unsubscribe_api = api.resource("/public/unsubscribe/{token}")

MULTIPART = "multipart/form-data"
FORM_TYPES = [FORM, MULTIPART]
# RFC 8058: a mailbox provider sends the one-click POST as multipart (or urlencoded); its fields are not read (an
# unsubscribe from email, whatever they say).
ONE_CLICK = {
    "type": "object",
    "properties": {"List-Unsubscribe": {"const": "One-Click"}},
    "description": "The RFC 8058 one-click POST: email consent is withdrawn",
}
CHANNEL_LABELS = {"email": "les courriels", "sms": "les SMS"}


def _invalid() -> Response:
    return notice(
        404,
        "Lien introuvable",
        "Ce lien de désinscription n'est pas valide. Vérifiez qu'il a été copié en entier, ou écrivez à "
        "l'expéditeur du message pour ne plus rien recevoir.",
        "link_invalid.html",
    )


@unsubscribe_api.get(answers=pages(200, 404))
def unsubscribe_page(ctx: Ctx, token: str) -> Response:
    """The unsubscribe page of a campaign email's link (HTML, French, no script)"""
    try:
        contact = consents.resolve(token)
    except NotFound:
        return _invalid()
    current = consents.email_consent(contact)
    declined = consents.declined_topics(contact)
    return page(
        "unsubscribe.html",
        tenant_name=consents.sender_name(contact.tenant_id),
        page_title="Se désinscrire",
        already=current is not None and current.status == "withdrawn",
        origin="email",
        action=None,
        has_phone=bool(contact.doc.get("phones")),
        topics=[
            {"id": f"topic-{n}", "name": name, "kept": name not in declined}
            for n, name in enumerate(consents.topics_of(contact.tenant_id))
        ],
    )


@unsubscribe_api.post(
    answers=pages(200, 404), content_types=FORM_TYPES, bodies={FORM: UnsubscribeForm, MULTIPART: ONE_CLICK}
)
def unsubscribe(ctx: Ctx, token: str) -> Response:
    """Unsubscribe: the RFC 8058 one-click POST (List-Unsubscribe=One-Click) or the page's form"""
    try:
        contact = consents.resolve(token)
    except NotFound:
        return _invalid()
    fields = _fields(ctx)
    if fields.get("action") == ["topics"]:  # the page's choice of topics, never the RFC 8058 POST
        declined = consents.set_topics(contact, fields.get("topic", []))
        kept = [t for t in consents.topics_of(contact.tenant_id) if t not in declined]
        message = "Vos choix sont enregistrés. "
        message += f"Vous recevrez : {', '.join(kept)}. " if kept else "Vous ne recevrez plus aucune de ces lettres. "
        if declined and kept:
            message += f"Vous ne recevrez plus : {', '.join(sorted(declined))}."
        return page(
            "unsubscribe_done.html",
            tenant_name=consents.sender_name(contact.tenant_id),
            page_title="Vos choix sont enregistrés",
            message=message.strip(),
        )
    if fields.get("origin") == ["sms"]:  # the page of an SMS's link: SMS always, email when ticked
        channels = ["sms"] + (["email"] if "email" in fields.get("channel", []) else [])
    else:
        channels = ["email"] + (["sms"] if "sms" in fields.get("channel", []) else [])
    params = ctx.request.query_params
    campaign_id = params.get("campagne") if params else None
    consents.unsubscribe(contact, channels, campaign_id=campaign_id)
    stopped = " et ".join(CHANNEL_LABELS[c] for c in channels)
    return page(
        "unsubscribe_done.html",
        tenant_name=consents.sender_name(contact.tenant_id),
        page_title="Vous êtes désinscrit(e)",
        message=f"C'est fait : vous ne recevrez plus {stopped} d'information de cet expéditeur. Les messages liés à "
        "une invitation que vous avez acceptée peuvent encore vous parvenir.",
    )


@api.get("/public/s/{code}", answers=pages(200, 404))
def sms_stop_page(ctx: Ctx, code: str) -> Response:
    """The page of a campaign SMS's short STOP link: stop SMS (and email if ticked); HTML, French, no script"""
    try:
        contact, action = sms_links.resolve(code)
    except NotFound:
        return _invalid()
    return page(
        "unsubscribe.html",
        tenant_name=consents.sender_name(contact.tenant_id),
        page_title="Ne plus recevoir de SMS",
        already=sms_links.sms_withdrawn(contact),
        origin="sms",
        action=action,
        has_email=bool(contact.doc.get("emails")),
        has_phone=True,
        topics=[],  # topics are chosen for emails, on the email's page
    )


def _fields(ctx: Ctx) -> dict[str, list[str]]:
    """The form's fields (a one-click POST sends `List-Unsubscribe=One-Click`, which needs nothing more)."""
    if ctx.media_type() != FORM:
        return {}
    try:
        return ctx.form(10)
    except BadRequest:
        return {}
