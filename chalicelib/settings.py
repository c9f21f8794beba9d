"""One settings object read from the environment.

Read lazily (``get_settings()``) so that importing chalicelib never requires the
environment to be complete: `chalice package` imports the app with only stage-level
variables set.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGORA_", extra="ignore")

    stage: str = "local"
    region: str = Field(default="eu-west-3", validation_alias="AWS_DEFAULT_REGION")
    table_prefix: str = "agora-local-"
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    audit_queue_name: str = "agora-local-audit"
    imports_queue_name: str = "agora-local-imports"
    letters_queue_name: str = "agora-local-letters"
    files_bucket: str = "agora-local-files"
    # Public base URL of the API, used in links sent to citizens (later issues).
    public_base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 256 * 1024

    @property
    def verifies_tokens_itself(self) -> bool:
        """`chalice local` and the test client do not run Cognito authorizers (style.md §4.1)."""
        return self.stage == "local"

    @property
    def cognito_issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    def table_name(self, short: str) -> str:
        return f"{self.table_prefix}{short}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the local stack change the environment)."""
    get_settings.cache_clear()
