"""Test environment: moto is imported and the environment set before any client or the app exists.

Environment values match the `local` stage of .chalice/config.json, which chalice's test
client applies around each request.
"""

from __future__ import annotations

import os

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AGORA_STAGE": "local",
        "AGORA_TABLE_PREFIX": "agora-local-",
        "AGORA_PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "AGORA_FILES_BUCKET": "agora-local-files",
        "POWERTOOLS_SERVICE_NAME": "agora",
        "POWERTOOLS_METRICS_NAMESPACE": "Agora",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "AGORA_LOG_LEVEL": "WARNING",  # no access line per request in test output (test_observability turns it on)
    }
)
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDP", "AWS_PROFILE"):
    os.environ.pop(_name, None)

import moto  # noqa: E402,F401  (before any boto3 client: moto's « Getting started », mocks before clients)
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib import aws  # noqa: E402
from chalicelib.settings import reset_settings  # noqa: E402


@pytest.fixture
def aws_mock():
    """Fresh moto state per test, with the app's resources provisioned."""
    from infra.provision import provision

    # Clients built once stay mocked across mock_aws blocks (moto patches botocore itself), so
    # they are kept between tests: rebuilding them costs more than the rest of the setup.
    with mock_aws():
        reset_settings()
        from chalicelib.settings import get_settings

        provisioned = provision(get_settings())
        os.environ["AGORA_USER_POOL_ID"] = provisioned.user_pool_id
        os.environ["AGORA_USER_POOL_CLIENT_ID"] = provisioned.client_id
        reset_settings()
        yield provisioned
        os.environ.pop("AGORA_USER_POOL_ID", None)
        os.environ.pop("AGORA_USER_POOL_CLIENT_ID", None)
        reset_settings()
        aws.queue_url.cache_clear()
