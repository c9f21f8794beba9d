"""Reminders job benchmark: DynamoDB calls with 100 vs 10,000 invitations when 10 reminders are due.

    .venv/bin/python -m bench.reminders [--small]

Two worlds, each in a fresh moto state (mock_aws, in-process; the job reads the due rules of every tenant, so the
worlds cannot share tables), one tenant each, measured in the same run:

- world A: 100 invitations: 10 events × 10 guests, every guest invited and not answering;
- world B: 10,000 invitations (--small: 1,000): 100 events × 100 guests (--small: 20 × 50); 10 of the events
  have 10 guests invited and not answering, the others' guests answered (accepted or declined); the other
  events' guests are a mix.

In both worlds exactly 10 relances are due at the measured ``now`` (each for an event with 10 non-respondents
whose invitation was sent), every other rule item (the other relances, the rappels, the close items) is due later.
Events are created through services/events.create (so the rule items are those sync_reminders writes); contacts
through services/contacts.import_many (BatchWriteItem); invitations are built by services/invitations._new, as
the service builds them, and written with their guard items by BatchWriteItem, marked sent (sent_at), the
answered ones moved through the state machine (invitations.apply).

Then ``reminders.run(now)`` runs once per world with every AWS call counted on botocore's ``before-call`` event
of every client (bench.run.AwsMeter), and twice more: the same window again (the next run) and the due rule
items as the first run read them (an overlapping run or a redelivery): both must send nothing.

Prints the figures measured in this run: DynamoDB calls by operation and table, emails sent, B/A, the calls the
code as it is makes (reckoned from its source, below) and the minimum the design implies, with measured/minimum.
Exits 1 if an answer is wrong: a Scan, emails that differ from the due work (10 rules × 10 guests, to the right
people), or anything sent again.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# bench.report and bench.run import only the standard library at module level: their helpers are reused as they are.
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
from bench.run import (
    BENCH_ENV,
    COUNTED,
    AwsMeter,
    Calls,
    moto_transactions_without_backups,
    moto_world,
    use_bench_environment,
    utc_iso,
)

TENANT = "bench-reminders"
DUE_RULES = 10  # relances due at the measured now
GUESTS = 10  # non-respondents of each due event: the due work is DUE_RULES × GUESTS messages
BATCH = 25  # items per BatchWriteItem


@dataclass
class WorldSpec:
    name: str
    events: int
    per_event: int  # invitations per event
    contacts: int  # the tenant's contacts: the due guests, then those the other invitations go to

    @property
    def invitations(self) -> int:
        return self.events * self.per_event


# ---------------------------------------------------------------------------------------------
# Metering: bench.run's meter, also naming the table (and index) of each DynamoDB call
# ---------------------------------------------------------------------------------------------


@dataclass
class JobCalls(Calls):
    targets: Counter[tuple[str, str]] = field(default_factory=Counter)  # (operation, table[/index]) → calls
    target_items: Counter[tuple[str, str]] = field(default_factory=Counter)  # → items DynamoDB returned

    def ops(self, service: str) -> Counter[str]:
        return Counter({op: n for (s, op), n in self.operations.items() if s == service})

    def by_target(self, other: JobCalls) -> Iterator[tuple[str, int, int, int, int]]:
        """Per DynamoDB operation and table (or index) either made: its calls here and in `other`, then the items
        they read here and there."""
        for key in sorted(set(self.targets) | set(other.targets)):
            yield (
                f"{key[0]} {key[1]}",
                self.targets[key],
                other.targets[key],
                self.target_items[key],
                other.target_items[key],
            )

    def beside_dynamodb(self) -> list[tuple[str, int]]:
        """The job's other calls, as a report lists them under its DynamoDB table: emails, then anything else."""
        return [
            ("SES SendRawEmail (emails sent)", self.ops("ses")["SendRawEmail"]),
            ("other AWS calls", self.elsewhere("ses")),
        ]


class TableMeter(AwsMeter):
    """AwsMeter plus a handler on ``before-parameter-build`` (once per API call, like ``before-call``) that reads
    the table and index the call names, and the items each answer returned (calls are made one at a time)."""

    calls_type = JobCalls
    last_target: tuple[str, str] = ("", "")

    def install(self) -> None:
        super().install()
        import botocore.client

        original = botocore.client.ClientCreator.create_client
        meter = self

        def create_client(creator: Any, *args: Any, **kwargs: Any) -> Any:
            client = original(creator, *args, **kwargs)
            client.meta.events.register("before-parameter-build", meter.before_parameter_build)
            return client

        botocore.client.ClientCreator.create_client = create_client  # type: ignore[method-assign]

    def before_parameter_build(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        calls = self.current
        if not isinstance(calls, JobCalls) or model.service_model.service_name != "dynamodb":
            return
        prefix = BENCH_ENV["AGORA_TABLE_PREFIX"]
        tables = [params["TableName"]] if "TableName" in params else sorted(params.get("RequestItems") or {})
        target = ",".join(t.removeprefix(prefix) for t in tables)
        if params.get("IndexName"):
            target += f"/{params['IndexName']}"
        calls.targets[(model.name, target)] += 1
        self.last_target = (model.name, target)

    def after_call(self, model: Any, parsed: Any, **kwargs: Any) -> None:
        calls = self.current
        before = calls.items_read if calls is not None else 0
        super().after_call(model=model, parsed=parsed, **kwargs)
        if isinstance(calls, JobCalls) and model.service_model.service_name == "dynamodb":
            calls.target_items[self.last_target] += calls.items_read - before


# ---------------------------------------------------------------------------------------------
# A world
# ---------------------------------------------------------------------------------------------


@dataclass
class Measured:
    totals: dict[str, int]
    calls: JobCalls
    emails: list[tuple[str, str]]  # (to, subject) of every email SES was asked to send


@dataclass
class WorldResult:
    spec: WorldSpec
    setup_s: float
    rule_items: int
    reminders_map_stored: bool
    first: Measured
    again: Measured
    overlap: Measured
    overlap_rules: int
    histories: dict[int, int]  # run-history entries per due rule item after the three runs → rule items


def ses_sent() -> list[tuple[str, str]]:
    import email
    import email.policy

    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    from chalicelib.settings import get_settings

    backend = get_backend("ses")[DEFAULT_ACCOUNT_ID][get_settings().region]
    found = []
    for message in backend.sent_messages:
        if hasattr(message, "raw_data"):
            parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
            found.append((str(parsed["To"]), str(parsed["Subject"])))
    return found


def invitees(count: int, digits: int, domain: str) -> list[Any]:
    """`count` people to invite, as contacts.import_many takes them; the n-th is Prénom{n} Nom{n},
    invite{n}@{domain}, n zero-padded to `digits`."""
    from chalicelib.schemas.contacts import ContactCreate, contact_doc

    return [
        contact_doc(
            ContactCreate(
                kind="person",
                civility="Mme" if n % 2 else "M",
                first_name=f"Prénom{n}",
                last_name=f"Nom{n:0{digits}d}",
                emails=[f"invite{n:0{digits}d}@{domain}"],
            )
        )
        for n in range(count)
    ]


def build(spec: WorldSpec, now: datetime) -> tuple[dict[tuple[str, str], int], int, bool]:
    """Tenant, contacts, events (with their rule items), invitations. Returns the (email, subject) pairs the due
    relances must send, the number of rule items, and whether an invitation's empty reminders map was stored."""
    from chalicelib import aws
    from chalicelib.auth import Principal
    from chalicelib.schemas.events import EventCreate, event_doc
    from chalicelib.services import audit, contacts, event_messages, events, invitations
    from chalicelib.settings import get_settings
    from chalicelib.store import events as store
    from chalicelib.store import invitations as invitations_store
    from infra import seed as demo

    demo.seed_tenant(demo.DemoTenant(TENANT, "institution", "Ville de Bench", {"name": "Ville de Bench"}))
    admin = Principal(TENANT, "institution", "bench-admin", "admin@bench.test", frozenset({"admin"}))
    audit.begin()  # as in a request: audit entries leave in a few SQS batches, not one write each

    people = invitees(spec.contacts, 5, "exemple.fr")
    contact_items: list[Any] = []
    for start in range(0, len(people), 500):
        created = contacts.import_many(admin, people[start : start + 500])
        contact_items += [contact for c in created if (contact := _contact(admin.tenant_id, c.contact_id))]
    due_contacts, others = contact_items[: DUE_RULES * GUESTS], contact_items[DUE_RULES * GUESTS :]

    step = spec.events // DUE_RULES  # the due events are spread among the others, not created first
    due_events = {n * step for n in range(DUE_RULES)}
    expected: Counter[tuple[str, str]] = Counter()
    invitation_items: list[Any] = []
    guards: list[Any] = []
    other_cursor = 0
    for e in range(spec.events):
        if e in due_events:
            j = sorted(due_events).index(e)
            # relance (deadline -P7D) due 2 h + j min before now: well clear of a DST shift of the Paris calendar
            deadline = now + timedelta(days=7) - timedelta(hours=2, minutes=j)
        else:
            deadline = now + timedelta(days=7, hours=2, minutes=e)  # due after now
        body = {
            "title": f"Cérémonie n° {e + 1}",
            "kind": "voeux",
            "series": "Bench",
            "starts_at": utc_iso(deadline + timedelta(days=10)),
            "place": "Salle des fêtes",
            "address": "1 place de la Mairie",
            "status": "open",
            "rsvp_deadline": utc_iso(deadline),
        }
        created_event = events.create(admin, event_doc(EventCreate.model_validate(body)))
        event = store.get_event(admin.tenant_id, created_event.event.event_id)
        assert event is not None
        if e in due_events:
            guests = due_contacts[j * GUESTS : (j + 1) * GUESTS]
            answering = spec.per_event - GUESTS
        else:
            guests, answering = [], spec.per_event
        if answering > len(others):
            raise BenchFailure(f"{spec.name}: {answering} answering guests per event, only {len(others)} contacts")
        guests = guests + [others[(other_cursor + k) % len(others)] for k in range(answering)]
        other_cursor += answering
        accepted = 0
        for k, contact in enumerate(guests):
            invitation = invitations._new(admin, event, contact, "email", None)
            invitation.sent_at = invitation.created_at  # what invitation_sending.send marks, with its message
            message = {"at": invitation.sent_at, "kind": "invitation", "channel": "email"}
            invitation.doc = {**invitation.doc, "messages": [message]}
            non_respondent = (e in due_events and k < GUESTS) or (e not in due_events and k % 2 == 0)
            if not non_respondent:
                action = "accept" if k % 3 else "decline"
                invitations.apply(invitation, action, "bench")
                invitation.answered_at = invitation.created_at
                if action == "accept":
                    invitation.seats = 1
                    accepted += 1
            invitation.version = 1
            invitation_items.append(invitations_store._item(invitation))  # the item the store would write, keys set
            guards.append(
                invitations_store.InvitationGuard(
                    admin.tenant_id,
                    invitations_store.guard_key(event.event_id, contact.contact_id),
                    points_to=invitation.invitation_id,
                )
            )
            if e in due_events and k < GUESTS:
                to, _ = event_messages.reachable(contact.doc, "email")
                expected[(str(to), event_messages.SUBJECTS["relance"].format(title=event.doc["title"]))] += 1
        store.take_seats(admin.tenant_id, event.event_id, accepted)
    for start in range(0, len(invitation_items), 1000):
        with invitations_store.InvitationItem.batch_write() as batch:
            for item in invitation_items[start : start + 1000]:
                batch.save(item)
        with invitations_store.InvitationGuard.batch_write() as guard_batch:
            for guard in guards[start : start + 1000]:
                guard_batch.save(guard)
    audit.flush()

    # Does the stored invitation carry the (empty) reminders map that invitations._new gives it? The job's first
    # mark costs 1 UpdateItem if it does, 3 if it does not (see minimum_from_code).
    raw = aws.client("dynamodb").get_item(
        TableName=get_settings().table_name("invitations"),
        Key={"tenant_id": {"S": TENANT}, "invitation_id": {"S": invitation_items[0].invitation_id}},
    )["Item"]
    rule_items = sum(1 for _ in invitations_store.ReminderItem.query(TENANT))
    return dict(expected), rule_items, "reminders" in raw


def _contact(tenant_id: str, contact_id: str) -> Any:
    from chalicelib.store import contacts as contacts_store

    return contacts_store.get(tenant_id, contact_id)


def measure_run(meter: TableMeter, run: Any) -> Measured:
    before = len(ses_sent())
    with meter.measure() as calls:
        totals = run()
    return Measured(totals, calls, ses_sent()[before:])


def world(meter: TableMeter, spec: WorldSpec, now: datetime) -> WorldResult:
    with moto_world():
        from chalicelib.services import reminders

        with stopwatch() as setup, moto_transactions_without_backups():
            expected, rule_items, map_stored = build(spec, now)

        due = reminders.due_rules(now)  # what the first run will read: replayed below as an overlapping run
        kinds = Counter(r.rule.get("kind") for r in due)
        if kinds != Counter({"relance": DUE_RULES}):
            raise BenchFailure(f"{spec.name}: {dict(kinds)} rule items due at now, wanted {DUE_RULES} relances")

        first = measure_run(meter, lambda: reminders.run(now))
        again = measure_run(meter, lambda: reminders.run(now))

        def overlap() -> dict[str, int]:
            totals: Counter[str] = Counter()
            for reminder in due:  # the first run's copies, read before it finished them
                totals.update(reminders.process(reminder, now))
            return dict(totals)

        replay = measure_run(meter, overlap)
        from chalicelib.store import invitations as invitations_store

        # Each rule item's run history after both: the overlapping run saves the copy it read (no version).
        histories = Counter(
            len(invitations_store.ReminderItem.get(r.tenant_id, f"{r.event_id}#{r.rule_id}").history or []) for r in due
        )

    check(spec, expected, first, again, replay)
    return WorldResult(spec, setup.seconds, rule_items, map_stored, first, again, replay, len(due), dict(histories))


def check(
    spec: WorldSpec, expected: dict[tuple[str, str], int], first: Measured, again: Measured, overlap: Measured
) -> None:
    for label, measured in (("first run", first), ("same window again", again), ("overlapping run", overlap)):
        scans = measured.calls.ops("dynamodb")["Scan"]
        if scans:
            raise BenchFailure(f"{spec.name}, {label}: {scans} Scan call(s); the job must read only what is due")
    due_work = DUE_RULES * GUESTS
    if first.totals.get("sent") != due_work or Counter(first.emails) != Counter(expected):
        wrong = Counter(first.emails) - Counter(expected)
        missing = Counter(expected) - Counter(first.emails)
        raise BenchFailure(
            f"{spec.name}: the job reported {first.totals.get('sent')} sent and SES got {len(first.emails)} emails, "
            f"wanted {due_work} ({DUE_RULES} rules × {GUESTS} guests); unexpected {list(wrong)[:3]}, "
            f"missing {list(missing)[:3]}"
        )
    ses_calls = first.calls.ops("ses")["SendRawEmail"]
    if ses_calls != due_work:
        raise BenchFailure(f"{spec.name}: {ses_calls} SendRawEmail calls for {due_work} emails")
    for label, measured in (("same window again", again), ("overlapping run", overlap)):
        if measured.emails or measured.totals.get("sent") or measured.calls.ops("ses") or measured.calls.ops("sns"):
            raise BenchFailure(f"{spec.name}, {label}: sent again ({measured.totals}, {len(measured.emails)} emails)")


# ---------------------------------------------------------------------------------------------
# What the code makes, and the minimum
# ---------------------------------------------------------------------------------------------


def from_code(rules: int, guests: int, map_stored: bool) -> tuple[int, list[str]]:
    """DynamoDB calls of reminders.run(now) as the code stands, for ``rules`` due relances of ``guests`` sent,
    reachable, non-answering invitations each (every Query answer fits in one page)."""
    mark = 1 if map_stored else 3
    batches = -(-guests // 100)
    per_rule = [
        ("GetItem events", 1, "store.get_event"),
        ("Query invitations/by-status", 1, "invitations_store.invitations_in_status(…, 'invited')"),
        ("BatchGetItem contacts", batches, "process: contacts_store.batch_get, 100 keys a call"),
        ("BatchGetItem suppressions", batches, "process: the guests' emails on the suppression list, 100 a call"),
        ("PutItem reminders", 1, "_finish: invitations_store.save_reminder_run (condition: due_key unchanged)"),
    ]
    per_guest = [
        (
            "UpdateItem invitations",
            mark + 1,
            "mark_reminder_sending"
            + ("" if map_stored else " (no reminders map: ValidationException, SET #rem = :empty, retry)")
            + " + settle_reminder_mark « sent »",
        ),
        ("Query mandates", 1, "compose → appel_for → mandates_store.for_contact"),
        ("PutItem interactions", 1, "invitation_sending.record_interaction"),
        ("PutItem replies", 1, "deliver → replies.record_sent: the email's reply address"),
    ]
    total = 2 + rules * sum(n for _, n, _ in per_rule) + rules * guests * sum(n for _, n, _ in per_guest)
    lines = ["1 Query reminders/by-due (due_rules) + 1 GetItem tenants (run: each tenant's settings once per run)"]
    lines.append(f"per rule ({rules}): " + " + ".join(f"{n} {what} [{how}]" for what, n, how in per_rule))
    lines.append(f"per guest ({rules * guests}): " + " + ".join(f"{n} {what} [{how}]" for what, n, how in per_guest))
    return total, lines


def design_minimum(rules: int, guests: int) -> tuple[int, list[str]]:
    """The fewest calls the design allows for the same work: due work read by due time, each send marked once."""
    batches = -(-guests // 100)  # BatchGetItem takes 100 keys
    total = 1 + 1 + rules * (3 + 2 * batches) + rules * guests * 5
    lines = [
        "1 Query reminders/by-due + 1 GetItem tenants (the tenant's settings, once per run)",
        f"per rule ({rules}): 1 GetItem event + 1 Query invitations/by-status + {batches} BatchGetItem contacts "
        f"(100 keys a call) + {batches} BatchGetItem suppression list (an email never goes to a bounced, "
        "complaining or unsubscribed address; 100 keys a call) + 1 PutItem rule item (history, done)",
        f"per guest ({rules * guests}): 2 conditional UpdateItem (« sending » before the call, « sent » after: the "
        "at-most-once marks) + 1 PutItem interaction (the contact's history) + 1 Query mandates (the formule "
        "d'appel needs the guest's mandates; a Query cannot be batched) + 1 PutItem reply address (a reply finds "
        "its contact and message: one per email sent, after it, with SES's message id)",
    ]
    return total, lines


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


FIRST_RUN = Table(
    "DynamoDB call (first run)",
    44,
    Column("A", 5),
    Column("B", 5),
    Column("B/A", 5),
    Column("read A", 7),
    Column("read B", 7),
)


def report(a: WorldResult, b: WorldResult, small: bool, now: datetime) -> None:
    heading("Reminders job: DynamoDB calls with few vs many invitations, the same 10 relances due")
    print(f"measured now = {utc_iso(now)}; reminders.run(now) called directly (the scheduled handler's work)")
    for w in (a, b):
        s = w.spec
        print(
            f"world {s.name}: {s.invitations:,} invitations = {s.events} events × {s.per_event}, {s.contacts:,} "
            f"contacts, {w.rule_items} rule items (relance, rappel, close per event), {w.overlap_rules} due; "
            f"each due event has {GUESTS} non-respondents"
            + (f" and {s.per_event - GUESTS} guests who answered" if s.per_event > GUESTS else "")
            + f"; set up in {w.setup_s:.0f} s"
        )
    if small:
        print("  --small: world B has 1,000 invitations instead of 10,000 (CI size); run without --small for 10,000")
    print("each world in a fresh moto state (in-process mock_aws): the job reads the due rules of every tenant")
    print(f"{COUNTED}; read = items DynamoDB returned")
    print()

    fa, fb = a.first.calls, b.first.calls
    FIRST_RUN.header()
    for call, na, nb, ra, rb in fa.by_target(fb):
        FIRST_RUN.row(call, na, nb, ratio(nb, na), ra, rb)
    FIRST_RUN.rule()
    FIRST_RUN.row("total DynamoDB calls", fa.dynamodb, fb.dynamodb, ratio(fb.dynamodb, fa.dynamodb))
    FIRST_RUN.row(
        "items read (every Query and GetItem answer)", fa.items_read, fb.items_read, ratio(fb.items_read, fa.items_read)
    )
    for (label, va), (_, vb) in zip(fa.beside_dynamodb(), fb.beside_dynamodb(), strict=True):
        FIRST_RUN.row(label, va, vb, ratio(vb, va))
    print(
        f"  other AWS calls at B: {fb.describe(False, leave_out=('ses',))} (the local stage's outbox copy of each "
        "message)"
    )
    print(f"job totals A: {a.first.totals}")
    print(f"job totals B: {b.first.totals}")
    print(f"Scan calls: {fa.ops('dynamodb')['Scan']} (A), {fb.ops('dynamodb')['Scan']} (B)")
    print(
        f"B/A DynamoDB calls = {ratio(fb.dynamodb, fa.dynamodb)} with {b.spec.invitations / a.spec.invitations:.0f}× "
        "the invitations: the job's cost follows the due work, not the table"
    )
    print()

    map_stored = a.reminders_map_stored and b.reminders_map_stored
    code_total, code_lines = from_code(DUE_RULES, GUESTS, map_stored)
    minimum, min_lines = design_minimum(DUE_RULES, GUESTS)
    heading(f"Calls reckoned from the code as it is ({DUE_RULES} relances × {GUESTS} guests)")
    print(
        "  (services/reminders.run → due_rules, process → send_once → store marks, event_messages.compose, deliver, "
        "invitation_sending.record_interaction; stored invitation has a reminders map: "
        f"{'yes' if map_stored else 'no, PynamoDB does not store the empty map invitations._new sets'})"
    )
    indented(code_lines)
    print(f"  = {code_total} calls; measured A {fa.dynamodb}, B {fb.dynamodb}")
    if code_total != fa.dynamodb or code_total != fb.dynamodb:
        print("  (the reckoning differs from the measure: see the per-call table above)")
    heading("Minimum the design implies for the same work")
    indented(min_lines)
    print(f"  = {minimum} calls")
    print(
        f"  {against_minimum({'A': fa.dynamodb, 'B': fb.dynamodb}, minimum)} ({fa.dynamodb - minimum} calls above it)"
    )
    print()

    heading("At most once: the job again over the same window, and an overlapping run")
    for w in (a, b):
        again, overlap = w.again, w.overlap
        print(
            f"world {w.spec.name}: same window again: sent {again.totals.get('sent', 0)}, {len(again.emails)} emails, "
            f"{again.calls.dynamodb} DynamoDB call(s) ({again.calls.describe(True, False)}): the rule items are done, "
            "out of the due index"
        )
        print(
            f"  overlapping run (the {w.overlap_rules} rule items as the first run read them, processed again): "
            f"sent {overlap.totals.get('sent', 0)}, skipped {overlap.totals.get('skipped', 0)}, "
            f"{len(overlap.emails)} emails; {overlap.calls.dynamodb} DynamoDB calls "
            f"({overlap.calls.describe(True, False)})"
        )
        print(
            "  run-history entries on the due rule items afterwards (first run + overlapping run = 2 if both kept): "
            + ", ".join(f"{n} entr{'y' if n == 1 else 'ies'} on {k} item(s)" for n, k in sorted(w.histories.items()))
        )
    print()
    report_notes(a, b, code_total, minimum)


def report_notes(a: WorldResult, b: WorldResult, code_total: int, minimum: int) -> None:
    f = b.first.calls.targets
    rules, guests = DUE_RULES, DUE_RULES * GUESTS
    found: list[str] = []
    if f[("GetItem", "contacts")] >= guests:
        found.append(
            f"contacts read one by one: {f[('GetItem', 'contacts')]} GetItem for {guests} guests "
            f"(send_once → contacts_store.get); one BatchGetItem per rule ({rules} calls) would do"
        )
    if f[("GetItem", "tenants")] >= rules:
        found.append(
            f"tenant settings read once per due rule: {f[('GetItem', 'tenants')]} GetItem "
            "(process → event_messages.tenant_settings); once per run would do"
        )
    marks = f[("UpdateItem", "invitations")]
    if marks > 2 * guests:
        found.append(
            f"{marks} UpdateItem on invitations for {guests} guests, {marks / guests:.0f} each where 2 suffice: the "
            "first mark fails with ValidationException (no reminders map: PynamoDB drops the empty map that "
            "invitations._new sets), then SET #rem = :empty, then the mark again; storing the map when the "
            "invitation is written would save 2 calls per guest on its first reminder"
        )
    if f[("Query", "mandates")] >= guests:
        found.append(
            f"{f[('Query', 'mandates')]} Query on mandates (the formule d'appel, one per guest): counted in the "
            "minimum; it is the largest per-guest read left"
        )
    kept = {w.spec.name: k for w in (a, b) if (k := w.histories.get(1))}
    if kept:
        found.append(
            "the overlapping run's save of each rule item it had read was refused (its due key had changed: the "
            "first run finished the rule), so the first run's state and history stand on "
            f"{', '.join(f'{k} of {DUE_RULES} items in {n}' for n, k in kept.items())}"
        )
    summary = (
        f"B/A = {ratio(b.first.calls.dynamodb, a.first.calls.dynamodb)}: no read grows with the table; "
        f"{code_total} calls where {minimum} suffice, all per due rule or per guest:"
    )
    notes("notes", [summary, *found])


def main(argv: list[str] | None = None) -> int:
    args = options("bench.reminders", __doc__, "CI size: world B has 1,000 invitations, not 10,000").parse_args(argv)
    use_bench_environment()

    a = WorldSpec("A", events=DUE_RULES, per_event=GUESTS, contacts=DUE_RULES * GUESTS)
    b = (
        WorldSpec("B", events=20, per_event=50, contacts=DUE_RULES * GUESTS + 400)
        if args.small
        else WorldSpec("B", events=100, per_event=100, contacts=DUE_RULES * GUESTS + 900)
    )
    # Events must start in the future for services/events.create: the measured now is 10 days ahead.
    now = (datetime.now(UTC) + timedelta(days=10)).replace(second=0, microsecond=0)

    def work() -> None:
        meter = TableMeter()
        meter.install()
        results = [world(meter, spec, now) for spec in (a, b)]
        report(results[0], results[1], args.small, now)

    return run_bench(work)


if __name__ == "__main__":
    sys.exit(main())
