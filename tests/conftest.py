"""Test environment: moto is imported and the environment set before any client or the app exists.

Environment values match the `local` stage of .chalice/config.json, which chalice's test
client applies around each request (tests/support/environment.py, which the benchmarks share).
"""

from __future__ import annotations

import os

from tests.support.environment import use_local_stage

# No access line per request in test output (test_observability turns it on).
use_local_stage({"AGORA_LOG_LEVEL": "WARNING"})

import moto  # noqa: E402,F401  (before any boto3 client: moto's « Getting started », mocks before clients)
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib import aws  # noqa: E402
from chalicelib.settings import reset_settings  # noqa: E402
from tests.support.moto_transactions import item_level_rollback  # noqa: E402
from tests.support.provisioned import provision_app  # noqa: E402


@pytest.fixture
def aws_mock():
    """Fresh moto state per test, with the app's resources provisioned."""
    # Clients built once stay mocked across mock_aws blocks (moto patches botocore itself), so
    # they are kept between tests: rebuilding them costs more than the rest of the setup. Transactions roll back
    # item by item (tests/support/moto_transactions.py), not by copying whole tables.
    with mock_aws(), item_level_rollback():
        yield provision_app()
        os.environ.pop("AGORA_USER_POOL_ID", None)
        os.environ.pop("AGORA_USER_POOL_CLIENT_ID", None)
        reset_settings()
        aws.queue_url.cache_clear()
