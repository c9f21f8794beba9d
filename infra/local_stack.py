"""`make run`: the whole of Agora on this machine, with moto's server as the embedded AWS.

Starts moto on 127.0.0.1 (a free port), provisions every resource, seeds the demo,
starts `chalice local` on 127.0.0.1:$PORT (default 8000), runs the queue consumers on a
local poller (chalice local never runs SQS handlers), writes the local-stack contract to
.local/state.json once /health answers, and on Ctrl-C stops everything and removes it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never 0.0.0.0: the embedded AWS and the API are for this machine only
REGION = "eu-west-3"


class SerialWSGI:
    """Serve moto's requests one at a time.

    DynamoDB applies a conditional update or a transaction atomically; moto's backends do
    not lock, so two concurrent requests could both pass a condition (two guests taking the
    last seat). Holding one lock for the whole request, body included, restores the
    atomicity the app relies on. Throughput is irrelevant for a local stack.
    """

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self._lock:
            result = self._app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close:
                    close()


def start_moto(port: int = 0) -> tuple[Any, str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per AWS call drowns the banner
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = SerialWSGI(DomainDispatcherApplication(create_backend_app))
    server = make_server(HOST, port, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}"


def provision_into(env: dict[str, str]) -> Any:
    """The app's resources in the AWS this process reaches (the embedded moto server, or moto in-process for the
    benchmarks) by infra.provision, settings and clients made anew for it; the user pool's ids added to `env` and
    to this process's environment. Returns what provision made."""
    from chalicelib import aws
    from chalicelib.settings import get_settings, reset_settings
    from infra.provision import provision

    reset_settings()
    aws.reset_clients()
    provisioned = provision(get_settings())
    env.update(AGORA_USER_POOL_ID=provisioned.user_pool_id, AGORA_USER_POOL_CLIENT_ID=provisioned.client_id)
    os.environ.update(env)
    reset_settings()
    return provisioned


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


LOCAL_FRONTEND_ORIGINS = "http://localhost:5173,http://127.0.0.1:5173"


def _local_stage() -> dict[str, str]:
    """The local stage's environment variables in .chalice/config.json."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return dict(config["stages"]["local"]["environment_variables"])


def configure_environment(endpoint: str) -> dict[str, str]:
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AGORA_STAGE": "local",
        "AGORA_TABLE_PREFIX": "agora-local-",
        "AGORA_FILES_BUCKET": "agora-local-files",
        "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
        "POWERTOOLS_SERVICE_NAME": "agora",
        "POWERTOOLS_METRICS_NAMESPACE": "Agora",
        "POWERTOOLS_TRACE_DISABLED": "1",  # no X-Ray daemon here: the metrics' EMF lines and the logs are the output
        # The usual dev-server origins of a frontend (Vite) may call this API from a browser; override to change.
        "AGORA_CORS_ORIGINS": os.environ.get("AGORA_CORS_ORIGINS", LOCAL_FRONTEND_ORIGINS),
        # Campaign emails per second: moto's GetSendQuota answers a sandbox's 1 per second, whatever it can take.
        "AGORA_SEND_RATE": os.environ.get("AGORA_SEND_RATE", "200"),
        # Replies' domain, as the local stage names it: the poller's jobs read settings before any request.
        "AGORA_INBOUND_DOMAIN": _local_stage()["AGORA_INBOUND_DOMAIN"],
    }
    os.environ.update(env)
    os.environ.pop("AWS_PROFILE", None)
    return env


class QueuePoller(threading.Thread):
    """Delivers SQS messages to the app's queue handlers, as Lambda's event source mapping does in AWS."""

    def __init__(self, handlers: dict[str, str]) -> None:
        super().__init__(name="queue-poller", daemon=True)
        self._handlers = handlers  # queue name -> Chalice handler name
        self._stopping = threading.Event()  # not `_stop`: Thread.join calls a method of that name
        self.delivered = 0

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        from chalice.test import Client

        from app import app
        from chalicelib import aws

        sqs = aws.sqs()
        with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
            while not self._stopping.is_set():
                for queue, handler in self._handlers.items():
                    try:
                        self._drain(sqs, client, aws.queue_url(queue), queue, handler)
                    except Exception as exc:  # keep polling: a local hiccup must not stop the stack
                        print(f"[poller] {queue}: {exc}", file=sys.stderr)
                self._stopping.wait(1.0)

    def _drain(self, sqs: Any, client: Any, url: str, queue: str, handler: str) -> None:
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, AttributeNames=["ApproximateReceiveCount"]
        ).get("Messages", [])
        if not messages:
            return
        arn = f"arn:aws:sqs:{REGION}:123456789012:{queue}"
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),  # ApproximateReceiveCount: jobs count their attempts
                    "messageAttributes": {},
                    "md5OfBody": m.get("MD5OfBody", ""),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": arn,
                    "awsRegion": REGION,
                }
                for m in messages
            ]
        }
        payload = client.lambda_.invoke(handler, event).payload or {}
        failed = {f["itemIdentifier"] for f in payload.get("batchItemFailures", [])}
        for m in messages:
            if m["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                self.delivered += 1


class ScheduleTimer(threading.Thread):
    """Runs the app's scheduled handlers on a local timer, as EventBridge does in AWS (moto never fires schedules)."""

    def __init__(self, handlers: tuple[str, ...], every: float) -> None:
        super().__init__(name="schedule-timer", daemon=True)
        self._handlers = handlers
        self._every = every
        self._stopping = threading.Event()
        self.runs = 0

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        from chalice.test import Client

        from app import app

        with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
            while not self._stopping.wait(self._every):
                for handler in self._handlers:
                    event = client.events.generate_cw_event(
                        source="aws.events",
                        detail_type="Scheduled Event",
                        detail={},
                        resources=[f"arn:aws:events:{REGION}:123456789012:rule/local-{handler}"],
                    )
                    try:
                        client.lambda_.invoke(handler, event)
                    except Exception as exc:  # keep the timer: a local hiccup must not stop the stack
                        print(f"[timer] {handler}: {exc}", file=sys.stderr)
                self.runs += 1


def start_chalice(port: int, env: dict[str, str], **popen: Any) -> tuple[subprocess.Popen[bytes], str]:
    """`chalice local` on HOST:port as a subprocess (the API as API Gateway would serve it); returns it and its URL.

    `popen` is passed to subprocess.Popen (the bench sends chalice's request log to a file)."""
    command = [
        sys.executable,
        "-m",
        "infra.chalice_local",  # chalice local with a deeper listen backlog
        "--stage",
        "local",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-autoreload",
    ]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, **popen), f"http://{HOST}:{port}"


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it has not exited within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_health(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chalice local exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url}/health did not answer within {timeout:.0f} s")


def publish_state(state_file: Path, state: dict[str, Any]) -> None:
    """Write the contract whole or not at all: its existence says the stack is ready, so a reader (a script, the
    end-to-end tests) that sees the file must never read it half written. Written beside it, then renamed (atomic
    on one file system)."""
    state_file.parent.mkdir(parents=True, exist_ok=True)
    partial = state_file.with_name(state_file.name + ".partial")
    partial.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, state_file)


def _banner(state: dict[str, Any], state_file: Path) -> str:
    api, endpoint = state["api_url"], state["aws_endpoint_url"]
    admin = state["tenants"][0]["users"][0]
    lines = [
        "",
        "Agora is running locally.",
        f"  API            {api}   (docs: {api}/docs, OpenAPI: {api}/openapi.json)",
        f"  Embedded AWS   {endpoint}   (moto server; region {state['region']})",
        f"  Contract       {state_file}",
        f"  Outbox         {api}/dev/outbox   (the emails and SMS the app sent; open a view_url to read one)",
        f"  Schedules      scheduled jobs every {os.environ.get('AGORA_LOCAL_SCHEDULE_SECONDS', '60')} s (local timer)",
        "",
        "Demo tenants and users (Cognito username = email):",
    ]
    for tenant in state["tenants"]:
        lines.append(f"  {tenant['id']} ({tenant['kind']}): {tenant['name']}")
        for user in tenant["users"]:
            lines.append(f"    {user['email']:<32} {user['password']:<20} {', '.join(user['roles'])}")
    lines += [
        "",
        "Get a token and call the API:",
        f"  TOKEN=$(.venv/bin/python -m infra.login {admin['email']} '{admin['password']}')",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{api}/contacts?q=lefevre&limit=5'",
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    state_file = Path(os.environ.get("AGORA_STATE_FILE", ROOT / ".local" / "state.json"))
    moto_server, endpoint = start_moto(int(os.environ.get("MOTO_PORT", "0")))
    env = configure_environment(endpoint)
    print(f"Embedded AWS (moto) on {endpoint}", flush=True)

    from chalicelib.settings import get_settings, reset_settings
    from infra.seed import seed_demo

    provisioned = provision_into(env)
    # Links sent to citizens (RSVP pages) point at this API; the seed, the poller and the timer read it too.
    env["AGORA_PUBLIC_BASE_URL"] = f"http://{HOST}:{port}"
    os.environ.update(env)
    reset_settings()
    started = time.monotonic()
    tenants = seed_demo()
    print(f"Demo seeded in {time.monotonic() - started:.1f} s", flush=True)

    chalice, api_url = start_chalice(port, env)
    from chalicelib.jobs import registry

    timer = ScheduleTimer(
        tuple(s.name for s in registry.SCHEDULES), float(os.environ.get("AGORA_LOCAL_SCHEDULE_SECONDS", "60"))
    )
    poller = QueuePoller({get_settings().queue_name(job.queue): job.name for job in registry.QUEUE_JOBS})
    stopping = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    try:
        wait_for_health(api_url, chalice)
        poller.start()
        timer.start()
        state = {
            "api_url": api_url,
            "aws_endpoint_url": endpoint,
            "region": REGION,
            "user_pool_id": provisioned.user_pool_id,
            "client_id": provisioned.client_id,
            # Publish a real-shaped SES notification here and watch Agora react (services/mail_events.py); a
            # receipt notification with its `content` to inbound_mail (a reply: services/replies.py); a two-way SMS
            # to sms_inbound (« STOP »).
            "topics": {
                "ses_events": provisioned.topics["ses-events"],
                "inbound_mail": provisioned.topics["inbound-mail"],
                "sms_inbound": provisioned.topics["sms-inbound"],
            },
            "tenants": [t.as_state() for t in tenants],
        }
        publish_state(state_file, state)
        print(_banner(state, state_file), flush=True)
        while not stopping.is_set():
            if chalice.poll() is not None:
                print(f"chalice local exited with code {chalice.returncode}", file=sys.stderr)
                code = 1
                break
            stopping.wait(0.5)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    finally:
        print("\nStopping…", flush=True)
        state_file.unlink(missing_ok=True)
        poller.stop()
        timer.stop()
        stop_process(chalice)
        # The embedded AWS stops within 10 s, or is left to die with the process (its threads are daemons): a
        # request stuck in moto after heavy traffic must not keep Ctrl-C from ending `make run`.
        closer = threading.Thread(target=moto_server.shutdown, daemon=True)
        closer.start()
        closer.join(10)
    return code


if __name__ == "__main__":
    exit_code = main()
    # Everything is stopped; leave without waiting on a thread still inside a moto call or a handler (they are
    # daemons, but interpreter shutdown can still wait on executors they started).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
