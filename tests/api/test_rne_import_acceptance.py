"""What an RNE import may end, and what survives a hiccup.

A newer release end-dates the mandates that vanished from it, so a file the import did not really read (only
its header, every row rejected, too many rows rejected) would end every open mandate of its kind. Vanished
mandates are ended only when the file was accepted as a whole; otherwise the import is `failed` with the
reason and ends nothing. A transient AWS error goes back to the queue and a redelivery completes the import with
exact counts; the chunks read the version of the uploaded file that was checked, whatever is PUT afterwards.

Everything goes through the API and the `process_import` handler, as a user and Lambda meet it; AWS errors are
injected where botocore makes the call (tests/support/faults.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chalicelib import aws
from chalicelib.settings import get_settings, reset_settings
from chalicelib.store.mandates import OPEN_END
from tests.api.test_rne_import_api import AJACCIO, BAD, HAVRE, ROUEN, maires, post_csv, run_queue
from tests.support.faults import (
    Fault,
    client_error,
    connect_timeout,
    endpoint_unreachable,
    injected,
    read_timeout,
)
from tests.support.responses import ok
from tests.support.uploads import put_presigned
from tests.support.world import World

BAD_SEX = "76;Seine-Maritime;;;76002;Auffay;PETIT;Léa;X;01/01/1980;;;03/07/2020;04/07/2020"


def elu(n: int) -> str:
    """The maire of a commune of Seine-Maritime, one person per n."""
    return f"76;Seine-Maritime;;;76{n:03d};Commune {n};NOM{n};Prénom;M;01/01/1960;;;03/07/2020;04/07/2020"


def elus(numbers: range | list[int]) -> list[str]:
    return [elu(n) for n in numbers]


def maires_ends(world: World) -> dict[str, str | None]:
    """Every maire mandate of the tenant: commune code -> end date (None while open), through GET /mandates."""
    ends: dict[str, str | None] = {}
    cursor = ""
    while True:
        page = ok(world.get(f"/mandates?function=maire&limit=100{cursor}"))
        ends |= {m["territory"]["code"]: m["end"] for m in page["items"]}
        if not page["next_cursor"]:
            return ends
        cursor = f"&cursor={page['next_cursor']}"


def imported(world: World, data: bytes, query: str = "") -> dict[str, Any]:
    started = ok(post_csv(world, data, query), 202)
    run_queue(world)
    return ok(world.get(f"/imports/{started['id']}"))


# --- the acceptance rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "query", "rows"),
    [
        pytest.param([], "", 0, id="header-only"),
        pytest.param([BAD, BAD_SEX], "", 2, id="every-row-rejected"),
        pytest.param([AJACCIO], "?departement=76", 0, id="no-row-in-the-departement"),
    ],
)
def test_a_file_without_a_valid_row_fails_and_ends_no_mandate(world, lines, query, rows):
    assert imported(world, maires(ROUEN, HAVRE, AJACCIO))["status"] == "done"

    failed = imported(world, maires(*lines), query)
    assert (failed["status"], failed["ended"], failed["rows"]) == ("failed", 0, rows)
    assert failed["error"].startswith("Aucune ligne valide") and "aucun mandat n'a été clos" in failed["error"]
    assert maires_ends(world) == {"76540": None, "76351": None, "2A004": None}


def test_more_than_one_percent_of_rows_rejected_fails_and_ends_no_mandate(world):
    assert imported(world, maires(*elus(range(120))))["created"] == 120

    failed = imported(world, maires(*elus(range(99)), BAD, BAD_SEX))  # 2 rejected of 101: 1.98 %
    assert (failed["status"], failed["rows"], failed["rejected_count"], failed["ended"]) == ("failed", 101, 2, 0)
    assert failed["unchanged"] == 99  # the accepted rows were applied; only the end-dating is refused
    assert failed["error"] == (
        "2 lignes rejetées sur 101 (plus de 1\u00a0%) : aucun mandat n'a été clos. "
        "Corrigez le fichier puis réimportez-le."
    )
    assert all(end is None for end in maires_ends(world).values())


def test_one_percent_of_rows_rejected_still_ends_the_vanished_mandates(world):
    imported(world, maires(*elus(range(120))))

    done = imported(world, maires(*elus(range(99)), BAD))  # 1 rejected of 100: exactly 1 %
    assert (done["status"], done["rows"], done["rejected_count"], done["ended"]) == ("done", 100, 1, 21)
    assert done["error"] is None
    ends = maires_ends(world)
    assert {code for code, end in ends.items() if end is not None} == {f"76{n:03d}" for n in range(99, 120)}


def test_the_share_of_rejected_rows_is_a_setting(world, monkeypatch):
    imported(world, maires(*elus(range(120))))

    monkeypatch.setenv("AGORA_RNE_MAX_REJECTED_SHARE", "0")
    reset_settings()
    failed = imported(world, maires(*elus(range(119)), BAD))
    assert failed["status"] == "failed" and "1 ligne rejetée sur 120 (plus de 0\u00a0%)" in failed["error"]

    monkeypatch.setenv("AGORA_RNE_MAX_REJECTED_SHARE", "0.05")
    reset_settings()
    done = imported(world, maires(*elus(range(99)), BAD, BAD_SEX))
    assert (done["status"], done["ended"]) == ("done", 21)


# --- transient errors ---------------------------------------------------------------------------------------------


def deliver(world: World, body: str, attempt: int = 1) -> bool:
    """One delivery to `process_import`, as Lambda makes it; True when the batch response hands the message back."""
    event = world.client.events.generate_sqs_event(message_bodies=[body], queue_name=get_settings().imports_queue_name)
    event["Records"][0]["attributes"]["ApproximateReceiveCount"] = str(attempt)
    failures = world.client.lambda_.invoke("process_import", event).payload["batchItemFailures"]
    assert failures in ([], [{"itemIdentifier": event["Records"][0]["messageId"]}])
    return bool(failures)


def run_queue_redelivering(world: World, import_id: str) -> int:
    """As run_queue, but a message handed back is delivered again (its attempt counted), as SQS does after the
    visibility timeout. In between, the import must be waiting for it, not failed. Returns the redeliveries."""
    from chalicelib.services.rne_import import MAX_ATTEMPTS

    sqs = aws.sqs()
    url = aws.queue_url(get_settings().imports_queue_name)
    redelivered = 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
        attempt = 1
        while deliver(world, messages[0]["Body"], attempt):
            waiting = ok(world.get(f"/imports/{import_id}"))
            assert waiting["status"] in ("queued", "running") and waiting["error"] is None, waiting
            attempt += 1
            redelivered += 1
            assert attempt <= MAX_ATTEMPTS
        sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    return redelivered


def _table(params: dict[str, Any], short: str) -> bool:
    name = get_settings().table_name(short)
    return params.get("TableName") == name or name in params.get("RequestItems", {})


def _ends_a_mandate(params: dict[str, Any]) -> bool:
    return _table(params, "mandates") and not params["Item"]["end_key"]["S"].startswith(OPEN_END)


def _mandates_written(params: dict[str, Any]) -> bool:
    return _table(params, "mandates")


def _import_saved(params: dict[str, Any]) -> bool:
    return _table(params, "imports")


def _by_function(params: dict[str, Any]) -> bool:
    return params.get("IndexName") == "by-function"


FIRST_RELEASE = elus(range(9))
# 3 per chunk (CHUNK_BYTES 300): 3 kept | 2 newcomers, 1 kept | 2 kept, then the end-dating of 76006-76008.
NEWER_RELEASE = [*FIRST_RELEASE[:3], elu(20), elu(21), *FIRST_RELEASE[3:6]]
EXPECTED = {"status": "done", "rows": 8, "created": 2, "updated": 0, "unchanged": 6, "ended": 3, "rejected_count": 0}

TRANSIENT = [
    pytest.param(Fault("s3", "GetObject", client_error("SlowDown", 503), skip=1), id="s3-slowdown-on-a-chunk"),
    pytest.param(Fault("s3", "GetObject", client_error("ServiceUnavailable", 503), skip=2), id="s3-503"),
    pytest.param(Fault("s3", "GetObject", read_timeout, skip=1), id="s3-read-timeout"),
    pytest.param(Fault("s3", "GetObject", endpoint_unreachable, skip=2), id="s3-unreachable"),
    pytest.param(
        Fault("dynamodb", "Query", client_error("ProvisionedThroughputExceededException"), skip=4),
        id="query-throttled",
    ),
    pytest.param(Fault("dynamodb", "Query", connect_timeout, skip=7), id="query-connect-timeout"),
    pytest.param(
        Fault("dynamodb", "BatchWriteItem", client_error("ThrottlingException"), after=True, when=_mandates_written),
        id="mandates-written-then-throttled",
    ),
    pytest.param(
        Fault("dynamodb", "BatchWriteItem", read_timeout, after=True, skip=1, when=_mandates_written),
        id="newcomers-written-then-read-timeout",
    ),
    pytest.param(
        Fault("dynamodb", "PutItem", read_timeout, after=True, when=_import_saved), id="progress-saved-then-timeout"
    ),
    pytest.param(
        Fault("dynamodb", "PutItem", client_error("ThrottlingException"), skip=2, when=_import_saved),
        id="last-chunk-not-saved",
    ),
    pytest.param(Fault("sqs", "SendMessage", client_error("RequestThrottled")), id="next-chunk-not-queued"),
    pytest.param(
        Fault("dynamodb", "Query", client_error("RequestLimitExceeded"), when=_by_function),
        id="open-mandates-not-read",
    ),
    pytest.param(
        Fault("dynamodb", "PutItem", client_error("RequestLimitExceeded"), after=True, skip=1, when=_ends_a_mandate),
        id="end-dates-written-then-throttled",
    ),
]


@pytest.mark.parametrize("fault", TRANSIENT)
def test_a_transient_error_is_retried_by_the_queue_and_counts_stay_exact(world, monkeypatch, fault):
    from chalicelib.services import rne_import

    monkeypatch.setattr(rne_import, "CHUNK_BYTES", 300)
    imported(world, maires(*FIRST_RELEASE))
    started = ok(post_csv(world, maires(*NEWER_RELEASE)), 202)

    with injected(fault):
        redelivered = run_queue_redelivering(world, started["id"])
    assert (fault.raised, redelivered) == (1, 1)

    done = ok(world.get(f"/imports/{started['id']}"))
    assert {k: done[k] for k in EXPECTED} == EXPECTED and done["error"] is None
    ends = maires_ends(world)
    assert {code for code, end in ends.items() if end is not None} == {"76006", "76007", "76008"}
    assert len(ends) == 11  # nobody's mandate written twice
    assert len(ok(world.get("/contacts?q=nom20"))["items"]) == 1  # nor a newcomer created twice


def test_a_transient_error_on_the_last_attempt_fails_the_import_and_ends_nothing(world, monkeypatch):
    from chalicelib.services.rne_import import MAX_ATTEMPTS

    imported(world, maires(ROUEN, HAVRE))
    started = ok(post_csv(world, maires(ROUEN)), 202)
    url = aws.queue_url(get_settings().imports_queue_name)
    (message,) = aws.sqs().receive_message(QueueUrl=url)["Messages"]
    with injected(Fault("s3", "GetObject", client_error("SlowDown", 503), times=None)):
        for attempt in range(1, MAX_ATTEMPTS):
            assert deliver(world, message["Body"], attempt)
            assert ok(world.get(f"/imports/{started['id']}"))["status"] == "queued"
        assert not deliver(world, message["Body"], MAX_ATTEMPTS)  # not left to the dead-letter queue
    failed = ok(world.get(f"/imports/{started['id']}"))
    assert failed["status"] == "failed" and "relancez" in failed["error"] and failed["ended"] == 0
    assert maires_ends(world) == {"76540": None, "76351": None}


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(client_error("AccessDenied", 403), id="access-denied"),
        pytest.param(client_error("NoSuchVersion", 404), id="no-such-version"),
    ],
)
def test_a_lasting_error_fails_the_import_at_once_and_ends_nothing(world, error: Callable[[str], Exception]):
    imported(world, maires(ROUEN, HAVRE))
    started = ok(post_csv(world, maires(ROUEN)), 202)
    with injected(Fault("s3", "GetObject", error, times=None)) as (fault,):
        run_queue(world)  # the message is not handed back: retrying cannot help
    assert fault.raised == 1
    failed = ok(world.get(f"/imports/{started['id']}"))
    assert failed["status"] == "failed" and failed["error"].startswith("Erreur au traitement à partir de la ligne 2")
    assert maires_ends(world) == {"76540": None, "76351": None}


# --- the presigned upload: the version that was checked -----------------------------------------------------------


def test_the_files_bucket_is_versioned_as_in_aws(world):
    s3 = aws.client("s3")
    assert s3.get_bucket_versioning(Bucket=get_settings().files_bucket)["Status"] == "Enabled"


def test_a_presigned_url_used_again_after_the_check_cannot_change_what_is_imported(world):
    created = ok(world.post("/imports", {"kind": "rne", "filename": "elus-maires.csv"}), 201)
    run_queue(world)  # S3's test event, if any
    put_presigned(created["upload_url"], maires(ROUEN, HAVRE))
    url = aws.queue_url(get_settings().imports_queue_name)
    (event,) = aws.sqs().receive_message(QueueUrl=url)["Messages"]
    assert "Records" in event["Body"]  # a PUT to the versioned bucket still announces itself
    assert not deliver(world, event["Body"])  # the check, which queues the first chunk
    aws.sqs().delete_message(QueueUrl=url, ReceiptHandle=event["ReceiptHandle"])
    assert ok(world.get(f"/imports/{created['id']}"))["file_kind"] == "maires"

    put_presigned(created["upload_url"], maires(AJACCIO, *elus(range(30))))  # the same URL, another file
    run_queue(world)  # the chunk, then the second upload's event (ignored: the import has started)
    done = ok(world.get(f"/imports/{created['id']}"))
    assert (done["status"], done["rows"], done["created"]) == ("done", 2, 2)
    assert maires_ends(world) == {"76540": None, "76351": None}


def test_a_file_swapped_while_it_is_checked_is_read_as_checked(world):
    created = ok(world.post("/imports", {"kind": "rne", "filename": "elus-maires.csv"}), 201)
    run_queue(world)
    put_presigned(created["upload_url"], maires(ROUEN, HAVRE))
    # Another PUT lands just before the worker reads the file's first bytes.
    swap = Fault("s3", "GetObject", read_timeout, action=lambda: put_presigned(created["upload_url"], maires(AJACCIO)))
    with injected(swap):
        run_queue(world)
    assert swap.raised == 1
    done = ok(world.get(f"/imports/{created['id']}"))
    assert (done["status"], done["rows"], done["created"]) == ("done", 2, 2)
    assert maires_ends(world) == {"76540": None, "76351": None}
