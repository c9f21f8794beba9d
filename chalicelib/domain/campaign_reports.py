"""A campaign's report from its messages: totals, rates, clicks per link, a timeline by hour, an accessible SVG
chart and a per-recipient CSV safe to open in a spreadsheet.

Rates: delivery and bounces over the messages sent; opens, clicks, complaints and unsubscribes over the messages
delivered (what the recipient could see), as the email service providers count them. Opens are counted once per
message (unique opens); SES counts an open when the message's images load, so a reader who blocks images is not
counted: an open rate is a floor, never the truth. Clicks per link count the recipients who clicked it (a
recipient clicking twice counts once there, twice in `clicks`).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

MAX_TIMELINE_HOURS = 31 * 24  # a month after the first send: later opens are counted, not charted
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP): the cell gets a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "contact_id",
    "address",
    "status",
    "reason",
    "sent_at",
    "delivered_at",
    "bounce",
    "complained_at",
    "first_open_at",
    "opens",
    "first_click_at",
    "clicks",
    "unsubscribed_at",
)


class Message(Protocol):
    """What a report reads of one recipient's message (store.entities.CampaignMessage)."""

    @property
    def status(self) -> str: ...
    @property
    def sent_at(self) -> str | None: ...
    @property
    def delivered_at(self) -> str | None: ...
    @property
    def bounce(self) -> str | None: ...
    @property
    def complained_at(self) -> str | None: ...
    @property
    def first_open_at(self) -> str | None: ...
    @property
    def first_click_at(self) -> str | None: ...
    @property
    def clicks(self) -> int: ...
    @property
    def links(self) -> Sequence[str]: ...
    @property
    def unsubscribed_at(self) -> str | None: ...


@dataclass(frozen=True)
class Hour:
    hour: str  # ISO instant of the hour's start, UTC
    opens: int
    clicks: int


@dataclass(frozen=True)
class Report:
    sent: int
    failed: int  # refused by SES or SNS (an SMS campaign's report is sent and failed: SNS reports no opens)
    delivered: int
    bounced_hard: int
    bounced_soft: int
    complaints: int
    unique_opens: int
    unique_clicks: int
    unsubscribes: int
    clicks: int  # every click counted, several per recipient
    links: tuple[tuple[str, int], ...]  # url, recipients who clicked it
    timeline: tuple[Hour, ...]

    def rates(self) -> dict[str, float | None]:
        return {
            "delivery": _rate(self.delivered, self.sent),
            "bounce": _rate(self.bounced_hard + self.bounced_soft, self.sent),
            "open": _rate(self.unique_opens, self.delivered),
            "click": _rate(self.unique_clicks, self.delivered),
            "complaint": _rate(self.complaints, self.delivered),
            "unsubscribe": _rate(self.unsubscribes, self.delivered),
        }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(messages: Iterable[Message]) -> Report:
    counts: Counter[str] = Counter()
    link_people: Counter[str] = Counter()
    opens_at: list[str] = []
    clicks_at: list[str] = []
    for m in messages:
        counts["failed"] += m.status == "failed"
        if not m.sent_at:
            continue  # skipped, failed, unknown, or not sent yet: SES never said it took it
        counts["sent"] += 1
        counts["delivered"] += bool(m.delivered_at)
        counts[f"bounce_{m.bounce}"] += bool(m.bounce)
        counts["complaints"] += bool(m.complained_at)
        counts["unsubscribes"] += bool(m.unsubscribed_at)
        if m.first_open_at:
            opens_at.append(m.first_open_at)
        if m.first_click_at:
            clicks_at.append(m.first_click_at)
        counts["clicks"] += m.clicks
        link_people.update(set(m.links))
    links = tuple(sorted(link_people.items(), key=lambda x: (-x[1], x[0])))
    return Report(
        sent=counts["sent"],
        failed=counts["failed"],
        delivered=counts["delivered"],
        bounced_hard=counts["bounce_hard"],
        bounced_soft=counts["bounce_soft"],
        complaints=counts["complaints"],
        unique_opens=len(opens_at),
        unique_clicks=len(clicks_at),
        unsubscribes=counts["unsubscribes"],
        clicks=counts["clicks"],
        links=links,
        timeline=timeline(opens_at, clicks_at),
    )


def _hour_of(instant: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(minute=0, second=0, microsecond=0, tzinfo=None)


def timeline(opens_at: Sequence[str], clicks_at: Sequence[str]) -> tuple[Hour, ...]:
    """Unique opens and clicks per hour, every hour from the first to the last (empty hours included, so that a
    chart's time axis is regular), at most MAX_TIMELINE_HOURS."""
    opens = Counter(h for h in map(_hour_of, opens_at) if h)
    clicks = Counter(h for h in map(_hour_of, clicks_at) if h)
    hours = sorted(set(opens) | set(clicks))
    if not hours:
        return ()
    first, last = hours[0], min(hours[-1], hours[0] + timedelta(hours=MAX_TIMELINE_HOURS - 1))
    out: list[Hour] = []
    moment = first
    while moment <= last:
        out.append(Hour(moment.strftime("%Y-%m-%dT%H:00:00Z"), opens[moment], clicks[moment]))
        moment += timedelta(hours=1)
    return tuple(out)


# --- the chart ----------------------------------------------------------------------------------------------------

_WIDTH, _HEIGHT, _MARGIN = 720, 320, 48


def svg_chart(title: str, hours: Sequence[Hour], opens: int, clicks: int) -> str:
    """Opens and clicks per hour as lines, with a title and a text description that say the same as the lines
    (role="img", aria-labelledby: a screen reader reads the totals and the peak, not the drawing)."""
    peak = max(hours, key=lambda h: (h.opens, h.clicks), default=None)
    described = f"{opens} ouverture(s) unique(s) et {clicks} clic(s) unique(s)"
    if peak and peak.opens:
        described += f" ; pic d'ouvertures à {_label(peak.hour)} ({peak.opens})"
    top = max([1, *(max(h.opens, h.clicks) for h in hours)])
    span = max(len(hours) - 1, 1)
    inner_w, inner_h = _WIDTH - 2 * _MARGIN, _HEIGHT - 2 * _MARGIN

    def point(index: int, value: int) -> str:
        x = _MARGIN + inner_w * index / span
        y = _HEIGHT - _MARGIN - inner_h * value / top
        return f"{x:.1f},{y:.1f}"

    open_points = " ".join(point(i, h.opens) for i, h in enumerate(hours))
    click_points = " ".join(point(i, h.clicks) for i, h in enumerate(hours))
    first = _label(hours[0].hour) if hours else ""
    last = _label(hours[-1].hour) if hours else ""

    def e(text: str) -> str:  # text nodes only: quotes need no escaping there
        return html.escape(text, quote=False)

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" lang="fr">'
        f'<title id="chart-title">{e(title)}</title>'
        f'<desc id="chart-desc">{e(described)}.</desc>'
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>'
        f'<line x1="{_MARGIN}" y1="{_HEIGHT - _MARGIN}" x2="{_WIDTH - _MARGIN}" y2="{_HEIGHT - _MARGIN}" '
        'stroke="#333333"/>'
        f'<line x1="{_MARGIN}" y1="{_MARGIN}" x2="{_MARGIN}" y2="{_HEIGHT - _MARGIN}" stroke="#333333"/>'
        f'<text x="{_MARGIN}" y="{_HEIGHT - 16}" font-size="12" fill="#1a1a1a">{e(first)}</text>'
        f'<text x="{_WIDTH - _MARGIN}" y="{_HEIGHT - 16}" font-size="12" fill="#1a1a1a" '
        f'text-anchor="end">{e(last)}</text>'
        f'<text x="{_MARGIN - 8}" y="{_MARGIN + 4}" font-size="12" fill="#1a1a1a" text-anchor="end">{top}</text>'
        f'<polyline points="{open_points}" fill="none" stroke="#0b5394" stroke-width="2"/>'
        f'<polyline points="{click_points}" fill="none" stroke="#b45f06" stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{_WIDTH - _MARGIN}" y="{_MARGIN - 24}" font-size="12" fill="#0b5394" text-anchor="end">'
        "— ouvertures</text>"
        f'<text x="{_WIDTH - _MARGIN}" y="{_MARGIN - 8}" font-size="12" fill="#b45f06" text-anchor="end">'
        "- - clics</text>"
        "</svg>"
    )


def _label(hour: str) -> str:
    """« 04/12 09 h » (UTC)."""
    return f"{hour[8:10]}/{hour[5:7]} {hour[11:13]} h UTC"


# --- the per-recipient table --------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A cell as text, neutralised when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
