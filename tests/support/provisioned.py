"""The app's resources provisioned in moto, and the settings naming them: what every test starts from
(tests/conftest.py) and what the cold-start probe starts from (first_requests.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.provision import Provisioned


def provision_app() -> Provisioned:
    """Inside mock_aws: the app's tables, queues, buckets and user pool created; the settings then name the pool and
    its client, as the stack's outputs do in AWS."""
    from chalicelib.settings import get_settings, reset_settings
    from infra.provision import provision

    reset_settings()
    provisioned = provision(get_settings())
    os.environ["AGORA_USER_POOL_ID"] = provisioned.user_pool_id
    os.environ["AGORA_USER_POOL_CLIENT_ID"] = provisioned.client_id
    reset_settings()
    return provisioned
