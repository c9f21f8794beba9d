"""The prod stage's variables, with placeholder values, for code that imports the app outside AWS as a prod Lambda
would: the cold-start bench (bench/cold_start.py) and the typed client's document (infra/typescript_client.py).
Importing the app reaches no network, so none of these values is ever used to call anything."""

from __future__ import annotations

PROD_STAGE = {
    "AGORA_STAGE": "prod",
    "AGORA_TABLE_PREFIX": "agora-prod-",
    "AGORA_FILES_BUCKET": "agora-prod-files",
    "AGORA_USER_POOL_ID": "eu-west-3_Placeholder",
    "AGORA_USER_POOL_CLIENT_ID": "placeholder-client",
    "AGORA_LINK_SECRETS": "placeholder-secret-of-at-least-thirty-two-bytes",
    "AGORA_PUBLIC_BASE_URL": "https://mairie.example",
    "AWS_DEFAULT_REGION": "eu-west-3",
    "AWS_ACCESS_KEY_ID": "placeholder",
    "AWS_SECRET_ACCESS_KEY": "placeholder",
    "POWERTOOLS_SERVICE_NAME": "agora",
    "POWERTOOLS_METRICS_NAMESPACE": "Agora",
}
