"""Letter jobs (publipostage): one item per job, its progress updated as pages are rendered."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import BaseModel, TableName, VersionedRepository
from chalicelib.store.entities import LetterJob


class LetterJobItem(BaseModel, entity=LetterJob):
    class Meta:
        table_name = TableName("letters")

    tenant_id = UnicodeAttribute(hash_key=True)
    letter_id = UnicodeAttribute(range_key=True)


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(LetterJob, LetterJobItem, None)
get = _repo.get  # (tenant_id, letter_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
