"""File imports (RNE): one item per import, its progress updated chunk by chunk."""

from __future__ import annotations

from chalicelib.store.base import BaseModel, VersionedRepository
from chalicelib.store.entities import ImportJob


class ImportItem(BaseModel, entity=ImportJob, table="imports", keys=("tenant_id", "import_id")):
    pass


# Without a stale message: a concurrent delivery's write fails (PutError) instead of counting twice.
_repo = VersionedRepository(ImportJob, ImportItem, None)
get = _repo.get  # (tenant_id, import_id)
save = _repo.save  # under the version read (a new one: if it does not exist yet); the new version written back
