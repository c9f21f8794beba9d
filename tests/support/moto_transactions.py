"""moto's TransactWriteItems, rolled back item by item rather than table by table.

moto makes a cancelled transaction leave nothing by deep-copying every table the transaction touches before it
starts, and putting the copies back on failure: a transaction costs as much as its tables are big, so a campaign
recording its outcomes in transactions over a table of 10,000 messages costs minutes in tests. Here the items the
transaction names are copied instead, and put back as they were (or removed, when they did not exist) on failure:
the same outcome (all or nothing) at the cost of the transaction's own items. moto's other behaviour (conditions,
the cancellation reasons it reports) is its own, untouched.
"""

from __future__ import annotations

import copy
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def item_level_rollback() -> Iterator[None]:
    import moto.dynamodb.models as backend_module
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = DynamoDBBackend.transact_write_items
    if getattr(backend_module, "copy", None) is not copy:  # moto changed how it backs up: leave it as it is
        yield
        return

    def keys_of(table: Table, op: dict[str, Any]) -> tuple[Any, Any]:
        key = op.get("Key") or op.get("Item") or {}
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        return hash_value, range_value

    def restore(table: Table, hash_value: Any, range_value: Any, item: Any) -> None:
        holder: Any = table.items[hash_value] if range_value is not None else table.items
        slot = range_value if range_value is not None else hash_value
        if item is None:
            holder.pop(slot, None)
        else:
            holder[slot] = item

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            try:
                hash_value, range_value = keys_of(table, op)
            except KeyError:
                continue  # a malformed key: moto refuses the transaction before writing anything
            saved.append((table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))))
        backend_module.copy = types.SimpleNamespace(  # type: ignore[attr-defined]
            deepcopy=lambda value, memo=None: value if isinstance(value, Table) else copy.deepcopy(value, memo)
        )
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_value, range_value, item in reversed(saved):
                restore(table, hash_value, range_value, item)
            raise
        finally:
            backend_module.copy = copy  # type: ignore[attr-defined]

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
