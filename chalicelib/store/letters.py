"""Letter jobs (publipostage): one item per job, its progress updated as pages are rendered."""

from __future__ import annotations

from chalicelib.store.base import BaseModel, VersionedRepository
from chalicelib.store.entities import LetterJob


class LetterJobItem(BaseModel, entity=LetterJob, table="letters", keys=("tenant_id", "letter_id")):
    pass


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(LetterJob, LetterJobItem, None)
get = _repo.get  # (tenant_id, letter_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
