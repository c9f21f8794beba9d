"""SMS text rules: the encoding a message needs, how many segments it takes, what a campaign will cost, and the
opt-out mention every message ends with.

Encoding (3GPP TS 23.038 §6.2.1, the GSM 7-bit default alphabet): a text written only with the basic table's
characters travels in GSM-7, one septet each; a character of the extension table costs two septets (ESC + code);
any other character forces the whole message into UCS-2, where each UTF-16 code unit counts (an emoji outside the
Basic Multilingual Plane is two).

Segments (3GPP TS 23.040 §9.2.3.24.1, concatenated SMS): a single message holds 160 septets or 70 UCS-2 units; a
longer one is split into segments that each lose 6 octets to the User Data Header, leaving 153 septets or 67 units.
Phones reassemble the segments, so an escape pair (`€` is ESC + 0x65) or a surrogate pair is never split across
two: it moves whole to the next segment, which is why counting is a packing, not a division.

For French texts the basic table holds é, è, à, ù (and É) but not ê, â, î, ô, û, œ, ç, À, È: one of those turns the
whole message into UCS-2, at 70 characters a segment instead of 160.

The text counted must be the one sent: `with_opt_out` builds it (body + « STOP : <link> »), and the sender passes
that same string to SNS.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Final, Literal

Encoding = Literal["GSM-7", "UCS-2"]
GSM_7: Final = "GSM-7"
UCS_2: Final = "UCS-2"

# 3GPP TS 23.038 §6.2.1, figure "GSM 7 bit default alphabet", in code order 0x00–0x7F; 0x1B is the escape to the
# extension table (never a character of its own), written here as the placeholder it is left out by.
_BASIC_TABLE: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå"  # 0x00–0x0F (0x09 is the capital Ç; the small ç is not in the alphabet)
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"  # 0x10–0x1F (0x1B: escape)
    " !\"#¤%&'()*+,-./"  # 0x20–0x2F
    "0123456789:;<=>?"  # 0x30–0x3F
    "¡ABCDEFGHIJKLMNO"  # 0x40–0x4F
    "PQRSTUVWXYZÄÖÑÜ§"  # 0x50–0x5F
    "¿abcdefghijklmno"  # 0x60–0x6F
    "pqrstuvwxyzäöñüà"  # 0x70–0x7F
)
assert len(_BASIC_TABLE) == 128
BASIC: Final = frozenset(_BASIC_TABLE) - {"\x1b"}

# 3GPP TS 23.038 §6.2.1.1, the default extension table: each is sent as ESC followed by its code, two septets.
EXTENSION: Final = frozenset("\f^{}\\[~]|€")

SINGLE_GSM_7: Final = 160  # septets in one message
SEGMENT_GSM_7: Final = 153  # septets per segment of a concatenated message (160 − 7 for the 6-octet UDH)
SINGLE_UCS_2: Final = 70  # UTF-16 code units in one message
SEGMENT_UCS_2: Final = 67  # code units per segment of a concatenated message (70 − 3 for the UDH)

# The opt-out mention. A plain space before the colon, not French typography's no-break space (U+00A0): that one is
# not in the GSM-7 alphabet and would turn every message into UCS-2.
STOP_MENTION: Final = "STOP : {link}"


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the basic or extension table, else UCS-2."""
    return GSM_7 if all(c in BASIC or c in EXTENSION for c in text) else UCS_2


def units(text: str, enc: Encoding | None = None) -> list[int]:
    """The size of each character in its encoding, in the order sent: septets for GSM-7 (2 for an extension
    character), UTF-16 code units for UCS-2 (2 for a character outside the Basic Multilingual Plane)."""
    enc = enc or encoding(text)
    if enc == GSM_7:
        return [2 if c in EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def septets(text: str) -> int:
    """The GSM-7 length of a text that is GSM-7 (ValueError otherwise: it is sent as UCS-2)."""
    if encoding(text) != GSM_7:
        raise ValueError("not a GSM-7 text")
    return sum(units(text, GSM_7))


def segments(text: str) -> int:
    """How many segments the text is sent in (0 for the empty text, which is never sent)."""
    enc = encoding(text)
    sizes = units(text, enc)
    single, per_segment = (SINGLE_GSM_7, SEGMENT_GSM_7) if enc == GSM_7 else (SINGLE_UCS_2, SEGMENT_UCS_2)
    if not sizes:
        return 0
    if sum(sizes) <= single:
        return 1
    count, used = 1, 0
    for size in sizes:  # an escape or surrogate pair that does not fit moves whole to the next segment
        if used + size > per_segment:
            count, used = count + 1, 0
        used += size
    return count


@dataclass(frozen=True)
class Estimate:
    """What a campaign's preview shows before sending: one text, the same for every recipient."""

    encoding: Encoding
    segments_per_message: int
    recipients: int
    total_segments: int
    estimated_cost_cents: int


def estimate(text: str, recipients: int, price_cents_per_segment: Decimal | int | str) -> Estimate:
    """Segments and cost of sending `text` (the text sent, opt-out mention included) to `recipients` numbers. The
    cost is rounded up to the cent: an estimate that falls short would surprise the tenant's budget."""
    if recipients < 0:
        raise ValueError("recipients must not be negative")
    price = Decimal(str(price_cents_per_segment))
    if price < 0:
        raise ValueError("the price must not be negative")
    per_message = segments(text)
    total = per_message * recipients
    cost = (price * total).to_integral_value(rounding=ROUND_CEILING)
    return Estimate(encoding(text), per_message, recipients, total, int(cost))


def with_opt_out(text: str, link: str) -> str:
    """The text sent: the body (NFC-normalised, so that a decomposed « é » typed on some keyboards counts and
    travels as the GSM-7 « é » it is, and trailing blanks dropped) followed by the opt-out mention on its own line.

    With an alphanumeric sender ID French mobiles cannot reply, so the link (the preferences page, SMS channel) is
    the opt-out path; each message must carry it (CNIL, communication politique par SMS: a « STOP SMS » mechanism
    or an unsubscribe link in every message)."""
    if not link or any(c.isspace() for c in link):
        raise ValueError("the opt-out link must be one word")
    body = unicodedata.normalize("NFC", text).rstrip()
    mention = STOP_MENTION.format(link=link)
    return f"{body}\n{mention}" if body else mention


def estimate_texts(texts: Iterable[str], price_cents_per_segment: Decimal | int | float | str) -> Estimate:
    """The estimate of a campaign whose texts differ per recipient (a name, a link): UCS-2 if any text needs it,
    the longest text's segments per message, every text's segments in the total, the cost rounded up to the cent
    (on the total, so that rounding is paid once, not once per message)."""
    price = Decimal(str(price_cents_per_segment))
    if price < 0:
        raise ValueError("the price must not be negative")
    enc: Encoding = GSM_7
    longest = total = recipients = 0
    for text in texts:
        recipients += 1
        if encoding(text) == UCS_2:
            enc = UCS_2
        count = segments(text)
        longest, total = max(longest, count), total + count
    cost = (price * total).to_integral_value(rounding=ROUND_CEILING)
    return Estimate(enc, longest, recipients, total, int(cost))
