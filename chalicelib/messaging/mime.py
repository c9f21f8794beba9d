"""Serialising an email without attachments, fast: a campaign sends thousands of them.

`email.message.EmailMessage` parses every header it is given into a tree and folds it again on output: about as
long as SES takes to accept the message (bench/campaign.py measured the two side by side). An email of text and
HTML alone needs none of that: its headers are an address, a subject and a few ASCII values, encoded here with
`email.header.Header` (RFC 2047 encoded words, folded under 78 characters) and its parts in quoted-printable
(RFC 2045). tests/unit/test_mime.py parses what comes out with the standard library and checks that it reads as
what EmailMessage writes for the same email. Messages with attachments keep EmailMessage (outbound.build_mime).
"""

from __future__ import annotations

import quopri
import secrets
from collections.abc import Sequence
from email.header import Header
from email.utils import formataddr

MAX_LINE = 78  # RFC 5322 §2.1.1: lines SHOULD be at most 78 characters


class HeaderInjection(ValueError):
    """A header value carrying a line break would let its text write headers of its own."""


def address(name: str, addr: str) -> str:
    """« Name <addr> »: an ASCII name quoted where it must be (formataddr), any other name in encoded words."""
    if not name:
        return addr
    if name.isascii():
        return formataddr((name, addr))
    return f"{Header(name, 'utf-8', maxlinelen=MAX_LINE - 2).encode()} <{addr}>"


def header_line(name: str, value: str) -> str:
    """`Name: value`, folded; non-ASCII text as UTF-8 encoded words. An address header is expected already encoded
    by `address`."""
    if "\r" in value or "\n" in value:
        raise HeaderInjection(f"line break in the {name} header")
    if not value.isascii():
        return f"{name}: " + Header(value, "utf-8", maxlinelen=MAX_LINE, header_name=name).encode(linesep="\n")
    # Folding puts a line break before a space (RFC 5322 §2.2.3), which unfolding takes away again: the value read
    # back is the value given. A token longer than a line (a long link) stays whole, up to the 998 of §2.1.1.
    tokens = value.split(" ")
    lines = [f"{name}: {tokens[0]}"]
    for token in tokens[1:]:
        if len(lines[-1]) + 1 + len(token) > MAX_LINE:
            lines.append(f" {token}")
        else:
            lines[-1] += f" {token}"
    return "\n".join(lines)


def _part(content_type: str, text: str) -> str:
    body = quopri.encodestring(text.replace("\r\n", "\n").encode("utf-8")).decode("ascii")
    if not body.endswith("\n"):
        body += "\n"
    return (
        f'Content-Type: {content_type}; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n"
        "MIME-Version: 1.0\n"
        f"\n{body}"
    )


def serialise(headers: Sequence[tuple[str, str]], text: str, html: str | None) -> bytes:
    """The message's bytes: the headers in order, then the text alone or text and HTML as alternatives."""
    head = "".join(header_line(name, value) + "\n" for name, value in headers)
    if html is None:
        return (head + _part("text/plain", text)).encode("ascii")
    parts = (_part("text/plain", text), _part("text/html", html))
    boundary = "=_" + secrets.token_hex(12)  # quoted-printable writes « = » as « =3D »: never in a part
    body = "".join(f"--{boundary}\n{p}" for p in parts) + f"--{boundary}--\n"
    return (head + f'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="{boundary}"\n\n' + body).encode(
        "ascii"
    )
