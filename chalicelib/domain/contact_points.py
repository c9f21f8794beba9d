"""Email addresses and phone numbers, normalised for storage and lookup.

Emails: RFC 5321/6531 syntax checked by email-validator, no DNS lookup on the request path;
stored in its normalised form (domain lower-cased, Unicode NFC). Phones: parsed by
phonenumbers with France as the default region (national format "06 12 34 56 78"
accepted), stored as E.164 ("+33612345678"), the format SNS requires for SMS.

Both libraries are imported by the functions, not with the module: every route's models name this module, and
the two cost a tenth of a second of each cold start that only a request with an address or a number needs.
"""

from __future__ import annotations

from functools import lru_cache


def normalise_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("Adresse électronique invalide.") from exc


def email_lookup_key(normalised: str) -> str:
    """Key used to find a contact by email (bounces, dedupe): case-insensitive in practice."""
    return normalised.lower()


# Overseas departments and collectivities dial their own country codes, but their numbers are
# written in the French national format ("0692 12 34 56" in La Réunion): a national number
# that is not valid in metropolitan France is tried against them (ARCEP numbering plan).
OVERSEAS_REGIONS = ("RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")


def normalise_phone(value: str, default_region: str = "FR") -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(value.strip(), default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("Numéro de téléphone illisible.") from exc
    if not phonenumbers.is_valid_number(number) and default_region == "FR" and value.strip().startswith("0"):
        for region in OVERSEAS_REGIONS:
            try:
                overseas = phonenumbers.parse(value.strip(), region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(overseas):
                number = overseas
                break
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Numéro de téléphone invalide.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Where French SMS go: metropolitan France and the overseas departments and collectivities listed above.
FRENCH_NUMBERING = frozenset({"FR", *OVERSEAS_REGIONS})


@lru_cache(maxsize=65536)
def mobile_region(e164: str) -> str | None:
    """The region (ISO 3166 code) of a mobile number; None for a fixed line, a VoIP number (« 09 »), a special-rate
    number, a number outside the allocated ranges, or what is not E.164.

    The numbering plans' own ranges (libphonenumber's metadata: ARCEP's allocations for France and its overseas
    territories, e.g. 06 and 073-079 in metropolitan France, 0692/0693 in La Réunion, 0639 in Mayotte), not a
    prefix list. Cached per number: the duplicates job asks about the same numbers many times.
    """
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.region_code_for_number(number)


def is_mobile(e164: str) -> bool:
    """A mobile number, of any country: one person's line, where a landline is a household's."""
    return mobile_region(e164) is not None


def is_french_mobile(e164: str) -> bool:
    """A mobile number of metropolitan France or of its overseas territories: what Agora texts (the tenant's SMS
    price and quiet hours are French ones)."""
    return mobile_region(e164) in FRENCH_NUMBERING
