"""The operator's tenant administration: what no tenant's admin may do through the API.

    python -m infra.tenant [--stage STAGE] senders TENANT_ID [--domain D]... [--address A]...
                                                    [--remove-domain D]... [--remove-address A]...

`senders` assigns the domains (any address in them) and single addresses a tenant may send from, registers each new
domain as an SES identity with Easy DKIM and prints the DNS records to publish, then prints the stack parameter
`SenderFromAddresses` that limits the sending roles to every tenant's assignments (infra/README.md). Without an
option it prints the tenant's current assignment.

It talks to whatever AWS the environment names: AWS with the usual credentials, or the endpoint AWS_ENDPOINT_URL
names. The stage (default: AGORA_STAGE, else `local`) selects the table prefix from .chalice/config.json; on the
`local` stage without AWS_ENDPOINT_URL, the running local stack's endpoint is read from .local/state.json (`make run`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _use_stage(stage: str) -> None:
    """The stage's table names, as its Lambda functions see them (.chalice/config.json)."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    if stage not in config["stages"]:
        raise SystemExit(f"unknown stage {stage!r}: one of {', '.join(config['stages'])}")
    for name, value in config["stages"][stage].get("environment_variables", {}).items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    state = Path(os.environ.get("AGORA_STATE_FILE", ROOT / ".local" / "state.json"))
    if stage == "local" and "AWS_ENDPOINT_URL" not in os.environ and state.exists():
        os.environ["AWS_ENDPOINT_URL"] = json.loads(state.read_text(encoding="utf-8"))["aws_endpoint_url"]
    if "AWS_ENDPOINT_URL" in os.environ:  # the local stack takes any key
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")


def _senders(args: argparse.Namespace) -> int:
    from chalicelib.domain.senders import SenderGrant, SenderGrantError
    from chalicelib.errors import AgoraError
    from chalicelib.services import sender_assignment
    from chalicelib.settings import get_settings

    try:
        add = SenderGrant.of(args.domain, args.address)
        remove = SenderGrant.of(args.remove_domain, args.remove_address)
        assigned = sender_assignment.assign(args.tenant_id, add, remove)
    except (SenderGrantError, AgoraError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    grant = assigned.grant
    print(f"Tenant {args.tenant_id} sends from: {grant.describe()}")
    if assigned.dns:
        print("\nPublish these DNS records (SES verifies the domain and signs its mail with DKIM):")
        for record in assigned.dns:
            print(f"  {record.line()}")
    if add.addresses - {a for a in add.addresses if a.rpartition("@")[2] in grant.domains}:
        print("\nSES has emailed each new address a confirmation link: its owner must follow it.")
    print(f"\nDefault sender of the deployment: {get_settings().default_sender}")
    print("Stack parameter SenderFromAddresses (the sending roles' ses:FromAddress condition):")
    print(f"  {','.join(assigned.from_patterns)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.tenant", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default=os.environ.get("AGORA_STAGE") or "local")
    commands = parser.add_subparsers(dest="command", required=True)
    senders = commands.add_parser("senders", help="assign the domains and addresses a tenant may send from")
    senders.add_argument("tenant_id")
    senders.add_argument("--domain", action="append", default=[], help="any address in this domain")
    senders.add_argument("--address", action="append", default=[], help="this exact address")
    senders.add_argument("--remove-domain", action="append", default=[])
    senders.add_argument("--remove-address", action="append", default=[])
    args = parser.parse_args(argv)
    _use_stage(args.stage)
    from chalicelib.settings import reset_settings

    reset_settings()
    return _senders(args)


if __name__ == "__main__":
    sys.exit(main())
