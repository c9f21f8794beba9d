"""The app's environment under moto in this process: the `local` stage of .chalice/config.json, fake credentials.

tests/conftest.py sets it before moto, boto3 or the app are imported; the benchmarks (bench/run.py) set the same,
in their own process and in the interpreters they start. Standard library only: it is read before anything else.
"""

from __future__ import annotations

import os

LOCAL_STAGE = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-3",
    "AGORA_STAGE": "local",
    "AGORA_TABLE_PREFIX": "agora-local-",
    "AGORA_PUBLIC_BASE_URL": "http://127.0.0.1:8000",  # links in messages need a base (the demo seed's invitations)
    "AGORA_FILES_BUCKET": "agora-local-files",
    "AGORA_INBOUND_DOMAIN": "reponses.operateur-demo.fr",  # replies come back here (services/replies.py)
    "POWERTOOLS_SERVICE_NAME": "agora",
    "POWERTOOLS_METRICS_NAMESPACE": "Agora",
    "POWERTOOLS_TRACE_DISABLED": "1",
    "AGORA_SEND_RATE": "1000",  # campaign sends are paced; moto's quota (1 per second) would slow every test
}
# What would send boto3 elsewhere than moto in this process: a moto server or AWS itself, a profile's credentials.
ELSEWHERE = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDP", "AWS_PROFILE")


def use_local_stage(extra: dict[str, str] | None = None, unset: tuple[str, ...] = ()) -> None:
    """LOCAL_STAGE (and `extra`) in os.environ, nothing pointing elsewhere (nor the names in `unset`)."""
    os.environ.update(LOCAL_STAGE)
    os.environ.update(extra or {})
    for name in (*ELSEWHERE, *unset):
        os.environ.pop(name, None)
