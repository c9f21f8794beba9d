"""One settings object read from the environment.

Read lazily (``get_settings()``) so that importing chalicelib never requires the
environment to be complete: `chalice package` imports the app with only stage-level
variables set.

A plain pydantic model reads the environment as pydantic-settings did (``AGORA_`` + the field's name, or the
field's alias, case-insensitive, the value as a string validated by the field's type, keyword arguments before
the environment): pydantic-settings itself, with what it imports (asyncio, argparse, dotenv), cost half again the
core stack's import on every cold start, for these few flat fields.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PositiveInt, ValidationError, field_validator

ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")
ENV_PREFIX = "AGORA_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        """The environment's values, overridden by ``values`` (the tests name a field or two)."""
        super().__init__(**{**_from_environment(), **values})

    # No default: `local` switches off token verification by API Gateway, uses a public link key and serves
    # /dev/outbox, so a function that lost its environment must refuse to start rather than run as `local`.
    # .chalice/config.json sets it for each stage; the tests and `make run` set `local` themselves.
    stage: Literal["local", "dev", "prod"]
    region: str = Field(default="eu-west-3", validation_alias="AWS_DEFAULT_REGION")
    table_prefix: str = "agora-local-"
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    files_bucket: str = "agora-local-files"
    # Public base URL of the API, used in links sent to citizens (RSVP pages, calendar files).
    public_base_url: str = ""
    # HMAC keys of public links, comma-separated, newest first (rotation: the first signs, all verify). Required
    # outside the local stage, where a fixed, public key would let anyone forge an RSVP link.
    link_secrets: str = ""
    # Sender of the tenant's emails when /settings has no sender_email: an address of the operator's own domain (a
    # verified SES identity), never a tenant's. Tenants' own domains are assigned with `python -m infra.tenant`.
    default_sender: str = "Agora <ne-pas-repondre@operateur-demo.fr>"
    # SES configuration set: delivery, bounce and complaint events (infra/resources.json).
    ses_configuration_set: str = "agora-local-mail"
    max_body_bytes: int = 256 * 1024
    # An RNE import end-dates the mandates that vanished from its file only if no more than this share of the
    # file's rows was rejected (and at least one accepted): domain/rne.may_end_vanished.
    rne_max_rejected_share: float = Field(default=0.01, ge=0.0, le=1.0)
    # Bounds of rendering a body a user wrote (letters), per document: text written in UTF-8 bytes (also the largest
    # value a step may build), loop iterations and macro calls, seconds. A body over one is refused at submission
    # (422) and fails its job (messaging/bounded.py).
    template_max_output_bytes: PositiveInt = 200_000
    template_max_iterations: PositiveInt = 10_000
    template_max_seconds: PositiveFloat = 2.0
    # Tenants whose admins maintain the deployment-wide election calendar (comma-separated tenant ids): the
    # operator's own workspace. Other admins correct the calendar for their tenant only.
    operator_tenants: str = ""
    # Replies: the domain whose mail SES receives (its MX names SES's inbound endpoint), in the Reply-To
    # `reponse+<id>@<domain>` of every email sent (services/replies.py). Empty: no reply address; replies go to the
    # sender as before. Where SES receives it (a region with email receiving) is the stack's InboundRegion parameter:
    # the code never needs it, the notifications reach this stack's queue whatever the region.
    inbound_domain: str = Field(
        default="", pattern=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)?$"
    )
    # Soft bounces (a full mailbox, a server down) to one address before it is suppressed like a hard bounce.
    soft_bounce_limit: PositiveInt = 3
    # Campaign emails per second for the whole deployment; unset: SES's quota for the account (GetSendQuota).
    send_rate: PositiveFloat | None = None
    # Origins of the hosted frontend allowed to call the API from a browser (CORS), comma-separated, each
    # "scheme://host[:port]" exactly as the browser sends it in Origin: no path, no wildcard (the API reads an
    # Authorization header, so "*" would hand every site a logged-in user's answers). The first one also goes on
    # API Gateway's own error responses, which cannot choose per request. Empty: no browser origin is allowed.
    cors_origins: str = ""
    # HMAC key of the erased persons' contact points (domain/erasure.point_key). Never rotated: a new key would no
    # longer recognise the persons erased before. Required outside the local stage.
    erasure_secret: str = ""

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: str) -> str:
        for origin in (o.strip() for o in value.split(",") if o.strip()):
            if not ORIGIN.fullmatch(origin):
                raise ValueError(f"AGORA_CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port], no path)")
        return value

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        return tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())

    @property
    def verifies_tokens_itself(self) -> bool:
        """`chalice local` and the test client do not verify Cognito tokens (Chalice's LocalGatewayAuthorizer)."""
        return self.stage == "local"

    @property
    def cognito_issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    def link_keys(self) -> list[bytes]:
        keys = [k.strip().encode() for k in self.link_secrets.split(",") if k.strip()]
        if keys:
            return keys
        if self.stage == "local":
            return [b"agora-local-stage-only"]
        raise RuntimeError("AGORA_LINK_SECRETS is not set: public links cannot be signed.")

    def erasure_key(self) -> bytes:
        if self.erasure_secret.strip():
            return self.erasure_secret.strip().encode()
        if self.stage == "local":
            return b"agora-local-erasure-only"
        raise RuntimeError("AGORA_ERASURE_SECRET is not set: erased persons cannot be recognised.")

    def is_operator(self, tenant_id: str) -> bool:
        return tenant_id in {t.strip() for t in self.operator_tenants.split(",") if t.strip()}

    def table_name(self, short: str) -> str:
        return f"{self.table_prefix}{short}"

    # Queues are named like tables, "<prefix><queue>" (chalicelib/jobs/registry.py declares them).
    def queue_name(self, short: str) -> str:
        return f"{self.table_prefix}{short}"

    @property
    def audit_queue_name(self) -> str:
        return self.queue_name("audit")

    @property
    def imports_queue_name(self) -> str:
        return self.queue_name("imports")

    @property
    def letters_queue_name(self) -> str:
        return self.queue_name("letters")

    @property
    def electoral_queue_name(self) -> str:
        return self.queue_name("electoral")

    @classmethod
    def load(cls) -> Settings:
        """The settings, or a RuntimeError that says which variable is wrong (at import, a function fails to start
        with this message in its log)."""
        try:
            return cls()  # pydantic-settings reads the fields from the environment
        except ValidationError as exc:
            if any(e["loc"] == ("stage",) for e in exc.errors()):
                raise RuntimeError(
                    "AGORA_STAGE must be set to local, dev or prod: Agora refuses to start without an explicit "
                    "stage (.chalice/config.json sets it for each stage; `make run` and the tests set local)."
                ) from None
            raise


def _from_environment() -> dict[str, str]:
    """Each field's variable that is set, by the key validation reads (the field's alias, else its name)."""
    environment = {name.lower(): value for name, value in os.environ.items()}
    found: dict[str, str] = {}
    for name, field in Settings.model_fields.items():
        key = field.validation_alias if isinstance(field.validation_alias, str) else name
        variable = (key if field.validation_alias else ENV_PREFIX + name).lower()
        if variable in environment:
            found[key] = environment[variable]
    return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.load()


def reset_settings() -> None:
    """Forget the cached settings (tests and the local stack change the environment)."""
    get_settings.cache_clear()


# The API's own address as the current request reached it (API Gateway's domainName and stage). In AWS the API
# function cannot be given its own URL by the stack (a circular dependency): links it sends are built from this.
_REQUEST_BASE_URL: ContextVar[str | None] = ContextVar("request_base_url", default=None)


def use_request_base_url(url: str | None) -> None:
    _REQUEST_BASE_URL.set(url)


def public_base_url() -> str:
    """Where links sent to citizens point: AGORA_PUBLIC_BASE_URL (a custom domain, the local stack, the reminders
    job), else the address of the request being served."""
    configured = get_settings().public_base_url.rstrip("/")
    if configured:
        return configured
    from_request = _REQUEST_BASE_URL.get()
    if from_request:
        return from_request
    raise RuntimeError("AGORA_PUBLIC_BASE_URL is not set and no request gives the API's address.")
