"""Email addresses and phone numbers, normalised for storage and lookup.

Emails: RFC 5321/6531 syntax checked by email-validator, no DNS lookup on the request path;
stored in its normalised form (domain lower-cased, Unicode NFC). Phones: parsed by
phonenumbers with France as the default region (national format "06 12 34 56 78"
accepted), stored as E.164 ("+33612345678"), the format SNS requires for SMS.

Both libraries are imported by the functions, not with the module: every route's models name this module, and
the two cost a tenth of a second of each cold start that only a request with an address or a number needs.
"""

from __future__ import annotations


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
