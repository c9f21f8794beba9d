"""The store's typed entities: what services read and write, whatever table or bucket holds them.

The PynamoDB models stay private to `store/` (each store module converts its items to and from these types);
`schemas/` builds responses from them. A field is named once, here: the model declared `entity=` stores it in the
attribute of the same name that its type gives (store/base.py, `stored_attributes`). An entity keeps the attribute
names of its item: its keys, its metadata (a `Record`'s version and instants) and, for records kept as one
DynamoDB map, `doc`: a TypedDict naming each field of the map once, so that every read of `entity.doc["…"]` is
type-checked. Instants inside docs are ISO text in UTC (`…Z`): they sort as text,
which the keys and the GSIs rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NotRequired, Required, TypedDict


@dataclass(slots=True, kw_only=True)
class Record:
    """A record under optimistic locking, and when it was created and last changed: `version` is None until first
    saved (the store writes the new one back); `created_at` and `updated_at` are ISO instants in UTC, set by the
    store or the service that writes it."""

    version: int | None = None
    created_at: str = ""
    updated_at: str = ""


# --- directory: contacts, the name index, interactions and tasks ------------------------------------------------


class AddressDoc(TypedDict, total=False):
    lines: list[str]
    postcode: str | None  # code postal, five digits
    city: str | None
    insee_code: str | None  # INSEE COG commune code


class AffiliationDoc(TypedDict, total=False):
    organisation_id: Required[str]  # a contact of kind "organisation" of the same tenant
    role: str | None
    start: str | None  # ISO date
    end: str | None  # ISO date


class DistinctionDoc(TypedDict):
    order: str  # legion_honneur, liberation, ordre_national_merite
    grade: str


class ContactDoc(TypedDict, total=False):
    """A contact's record (the map `doc`): the fields of the create model as validated, and `archived` once set.

    Only `kind` is always there: a record stored before a field existed lacks it (`distinctions`…).
    """

    kind: Required[Literal["person", "organisation"]]
    civility: str | None  # "M" or "Mme"
    honorific: str | None
    first_name: str | None
    last_name: str | None
    organisation_name: str | None
    emails: list[str]
    phones: list[str]
    address: AddressDoc | None
    birth_date: str | None  # ISO date
    nationality: str | None  # ISO 3166-1 alpha-2
    is_political_party: bool | None  # organisations: a party or political group (L52-8)
    tags: list[str]
    interests: list[str]
    custom: dict[str, Any]  # values of the tenant's declared fields
    affiliations: list[AffiliationDoc]
    partner_contact_id: str | None
    address_form: str | None  # "traditional" or None
    distinctions: list[DistinctionDoc]
    protocol_notes: str | None  # confidential: redacted in responses for roles that may not read it
    archived: bool  # present (True) only while archived
    erased_at: str  # set when the person's data was erased (RGPD art. 17): the record is a placeholder since
    legal_hold: bool  # present (True) while a legal hold stops the retention policy from anonymising the contact


@dataclass(slots=True, kw_only=True)
class Contact(Record):
    tenant_id: str
    contact_id: str
    doc: ContactDoc

    @property
    def archived(self) -> bool:
        return bool(self.doc.get("archived"))


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexEntry:
    """One entry of the contact index as a search reads it: the contact's words, tags and kind decide a match
    without reading the contact. The store writes and deletes entries itself, with their contact."""

    pk: str
    sk: str
    contact_id: str
    kind: str
    words: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Interaction:
    tenant_id: str
    contact_id: str
    interaction_id: str
    kind: str  # call, meeting, letter, email, sms, visit, request
    date: str  # ISO date or date-time, as given
    summary: str
    author_id: str  # a user id, or "agora" for messages the application sent
    author_email: str | None = None
    task_id: str | None = None  # the follow-up task created with it
    created_at: str = ""


@dataclass(slots=True, kw_only=True)
class Task:
    tenant_id: str
    task_id: str
    title: str
    contact_id: str
    interaction_id: str | None = None
    assignee_id: str
    status: str  # open, done, cancelled
    due: str | None = None  # ISO date
    created_by: str
    created_at: str = ""
    updated_at: str = ""


class NewFollowUp(TypedDict):
    title: str
    due: str | None  # ISO date
    assignee: str  # "me" or a user id


class NewInteraction(TypedDict):
    """An interaction to record, as the request gave it (validated)."""

    kind: str
    date: str  # ISO date or date-time
    summary: str
    follow_up: NewFollowUp | None


class TaskChanges(TypedDict, total=False):
    """The fields a task PATCH sends (each key present only if sent; null where the request said null)."""

    title: str
    status: str
    due: str | None  # ISO date
    assignee: str | None  # "me" or a user id


@dataclass(slots=True, kw_only=True)
class ContactOverview:
    """The 360° view of a contact: its record, latest interactions, open tasks and mandates."""

    contact: Contact
    interactions: list[Interaction]
    open_tasks: list[Task]
    mandates: list[Mandate]


# --- tenancy: tenant settings, custom fields, users, audit -------------------------------------------------------


class SenderGrantDoc(TypedDict):
    """The domains (any address in them) and single addresses the operator assigned to a tenant."""

    domains: list[str]
    addresses: list[str]


class DeclaredCandidateDoc(TypedDict, total=False):
    name: Required[str]
    sites: list[str]


class SmsWindowDoc(TypedDict):
    start: str  # "HH:MM" in the tenant's zone
    end: str  # "HH:MM", or "24:00"


class SettingsFieldsDoc(TypedDict, total=False):
    """What a tenant's admin sets (PATCH /settings): every key may be absent, most may be null."""

    name: str | None
    commune_insee: str | None
    departement: str | None  # COG code
    region: str | None  # COG code
    epci_siren: str | None
    sender_name: str | None
    sender_email: str | None
    letterhead: str | None
    signatory_name: str | None
    signatory_function: str | None
    timezone: str  # IANA name; never null once set
    candidates: list[DeclaredCandidateDoc] | None
    regularity_tolerance_days: int | None
    amplification_ratio: float | None
    sms_sender_id: str | None  # alphanumeric sender ID of the tenant's SMS
    sms_price_cents_per_segment: float | None
    sms_message_type: str | None  # Promotional | Transactional: SNS's route for campaign SMS
    sms_hours: dict[str, list[SmsWindowDoc]] | None  # weekday name → windows; None: domain/quiet_hours' default


class TenantSettingsDoc(SettingsFieldsDoc, total=False):
    """The settings map of a tenant: its kind (set once, when provisioned), its fields, the operator's grant.

    No key is Required: readers take `{}` for a tenant not provisioned (`settings.data if settings else {}`)."""

    kind: str  # "institution" | "political": always there once provisioned
    sender_grant: SenderGrantDoc  # written only by the operator's command (infra/tenant.py)
    # PUT /donations/limits writes "donation_limits" (services/donations.LIMITS_KEY: the L52-8 amounts indexed by
    # decree, name → {value, source, by, at}), outside this type: no settings document built here carries it.
    # The operator's `disable` also writes "disabled_at" (store/tenants.DISABLED_KEY), outside this type so that no
    # code building a settings document can set it by spreading one.


@dataclass(slots=True, kw_only=True)
class TenantSettings:
    tenant_id: str
    data: TenantSettingsDoc
    version: int | None = None
    updated_at: str = ""


class CustomFieldDoc(TypedDict, total=False):
    label: Required[str]
    type: Required[str]  # domain/custom_fields.FIELD_TYPES
    choices: list[str]  # values of a "choice" field, [] otherwise


@dataclass(slots=True, kw_only=True)
class CustomField:
    """A custom contact field declared by a tenant (its item's range key is `field#{name}`)."""

    tenant_id: str
    name: str
    data: CustomFieldDoc
    version: int | None = None
    updated_at: str = ""
    position: float | None = None


@dataclass(slots=True, kw_only=True)
class User:
    """A tenant's directory entry for one Cognito identity (`user_id` is its `sub`)."""

    tenant_id: str
    user_id: str
    email: str
    roles: list[str] = field(default_factory=list)
    first_name: str | None = None
    last_name: str | None = None
    enabled: bool = True
    created_at: str = ""
    updated_at: str = ""


class UserChanges(TypedDict, total=False):
    """The fields a PATCH /users/{id} names (a name may be set to null; roles and enabled may not)."""

    roles: list[str]
    first_name: str | None
    last_name: str | None
    enabled: bool


@dataclass(slots=True, kw_only=True)
class AuditEntry:
    """Who did what to which record, and when; `entry_id` is `{at}#{ulid}`, chosen when recorded."""

    tenant_id: str
    entry_id: str
    at: str
    actor_id: str
    actor_email: str | None
    action: str  # create | update | delete | read
    resource_type: str
    resource_id: str
    detail: dict[str, Any] | None = None


# --- events and their seats, elections and the electoral watch ---------------------------------------------------


class EventReminderDoc(TypedDict, total=False):
    """A reminder rule of an event as stored (domain/events.ReminderRule): offset an ISO 8601 duration."""

    kind: Required[str]  # relance | rappel | offer_expiry
    offset: Required[str]
    channel: str | None  # None: the invitation's channel
    template: str | None


class EventDoc(TypedDict, total=False):
    """Every field of an event as the API shows it; instants are UTC ISO text (`…Z`)."""

    title: Required[str]
    kind: Required[str]
    starts_at: Required[str]
    status: str  # draft | open | closed | cancelled
    description: str | None
    series: str | None
    ends_at: str | None
    place: str | None
    address: str | None
    capacity: int | None  # None: unlimited
    companions_max: int
    rsvp_deadline: str | None
    regrets_only: bool
    budget_cents: int | None
    organiser_contact_id: str | None
    protocol_notes: str | None
    invitation_text: str | None
    reminders: list[EventReminderDoc] | None  # None: the defaults of the event's kind
    invited_count: int | None  # an earlier occurrence's figures
    attendance: int | None
    past_occurrence: bool  # the record of an earlier occurrence, kept after the fact


@dataclass(slots=True, kw_only=True)
class Event(Record):
    tenant_id: str
    event_id: str
    doc: EventDoc


@dataclass(slots=True, kw_only=True)
class Seats:
    """An event's seat counter: `free` None means unlimited capacity."""

    tenant_id: str
    event_id: str
    taken: int = 0
    free: int | None = None


class RoundDoc(TypedDict, total=False):
    """One round: its date once decreed, else the range it must fall in, or its month (YYYY-MM)."""

    date: str
    earliest: str
    latest: str
    month: str


class ElectionTerritoryDoc(TypedDict, total=False):
    national: bool
    departements: list[str]
    regions: list[str]
    communes: list[str]
    senate_series: int
    note: str


class ElectionDoc(TypedDict, total=False):
    """An election as in domain/electoral/elections.json (a correction stores the whole entry)."""

    id: Required[str]
    kind: Required[str]
    rounds: Required[list[RoundDoc]]
    label: str
    general: bool
    territory: ElectionTerritoryDoc
    reference_month: str
    decided_round: int
    financing_months: int
    confirmed: bool
    sources: list[str]


@dataclass(slots=True, kw_only=True)
class Election:
    """A correction of the calendar: `scope` is "deployment" (every tenant) or a tenant id (that tenant only)."""

    scope: str
    election_id: str
    doc: ElectionDoc
    version: int | None = None
    updated_at: str = ""
    updated_by: str = ""


class WindowDoc(TypedDict):
    """A pre-electoral window (domain/electoral/calendar.Window.as_json): days as ISO dates."""

    election_id: str
    kind: str
    label: str
    first_round: str
    confirmed: bool
    l52_1_start: str
    l52_4_start: str
    ends: str
    active: bool


class FindingDoc(TypedDict):
    """One L52-1 finding (domain/electoral/compliance.Finding.as_json)."""

    rule: str
    level: str  # ok | warning | blocking
    message: str
    evidence: dict[str, Any]
    key: str


class OverrideDoc(TypedDict):
    by: str
    at: str
    justification: str
    covers: list[str]  # the keys of the blocking findings it lifts


class AssessmentDoc(TypedDict, total=False):
    windows: Required[list[WindowDoc]]
    applies: Required[bool]
    level: Required[str]
    findings: Required[list[FindingDoc]]
    note: Required[str | None]
    assessed_at: Required[str]
    override: OverrideDoc | None  # the override in force when assessed


@dataclass(slots=True, kw_only=True)
class Assessment:
    """An event's latest L52-1 assessment (item "assessment#{event}")."""

    tenant_id: str
    event_id: str
    doc: AssessmentDoc
    created_at: str = ""


@dataclass(slots=True, kw_only=True)
class Override:
    """The admin override of an event's blocking findings (item "override#{event}")."""

    tenant_id: str
    event_id: str
    doc: OverrideDoc
    created_at: str = ""


class NotifiedEventDoc(TypedDict):
    id: str
    title: str
    starts_at: str


class NotificationDoc(TypedDict, total=False):
    """What the daily check told: a window opening soon, or an event's finding."""

    key: Required[str]  # "window#{election}#{start}" or "finding#{event}#{finding key}"
    window: WindowDoc
    event: NotifiedEventDoc
    finding: FindingDoc
    state: str  # "sending": claimed by a run that has not yet said it was told (it may have stopped); absent: told
    claim: str  # the run that claimed it last
    retold: bool  # claimed again from a run that stopped before saying so: told at least once, perhaps twice


@dataclass(slots=True, kw_only=True)
class NotificationMark:
    """Item "notified#{key}": written once, so that no run notifies the same thing twice."""

    tenant_id: str
    key: str
    doc: NotificationDoc
    created_at: str = ""


# --- invitations, their guards and reminder rules ---------------------------------------------------------------


class CompanionDoc(TypedDict):
    name: str


class RepresentativeDoc(TypedDict):
    """Who stands in for a guest who answered « represented » (a contact, or a name and a function)."""

    name: str | None
    function: str | None
    contact_id: str | None


class HistoryEntryDoc(TypedDict):
    """One status change of an invitation, in order (the state machine's transitions)."""

    at: str
    status: str
    by: str
    note: str | None


class MessageDoc(TypedDict):
    """A message sent to the guest about the invitation (also in the contact's history)."""

    at: str
    kind: str
    channel: str
    provider_message_id: NotRequired[str | None]


class InvitationDoc(TypedDict, total=False):
    """The invitation's map `doc`."""

    name: Required[str]  # the guest's formal name, as invited
    partner_contact_id: Required[str | None]  # invited with the guest: one invitation for two
    companions: Required[list[CompanionDoc]]
    representative: Required[RepresentativeDoc | None]
    history: Required[list[HistoryEntryDoc]]  # the last 200 status changes
    offered_until: str | None  # ISO instant (UTC) while a freed seat is offered to the guest
    answer_changes: list[str]  # ISO instants of the guest's own recent changes (the rate limit)
    messages: list[MessageDoc]  # the last 100


ReminderState = Literal["sending", "sent", "unknown", "failed"]


class ReminderEntryDoc(TypedDict):
    """An invitation's mark for one rule (or for the invitation itself): at most one send per (rule, invitation)."""

    state: ReminderState
    at: str
    channel: str
    provider_message_id: NotRequired[str]


@dataclass(slots=True, kw_only=True)
class Invitation(Record):
    tenant_id: str
    invitation_id: str
    event_id: str
    contact_id: str
    status: str  # domain/events.GUEST_STATUSES
    channel: str  # email | sms | letter
    seats: int = 0  # seats the invitation holds now (guest and companions)
    doc: InvitationDoc
    # rule id → its mark, in a native map: the reminder runs' writes condition on its paths
    reminders: dict[str, ReminderEntryDoc] = field(default_factory=dict)
    sent_at: str | None = None
    answered_at: str | None = None


class RsvpAnswerDoc(TypedDict):
    """A guest's answer (through their link, or taken by staff): what it writes in the invitation's doc."""

    response: Literal["accept", "decline", "represented"]
    companions: list[CompanionDoc]
    representative: RepresentativeDoc | None


class ReminderRuleDoc(TypedDict, total=False):
    """What a rule item does: a rule of the event (relance, rappel), a notice of change, closing, offers lapsing."""

    kind: Required[str]  # relance | rappel | notice | close | offer_expiry
    offset: str  # ISO 8601 duration, relative to the rule's reference
    channel: str | None  # None: each guest's own channel
    template: str | None
    cancelled: bool  # a notice: the event was cancelled
    at: str  # a notice: when the change was made


class ReminderRunDoc(TypedDict):
    """One run of the job on a rule item."""

    at: str
    sent: int
    skipped: int
    unknown: int
    failed: int
    changed: int


@dataclass(slots=True, kw_only=True)
class Reminder:
    """A rule item of an event: due at `due_at` (UTC ISO) while it has work ahead, None after."""

    tenant_id: str
    event_id: str
    rule_id: str
    rule: ReminderRuleDoc
    due_at: str | None = None
    done_at: str | None = None
    history: list[ReminderRunDoc] = field(default_factory=list)  # the last 50 runs


# --- protocol: mandates; imports and letters ---------------------------------------------------------------------


class TerritoryDoc(TypedDict, total=False):
    """Where a mandate is exercised: an INSEE COG code of a kind (domain/protocol/model.TERRITORY_KINDS)."""

    kind: Required[str]
    code: Required[str]
    name: str | None


class MandateDoc(TypedDict, total=False):
    """A mandate, function or désignation (schemas.protocol.MandateCreate, dumped as JSON; dates as ISO text)."""

    kind: Literal["mandate", "designation"]
    function: Required[str]  # a code of domain/protocol/functions.FUNCTIONS
    title: str | None  # free title, required for function "autre"
    territory: TerritoryDoc | None
    organisation: str | None
    body_kind: str | None
    start: str | None
    end: str | None
    first_elected_on: str | None
    deliberation_date: str | None
    source: Literal["manual", "rne"]
    notes: str | None


@dataclass(slots=True, kw_only=True)
class Mandate(Record):
    tenant_id: str
    contact_id: str
    mandate_id: str
    doc: MandateDoc
    # RNE imports: the file kind that created the mandate and the last import that saw it (for end-dating), with
    # the line of that import's file that saw it first and what it did then (created, updated, unchanged): a chunk
    # redelivered after its writes went through counts the same outcome again instead of "unchanged".
    rne_kind: str | None = None
    import_id: str | None = None
    import_line: int | None = None
    import_outcome: str | None = None


# imports and letter jobs; a contact import is `analysing`, then shows its `preview` until committed
JobStatus = Literal["analysing", "preview", "queued", "running", "done", "failed"]


class ImportRejectedLine(TypedDict):
    line: int
    reason: str


class ImportDoc(TypedDict, total=False):
    """An import's request, the facts of its checked file, its counters and outcome (services/rne_import.py)."""

    filename: Required[str | None]
    departement: Required[str | None]
    by: Required[dict[str, Any]]  # who asked (auth.Principal.as_requester): the job acts with their rights
    rows: Required[int]
    created: Required[int]
    updated: Required[int]
    unchanged: Required[int]
    ended: Required[int]
    rejected: Required[list[ImportRejectedLine]]  # the first MAX_REJECTED; the count goes on
    rejected_count: Required[int]
    awaiting_upload: bool  # a presigned upload not yet received
    # The checked file: its RNE kind, header line, encoding, where the next chunk starts, its size and S3 version.
    file_kind: str
    header: str
    encoding: str
    offset: int
    size: int
    s3_version: str | None
    ending_on: str  # ISO date the vanished mandates are ended on, recorded before the first is
    ending_ids: list[str]  # the mandates it ends, recorded with it: a redelivery audits them all once
    error: str
    # A contact import (services/contact_import.py): the file's media type and sheet, its columns, the suggested
    # then chosen mapping, the preview (first rows, errors per line and field, duplicates), the commit's choices,
    # its counters.
    media_type: str
    sheet: str | None
    columns: list[str]
    mapping: dict[str, str]
    preview: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    error_count: int
    duplicates: list[dict[str, Any]]
    duplicate_count: int
    on_duplicate: str
    choices: dict[str, str]
    skipped: int
    table_key: str
    plan_ready: bool  # the duplicates under the chosen mapping are stored (the commit's first chunk wrote them)


@dataclass(slots=True, kw_only=True)
class ImportJob(Record):
    tenant_id: str
    import_id: str
    kind: str  # "rne"
    status: JobStatus
    s3_key: str
    next_line: int = 2  # first line of the next chunk (after the header and any watermark)
    doc: ImportDoc


class LetterRequestDoc(TypedDict):
    """POST /letters as validated (schemas.letters.LetterCreate, dumped as JSON)."""

    contact_ids: list[str]
    template: str | None
    body: str | None
    subject: str | None
    sender_function: str | None
    date: str | None  # ISO date printed on the letters; None: the tenant's today when the job runs
    labels: bool


class LetterSkipped(TypedDict):
    contact_id: str
    reason: str


class LetterJobDoc(TypedDict, total=False):
    request: Required[LetterRequestDoc]
    by: Required[dict[str, Any]]  # who asked (auth.Principal.as_requester)
    skipped: Required[list[LetterSkipped]]
    printed: Required[int]
    pages: Required[int]
    pdf_key: str  # S3 keys of the documents, once done
    labels_key: str
    error: str


@dataclass(slots=True, kw_only=True)
class LetterJob(Record):
    tenant_id: str
    letter_id: str
    status: JobStatus
    total: int
    done: int = 0
    doc: LetterJobDoc


class ExportRequestDoc(TypedDict):
    """GET /contacts/export as asked: the segment (None: every contact not archived) and the file format."""

    segment_id: str | None
    format: Literal["csv", "xlsx"]


class ExportJobDoc(TypedDict, total=False):
    request: Required[ExportRequestDoc]
    by: Required[dict[str, Any]]  # who asked (auth.Principal.as_requester)
    key: str  # the file's S3 key, once done
    filename: str
    error: str


@dataclass(slots=True, kw_only=True)
class ExportJob(Record):
    """A contact export too large to answer at once: written to S3 by a job, then downloaded by a presigned link."""

    tenant_id: str
    export_id: str
    status: JobStatus
    total: int = 0  # contacts written, once done
    doc: ExportJobDoc


# --- campaigns: consents and the suppression list ---------------------------------------------------------------


class ConsentChangeDoc(TypedDict):
    """One past state of a consent, kept when it changes (who, when, on what basis, from where, the text shown)."""

    status: str
    lawful_basis: str
    source: str
    text: str | None
    at: str
    by: str


@dataclass(slots=True, kw_only=True)
class Consent:
    """A contact's consent on one channel (domain/consent.py: statuses, bases, sources and the send rule)."""

    tenant_id: str
    contact_id: str
    channel: str  # email | sms | post | phone
    status: str = "unknown"  # granted | withdrawn | unknown
    lawful_basis: str | None = None
    source: str | None = None
    text: str | None = None  # what the person was shown when they gave or refused it
    at: str | None = None  # when it was recorded; None: never recorded
    by: str | None = None  # a user id, or "agora" for a one-click unsubscribe or a complaint
    history: list[ConsentChangeDoc] = field(default_factory=list)  # earlier states, oldest first
    version: int | None = None


@dataclass(slots=True, kw_only=True)
class Suppression:
    """An address the tenant never sends to again: a hard bounce, a complaint, an unsubscribe."""

    tenant_id: str
    address: str  # lower-cased email address
    reason: str  # hard_bounce | soft_bounces | complaint | unsubscribe
    at: str


@dataclass(slots=True, kw_only=True)
class Segment(Record):
    """A named filter over the tenant's contacts (domain/segments.py), private to its author or shared."""

    tenant_id: str
    segment_id: str
    name: str
    filter: dict[str, Any]  # the filter as written (valid: parsed before it is stored)
    shared: bool = False
    owner_id: str


# --- campaigns: the campaign, its messages (one per recipient), engagement --------------------------------------

CampaignStatus = Literal["draft", "scheduled", "sending", "sent", "cancelled", "failed"]


class CampaignContentDoc(TypedDict):
    """What staff wrote: the message and who it goes to (one of segment_id / contact_ids)."""

    subject: str
    body: str | None  # Jinja2, rendered within the bounds of user-written bodies
    template: str | None  # or the name of a stored body (templates/campaigns)
    segment_id: str | None
    contact_ids: list[str] | None
    series: str | None  # the publication it belongs to (« Lettre du maire »): L52-1 régularité
    scheduled_at: str | None  # ISO instant in UTC; None: sent when asked


class CampaignDoc(TypedDict, total=False):
    content: Required[CampaignContentDoc]
    by: Required[dict[str, Any]]  # who created it (auth.Principal.as_requester)
    sent_by: dict[str, Any]  # who asked to send it
    skipped: dict[str, int]  # reason → contacts left out when the recipients were planned
    planned: bool  # the messages are written: a redelivered plan only queues the chunks again
    reply_to: str  # the campaign's reply address (services/replies.py), when the deployment receives replies
    compliance: AssessmentDoc  # L52-1, for an institution's campaign
    override: OverrideDoc  # an admin's written lifting of the blocking findings
    error: str
    started_at: str
    cancelled_at: str
    held_for_quiet_hours: bool  # an SMS campaign asked for outside the sending hours: scheduled at the next allowed
    consultation: dict[str, str]  # {"id", "audience"}: the consultation whose link {{ consultation_url }} gives


@dataclass(slots=True, kw_only=True)
class Campaign(Record):
    """An email or SMS campaign; its counters move with every chunk sent (atomic ADDs on the item)."""

    tenant_id: str
    campaign_id: str
    channel: str  # email | sms
    status: CampaignStatus = "draft"
    doc: CampaignDoc
    recipients: int = 0  # planned (not skipped)
    sent: int = 0
    failed: int = 0
    unknown: int = 0  # the send may have happened: never retried
    finished_at: str | None = None


MessageStatus = Literal["queued", "sending", "sent", "failed", "unknown", "skipped"]


@dataclass(slots=True, kw_only=True)
class CampaignMessage:
    """One recipient of one campaign: the send mark (at most once) and what SES said of the message since."""

    tenant_id: str
    campaign_id: str
    contact_id: str
    status: MessageStatus
    address: str | None = None
    reason: str | None = None  # why skipped or failed
    appel: str | None = None  # the formule d'appel, decided when the recipients were planned
    ses_message_id: str | None = None  # the provider's id of the message sent: SES's, or SNS's for an SMS
    sent_at: str | None = None
    delivered_at: str | None = None
    bounce: str | None = None  # hard | soft
    bounced_at: str | None = None
    complained_at: str | None = None
    rejected_at: str | None = None
    first_open_at: str | None = None
    opens: int = 0
    first_click_at: str | None = None
    clicks: int = 0
    links: list[str] = field(default_factory=list)  # the links clicked
    unsubscribed_at: str | None = None


@dataclass(slots=True, kw_only=True)
class Engagement:
    """A contact's engagement with the tenant's emails, across campaigns."""

    tenant_id: str
    contact_id: str
    last_open_at: str | None = None
    last_click_at: str | None = None
    opens: int = 0
    clicks: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactEngagement:
    """A contact of a segment with its engagement (None: never opened nor clicked) and the events it attended."""

    contact: Contact
    engagement: Engagement | None
    events_attended: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentEngagement:
    """The first contacts of a segment with their engagement, and the segment's totals."""

    contacts: list[ContactEngagement]
    count: int
    opened: int  # contacts who opened at least once
    clicked: int


# --- replies: reply addresses and the inbox ----------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class ReplyAddress:
    """What a reply address `reponse+<reply_id>@<inbound domain>` stands for: one per message sent."""

    tenant_id: str
    reply_id: str  # short lowercase base32 (domain/inbound_mail.py)
    contact_id: str | None  # whom the message went to
    source: str  # event_message | campaign
    ref: str  # what was sent: "{event}/{invitation}/{kind}", a campaign's id
    message_id: str | None = None  # SES's id of the message sent with it (In-Reply-To of a real reply names it)
    created_at: str = ""


@dataclass(slots=True, kw_only=True)
class InboxMessage:
    """A reply no contact could be found for: in the tenant's inbox until staff assign it to a contact."""

    tenant_id: str
    inbox_id: str  # a ULID from the time SES received it and its message id: a redelivery finds the same one
    received_at: str
    sender: str  # the From address, lower-cased
    sender_name: str
    subject: str
    excerpt: str  # the person's own words, bounded (domain/inbound_mail.EXCERPT_CHARS)
    reply_id: str | None = None  # the reply address it was sent to, if one of ours
    ref: str | None = None  # what it answers, when the reply address is known
    stop_requested: bool = False  # it asked to stop: staff see it; assigning it withdraws email consent


# --- end of entities ---------------------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class ShortLink:
    """What a short code in an SMS stands for (domain/short_codes.py): a contact of a tenant, for one purpose."""

    tenant_id: str
    code: str
    contact_id: str
    purpose: str  # sms-stop: the opt-out link of campaign SMS
    created_at: str = ""


# --- the right of access -----------------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class PersonFile:
    """Everything held on one person (RGPD art. 15), as services/access.py gathered it."""

    contact: Contact
    mandates: list[Mandate]
    interactions: list[Interaction]
    tasks: list[Task]
    invitations: list[Invitation]
    events: dict[str, Event]  # the invitations' events, by id
    messages: list[CampaignMessage]
    campaigns: dict[str, Campaign]  # the messages' campaigns, by id
    consents: list[Consent]
    audit: list[AuditEntry]
    audit_complete: bool  # False: the log holds older entries than those read
    tenant_name: str
    generated_at: str


# --- campaign finance: candidacies and their ledger (political tenants) -----------------------------------------


@dataclass(slots=True, kw_only=True)
class Candidacy(Record):
    """A candidate in an election of the calendar, with the mandataire who collects the funds (L52-4) and the
    spending ceiling (L52-11) the cash share is computed from."""

    tenant_id: str
    candidacy_id: str
    election_id: str
    candidate_contact_id: str
    mandataire_contact_id: str  # a person or an association (mandataire financier), itself a contact
    ceiling_cents: int
    commune_population: int | None = None  # municipales: decides whether L52-4 applies (9 000 inhabitants)
    account_filed_on: str | None = None  # ISO date: the filing of the compte de campagne ends the period
    created_by: str = ""


@dataclass(slots=True, kw_only=True)
class Donation:
    """One gift in a candidacy's ledger: a « don » of a person, or a party's contribution (no cap, no receipt).
    Cancelled gifts stay in the ledger (`status`), their amounts taken off the running totals."""

    tenant_id: str
    donation_id: str
    candidacy_id: str
    election_id: str
    kind: str  # "don" | "party_contribution"
    donor_contact_id: str
    donor_name: str  # as the contact read when the gift was recorded: the receipt names the donor of that day
    donor_address: list[str] = field(default_factory=list)
    amount_cents: int
    date: str  # ISO date of the gift
    method: str  # cheque, virement, carte, prelevement, especes
    receipt_number: str | None = None  # the CNCCFP receipt number (unique per candidacy)
    donor_attestation: bool = False
    status: str = "recorded"  # recorded | cancelled
    cancel_reason: str | None = None
    cancelled_at: str | None = None
    created_by: str = ""
    created_at: str = ""


# --- a person's own privacy requests (the public form) -----------------------------------------------------------


class PrivacyRequestDoc(TypedDict, total=False):
    """What the person typed, what was found, and how staff answered (domain/privacy_requests.py)."""

    name: str | None
    message: str | None
    contact_ids: list[str]  # the tenant's contacts with the verified address, found at verification
    note: str | None  # staff's answer: the reasons of a refusal (RGPD art. 12(4))
    closed_at: str
    closed_by: str


@dataclass(slots=True, kw_only=True)
class PrivacyRequest:
    """A request of access or erasure made by a person through the tenant's public form, verified by email."""

    tenant_id: str
    request_id: str
    kind: str  # access | erasure
    status: str  # pending_verification | open | done | refused
    email: str  # normalised
    doc: PrivacyRequestDoc
    created_at: str
    verified_at: str | None = None
    deadline: str | None = None  # ISO date: the last day to answer (RGPD art. 12(3))
    version: int | None = None


# --- merges of duplicate contacts ----------------------------------------------------------------------------------


class MovedRecordDoc(TypedDict):
    """One record a merge moved from a merged contact to the kept one: its kind and keys before and after (the same
    key when the contact id is an attribute only: a task, an invitation)."""

    kind: str  # mandate | interaction | message | task | invitation
    contact_id: str  # the merged contact it belonged to
    old_key: str
    new_key: str


class MergeDoc(TypedDict, total=False):
    """What a merge did, enough to undo it: the merged records whole, the kept record's fields before and after,
    every record moved, the consents before and after."""

    snapshots: Required[list[dict[str, Any]]]  # each merged Contact (its fields as dataclasses.asdict gives them)
    keep_before: Required[dict[str, Any]]  # the kept contact's doc before the merge
    keep_after: Required[dict[str, Any]]  # and after it
    moved: Required[list[MovedRecordDoc]]
    not_moved: list[MovedRecordDoc]  # records that could not move (the kept contact already had one: an invitation)
    consents_before: Required[dict[str, dict[str, dict[str, Any]]]]  # contact id → channel → Consent fields
    consents_after: Required[dict[str, dict[str, Any]]]  # the kept contact's consents written by the merge
    by: Required[dict[str, Any]]  # auth.Principal.as_requester
    history_id: str  # the interaction recording the merge in the kept contact's history
    undone_at: str
    undone_by: str
    stayed: list[MovedRecordDoc]  # on undo: records that could not go back (deleted or taken since)


@dataclass(slots=True, kw_only=True)
class MergeRecord:
    tenant_id: str
    merge_id: str
    keep_id: str
    merge_ids: list[str]
    status: str  # running | done | undone
    doc: MergeDoc
    created_at: str = ""
    updated_at: str = ""


# --- consultations: the consultation, its responses, the links that may replace a response -----------------------


@dataclass(slots=True, kw_only=True)
class Consultation(Record):
    """A consultation (domain/consultations.py). ``doc``: title, introduction, questions, opens_at, closes_at (UTC
    text), audience ("public" or "segment"), segment_id, anonymous, consent_text, public_token_id."""

    tenant_id: str
    consultation_id: str
    doc: dict[str, Any]
    owner_id: str
    links_purged: bool = False  # the link → response mappings deleted after the close


@dataclass(slots=True, kw_only=True)
class ConsultationResponse:
    """One respondent's answers. ``contact_id`` and ``group`` only for identified consultations; an anonymous
    response carries neither, nor any time."""

    tenant_id: str
    consultation_id: str
    response_id: str
    answers: dict[str, Any]
    contact_id: str | None = None
    group: str | None = None  # the respondent's commune (INSEE) or postcode, for the breakdown
    consented: bool = False  # the respondent accepted the follow-up consent text
    submitted_at: str | None = None


@dataclass(slots=True, kw_only=True)
class ConsultationLink:
    """Which response a personal link or a browser's cookie answered with, so that a second answer replaces it; kept
    until the close only (deleted then, and expiring by TTL at the close anyway)."""

    tenant_id: str
    consultation_id: str
    link_key: str  # "c-<contact id>" or "b-<hash of the browser token>"
    response_id: str
    expires_at: datetime  # the close (DynamoDB TTL)
