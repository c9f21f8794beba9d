"""The fast serialisation of text-and-HTML emails (messaging/mime.py) reads, once parsed by the standard library,
exactly as what EmailMessage writes for the same email: same headers, same texts; and it never lets a header value
write a header of its own."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

import pytest

from chalicelib.messaging import mime
from chalicelib.messaging.outbound import Attachment, Email, build_mime, raw_email

LONG = "Conseil municipal de Saint-Rémy-de-Provence : ordre du jour détaillé de la séance extraordinaire " * 3
EMAILS = [
    Email(to="a@example.fr", subject="Bonjour", text="Un texte simple.", sender=("Mairie", "mairie@example.fr")),
    Email(
        to="elodie.dupre@example.fr",
        subject="Vœux 2027 — « Ensemble » 🎉",
        text="Madame,\n\nLigne avec accents : é è à ç œ.\nFin = égal ==\n",
        html="<p>Madame,</p><p>Texte <strong>important</strong> = 3 €</p>",
        sender=("Mairie de Saint-Étienne-du-Rouvray", "mairie@example.fr"),
        reply_to="r+abc@replies.example.fr",
        list_unsubscribe="<mailto:r+abc@replies.example.fr?subject=desabonnement>",
        one_click_url="https://api.example.fr/public/unsubscribe/" + "x" * 180,
    ),
    Email(
        to="b@example.fr",
        subject=LONG,
        text=("Une ligne très longue sans retour " * 20) + "\n   espaces finaux   \n\ttab\n",
        html="<div>" + ("&lt;échappé&gt; " * 60) + "</div>",
        sender=('Cabinet "du maire", <service>', "cabinet@example.fr"),
    ),
    Email(to="c@example.fr", subject="Fenêtres : CRLF dans le texte", text="a\r\nb\r\n", sender=("", "x@example.fr")),
    Email(to="élodie.dupré@example.fr", subject="Adresse accentuée", text="x", sender=("M", "m@example.fr")),
    Email(to="d@example.fr", subject="Sans HTML", text="", html="", sender=("Ville", "ville@example.fr")),
]


def _parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _read(message: EmailMessage) -> dict[str, object]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "headers": {
            name: str(message[name])
            for name in ("From", "To", "Subject", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post")
        },
        "text": plain.get_content().replace("\r\n", "\n").rstrip("\n") if plain else None,  # type: ignore[attr-defined]
        "html": html.get_content().rstrip("\n") if html and html is not plain else None,  # type: ignore[attr-defined]
        "types": [part.get_content_type() for part in message.walk()],
    }


@pytest.mark.parametrize("sample", EMAILS, ids=lambda e: e.subject[:20])
def test_the_fast_bytes_read_as_emailmessage_writes_them(sample: Email) -> None:
    fast, recorded = raw_email(sample)
    slow = build_mime(sample)
    assert _read(_parsed(fast)) == _read(_parsed(slow.as_bytes()))
    assert recorded == {
        name: str(slow[name])
        for name in ("Message-ID", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post")
        if slow[name] is not None and name != "Message-ID"
    } | {"Message-ID": recorded["Message-ID"]}


@pytest.mark.parametrize("sample", EMAILS[:3], ids=["plain", "accents", "long"])
def test_every_line_is_short_and_ascii(sample: Email) -> None:
    """RFC 5322: at most 78 characters a line, but for a single token longer than that (a long link, never broken;
    998 is the hard limit); 7-bit, whatever the text."""
    fast, _ = raw_email(sample)
    assert fast.isascii()
    long_lines = [line for line in fast.split(b"\n") if len(line) > 78]
    assert all(len(line) <= 998 and b" " not in line.split(b": ", 1)[-1].strip() for line in long_lines), long_lines


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", "Objet\nBcc: victime@example.fr"), ("to", "a@example.fr\r\nBcc: b@example.fr")],
)
def test_a_line_break_in_a_header_is_refused(field: str, value: str) -> None:
    sample = Email(to="a@example.fr", subject="x", text="y", sender=("M", "m@example.fr"))
    with pytest.raises(mime.HeaderInjection):
        raw_email(Email(**{**sample.__dict__, field: value}))


def test_an_email_with_an_attachment_keeps_emailmessage() -> None:
    sample = Email(
        to="a@example.fr",
        subject="Invitation",
        text="Voir la pièce jointe.",
        sender=("Mairie", "mairie@example.fr"),
        attachments=(Attachment("invitation.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR\n"),),
    )
    fast, _ = raw_email(sample)
    parsed = _parsed(fast)
    assert "text/calendar" in [p.get_content_type() for p in parsed.walk()]
    assert parsed.get_body(preferencelist=("plain",)).get_content().strip() == "Voir la pièce jointe."  # type: ignore[union-attr]


def test_a_display_name_is_never_an_address() -> None:
    """A name like « x <evil@example.com> » stays a name: the address read back is the sender's."""
    sample = Email(to="a@example.fr", subject="x", text="y", sender=("Maire <evil@example.com>", "m@example.fr"))
    parsed = _parsed(raw_email(sample)[0])
    assert parsed["From"].addresses[0].addr_spec == "m@example.fr"  # type: ignore[attr-defined]
    assert parsed["From"].addresses[0].display_name == "Maire <evil@example.com>"  # type: ignore[attr-defined]
