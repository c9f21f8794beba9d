"""The operator's tenant administration: what no tenant's admin may do through the API.

    python -m infra.tenant [--stage STAGE] create --id ID --kind institution|political --name NAME --admin EMAIL
                                                  [--password P] [--sender-domain D]... [--departement 76]
                                                  [--commune-insee 76540]
    python -m infra.tenant [--stage STAGE] list
    python -m infra.tenant [--stage STAGE] senders TENANT_ID [--domain D]... [--address A]...
                                                    [--remove-domain D]... [--remove-address A]...
    python -m infra.tenant [--stage STAGE] disable --id ID
    python -m infra.tenant [--stage STAGE] enable --id ID

`create` makes a tenant (its settings) and its first admin in Cognito, from an empty deployment to a first login;
ids are 3 to 36 of a-z, 0-9 and « - ». A re-run with the same id updates the name and territory, never the kind,
and leaves an existing admin as it is. Outside the local stage Cognito emails the admin an invitation; `--password`
sets a permanent one instead. `--sender-domain` assigns sending domains as `senders --domain` does. `list` shows
the tenants, a disabled one marked so.

`disable` closes a tenant's space: its users can no longer sign in (Cognito), every API call of theirs answers 403
« Espace désactivé » (within 30 seconds in every running Lambda container: each keeps the answer that long), its
public RSVP pages say the service is unavailable, and the scheduled jobs pass it over; nothing is deleted.
`enable` undoes it: the users its admins had left enabled can sign in again.

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
    if stage == "local" and state.exists() and "AGORA_USER_POOL_ID" not in os.environ:
        os.environ["AGORA_USER_POOL_ID"] = json.loads(state.read_text(encoding="utf-8"))["user_pool_id"]
    if "AWS_ENDPOINT_URL" in os.environ:  # the local stack takes any key
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    if stage != "local" and "AGORA_USER_POOL_ID" not in os.environ:
        os.environ["AGORA_USER_POOL_ID"] = _stack_output(f"agora-{stage}", "UserPoolId")


def _stack_output(stack: str, key: str) -> str:
    """An output of the stage's CloudFormation stack (infra/README.md deploys it as agora-<stage>)."""
    import boto3

    outputs = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    found = next((o["OutputValue"] for o in outputs if o["OutputKey"] == key), None)
    if found is None:
        raise SystemExit(f"stack {stack} has no output {key}: is it deployed?")
    return str(found)


def _create(args: argparse.Namespace) -> int:
    from chalicelib.errors import AgoraError
    from chalicelib.services import tenant_provisioning
    from chalicelib.store.entities import SettingsFieldsDoc

    territory: SettingsFieldsDoc = {}
    if args.departement:
        territory["departement"] = args.departement
    if args.commune_insee:
        territory["commune_insee"] = args.commune_insee
    try:
        done = tenant_provisioning.provision_tenant(
            args.id, kind=args.kind, name=args.name, admin_email=args.admin, territory=territory
        )
    except AgoraError as exc:
        details = "; ".join(f"{d['field']}: {d['message']}" for d in exc.details)
        print(f"error: {exc.message}{' (' + details + ')' if details else ''}", file=sys.stderr)
        return 1
    print(f"Tenant {args.id} ({args.kind}): {'created' if done.tenant_created else 'updated'}.")
    if not done.admin_created:
        print(f"Admin {args.admin}: already exists, left as it is.")
    elif args.password:
        _set_password(args.admin, args.password)
        print(f"Admin {args.admin}: created, with the password given.")
    elif done.temporary_password:
        print(f"Admin {args.admin}: created, temporary password {done.temporary_password} (to change at first login).")
    else:
        print(f"Admin {args.admin}: created; Cognito has emailed the invitation.")
    if args.sender_domain:
        args.tenant_id, args.domain, args.address, args.remove_domain, args.remove_address = (
            args.id,
            args.sender_domain,
            [],
            [],
            [],
        )
        return _senders(args)
    return 0


def _set_password(email: str, password: str) -> None:
    """The operator's own Cognito call (the API's role cannot set a password): a permanent password."""
    from chalicelib import aws
    from chalicelib.settings import get_settings

    aws.cognito().admin_set_user_password(
        UserPoolId=get_settings().user_pool_id, Username=email, Password=password, Permanent=True
    )


def _list(args: argparse.Namespace) -> int:
    from chalicelib.services import tenant_provisioning

    for settings in tenant_provisioning.all_tenants():
        data = settings.data
        places = (("departement", data.get("departement")), ("commune_insee", data.get("commune_insee")))
        territory = " ".join(f"{k}={v}" for k, v in places if v)
        state = f" DISABLED since {data['disabled_at']}" if data.get("disabled_at") else ""
        line = f"{settings.tenant_id:<36} {data.get('kind', '?'):<12} {data.get('name', '')} {territory}".rstrip()
        print(line + state)
    return 0


def _switch(args: argparse.Namespace) -> int:
    from chalicelib.errors import AgoraError
    from chalicelib.services import tenant_access, tenant_provisioning

    disable = args.command == "disable"
    try:
        done = (tenant_provisioning.disable_tenant if disable else tenant_provisioning.enable_tenant)(args.id)
    except AgoraError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    verb = "disabled" if disable else "enabled"
    print(f"Tenant {args.id}: {verb}; sign-in {verb} for {len(done.changed)} user(s).")
    if done.left:
        reason = "not this tenant's identity" if disable else "disabled by the tenant's admin, or not its identity"
        print(f"Left as they were ({reason}): {', '.join(done.left)}")
    if disable:
        print(
            f"Running Lambda containers refuse its calls within {tenant_access.TTL_SECONDS:.0f} s; ID tokens already "
            "issued stay valid until they expire, and are refused by the API."
        )
    return 0


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
    create = commands.add_parser("create", help="create a tenant and its first admin (or update its name)")
    create.add_argument("--id", required=True)
    create.add_argument("--kind", required=True, choices=("institution", "political"))
    create.add_argument("--name", required=True)
    create.add_argument("--admin", required=True, help="the first admin's email address")
    create.add_argument("--password", help="a permanent password (else a temporary one, or Cognito's invitation)")
    create.add_argument("--sender-domain", action="append", default=[], help="a domain the tenant sends from")
    create.add_argument("--departement", help="INSEE code of the département (76, 2A, 971)")
    create.add_argument("--commune-insee", help="INSEE code of the commune (76540)")
    commands.add_parser("list", help="the tenants")
    senders = commands.add_parser("senders", help="assign the domains and addresses a tenant may send from")
    senders.add_argument("tenant_id")
    senders.add_argument("--domain", action="append", default=[], help="any address in this domain")
    senders.add_argument("--address", action="append", default=[], help="this exact address")
    senders.add_argument("--remove-domain", action="append", default=[])
    senders.add_argument("--remove-address", action="append", default=[])
    disable = commands.add_parser("disable", help="close a tenant's space: no sign-in, the API answers 403")
    disable.add_argument("--id", required=True)
    enable = commands.add_parser("enable", help="open a disabled tenant's space again")
    enable.add_argument("--id", required=True)
    args = parser.parse_args(argv)
    _use_stage(args.stage)
    from chalicelib.settings import reset_settings

    reset_settings()
    commands_run = {"create": _create, "list": _list, "senders": _senders, "disable": _switch, "enable": _switch}
    return commands_run[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
