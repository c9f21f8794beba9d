"""Daily electoral check benchmark: DynamoDB calls per assessed event with 1 vs 10 institution tenants.

    .venv/bin/python -m bench.electoral [--small]

Measures one daily check (services/electoral_watch: the schedule's ``fan_out(now)`` queues one message per
institution tenant; each message's ``process_message`` re-assesses that tenant's events of the next 90 days against
L52-1 and emails its communication and cabinet users what is new) in two worlds, each in a fresh moto state
(mock_aws, in-process; the job lists the institutions of the whole deployment, so the worlds cannot share tables),
measured in the same run:

- world A: 1 institution tenant with 10 events in the next 90 days;
- world B: 10 institution tenants (--small: 4) with 100 events each (--small: 25);
- in both, one political tenant with events of its own: it is not checked (L52-1 al. 2 binds collectivités), so it
  must cost nothing beyond the by-kind Query that lists the institutions (no message, no call naming it).

``now`` is 2026-12-01T05:00Z (the 2027 presidential window is open since 1 October 2026): the events fall between
4 and 89 days later, inside the window (while that date is ahead; later, the next window of the bundled calendar
that can hold 90 days of events). Every institution tenant has an admin, a communication and a cabinet user (the
digest's 2 recipients), a few contacts, and events created through services/events.create:
- half the events belong to a series (one series per event) with 3 earlier occurrences written directly to the store
  (closed, a year apart, before the window: antériorité, régularité and identité are ok);
- the others have no series: an antériorité warning each;
- a tenth have a partisan description (« bilan de notre mandat… votez ! »): a blocking neutralité finding;
- a third have 3 invitations (services/invitations.create), and so do the earlier occurrences of those in a series,
  so the invitation counts the assessment reads are real.

Then the daily check runs once per world, ``fan_out(now)`` and then every queued message through
``process_message`` (the SQS handler's work; receiving and deleting the messages stand in for Lambda's event source
mapping and are not counted), with every AWS call counted on botocore's ``before-call`` event of every client
(bench.run.AwsMeter, with the table and index of each DynamoDB call); and a second time with the same ``now``
(the next run, or every message delivered again), measured too: everything is already notified, so it must send
nothing.

Prints the figures measured in this run: per world the tenants, events assessed, DynamoDB calls by operation and
table, calls per assessed event, the B/A ratio of calls per event, the calls the code makes (reckoned from its source,
below) and the minimum the design implies, with measured/minimum and which calls make the difference. Exits 1 if an
answer is wrong: a Scan, a message for or a call naming the political tenant, a tenant's check failing, events or
findings that differ from the world's, emails other than one per tenant with news (to its 2 recipients) on the first
run, or anything notified again by the second.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# bench.report, bench.run and bench.reminders import only the standard library at module level: their helpers are
# reused as they are.
from bench.reminders import JobCalls, TableMeter, invitees, ses_sent
from bench.report import (
    BenchFailure,
    Column,
    Table,
    against_minimum,
    heading,
    indented,
    notes,
    options,
    ratio,
    run_bench,
    stopwatch,
)
from bench.run import COUNTED, moto_transactions_without_backups, moto_world, use_bench_environment, utc_iso

FIXED_NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # the daily job's hour; the presidential window is open
FIRST_DAY, LAST_DAY = 4, 89  # events start this many days after now (the job looks 90 days ahead)
PREVIOUS = 3  # earlier occurrences of each series
GUESTS = 3  # invitations of an event that has some (and of its series' earlier occurrences)
CONTACTS = 12  # per tenant
POLITICAL = "bench-parti"
POLITICAL_EVENTS = 5
RECIPIENTS = ("communication", "cabinet")  # one user each: the digest's recipients
PARIS = ZoneInfo("Europe/Paris")
PLACE = {"commune_insee": "76540", "departement": "76", "region": "28"}
PARTISAN = "Venez découvrir le bilan de notre mandat… et en avril, votez !"
NEUTRAL = "Le maire et le conseil municipal ont le plaisir de vous présenter leurs vœux."
SERIES_NAMES = (
    "Vœux du maire",
    "Vœux aux associations",
    "Vœux au personnel communal",
    "Repas des aînés",
    "Arbre de Noël",
    "Galette des rois",
    "Remise des médailles du travail",
    "Accueil des nouveaux habitants",
)


@dataclass
class WorldSpec:
    name: str
    tenants: int
    events: int  # per institution tenant


@dataclass(frozen=True)
class EventFacts:
    """What the job will find for one event, known from how the bench built it."""

    series: bool
    previous: int  # earlier occurrences of its series (before its day, not cancelled)
    partisan: bool
    invitations: int

    @property
    def findings(self) -> int:  # non-ok findings: antériorité warning without a series, neutralité blocking
        return int(not self.series) + int(self.partisan)


@dataclass
class TenantFacts:
    tenant_id: str
    events: list[EventFacts]
    recipients: list[str]
    windows_news: int  # windows opening within 30 days (announced once)

    @property
    def news(self) -> int:
        return sum(e.findings for e in self.events) + self.windows_news


# ---------------------------------------------------------------------------------------------
# Metering: bench.reminders' TableMeter, plus refused conditional writes and calls naming a tenant
# ---------------------------------------------------------------------------------------------


@dataclass
class WatchCalls(JobCalls):
    refused: Counter[tuple[str, str]] = field(default_factory=Counter)  # ConditionalCheckFailed by (op, target)
    naming: Counter[str] = field(default_factory=Counter)  # watched tenant id → calls whose parameters name it


class WatchMeter(TableMeter):
    calls_type = WatchCalls
    watched: tuple[str, ...] = (POLITICAL,)

    def before_parameter_build(self, params: dict[str, Any], model: Any, **kwargs: Any) -> None:
        super().before_parameter_build(params=params, model=model, **kwargs)
        calls = self.current
        if isinstance(calls, WatchCalls) and model.service_model.service_name == "dynamodb":
            text = json.dumps(params, default=str)
            for tenant_id in self.watched:
                if tenant_id in text:
                    calls.naming[tenant_id] += 1

    def after_call(self, model: Any, parsed: Any, **kwargs: Any) -> None:
        super().after_call(model=model, parsed=parsed, **kwargs)
        calls = self.current
        refused = (
            isinstance(parsed, dict) and (parsed.get("Error") or {}).get("Code") == "ConditionalCheckFailedException"
        )
        if isinstance(calls, WatchCalls) and refused:
            calls.refused[self.last_target] += 1


@contextmanager
def moto_queries_by_key() -> Iterator[None]:
    """moto answers each Query by sorting the whole table (Table.all_items, DynamoType comparisons in Python) and then
    matching every item's key: a Query costs as much as the table is big, and this job makes thousands on tables of
    thousands of items (the full-size world would take most of an hour). While this is in force, the items a Query
    starts from are only those carrying its hash key (a superset of what moto's own match keeps, which it then
    checks again), in moto's order: the same answers, the same calls (nothing changes client-side)."""
    import inspect
    import threading

    from moto.dynamodb.models.table import Table

    if "hash_key_conditions" not in inspect.signature(Table.query).parameters or not hasattr(Table, "all_items"):
        print("warning: moto changed, its Query is not sped up; the bench runs slowly", file=sys.stderr)
        yield
        return
    local = threading.local()
    original_query, original_all_items = Table.query, Table.all_items

    def carries(item: Any, conditions: list[tuple[str, Any]]) -> bool:
        for name, value in conditions:
            got = item.attrs.get(name)
            if (
                got is None
                or got.type != value.type
                or (got.value != value.value if value.type == "S" else got != value)
            ):
                return False
        return True

    def all_items(self: Any) -> list[Any]:
        wanted = getattr(local, "wanted", None)
        if wanted is None or wanted[0] is not self:
            return original_all_items(self)
        _, hash_key, conditions = wanted
        if conditions:  # a GSI: its hash key is an attribute
            every = (
                i for bucket in self.items.values() for i in (bucket.values() if self.range_key_attr else [bucket])
            )
            items = [i for i in every if carries(i, conditions)]
        else:  # the table: its items are stored by hash key
            bucket = self.items.get(hash_key) if hash_key is not None else None
            items = [] if bucket is None else list(bucket.values()) if self.range_key_attr else [bucket]
        return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        conditions = (kwargs.get("hash_key_conditions") or []) if index_name else []
        if index_name and not conditions:
            return original_query(self, hash_key, *args, **kwargs)
        local.wanted = (self, hash_key, conditions)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            local.wanted = None

    Table.query, Table.all_items = query, all_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.all_items = original_query, original_all_items  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# The measured now, and a world
# ---------------------------------------------------------------------------------------------


def choose_now() -> datetime:
    """FIXED_NOW while its events are still ahead; later, the first day (05:00 UTC) from which the bundled calendar
    has a window holding the next FIRST_DAY..LAST_DAY days (events.create refuses dates in the past)."""
    from chalicelib.domain.electoral import calendar
    from chalicelib.domain.time import paris

    earliest = max(FIXED_NOW.date(), paris(datetime.now(UTC)).date() + timedelta(days=1))
    _, elections = calendar.reference()
    place = calendar.Place(PLACE["departement"], PLACE["region"], PLACE["commune_insee"])
    for w in calendar.windows_for(elections, place, earliest):
        day = max(earliest, w.l52_1_start)
        if day + timedelta(days=LAST_DAY) <= w.ends:
            return datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)
    raise BenchFailure("the bundled calendar has no window holding 90 days of events ahead: update elections.json")


def _event_day(now: datetime, e: int, n: int) -> date:
    first = now.date() + timedelta(days=FIRST_DAY)
    return first + timedelta(days=(e * (LAST_DAY - FIRST_DAY)) // max(n - 1, 1))


def _years_before(day: date, years: int, shift: int) -> date:
    try:
        earlier = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        earlier = day.replace(year=day.year - years, day=28)
    return earlier + timedelta(days=shift)


def build_tenant(tenant_id: str, kind: str, n_events: int, now: datetime) -> TenantFacts:
    """Users, contacts, past occurrences, events (through events.create) and invitations of one tenant."""
    from chalicelib.schemas.events import EventCreate, event_doc
    from chalicelib.services import contacts, events, invitations
    from chalicelib.store import events as store
    from chalicelib.store.base import new_id, now_iso
    from chalicelib.store.entities import Event
    from infra import seed as demo

    users = [demo.DemoUser(f"admin@{tenant_id}.test", ["admin"])]
    if kind == "institution":
        users += [demo.DemoUser(f"{role}@{tenant_id}.test", [role]) for role in RECIPIENTS]
    name = f"Ville de {tenant_id}" if kind == "institution" else "Liste Bench"
    tenant = demo.DemoTenant(tenant_id, kind, name, {"name": name, **PLACE}, users)
    demo.seed_tenant(tenant)
    admin = demo.principal_for(tenant, users[0])

    people = invitees(CONTACTS, 3, f"{tenant_id}.exemple.fr")
    contact_ids = [c.contact_id for c in contacts.import_many(admin, people)]

    facts: list[EventFacts] = []
    for e in range(n_events):
        series = e % 2 == 0
        partisan = e % 10 == (0 if (e // 10) % 2 == 0 else 5)  # a tenth, with and without a series
        guests = contact_ids[(e * GUESTS) % CONTACTS :][:GUESTS] if e % 3 == 0 else []
        day = _event_day(now, e, n_events)
        series_name = f"{SERIES_NAMES[e % len(SERIES_NAMES)]} n° {e}" if series else None
        if series_name:
            for years, shift in zip(range(1, PREVIOUS + 1), (1, -1, 0), strict=False):
                past_day = _years_before(day, years, shift)
                at = now_iso()
                past = Event(
                    tenant_id=tenant_id,
                    event_id=new_id(),
                    doc={
                        "title": f"{series_name} ({past_day.year})",
                        "kind": "voeux",
                        "series": series_name,
                        "starts_at": f"{past_day.isoformat()}T17:30:00Z",
                        "status": "closed",
                        "capacity": 400,
                        "budget_cents": 800_000,
                    },
                    created_at=at,
                    updated_at=at,
                )
                store.save_event(past, is_new=True)
                if guests:
                    invitations.create(admin, past, guests, "email")
        body = {
            "title": series_name or f"Réunion n° {e}",
            "kind": "voeux" if series else "autre",
            "series": series_name,
            "starts_at": datetime(day.year, day.month, day.day, 18, 30, tzinfo=PARIS).isoformat(),
            "status": "open",
            "capacity": 400 if series else 200,
            "budget_cents": 800_000 if series else 150_000,
            "description": PARTISAN if partisan else NEUTRAL,
        }
        created = events.create(admin, event_doc(EventCreate.model_validate(body)))
        if guests:
            event = store.get_event(tenant_id, created.event.event_id)
            assert event is not None
            made = invitations.create(admin, event, guests, "email")
            if len(made.created) != len(guests):
                raise BenchFailure(f"{tenant_id}: invitations skipped: {made.skipped}")
        facts.append(EventFacts(series, PREVIOUS if series else 0, partisan, len(guests)))
    recipients = [u.email for u in users if set(u.roles) & set(RECIPIENTS)]
    return TenantFacts(tenant_id, facts, recipients, windows_news(now))


def windows_news(now: datetime) -> int:
    """Windows of the bundled calendar opening within 30 days: each announced once (no corrections here)."""
    from chalicelib.domain.electoral import calendar
    from chalicelib.domain.time import paris
    from chalicelib.services import electoral_watch

    today = paris(now).date()
    _, elections = calendar.reference()
    place = calendar.Place(PLACE["departement"], PLACE["region"], PLACE["commune_insee"])
    return sum(1 for w in calendar.windows_for(elections, place, today) if electoral_watch._opens_soon(w, today))


@dataclass
class Measured:
    totals: dict[str, int]
    calls: WatchCalls
    emails: list[tuple[str, str]]  # (to, subject) of every email SES was asked to send
    queued: int  # what fan_out reported
    queued_ids: list[str]  # the tenants of the messages it queued
    seconds: float  # wall time of the metered work under moto (for orientation only: moto's speed, not AWS's)


@dataclass
class WorldResult:
    spec: WorldSpec
    setup_s: float
    tenants: list[TenantFacts]
    political_events: int
    first: Measured
    again: Measured

    @property
    def events(self) -> int:
        return sum(len(t.events) for t in self.tenants)


def measure_run(meter: WatchMeter, now: datetime) -> Measured:
    """One daily check as AWS runs it: the schedule's fan_out(now) queues one message per institution tenant, then
    each message is processed (process_message, the SQS handler's work). Both are metered; receiving and deleting
    the messages (the Lambda event source mapping's work, not the app's) are not."""
    from chalicelib import aws
    from chalicelib.services import electoral_watch
    from chalicelib.settings import get_settings

    before = len(ses_sent())
    calls = WatchCalls()
    totals = {"tenants": 0, "events": 0, "findings_notified": 0, "windows_notified": 0, "emails": 0, "errors": 0}
    with stopwatch() as elapsed:
        with meter.counting(calls):
            queued = electoral_watch.fan_out(now)
        url = aws.queue_url(get_settings().electoral_queue_name)
        bodies: list[str] = []
        while messages := aws.sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                bodies.append(message["Body"])
                aws.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        for body in bodies:
            try:
                with meter.counting(calls):
                    result = electoral_watch.process_message(body)
            except Exception as exc:  # SQS would deliver it again; here it is an answer the bench reports wrong
                print(f"electoral check of {body} failed: {exc!r}", file=sys.stderr)
                totals["errors"] += 1
                continue
            totals["tenants"] += 1
            for key, value in result.items():
                totals[key] += value
    queued_ids = sorted(json.loads(b)["tenant_id"] for b in bodies)
    return Measured(totals, calls, ses_sent()[before:], queued.get("tenants", -1), queued_ids, elapsed.seconds)


def world(meter: WatchMeter, spec: WorldSpec, now: datetime) -> WorldResult:
    with moto_world(), moto_queries_by_key():
        from chalicelib.services import audit

        with stopwatch() as setup:
            audit.begin()  # as in a request: audit entries leave in a few SQS batches, not one write each
            with moto_transactions_without_backups():
                build_tenant(POLITICAL, "political", POLITICAL_EVENTS, now)
                tenants = [
                    build_tenant(f"bench-ville-{t + 1:02d}", "institution", spec.events, now)
                    for t in range(spec.tenants)
                ]
            audit.flush()

        first = measure_run(meter, now)
        again = measure_run(meter, now)

    result = WorldResult(spec, setup.seconds, tenants, POLITICAL_EVENTS, first, again)
    check(result)
    return result


def check(w: WorldResult) -> None:
    name = w.spec.name
    for label, measured in (("first run", w.first), ("second run", w.again)):
        t = measured.totals
        scans = measured.calls.ops("dynamodb")["Scan"]
        if scans:
            raise BenchFailure(f"{name}, {label}: {scans} Scan call(s); the job must query, never scan")
        if measured.calls.naming[POLITICAL]:
            raise BenchFailure(
                f"{name}, {label}: {measured.calls.naming[POLITICAL]} DynamoDB call(s) name the political tenant; "
                "only institutions are checked"
            )
        institutions = sorted(tf.tenant_id for tf in w.tenants)
        if measured.queued != len(institutions) or measured.queued_ids != institutions:
            raise BenchFailure(
                f"{name}, {label}: fan_out queued {measured.queued} message(s) for {measured.queued_ids}, wanted one "
                f"per institution tenant ({institutions}), none for {POLITICAL}"
            )
        if t["errors"] or t["tenants"] != len(w.tenants) or t["events"] != w.events:
            raise BenchFailure(f"{name}, {label}: {t}; wanted {len(w.tenants)} tenants, {w.events} events, no error")
    t = w.first.totals
    findings = sum(tf.news - tf.windows_news for tf in w.tenants)
    windows = sum(tf.windows_news for tf in w.tenants)
    if t["findings_notified"] != findings or t["windows_notified"] != windows:
        raise BenchFailure(
            f"{name}: first run notified {t['findings_notified']} findings and {t['windows_notified']} windows, "
            f"wanted {findings} and {windows}"
        )
    expected = Counter(address for tf in w.tenants if tf.news for address in tf.recipients)
    per_tenant = {len(tf.recipients) for tf in w.tenants}
    if per_tenant != {len(RECIPIENTS)}:
        raise BenchFailure(f"{name}: tenants with {per_tenant} recipients, wanted {len(RECIPIENTS)} each")
    wanted = sum(1 for tf in w.tenants if tf.news)  # one digest per tenant with news, to its team together
    got = Counter(address.strip() for to, _ in w.first.emails for address in to.split(","))
    if t["emails"] != wanted or len(w.first.emails) != wanted or got != expected:
        raise BenchFailure(
            f"{name}: the job reported {t['emails']} emails and SES got {len(w.first.emails)}, wanted {wanted} "
            f"(one per tenant with news, to its {len(RECIPIENTS)} recipients); unexpected {list(got - expected)[:3]}, "
            f"missing {list(expected - got)[:3]}"
        )
    a = w.again
    if a.totals["emails"] or a.totals["findings_notified"] or a.totals["windows_notified"] or a.emails:
        raise BenchFailure(f"{name}, second run: notified again ({a.totals}, {len(a.emails)} emails)")
    if a.calls.ops("ses") or a.calls.ops("sns"):
        raise BenchFailure(f"{name}, second run: {a.calls.describe(False)}")


# ---------------------------------------------------------------------------------------------
# What the code makes, and the minimum
# ---------------------------------------------------------------------------------------------

HISTORY_SIZE = 10  # domain/electoral/compliance.HISTORY_SIZE: earlier occurrences compared (one COUNT each)


def per_event_calls(e: EventFacts) -> Counter[tuple[str, str]]:
    """compliance.assess_and_store(item, ctx, today) and the job's marks, for one event (the code and the minimum
    agree here: every call is one the design needs)."""
    calls: Counter[tuple[str, str]] = Counter()
    calls[("Query", "invitations/by-event")] += 1  # subject_of → invitation_count (Select=COUNT)
    if e.series:
        calls[("Query", "events/by-series")] += 1  # history_of → series_events_before
        calls[("Query", "invitations/by-event")] += min(e.previous, HISTORY_SIZE)  # a COUNT per earlier occurrence
    if e.partisan:
        calls[("GetItem", "electoral")] += 1  # _override_in_force: only with blocking findings
    calls[("PutItem", "electoral")] += 1 + e.findings  # the assessment + mark_notified per non-ok finding
    return calls


def from_code(tenants: list[TenantFacts], notify: bool) -> Counter[tuple[str, str]]:
    """DynamoDB calls of fan_out(now) and each tenant's process_message as the code stands (every Query answer fits
    in one page). ``notify``: the run has news to send (the first run); the second finds every mark already there."""
    calls: Counter[tuple[str, str]] = Counter({("Query", "tenants/by-kind"): 1})  # fan_out
    for t in tenants:
        calls[("GetItem", "tenants")] += 1  # TenantContext.load → get_settings_item
        calls[("Query", "elections")] += 2  # elections_for → elections_of([DEPLOYMENT, tenant]): a Query each
        calls[("Query", "events/by-start")] += 1  # events_between
        calls[("PutItem", "electoral")] += t.windows_news  # mark_notified per window opening soon
        for e in t.events:
            calls.update(per_event_calls(e))
        if notify and t.news:
            calls[("Query", "users")] += 1  # recipients → users.all_for
    return calls


def design_minimum(tenants: list[TenantFacts], notify: bool) -> tuple[int, list[str]]:
    """The fewest calls the design allows for the same work: the same per-event work, and each tenant's
    settings read once per check. Each tenant is checked by its own message (its own Lambda invocation), so the
    deployment's calendar corrections are read per tenant too (see notes)."""
    events = [e for t in tenants for e in t.events]
    per_event = sum(sum(per_event_calls(e).values()) for e in events)
    news = sum(1 for t in tenants if t.news) if notify else 0
    windows = sum(t.windows_news for t in tenants)
    total = 1 + len(tenants) * 4 + news + windows + per_event
    n_series = sum(1 for e in events if e.series)
    earlier = sum(min(e.previous, HISTORY_SIZE) for e in events if e.series)
    blocking = sum(1 for e in events if e.partisan)
    findings = sum(e.findings for e in events)
    lines = [
        "per run (fan_out): 1 Query tenants/by-kind (the institutions; one page)",
        f"per tenant ({len(tenants)}, one message each): 1 GetItem tenants (settings: territory, thresholds, "
        "candidates, name) + 2 Query elections (the deployment's corrections, its own) + 1 Query events/by-start "
        "(one page here)"
        + (f"; with news ({news}): 1 Query users (the recipients)" if notify else "")
        + (f"; {windows} conditional PutItem for windows opening soon" if windows else ""),
        f"per event ({len(events)}): 1 Query COUNT invitations/by-event (its invitations) + 1 PutItem electoral "
        "(the assessment)",
        f"  + with a series ({n_series}): 1 Query events/by-series + 1 Query COUNT per earlier occurrence (up to "
        f"{HISTORY_SIZE}; {earlier} here)",
        f"  + blocking ({blocking}): 1 GetItem electoral (an override in force?)",
        f"  + 1 conditional PutItem electoral per non-ok finding ({findings}: the once-only notification mark)",
    ]
    return total, lines


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def describe_world(w: WorldResult) -> str:
    events = [e for t in w.tenants for e in t.events]
    return (
        f"world {w.spec.name}: {len(w.tenants)} institution tenant(s) × {w.spec.events} events = {len(events)} "
        f"events in the next 90 days ({sum(e.series for e in events)} in a series with {PREVIOUS} earlier "
        f"occurrences, {sum(not e.series for e in events)} without, {sum(e.partisan for e in events)} partisan, "
        f"{sum(1 for e in events if e.invitations)} with {GUESTS} invitations), "
        f"+ 1 political tenant with {w.political_events} events; set up in {w.setup_s:.0f} s, runs "
        f"{w.first.seconds:.1f} s and {w.again.seconds:.1f} s under moto"
    )


FIRST_RUN = Table(
    "DynamoDB call (first run)",
    36,
    Column("A", 5),
    Column("B", 6),
    Column("read A", 7),
    Column("read B", 7),
    Column("/ev A", 6, ".2f"),
    Column("/ev B", 6, ".2f"),
)


def report(a: WorldResult, b: WorldResult, small: bool, now: datetime) -> None:
    heading("Daily electoral check: DynamoDB calls per assessed event, 1 vs many institution tenants")
    print(
        f"measured now = {utc_iso(now)}; electoral_watch.fan_out(now), then process_message of each queued message "
        "(the two handlers' work; SQS receive/delete not counted)"
    )
    for w in (a, b):
        print(describe_world(w))
    if small:
        print("  --small: world B has 4 tenants × 25 events (CI size); run without --small for 10 × 100")
    print("each world in a fresh moto state (in-process mock_aws): the job lists the institutions of the deployment")
    print(f"{COUNTED}; read = items DynamoDB returned")
    print()

    fa, fb = a.first.calls, b.first.calls
    FIRST_RUN.header()
    for call, na, nb, ra, rb in fa.by_target(fb):
        FIRST_RUN.row(call, na, nb, ra, rb, na / a.events, nb / b.events)
    FIRST_RUN.rule()
    FIRST_RUN.row(
        "total DynamoDB calls",
        fa.dynamodb,
        fb.dynamodb,
        fa.items_read,
        fb.items_read,
        fa.dynamodb / a.events,
        fb.dynamodb / b.events,
    )
    refused_a, refused_b = sum(fa.refused.values()), sum(fb.refused.values())
    print(f"conditional writes refused (already notified): A {refused_a}, B {refused_b}")
    for (label, va), (_, vb) in zip(fa.beside_dynamodb(), fb.beside_dynamodb(), strict=True):
        FIRST_RUN.row(label, va, vb)
    print(f"  other AWS calls at B: {fb.describe(False, leave_out=('ses',))}")
    print(f"job totals A: {a.first.totals}")
    print(f"job totals B: {b.first.totals}")
    print(
        f"Scan calls: {fa.ops('dynamodb')['Scan']} (A), {fb.ops('dynamodb')['Scan']} (B); calls naming the "
        f"political tenant: {fa.naming[POLITICAL]} (A), {fb.naming[POLITICAL]} (B)"
    )
    per_a, per_b = fa.dynamodb / a.events, fb.dynamodb / b.events
    print(
        f"calls per assessed event: A {per_a:.2f}, B {per_b:.2f}; B/A = {ratio(per_b, per_a)} with "
        f"{len(b.tenants)}× the tenants and {b.events // a.events}× the events (total calls B/A = "
        f"{ratio(fb.dynamodb, fa.dynamodb)})"
    )
    print()

    for label, notify in (("first run", True), ("second run", False)):
        heading(f"{label}: calls reckoned from the code, and the minimum the design implies")
        for w in (a, b):
            measured = (w.first if notify else w.again).calls
            code = from_code(w.tenants, notify)
            minimum, lines = design_minimum(w.tenants, notify)
            print(f"world {w.spec.name}:")
            if w is a or label == "first run":
                indented(lines)
            code_total = sum(code.values())
            print(
                f"  minimum {minimum} = {minimum / w.events:.2f} per event; code as it is {code_total}; measured "
                f"{measured.dynamodb} = {measured.dynamodb / w.events:.2f} per event; "
                f"{against_minimum(measured.dynamodb, minimum)}"
            )
            diff = {k: measured.targets[k] - code[k] for k in set(code) | set(measured.targets)}
            if any(diff.values()):
                wrong = ", ".join(f"{op} {t}: {n:+d}" for (op, t), n in sorted(diff.items()) if n)
                print(f"  (the reckoning of the code differs from the measure: {wrong})")
            if measured.dynamodb > minimum:
                print(f"  above the minimum by {measured.dynamodb - minimum}: " + "; ".join(why(w, notify)))
        print()

    heading("Second run, same now: everything already notified")
    for w in (a, b):
        c = w.again.calls
        print(
            f"world {w.spec.name}: emails {w.again.totals['emails']}, findings notified "
            f"{w.again.totals['findings_notified']}, windows notified {w.again.totals['windows_notified']}; "
            f"{c.dynamodb} DynamoDB calls ({c.dynamodb / w.events:.2f} per event), "
            f"{sum(c.refused.values())} conditional PutItem refused (the marks of the first run)"
        )
    print()
    report_notes(a, b)


def why(w: WorldResult, notify: bool) -> list[str]:
    """Calls the code makes beyond the design minimum, with their reason (none since _notify reuses the settings
    TenantContext.load read)."""
    return []


def report_notes(a: WorldResult, b: WorldResult) -> None:
    f = b.first.calls
    events = [e for t in b.tenants for e in t.events]
    counts = f.targets[("Query", "invitations/by-event")]
    earlier = sum(min(e.previous, HISTORY_SIZE) for e in events if e.series)
    series_items = f.target_items[("Query", "events/by-series")]
    series_queries = f.targets[("Query", "events/by-series")]
    puts = f.targets[("PutItem", "electoral")]
    again = b.again.calls
    event_work = sum(sum(per_event_calls(e).values()) for e in events)
    found = [
        f"the per-event work dominates: {event_work / len(events):.2f} of the {f.dynamodb / len(events):.2f} calls "
        f"per event; the rest is {(f.dynamodb - event_work) / len(b.tenants):.1f} calls per tenant (settings, "
        "calendar corrections, the events page, the recipients) and the by-kind Query",
        f"{counts} Query COUNT on invitations/by-event, {earlier} of them for earlier occurrences of a series "
        f"(compliance.history_of: one per occurrence, re-counted every day although a past event's invitations no "
        "longer change); a count kept on the event (or the occurrence's figures kept in its series) would leave "
        "1 COUNT per event",
        f"{series_queries} Query events/by-series read {series_items} items: series_events_before reads only the "
        "occurrences before the event (key condition on start_key), newest first, and stops at 10; it is queried "
        "once per event, not once per series (events of one series in the same 90 days share most of the answer)",
        f"{puts} PutItem electoral on the first run ({len(events)} assessments + {puts - len(events)} marks); the "
        f"second run still makes {again.targets[('PutItem', 'electoral')]} ({sum(again.refused.values())} refused "
        "marks): every assessment is rewritten daily (assessed_at changes) and every standing finding costs a refused "
        "conditional put each day; reading the marks first (BatchGetItem, 100 keys a call) would cost less once "
        "most findings are old news",
        "invitation_count is a Query Select=COUNT with a filter (status ≠ cancelled): DynamoDB still reads every "
        "invitation item of the event (the filter applies after the read), a page per MB: here 1 call each, but an "
        "event (or an earlier occurrence) of a few thousand guests costs a call per MB of its guest list, every day",
        f"{f.targets[('Query', 'elections')]} Query elections, 2 per tenant: the deployment's corrections are the "
        "same for every tenant; fan_out could read them once and carry them in each message (−1 call per tenant). "
        "Counted in the minimum, since each tenant is checked by its own invocation",
    ]
    notes("notes (world B)", found)


def main(argv: list[str] | None = None) -> int:
    args = options("bench.electoral", __doc__, "CI size: world B has 4 tenants × 25 events").parse_args(argv)
    use_bench_environment()

    a = WorldSpec("A", tenants=1, events=10)
    b = WorldSpec("B", tenants=4, events=25) if args.small else WorldSpec("B", tenants=10, events=100)

    def work() -> None:
        meter = WatchMeter()
        meter.install()
        now = choose_now()
        results = [world(meter, spec, now) for spec in (a, b)]
        report(results[0], results[1], args.small, now)

    return run_bench(work)


if __name__ == "__main__":
    sys.exit(main())
