"""The contact contract: field-by-field French errors with the frontend's paths
("emails[1]", "address.postcode"), normalised emails and phones, unknown fields refused,
cross-field rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.domain.contact_points import email_lookup_key, normalise_email, normalise_phone
from chalicelib.errors import ValidationFailed
from chalicelib.schemas.contacts import ContactCreate, ContactListQuery, ContactPatch
from chalicelib.schemas.interactions import InteractionCreate
from chalicelib.schemas.tenancy import FieldCreate, SettingsPatch, UserCreate
from chalicelib.schemas.validation import field_path, parse

ORG_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
PERSON = {"kind": "person", "last_name": "Dupont"}
ENGLISH_HINTS = ("Input should", "Field required", "Value error", "value is not", " or ", "Extra inputs")


def errors_of(model: Any, data: Any) -> list[dict[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        parse(model, data)
    assert caught.value.status == 422
    assert caught.value.code == "validation_error"
    return caught.value.details


def assert_french(details: list[dict[str, str]]) -> None:
    for d in details:
        assert d["message"], d
        assert not any(hint in d["message"] for hint in ENGLISH_HINTS), d


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param({"emails": ["a@b.fr", "nope"]}, "emails[1]", "Adresse électronique invalide.", id="emails-index"),
        pytest.param({"emails": ["jean@@x.fr"]}, "emails[0]", "Adresse électronique invalide.", id="emails-double-at"),
        pytest.param({"emails": "a@b.fr"}, "emails", "Doit être une liste.", id="emails-not-list"),
        pytest.param({"emails": [42]}, "emails[0]", "Doit être une chaîne de caractères.", id="email-number"),
        pytest.param({"phones": ["abc"]}, "phones[0]", "Numéro de téléphone illisible.", id="phone-unreadable"),
        pytest.param({"phones": ["06 12"]}, "phones[0]", "Numéro de téléphone invalide.", id="phone-too-short"),
        pytest.param({"address": {"postcode": "7500"}}, "address.postcode", "Format invalide.", id="postcode"),
        pytest.param({"address": {"insee_code": "2C123"}}, "address.insee_code", "Format invalide.", id="insee"),
        pytest.param({"address": {"street": "x"}}, "address.street", "Champ inconnu.", id="address-unknown"),
        pytest.param({"address": []}, "address", "Doit être un objet.", id="address-not-object"),
        pytest.param({"address": {"lines": ["a"] * 5}}, "address.lines", "Au plus 4 éléments.", id="address-lines"),
        pytest.param({"foo": 1}, "foo", "Champ inconnu.", id="unknown-field"),
        pytest.param({"version": 1}, "version", "Champ inconnu.", id="version-on-create"),
        pytest.param({"id": ORG_ID}, "id", "Champ inconnu.", id="id-on-create"),
        pytest.param(
            {"civility": "Mlle"},
            "civility",
            "Valeur non autorisée ; valeurs possibles : 'M' ou 'Mme'.",
            id="civility-literal",
        ),
        pytest.param(
            {"kind": "alien"},
            "kind",
            "Valeur non autorisée ; valeurs possibles : 'person' ou 'organisation'.",
            id="kind-literal",
        ),
        pytest.param({"last_name": None}, "last_name", "Le nom est obligatoire pour une personne.", id="name-null"),
        pytest.param({"last_name": "   "}, "last_name", "Ne doit pas être vide.", id="name-blank"),
        pytest.param({"last_name": 12}, "last_name", "Doit être une chaîne de caractères.", id="name-number"),
        pytest.param({"last_name": "x" * 101}, "last_name", "Au plus 100 caractères.", id="name-too-long"),
        pytest.param({"first_name": "a\x00b"}, "first_name", "Caractères de contrôle interdits.", id="nul-byte"),
        pytest.param({"first_name": "a\x1bb"}, "first_name", "Caractères de contrôle interdits.", id="escape"),
        pytest.param({"tags": [str(n) for n in range(26)]}, "tags", "Au plus 25 éléments.", id="too-many-tags"),
        pytest.param({"tags": [{"a": 1}]}, "tags[0]", "Doit être une chaîne de caractères.", id="tag-object"),
        pytest.param({"custom": []}, "custom", "Doit être un objet.", id="custom-not-object"),
        pytest.param(
            {"affiliations": [{"organisation_id": "x"}]},
            "affiliations[0].organisation_id",
            "Format invalide.",
            id="affiliation-id",
        ),
        pytest.param(
            {"affiliations": [{"organisation_id": ORG_ID, "start": "2020-01-01", "end": "2019-01-01"}]},
            "affiliations[0]",
            "La date de fin précède la date de début.",
            id="affiliation-end-before-start",
        ),
        pytest.param({"affiliations": {"a": 1}}, "affiliations", "Doit être une liste.", id="affiliations-object"),
        pytest.param(
            {"distinctions": [{"order": "palmes_academiques", "grade": "officier"}]},
            "distinctions[0].order",
            "Valeur non autorisée ; valeurs possibles : 'legion_honneur', 'liberation' ou 'ordre_national_merite'.",
            id="distinction-unknown-order",
        ),
        pytest.param(
            {"distinctions": [{"order": "liberation", "grade": "grand_officier"}]},
            "distinctions[0].grade",
            "Grade inconnu dans cet ordre ; grades possibles : compagnon.",
            id="distinction-grade-of-another-order",
        ),
        pytest.param(
            {"distinctions": [{"order": "legion_honneur", "grade": "officier", "date": "2020-01-01"}]},
            "distinctions[0].date",
            "Champ inconnu.",
            id="distinction-unknown-field",
        ),
        pytest.param(
            {
                "distinctions": [
                    {"order": "legion_honneur", "grade": "officier"},
                    {"order": "legion_honneur", "grade": "commandeur"},
                ]
            },
            "distinctions",
            "Un seul grade par ordre : on ne garde que le plus élevé.",
            id="distinction-one-grade-per-order",
        ),
        pytest.param(
            {"distinctions": [{"order": "legion_honneur", "grade": "officier"}] * 4},
            "distinctions",
            "Au plus 3 éléments.",
            id="distinctions-too-many",
        ),
        pytest.param(
            {"birth_date": (date.today() + timedelta(days=1)).isoformat()},
            "birth_date",
            "La date de naissance ne peut pas être dans le futur.",
            id="birth-in-future",
        ),
        pytest.param({"birth_date": "1800-01-01"}, "birth_date", "Date hors des limites (1900–2200).", id="birth-1800"),
        pytest.param(
            {"birth_date": "31/12/1980"},
            "birth_date",
            "Date invalide (format attendu AAAA-MM-JJ).",
            id="birth-french-format",
        ),
        pytest.param({"nationality": "fr"}, "nationality", "Format invalide.", id="nationality-lower-case"),
        pytest.param(
            {"address_form": "modern"},
            "address_form",
            "Valeur non autorisée ; valeurs possibles : 'traditional'.",
            id="address-form",
        ),
        pytest.param(
            {"partner_contact_id": 5}, "partner_contact_id", "Doit être une chaîne de caractères.", id="partner-type"
        ),
        pytest.param({"partner_contact_id": "../../etc"}, "partner_contact_id", "Format invalide.", id="partner-path"),
        pytest.param(
            {"protocol_notes": "x" * 5001}, "protocol_notes", "Au plus 5000 caractères.", id="protocol-notes-length"
        ),
    ],
)
def test_one_invalid_field(change: dict[str, Any], field: str, message: str) -> None:
    details = errors_of(ContactCreate, {**PERSON, **change})
    assert details == [{"field": field, "message": message}]
    assert_french(details)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"last_name": "Dupont"}, "kind", "Ce champ est obligatoire.", id="kind-required"),
        pytest.param({"kind": "person"}, "last_name", "Le nom est obligatoire pour une personne.", id="person-name"),
        pytest.param(
            {"kind": "organisation", "last_name": "X"},
            "organisation_name",
            "Le nom de l'organisation est obligatoire.",
            id="organisation-name",
        ),
        pytest.param(
            {"kind": "organisation", "organisation_name": "Mairie", "civility": "M"},
            "kind",
            "Une organisation n'a ni civilité, ni date de naissance, ni conjoint.",
            id="organisation-civility",
        ),
        pytest.param(
            {"kind": "organisation", "organisation_name": "Mairie", "birth_date": "1990-01-01"},
            "kind",
            "Une organisation n'a ni civilité, ni date de naissance, ni conjoint.",
            id="organisation-birth-date",
        ),
        pytest.param(
            {"kind": "organisation", "organisation_name": "Mairie", "partner_contact_id": ORG_ID},
            "kind",
            "Une organisation n'a ni civilité, ni date de naissance, ni conjoint.",
            id="organisation-partner",
        ),
        pytest.param([], "body", "Doit être un objet.", id="not-an-object"),
    ],
)
def test_cross_field_rules(data: Any, field: str, message: str) -> None:
    assert errors_of(ContactCreate, data) == [{"field": field, "message": message}]


def test_every_invalid_field_is_listed() -> None:
    details = errors_of(
        ContactCreate,
        {
            "kind": "person",
            "last_name": "Dupont",
            "civility": "Mlle",
            "emails": ["ok@exemple.fr", "pas-une-adresse", "toujours@pas@bon"],
            "phones": ["n'importe quoi"],
            "address": {"postcode": "ABCDE", "city": "x" * 101, "rue": "?"},
            "tags": "riverain",
            "nationality": "France",
            "surnom": "Jeannot",
        },
    )
    assert {d["field"] for d in details} == {
        "civility",
        "emails[1]",
        "emails[2]",
        "phones[0]",
        "address.postcode",
        "address.city",
        "address.rue",
        "tags",
        "nationality",
        "surnom",
    }
    assert_french(details)


def test_valid_person_is_normalised() -> None:
    contact = parse(
        ContactCreate,
        {
            "kind": "person",
            "civility": "Mme",
            "honorific": " Docteur ",
            "first_name": "  Hélène ",
            "last_name": "Lefèvre-Dubois",
            "emails": [" Helene.Lefevre@Exemple.FR ", "Helene.Lefevre@exemple.fr", "h.l@exemple.fr"],
            "phones": ["06 12 34 56 78", "+33 6 12 34 56 78", "01.42.68.53.00"],
            "tags": ["Riverain", "Riverain", "Vœux 2026"],
            "interests": ["culture", "culture"],
            "address": {"lines": ["12 rue du Gros-Horloge"], "postcode": "76000", "insee_code": "2A004"},
            "birth_date": "1970-05-17",
            "nationality": "FR",
            "affiliations": [{"organisation_id": ORG_ID, "role": "Présidente", "start": "2020-07-03"}],
            "address_form": "traditional",
        },
    )
    assert contact.first_name == "Hélène"
    assert contact.honorific == "Docteur"
    assert contact.emails == ["Helene.Lefevre@exemple.fr", "h.l@exemple.fr"]
    assert contact.phones == ["+33612345678", "+33142685300"]
    assert contact.tags == ["Riverain", "Vœux 2026"]
    assert contact.interests == ["culture"]
    assert contact.address is not None and contact.address.insee_code == "2A004"
    assert contact.birth_date == date(1970, 5, 17)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        pytest.param("Helene.Lefevre@Exemple.FR", "Helene.Lefevre@exemple.fr", id="domain-lower-cased"),
        pytest.param("  jean@exemple.fr\t", "jean@exemple.fr", id="stripped"),
        pytest.param("élodie@exemple.fr", "élodie@exemple.fr", id="unicode-local-part"),
        pytest.param("jean@ÉXEMPLE.fr", "jean@éxemple.fr", id="idn-domain"),
    ],
)
def test_normalise_email(raw: str, stored: str) -> None:
    assert normalise_email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("jean", id="no-at"),
        pytest.param("jean@", id="no-domain"),
        pytest.param("@exemple.fr", id="no-local-part"),
        pytest.param("jean dupont@exemple.fr", id="space"),
        pytest.param("<script>@x.fr", id="markup"),
    ],
)
def test_invalid_email(raw: str) -> None:
    with pytest.raises(ValueError, match="Adresse électronique invalide"):
        normalise_email(raw)


def test_email_lookup_key_ignores_case() -> None:
    assert email_lookup_key(normalise_email("Jean.Dupont@Exemple.fr")) == "jean.dupont@exemple.fr"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        pytest.param("06 12 34 56 78", "+33612345678", id="national-mobile"),
        pytest.param("06.12.34.56.78", "+33612345678", id="dotted"),
        pytest.param("+33 6 12 34 56 78", "+33612345678", id="international"),
        pytest.param("0033612345678", "+33612345678", id="double-zero-prefix"),
        pytest.param("01 42 68 53 00", "+33142685300", id="paris-landline"),
        pytest.param("+32 470 12 34 56", "+32470123456", id="belgium-mobile"),
        # ARCEP: overseas numbers are written in the national format but dial their own codes.
        pytest.param("0692 12 34 56", "+262692123456", id="reunion-mobile"),
        pytest.param("0262 12 34 56", "+262262123456", id="reunion-landline"),
        pytest.param("0590 12 34 56", "+590590123456", id="guadeloupe-landline"),
        pytest.param("0694 12 34 56", "+594694123456", id="guyane-mobile"),
        pytest.param("0696 12 34 56", "+596696123456", id="martinique-mobile"),
        pytest.param("+262 692 12 34 56", "+262692123456", id="reunion-international"),
    ],
)
def test_normalise_phone(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("abc", "illisible", id="letters"),
        pytest.param("", "illisible", id="empty"),
        pytest.param("06 12", "invalide", id="too-short"),
        pytest.param("+33 6 12 34 56 78 90", "invalide", id="too-long"),
        pytest.param("00 00 00 00 00", "invalide", id="zeros"),
    ],
)
def test_invalid_phone(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_phone(raw)


def test_patch_requires_a_positive_version_and_accepts_partial_fields() -> None:
    assert errors_of(ContactPatch, {"first_name": "Jean"}) == [
        {"field": "version", "message": "Ce champ est obligatoire."}
    ]
    assert errors_of(ContactPatch, {"version": 0}) == [
        {"field": "version", "message": "Doit être supérieur ou égal à 1."}
    ]
    details = errors_of(ContactPatch, {"version": "deux", "emails": [1]})
    assert {d["field"] for d in details} == {"version", "emails[0]"}
    patch = parse(ContactPatch, {"version": 3, "tags": []})
    assert patch.model_fields_set == {"version", "tags"}
    # A patch has no completeness rules: a lone field is fine.
    assert parse(ContactPatch, {"version": 1, "organisation_name": "Mairie"}).organisation_name == "Mairie"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        pytest.param({"limit": "0"}, "limit", "Doit être supérieur ou égal à 1.", id="limit-zero"),
        pytest.param({"limit": "101"}, "limit", "Doit être inférieur ou égal à 100.", id="limit-over"),
        pytest.param({"limit": "abc"}, "limit", "Doit être un nombre entier.", id="limit-text"),
        pytest.param({"q": "x" * 201}, "q", "Au plus 200 caractères.", id="q-too-long"),
        pytest.param(
            {"kind": "x"}, "kind", "Valeur non autorisée ; valeurs possibles : 'person' ou 'organisation'.", id="kind"
        ),
    ],
)
def test_list_query(query: dict[str, str], field: str, message: str) -> None:
    assert errors_of(ContactListQuery, query) == [{"field": field, "message": message}]


def test_list_query_ignores_unknown_parameters() -> None:
    assert parse(ContactListQuery, {"_": "123", "q": "dupont"}).q == "dupont"


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        pytest.param(
            UserCreate,
            {"email": "nope", "roles": ["chef"]},
            {
                "email": "Adresse électronique invalide.",
                "roles[0]": "Valeur non autorisée ; valeurs possibles : 'admin', 'cabinet', 'protocole', "
                "'communication' ou 'lecteur'.",
            },
            id="user",
        ),
        pytest.param(
            SettingsPatch,
            {"version": 1, "sender_email": "x", "departement": "99", "timezone": "Mars/Olympus", "kind": "political"},
            {
                "sender_email": "Adresse électronique invalide.",
                "departement": "Format invalide.",
                "timezone": "Fuseau horaire inconnu (ex. Europe/Paris).",
                "kind": "Champ inconnu.",
            },
            id="settings",
        ),
        pytest.param(
            FieldCreate,
            {"name": "Bad Name", "label": "", "type": "list"},
            {
                "name": "Nom technique : minuscules, chiffres et _ ; commence par une lettre ; 40 caractères au plus.",
                "label": "Ne doit pas être vide.",
                "type": "Valeur non autorisée ; valeurs possibles : 'text', 'number', 'date', 'bool' ou 'choice'.",
            },
            id="field",
        ),
        pytest.param(
            InteractionCreate,
            {"kind": "call", "date": "hier", "summary": "x", "follow_up": {"title": "", "assignee": "../x"}},
            {
                "date": "Date invalide (format attendu AAAA-MM-JJ ou date et heure ISO 8601).",
                "follow_up.title": "Ne doit pas être vide.",
                "follow_up.assignee": "Format invalide.",
            },
            id="interaction",
        ),
        pytest.param(
            InteractionCreate,
            {"kind": "call", "date": 1700000000, "summary": "x"},
            {"date": "Date invalide (format attendu AAAA-MM-JJ ou date et heure ISO 8601)."},
            id="interaction-timestamp-number",
        ),
        pytest.param(
            InteractionCreate,
            {"kind": "call", "date": "0001-01-01T00:00:00", "summary": "x"},
            {"date": "Date hors des limites (1900–2200)."},
            id="interaction-implausible-datetime",
        ),
    ],
)
def test_other_models_answer_in_french_with_field_paths(model: Any, data: Any, expected: dict[str, str]) -> None:
    details = errors_of(model, data)
    assert {d["field"]: d["message"] for d in details} == expected
    assert_french(details)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param("2026-11-02", "2026-11-02", id="date"),
        pytest.param("2026-11-02T10:30:00+01:00", "2026-11-02T10:30:00+01:00", id="datetime-offset"),
        pytest.param("2026-11-02T10:30:00Z", "2026-11-02T10:30:00+00:00", id="datetime-utc"),
    ],
)
def test_interaction_date_keeps_what_was_given(value: str, stored: str) -> None:
    parsed = parse(InteractionCreate, {"kind": "call", "date": value, "summary": "x"})
    assert parsed.date.isoformat() == stored


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        pytest.param(("emails", 1), "emails[1]", id="list-index"),
        pytest.param(("address", "postcode"), "address.postcode", id="nested"),
        pytest.param(("affiliations", 0, "organisation_id"), "affiliations[0].organisation_id", id="nested-list"),
        pytest.param(("emails", 0, "function-after[normalise_email(), str]"), "emails[0]", id="validator-step"),
        pytest.param((), "body", id="root"),
    ],
)
def test_field_path(loc: tuple[Any, ...], path: str) -> None:
    assert field_path(loc) == path
