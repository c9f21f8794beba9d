"""Tenant settings, custom field declarations, users and the audit log."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, cast, get_args
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, model_validator

from chalicelib.domain.custom_fields import FIELD_TYPES, NAME_PATTERN
from chalicelib.domain.quiet_hours import MAX_WINDOWS_PER_DAY, window_problems, windows_from_doc
from chalicelib.domain.roles import Role
from chalicelib.schemas.common import DEPARTEMENT_CODE, NOT_NULL, Line, Lines, Model, StrictModel, built, raise_field
from chalicelib.schemas.contacts import Email
from chalicelib.store import entities

TenantKind = Literal["institution", "political"]
# COG codes: 01–95 without 20 (Corsica is 2A and 2B since 1976), and the overseas 971–976.


def _timezone(value: str) -> str:
    if value not in available_timezones():
        raise ValueError("Fuseau horaire inconnu (ex. Europe/Paris).")
    return value


class DeclaredCandidate(StrictModel):
    """A candidate (or list) whose name and sites must not appear in the collectivité's communication (L52-1)."""

    name: Annotated[str, Line(150)]
    sites: Annotated[
        list[Annotated[str, Field(min_length=3, max_length=300, pattern=r"^\S+$")]], Field(max_length=10)
    ] = []


def _sender_id(value: str) -> str:
    """An alphanumeric sender ID as SNS takes it: 3 to 11 ASCII letters or digits, at least one letter."""
    if not re.fullmatch(r"[A-Za-z0-9]{3,11}", value) or value.isdigit():
        raise ValueError("De 3 à 11 lettres ou chiffres, sans espace ni accent, dont au moins une lettre.")
    return value


class SmsWindow(StrictModel):
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, in the tenant's zone")]
    end: Annotated[str, Field(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", description="HH:MM, or 24:00")]


DayWindows = Annotated[list[SmsWindow], Field(max_length=MAX_WINDOWS_PER_DAY)]


class SmsHours(StrictModel):
    """The windows in which the tenant's SMS leave, per weekday (a day left out or empty has none); public holidays
    of the tenant's territory never have any. Default: Monday–Friday 10:00–13:00 and 14:00–20:00."""

    monday: DayWindows = []
    tuesday: DayWindows = []
    wednesday: DayWindows = []
    thursday: DayWindows = []
    friday: DayWindows = []
    saturday: DayWindows = []
    sunday: DayWindows = []

    @model_validator(mode="after")
    def _sound(self) -> SmsHours:
        for where, message in window_problems(windows_from_doc(self.model_dump())):
            if not where:
                raise ValueError(message)
            raise_field(where, message)
        return self


class SettingsFields(StrictModel):
    name: Annotated[str, Line(200)] | None = None
    commune_insee: Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$")] | None = None
    departement: Annotated[str, Field(pattern=DEPARTEMENT_CODE, description="Code département (COG)")] | None = None
    region: Annotated[str, Field(pattern=r"^\d{2}$", description="Code région (COG)")] | None = None
    epci_siren: Annotated[str, Field(pattern=r"^\d{9}$")] | None = None
    sender_name: Annotated[str, Line(100)] | None = None
    sender_email: Email | None = None
    letterhead: Annotated[str, Lines(2000)] | None = None
    signatory_name: Annotated[str, Line(150)] | None = None
    signatory_function: Annotated[str, Line(150)] | None = None
    timezone: Annotated[Annotated[str, AfterValidator(_timezone)] | None, NOT_NULL] = None
    candidates: Annotated[list[DeclaredCandidate], Field(max_length=100)] | None = Field(
        default=None, description="Declared candidates and their sites, checked by the neutrality criterion (L52-1)"
    )
    regularity_tolerance_days: Annotated[int, Field(ge=1, le=120)] | None = Field(
        default=None,
        description="Régularité (L52-1): days around a yearly series' expected date, default 21; a shorter "
        "rhythm (monthly, quarterly, half-yearly) gets it in proportion, never under a week nor under this value",
    )
    amplification_ratio: Annotated[float, Field(ge=1.0, le=10.0)] | None = Field(
        default=None, description="Identité (L52-1): × the median of previous occurrences; default 1.3"
    )
    sms_sender_id: Annotated[str, AfterValidator(_sender_id)] | None = Field(
        default=None, description="Alphanumeric sender ID of the tenant's SMS (3 to 11 letters or digits)"
    )
    sms_price_cents_per_segment: Annotated[float, Field(ge=0, le=100)] | None = Field(
        default=None, description="Price of one SMS segment in euro cents, for the cost estimate before a campaign"
    )
    sms_message_type: Literal["Promotional", "Transactional"] | None = Field(
        default=None,
        description="SNS's route for campaign SMS: Promotional (cheaper; the default) or Transactional (delivered "
        "first, and through a country's stricter rules where Promotional is filtered)",
    )
    sms_hours: SmsHours | None = Field(
        default=None, description="When SMS may leave (tenant's zone); null: Monday–Friday 10–13 and 14–20"
    )


class SenderGrantOut(Model):
    domains: list[str]
    addresses: list[str]


class TenantSettings(SettingsFields):
    id: str
    kind: TenantKind
    sender_grant: SenderGrantOut = Field(
        default_factory=lambda: SenderGrantOut(domains=[], addresses=[]),
        description="Domains (any address in them) and addresses this tenant may send from, assigned by the "
        "deployment's operator (python -m infra.tenant senders); read-only: sender_email must be one of them",
    )
    version: int
    updated_at: str


# Operator-only keys of the settings item that the tenant's settings never show.
_OPERATOR_KEYS = frozenset({"disabled_at"})


def tenant_settings_json(settings: entities.TenantSettings) -> dict[str, Any]:
    grant = settings.data.get("sender_grant") or {"domains": [], "addresses": []}
    return {
        "id": settings.tenant_id,
        **{k: v for k, v in settings.data.items() if k not in _OPERATOR_KEYS},
        "sender_grant": grant,
        "version": settings.version,
        "updated_at": settings.updated_at,
    }


class SettingsPatch(SettingsFields):
    version: int = Field(ge=1)


def settings_changes(patch: SettingsPatch) -> entities.SettingsFieldsDoc:
    """The fields the admin sent, an explicit null included (it empties the field)."""
    return cast(entities.SettingsFieldsDoc, patch.model_dump(mode="json", include=patch.model_fields_set - {"version"}))


FieldType = Literal["text", "number", "date", "bool", "choice"]
assert set(get_args(FieldType)) == set(FIELD_TYPES)


def _field_name(value: str) -> str:
    if not NAME_PATTERN.match(value):
        raise ValueError("Nom technique : minuscules, chiffres et _ ; commence par une lettre ; 40 caractères au plus.")
    return value


class FieldCreate(StrictModel):
    name: Annotated[str, AfterValidator(_field_name)]
    label: Annotated[str, Line(100)]
    type: FieldType
    choices: Annotated[list[Annotated[str, Line(100)]], Field(max_length=100)] = []

    @model_validator(mode="after")
    def _choices(self) -> FieldCreate:
        if self.type == "choice" and not self.choices:
            raise_field("choices", "Un champ à choix doit lister ses valeurs.")
        if self.type != "choice" and self.choices:
            raise_field("choices", "Seul un champ de type « choice » a des valeurs.")
        if len(set(self.choices)) != len(self.choices):
            raise_field("choices", "Valeurs en double.")
        return self


def custom_field_doc(body: FieldCreate) -> entities.CustomFieldDoc:
    return cast(entities.CustomFieldDoc, body.model_dump(mode="json", exclude={"name"}))


class FieldPatch(StrictModel):
    label: Annotated[Annotated[str, Line(100)] | None, NOT_NULL] = None
    choices: Annotated[Annotated[list[Annotated[str, Line(100)]], Field(max_length=100)] | None, NOT_NULL] = None


class FieldDef(Model):
    name: str
    label: str
    type: FieldType
    choices: list[str]


def field_def_json(custom_field: entities.CustomField) -> dict[str, Any]:
    return {"name": custom_field.name, **custom_field.data}


RoleName = Literal["admin", "cabinet", "protocole", "communication", "lecteur"]
assert set(get_args(RoleName)) == {r.value for r in Role}


class UserCreate(StrictModel):
    email: Email
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=5)]
    first_name: Annotated[str, Line(100)] | None = None
    last_name: Annotated[str, Line(100)] | None = None


class UserPatch(StrictModel):
    roles: Annotated[Annotated[list[RoleName], Field(min_length=1, max_length=5)] | None, NOT_NULL] = None
    first_name: Annotated[str, Line(100)] | None = None
    last_name: Annotated[str, Line(100)] | None = None
    enabled: Annotated[bool | None, NOT_NULL] = None


def user_changes(patch: UserPatch) -> entities.UserChanges:
    """The fields the admin named: a name may be null (emptied), roles and enabled may not."""
    return cast(entities.UserChanges, patch.model_dump(mode="json", include=patch.model_fields_set))


class User(Model):
    id: str
    email: str
    roles: list[RoleName]
    first_name: str | None
    last_name: str | None
    enabled: bool
    created_at: str
    updated_at: str


class UserCreated(User):
    temporary_password: str | None = Field(
        description="Only when the pool does not email invitations (local stack); the user must change it."
    )


def user_json(user: entities.User) -> dict[str, Any]:
    return built(User, user, id=user.user_id, roles=sorted(user.roles))


def user_created_json(user: entities.User, temporary_password: str | None) -> dict[str, Any]:
    return {**user_json(user), "temporary_password": temporary_password}


class AuditEntry(Model):
    at: str
    actor_id: str
    actor_email: str | None
    action: str
    resource_type: str
    resource_id: str
    detail: dict[str, Any] | None


def audit_entry_json(entry: entities.AuditEntry) -> dict[str, Any]:
    return built(AuditEntry, entry)
