"""The pure rules of campaigns: who receives one and why others do not, the HTML of a body, the legal mentions, and
the report's figures, timeline, chart and CSV cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from chalicelib.domain import campaign_reports as reports
from chalicelib.domain import campaigns as rules
from tests.support import campaigns as support


def candidate(cid: str, address: str | None = "a@example.fr", **kw: str | None) -> rules.Candidate:
    return support.candidate(cid, address, **kw)


@pytest.mark.parametrize(
    ("given", "kind", "reason"),
    [
        (candidate("1", None), "political", "no_address"),
        (candidate("1", "pas une adresse"), "political", "invalid"),
        (candidate("1", suppression="unsubscribe"), "political", "unsubscribed"),
        (candidate("1", suppression="hard_bounce"), "institution", "suppressed"),
        (candidate("1", suppression="complaint", status="withdrawn"), "political", "suppressed"),
        (candidate("1", status="unknown"), "political", "no_consent"),  # CNIL: prior consent for political email
        (candidate("1", status="withdrawn", source="unsubscribe"), "political", "unsubscribed"),
        (candidate("1", status="withdrawn", source="staff"), "institution", "no_consent"),
    ],
)
def test_each_contact_left_out_has_its_reason(given: rules.Candidate, kind: str, reason: str) -> None:
    plan = rules.plan([given], kind)
    assert plan.recipients == {} and plan.skipped == {"1": reason}


def test_an_institution_informs_unless_the_person_objected() -> None:
    """RGPD art. 6(1)(e): unknown consent is enough for an institution, not for a political tenant."""
    assert rules.plan([candidate("1", status="unknown")], "institution").recipients == {"1": "a@example.fr"}


def test_one_message_per_address_and_per_contact_the_first_keeps_it() -> None:
    plan = rules.plan(
        [
            candidate("1", "Anne@Example.fr"),
            candidate("2", "anne@example.fr"),
            candidate("1", "anne@example.fr"),  # the same contact named twice
            candidate("3", "paul@example.fr"),
        ],
        "political",
    )
    assert plan.recipients == {"1": "Anne@Example.fr", "3": "paul@example.fr"}
    assert plan.skipped == {"2": "duplicate_address"}
    assert plan.counts() == {**dict.fromkeys(rules.SKIP_REASONS, 0), "duplicate_address": 1}


def test_a_contact_without_consent_does_not_take_the_address_from_one_with_it() -> None:
    plan = rules.plan([candidate("1", status="unknown"), candidate("2")], "political")
    assert plan.recipients == {"2": "a@example.fr"} and plan.skipped == {"1": "no_consent"}


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("draft", "edit", True),
        ("scheduled", "edit", True),
        ("sending", "edit", False),
        ("draft", "send", True),
        ("scheduled", "send", False),
        ("sent", "cancel", False),
        ("sending", "cancel", True),
    ],
)
def test_what_each_status_allows(status: str, action: str, allowed: bool) -> None:
    if allowed:
        rules.require(action, status)
    else:
        with pytest.raises(rules.TransitionRefused):
            rules.require(action, status)


def test_a_paragraph_is_escaped_and_its_web_addresses_become_links() -> None:
    html = rules.html_paragraph('Voir <b>ici</b> : https://ville.example/a?x=1&y="2". Merci\nà bientôt')
    assert html == (
        'Voir &lt;b&gt;ici&lt;/b&gt; : <a href="https://ville.example/a?x=1&amp;y=">https://ville.example/a?x=1&amp;y='
        "</a>&quot;2&quot;. Merci<br>\nà bientôt"
    )
    assert rules.html_paragraph("javascript:alert(1) http://x.fr/.") == (
        'javascript:alert(1) <a href="http://x.fr/">http://x.fr/</a>.'
    )
    assert rules.paragraphs("Un\n\n\n  \nDeux\ntrois\n") == ["Un", "Deux\ntrois"]


def test_mentions_follow_the_tenant_kind() -> None:
    political = rules.mentions("political", "Liste test", "event", "https://x/u")
    assert "inscription à une réunion" in political and "vous opposer" in political and "https://x/u" in political
    assert "fichier de contacts de l'équipe" in rules.mentions("political", "L", "import", "u")
    assert "contacts réunis" in rules.mentions("political", "L", None, "u")
    assert rules.mentions("institution", "Mairie", None, "u").startswith("Ce message d'information")


# --- reports ------------------------------------------------------------------------------------------------------


@dataclass
class Message:
    status: str = "sent"
    sent_at: str | None = "2026-12-04T08:00:00Z"
    delivered_at: str | None = None
    bounce: str | None = None
    complained_at: str | None = None
    first_open_at: str | None = None
    first_click_at: str | None = None
    clicks: int = 0
    links: list[str] = field(default_factory=list)
    unsubscribed_at: str | None = None


def test_the_report_counts_what_was_sent_and_rates_over_what_was_delivered() -> None:
    report = reports.summarise(
        [
            Message(delivered_at="x", first_open_at="2026-12-04T09:10:00Z"),
            Message(
                delivered_at="x",
                first_open_at="2026-12-04T11:59:00Z",
                first_click_at="2026-12-04T12:00:00Z",
                clicks=3,
                links=["https://a", "https://b"],
            ),
            Message(bounce="hard"),
            Message(bounce="soft"),
            Message(status="skipped", sent_at=None),
            Message(status="unknown", sent_at=None),
        ]
    )
    assert (report.sent, report.delivered, report.bounced_hard, report.bounced_soft) == (4, 2, 1, 1)
    assert (report.unique_opens, report.unique_clicks, report.clicks) == (2, 1, 3)
    assert report.rates() == {
        "delivery": 0.5,
        "bounce": 0.5,
        "open": 1.0,
        "click": 0.5,
        "complaint": 0.0,
        "unsubscribe": 0.0,
    }
    assert report.links == (("https://a", 1), ("https://b", 1))
    assert [(h.hour[11:13], h.opens, h.clicks) for h in report.timeline] == [
        ("09", 1, 0),
        ("10", 0, 0),
        ("11", 1, 0),
        ("12", 0, 1),
    ]
    assert reports.summarise([]).rates()["delivery"] is None  # nothing sent: no rate, not 0 %


def test_the_timeline_is_bounded() -> None:
    hours = reports.timeline(["2026-01-01T00:00:00Z", "2027-06-01T00:00:00Z"], [])
    assert len(hours) == reports.MAX_TIMELINE_HOURS
    assert reports.timeline(["pas une date"], []) == ()


def test_the_chart_says_in_words_what_it_draws_and_escapes_the_title() -> None:
    hours = reports.timeline(["2026-12-04T09:10:00Z"] * 3, ["2026-12-04T10:00:00Z"])
    svg = reports.svg_chart("Lettre <script>", hours, 3, 1)
    assert '<title id="chart-title">Lettre &lt;script&gt;</title>' in svg
    assert "3 ouverture(s) unique(s) et 1 clic(s) unique(s) ; pic d'ouvertures à 04/12 09 h UTC (3)" in svg
    assert reports.svg_chart("Vide", (), 0, 0).startswith("<svg")


@pytest.mark.parametrize(
    ("cell", "written"),
    [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a=b", "a=b")],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell: str, written: str) -> None:
    assert reports.safe_cell(cell) == written
    assert reports.safe_cell(None) == "" and reports.safe_cell(3) == "3"


def test_a_declined_topic_skips_the_contact_for_that_series_only() -> None:
    declined = rules.Candidate("1", "a@example.fr", "granted", "form", None, frozenset({"Lettre du maire"}))
    assert rules.plan([declined], "political", topic="Lettre du maire").skipped == {"1": "unsubscribed"}
    assert rules.plan([declined], "political", topic="Agenda culturel").recipients == {"1": "a@example.fr"}
    assert rules.plan([declined], "political").recipients == {"1": "a@example.fr"}  # no series: no topic
