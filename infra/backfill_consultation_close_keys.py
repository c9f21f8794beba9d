"""One-off, for a stack deployed before the hourly purge of consultations: write the index key it reads.

The purge_consultation_links schedule finds the consultations closed and not yet purged through the sparse
`by-close` index of the consultations table; a consultation saved before that key existed carries none, so the job
would not see it (the first read after its close and the links' TTL would still delete its mappings). This saves
those not yet purged again, once. It Scans the table: a maintenance step run by hand
(`python -m infra.backfill_consultation_close_keys`, with the stage's AGORA_TABLE_PREFIX and AWS credentials),
never a request path. Running it twice changes nothing more.
"""

from __future__ import annotations

from chalicelib.store import consultations


def backfill() -> dict[str, int]:
    done = 0
    for consultation in consultations.consultations_missing_close_key():
        consultations.save(consultation)  # writes close_key under the version check: a concurrent edit fails loudly
        done += 1
    return {"consultations": done}


if __name__ == "__main__":
    print(backfill())
