"""What a cancelled TransactWriteItems says of each of its items, and a single write refused for a transaction.

DynamoDB cancels a transaction whose item someone else wrote first: either that write came before (the item's
condition fails: ConditionalCheckFailed) or it is another transaction writing the item at that very moment
(TransactionConflict: DynamoDB cancels rather than waits). A single PutItem, UpdateItem or DeleteItem of an item
a transaction is writing is refused the same way (TransactionConflictException, which botocore does not retry).
To the user all are the same race, « modifié entre-temps » or « réessayez », never an error of the service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynamodb.exceptions import CancellationReason, DeleteError, PutError, UpdateError

from chalicelib.errors import Conflict
from chalicelib.store.base import cause_code

RACED = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def raced(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction because another request wrote it (before, or at once)."""
    return reason is not None and reason.code in RACED


def conflicted(reason: CancellationReason | None) -> bool:
    """Whether this item cancelled the transaction only because another transaction was writing it at once."""
    return reason is not None and reason.code == "TransactionConflict"


@contextmanager
def busy_is_conflict(message: str) -> Iterator[None]:
    """A single write refused because a transaction is writing its item at that moment: Conflict(message), with
    nothing written. Any other failure goes through as it is."""
    try:
        yield
    except (PutError, UpdateError, DeleteError) as exc:
        if cause_code(exc) == "TransactionConflictException":
            raise Conflict(message) from exc
        raise
