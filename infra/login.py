"""Print a Cognito ID token for a local-stack user: `python -m infra.login EMAIL PASSWORD`.

Reads the endpoint, region and client id from .local/state.json (written by `make run`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import boto3


def id_token(state: dict[str, str], email: str, password: str) -> str:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=state["aws_endpoint_url"],
        region_name=state["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    result = cognito.initiate_auth(
        ClientId=state["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m infra.login EMAIL PASSWORD", file=sys.stderr)
        return 2
    path = Path(os.environ.get("AGORA_STATE_FILE", Path(__file__).resolve().parent.parent / ".local" / "state.json"))
    if not path.exists():
        print(f"{path} not found: start the local stack with `make run` first", file=sys.stderr)
        return 1
    print(id_token(json.loads(path.read_text(encoding="utf-8")), argv[0], argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
