"""domain/erasure: the keyed hash of contact points, what an erased record keeps, scrubbing free text."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chalicelib.domain import erasure as rules

SECRET = b"test-secret"


def test_point_key_is_an_hmac_sha256_of_the_normalised_point() -> None:
    expected = hmac.new(SECRET, b"helene@exemple.fr", hashlib.sha256).hexdigest()
    assert rules.point_key(SECRET, "helene@exemple.fr") == expected
    assert rules.point_key(b"other", "helene@exemple.fr") != expected  # keyed: useless without the secret


@pytest.mark.parametrize(
    ("emails", "phones", "points"),
    [
        (["Helene@Exemple.FR ", "helene@exemple.fr"], [], ["helene@exemple.fr"]),
        ([], ["06 12 34 56 78", "+33612345678"], ["+33612345678"]),
        ([], ["0692 12 34 56"], ["+262692123456"]),  # La Réunion, dialled nationally (ARCEP plan)
        ([None, "  "], [None, ""], []),
        (["pas une adresse"], ["12"], ["pas une adresse", "12"]),  # unreadable: kept as typed, trimmed
    ],
)
def test_points_are_normalised_like_the_contact_index(
    emails: list[str | None], phones: list[str | None], points: list[str]
) -> None:
    assert rules.points(emails, phones) == points
    assert list(rules.point_keys(SECRET, emails, phones)) == points


@pytest.mark.parametrize("kind", ["person", "organisation"])
def test_an_erased_record_keeps_its_kind_and_the_placeholder_only(kind: str) -> None:
    doc = {
        "kind": kind,
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "organisation_name": "Association",
        "emails": ["h@exemple.fr"],
        "phones": ["+33612345678"],
        "address": {"lines": ["12 rue X"], "postcode": "76000", "city": "Rouen"},
        "tags": ["Sympathisante"],
        "protocol_notes": "Confidentiel",
        "custom": {"quartier": "Nord"},
        "legal_hold": True,
    }
    erased = rules.erased_doc(doc, "2026-12-05T03:00:00Z")
    name = "organisation_name" if kind == "organisation" else "last_name"
    assert erased == {"kind": kind, name: rules.PLACEHOLDER, "archived": True, "erased_at": "2026-12-05T03:00:00Z"}
    assert rules.is_erased(erased) and not rules.is_erased(doc)


def test_scrub_blanks_any_text_naming_the_person_in_nested_details() -> None:
    doc = {"kind": "person", "first_name": "Jo", "last_name": "Lefèvre", "emails": ["H.Lefevre@Exemple.fr"]}
    strings = rules.personal_strings(doc)
    assert "jo" not in strings  # too short to search for in free text
    detail = {"ids": ["01J"], "was": "h.lefevre@exemple.fr", "notes": ["Mme LEFÈVRE a appelé", "rien"], "n": 3}
    assert rules.scrub(detail, strings) == {
        "ids": ["01J"],
        "was": rules.PLACEHOLDER,
        "notes": [rules.PLACEHOLDER, "rien"],
        "n": 3,
    }


def test_an_invitation_keeps_its_seats_and_history_without_names_or_notes() -> None:
    doc = {
        "name": "Madame Hélène Lefèvre",
        "partner_contact_id": None,
        "companions": [{"name": "Paul"}, {"name": "Léa"}],
        "representative": {"name": "Jean Martin", "function": "Adjoint", "contact_id": "01J"},
        "history": [{"at": "t1", "status": "accepted", "by": "u1", "note": "A appelé Hélène"}],
    }
    blanked = rules.blanked_invitation_doc(doc)
    assert blanked["name"] == rules.PLACEHOLDER
    assert blanked["companions"] == [{"name": rules.PLACEHOLDER}] * 2
    assert blanked["representative"] == {"name": rules.PLACEHOLDER, "function": None, "contact_id": "01J"}
    assert blanked["history"] == [{"at": "t1", "status": "accepted", "by": "u1", "note": None}]
