"""Domain rules of the security fixes: which sender a grant allows, when an answer changes anything, how often."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import rsvp
from chalicelib.domain.senders import SenderGrant, SenderGrantError, normalise_domain

GRANT = SenderGrant.of(["ville.fr", "Évreux.fr"], ["elu@exemple.org"])


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("mairie@ville.fr", True),
        ("Mairie@VILLE.FR", True),  # domains are case-insensitive
        ("contact@évreux.fr", True),
        ("contact@xn--vreux-9ra.fr", True),  # the IDNA form of the same domain
        ("elu@exemple.org", True),
        ("autre@exemple.org", False),  # an address grant is that address only
        ("x@sub.ville.fr", False),  # no subdomain
        ("x@ville.fr.evil.com", False),  # no look-alike suffix
        ("x@evilville.fr", False),
        ("ville.fr", False),
        ("", False),
        ("<x@ville.fr>", False),
    ],
)
def test_a_grant_allows_exact_domains_and_addresses(address: str, allowed: bool) -> None:
    assert GRANT.allows(address) is allowed


@pytest.mark.parametrize("value", ["localhost", "pas un domaine", "-x.fr", "x..fr", "a" * 64 + ".fr", "x_y.fr"])
def test_what_is_not_a_domain_is_refused(value: str) -> None:
    with pytest.raises(SenderGrantError):
        normalise_domain(value)


def test_grants_add_remove_and_round_trip() -> None:
    grant = (GRANT | SenderGrant.of(["autre.fr"])) - SenderGrant.of(["ville.fr"])
    assert grant.domains == {"xn--vreux-9ra.fr", "autre.fr"}
    assert SenderGrant.from_doc(grant.to_doc()) == grant
    assert SenderGrant().describe().startswith("aucune")


NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
PAUL = [{"name": "Paul Martin"}]


@pytest.mark.parametrize(
    ("status", "companions", "representative", "response", "new_companions", "new_representative", "same"),
    [
        ("accepted", PAUL, None, "accept", [{"name": " paul  MARTIN "}], None, True),
        ("accepted", PAUL, None, "accept", [], None, False),  # fewer companions: a change
        ("declined", [], None, "decline", [], None, True),
        ("invited", [], None, "decline", [], None, False),
        ("represented", [], {"name": "M. Roux"}, "represented", [], {"name": "m. roux"}, True),
        ("represented", [], {"name": "M. Roux"}, "represented", [], {"name": "Mme Petit"}, False),
        ("waitlisted", [], None, "accept", [], None, False),  # a seat may have freed since
        ("offered", [], None, "accept", [], None, False),  # accepting confirms the offer
    ],
)
def test_the_same_answer_again(status, companions, representative, response, new_companions, new_representative, same):
    assert rsvp.same_answer(status, companions, representative, response, new_companions, new_representative) is same


def test_ten_changes_an_hour_then_wait_for_the_oldest_to_leave() -> None:
    times = [(NOW - timedelta(minutes=59 - n)).isoformat() for n in range(rsvp.ANSWER_CHANGES_PER_HOUR)]
    assert rsvp.retry_after(times[:-1], NOW) is None
    assert rsvp.retry_after(times, NOW) == 60  # the oldest, 59 minutes ago, leaves the window in a minute
    stale = [(NOW - timedelta(hours=2)).isoformat()] * 50
    assert rsvp.retry_after(stale, NOW) is None and rsvp.recent_changes(stale, NOW) == []
