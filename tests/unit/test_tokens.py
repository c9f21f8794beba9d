"""Signed public-link tokens: HMAC-signed (RFC 2104), URL-safe, carrying no personal data, rejected if altered."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.tokens import MAX_TOKEN_LENGTH, sign, verify

SECRET = b"k1-0123456789abcdef0123456789abcdef"
OLD = b"k0-fedcba9876543210fedcba9876543210"
TENANT = "mairie-de-rouen"
REF = "01JQ3ZK8V5N7R2T4W6Y8A0C2E4"  # a ULID


def test_round_trip() -> None:
    token = sign(SECRET, TENANT, REF)
    assert verify([SECRET], token) == (TENANT, REF)


@pytest.mark.parametrize(
    "tenant",
    [
        pytest.param("t", id="short-tenant"),
        pytest.param("x" * 36, id="tenant-36-chars-under-120"),
        pytest.param("01JQ3ZK8V5N7R2T4W6Y8A0C2E4", id="ulid-tenant"),
    ],
)
@pytest.mark.parametrize("purpose", ["rsvp", "checkin"])
def test_url_safe_and_short(tenant: str, purpose: str) -> None:
    token = sign(SECRET, tenant, REF, purpose)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", token)
    assert len(token) < 120
    assert verify([SECRET], token, purpose) == (tenant, REF)


def test_carries_no_personal_data() -> None:
    """Only purpose, tenant and ref are in the token: decoding it gives nothing else."""
    token = sign(SECRET, TENANT, REF)
    purpose, tenant_b64, ref_b64, mac = token.split(".")
    decoded = [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in (tenant_b64, ref_b64)]
    assert (purpose, *decoded) == ("rsvp", TENANT.encode(), REF.encode())
    assert len(base64.urlsafe_b64decode(mac + "==")) == 16  # the truncated MAC, nothing more


def test_non_ascii_tenant() -> None:
    token = sign(SECRET, "mairie-de-sète", REF)
    assert verify([SECRET], token) == ("mairie-de-sète", REF)


def _flip(token: str, index: int) -> str:
    char = token[index]
    return token[:index] + ("B" if char == "A" else "A") + token[index + 1 :]


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda t: _flip(t, 0), id="altered-purpose"),
        pytest.param(lambda t: _flip(t, 6), id="altered-tenant"),
        pytest.param(lambda t: _flip(t, t.index(".", 5) + 3), id="altered-ref"),
        pytest.param(lambda t: _flip(t, -1), id="altered-mac"),
        pytest.param(lambda t: t[:-1], id="truncated-mac"),
        pytest.param(lambda t: t + "A", id="extended-mac"),
        pytest.param(lambda t: t.rsplit(".", 1)[0], id="mac-missing"),
        pytest.param(lambda t: t + ".x", id="extra-part"),
        pytest.param(lambda t: t.replace(".", ":"), id="wrong-separator"),
        pytest.param(lambda t: t + "=", id="padding-added"),
        pytest.param(lambda t: t.upper(), id="case-changed"),
        pytest.param(lambda t: " " + t, id="leading-space"),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: "rsvp...", id="empty-parts"),
        pytest.param(lambda t: "A" * (MAX_TOKEN_LENGTH + 1), id="too-long"),
        pytest.param(lambda t: t + "é", id="non-ascii"),
    ],
)
def test_altered_or_malformed_is_refused(alter) -> None:
    assert verify([SECRET], alter(sign(SECRET, TENANT, REF))) is None


def test_other_purpose_is_refused() -> None:
    """A check-in QR code is not an RSVP link, and the reverse."""
    assert verify([SECRET], sign(SECRET, TENANT, REF, "checkin"), "rsvp") is None
    assert verify([SECRET], sign(SECRET, TENANT, REF, "rsvp"), "checkin") is None


def test_purpose_is_signed_not_only_labelled() -> None:
    token = sign(SECRET, TENANT, REF, "checkin")
    relabelled = "rsvp" + token.removeprefix("checkin")
    assert verify([SECRET], relabelled, "rsvp") is None


def test_unknown_secret_is_refused() -> None:
    assert verify([b"another-secret-0123456789abcdef"], sign(SECRET, TENANT, REF)) is None
    assert verify([], sign(SECRET, TENANT, REF)) is None


def test_key_rotation_first_signs_all_verify() -> None:
    old_token = sign(OLD, TENANT, REF)
    assert verify([SECRET, OLD], old_token) == (TENANT, REF)
    assert verify([SECRET], old_token) is None  # once the old secret is retired


def test_tokens_differ_by_tenant_and_ref() -> None:
    assert sign(SECRET, TENANT, REF) != sign(SECRET, "mairie-du-havre", REF)
    assert sign(SECRET, TENANT, REF) != sign(SECRET, TENANT, REF[:-1] + "5")


@pytest.mark.parametrize(
    ("secret", "tenant", "ref", "purpose"),
    [
        pytest.param(b"", TENANT, REF, "rsvp", id="empty-secret"),
        pytest.param(SECRET, "", REF, "rsvp", id="empty-tenant"),
        pytest.param(SECRET, TENANT, "", "rsvp", id="empty-ref"),
        pytest.param(SECRET, TENANT, "a\nb", "rsvp", id="control-char"),
        pytest.param(SECRET, TENANT, REF, "rs.vp", id="dot-in-purpose"),
        pytest.param(SECRET, TENANT, REF, "", id="empty-purpose"),
        pytest.param(SECRET, "x" * 200, REF, "rsvp", id="too-long-to-verify"),
    ],
)
def test_sign_refuses(secret: bytes, tenant: str, ref: str, purpose: str) -> None:
    with pytest.raises(ValueError):
        sign(secret, tenant, ref, purpose)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=250))
def test_verify_never_raises_on_any_text(text: str) -> None:
    assert verify([SECRET], text) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.characters(codec="ascii"))
def test_verify_refuses_every_single_character_change(index: int, char: str) -> None:
    token = sign(SECRET, TENANT, REF)
    index %= len(token)
    altered = token[:index] + char + token[index + 1 :]
    assert verify([SECRET], altered) == ((TENANT, REF) if altered == token else None)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.isprintable()), st.text(min_size=1, max_size=26))
def test_round_trip_any_identifiers(tenant: str, ref: str) -> None:
    try:
        token = sign(SECRET, tenant, ref)
    except ValueError:
        return  # control characters or too long: refused at signing
    assert verify([SECRET], token) == (tenant, ref)
